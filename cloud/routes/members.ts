/**
 * Members for registers (issue 13), with the registers' own bearer tokens:
 * - GET /v1/members/lookup?phone= | ?code=: a member enrolled anywhere, with balances, for a till
 *   that does not have it in its pulled list yet;
 * - GET /v1/members/history?code=: the member's recent purchases from every store, for the panel;
 * - POST /v1/members/redeem: points or store credit spent at a till that is online, decided here
 *   under the account's lock (never below zero); the key makes a retry answer the same entry.
 * - POST /v1/gift-cards/redeem: the same for a gift card, by its hash (cloud/domain/gift-cards.ts);
 * - POST /v1/gift-cards/lookup: a card by its hash, for a till that has not pulled it yet.
 * Both gift card routes count as guesses of the register (asGiftCardGuess): wrong codes are limited.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { MemberCode } from '../../src/shared/member-schemas';
import { CloudError } from '../errors';
import type { Pool } from '../db/pool';
import type { Clock } from '../domain/clock';
import { lookupMemberAsOf, memberHistory, redeem } from '../domain/members';
import { asGiftCardGuess, lookupGiftCard, redeemGiftCardAs } from '../domain/gift-cards';
import { GiftCardHash } from '../../src/shared/gift-card';
import type { Auth } from './auth';
import { IdempotencyKey, parseRequest } from './parse';

const LookupQuery = z.union([z.strictObject({ phone: z.string().min(1).max(32) }), z.strictObject({ code: MemberCode })]);

const RedeemBody = z
  .strictObject({
    idempotencyKey: IdempotencyKey,
    memberCode: MemberCode,
    kind: z.enum(['points', 'credit']),
    /** points, or cents of store credit; more than 0 */
    amount: z.number().int().min(1).max(1e12).optional(),
    /** or: the cents of value to pay, converted here at the merchant's rate (a till's tender) */
    value: z.number().int().min(1).max(1e12).optional(),
    document: z.string().max(40).nullable().default(null),
  })
  .refine((b) => (b.amount === undefined) !== (b.value === undefined), 'send amount (units) or value (cents), not both');

/** A gift card a till takes online (issue 13): by the hash of its code, never the code. */
const GiftRedeemBody = z.strictObject({
  idempotencyKey: IdempotencyKey,
  cardHash: GiftCardHash,
  /** cents to take from the card; more than 0 */
  value: z.number().int().min(1).max(1e12),
});

export function memberRoutes(app: FastifyInstance, deps: { pool: Pool; clock: Clock; auth: Auth }): void {
  const { pool, clock, auth } = deps;

  app.get('/v1/members/lookup', { onRequest: auth.register() }, async (request) => {
    const query = parseRequest(LookupQuery, request.query, 'member lookup (send phone or code)');
    // with the version it is as of: a pull read before it cannot put an older balance back at the till
    const { member, version } = await lookupMemberAsOf(pool, auth.registerOf(request).merchantId, query);
    if (!member) throw new CloudError('NOT_FOUND', 'No member with that phone or code');
    return { member, version };
  });

  app.get('/v1/members/history', { onRequest: auth.register() }, async (request) => {
    const query = parseRequest(z.strictObject({ code: MemberCode }), request.query, 'member history (send code)');
    const history = await memberHistory(pool, auth.registerOf(request).merchantId, query.code);
    if (!history) throw new CloudError('NOT_FOUND', 'No member with that code');
    return history;
  });

  app.post('/v1/members/redeem', { onRequest: auth.register() }, async (request) => {
    const body = parseRequest(RedeemBody, request.body, 'redemption');
    const register = auth.registerOf(request);
    return redeem(
      pool,
      {
        merchantId: register.merchantId,
        memberCode: body.memberCode,
        kind: body.kind,
        ...(body.amount === undefined ? { value: body.value as number } : { amount: body.amount }),
        // per register: one till's key can never collide with another's
        idemKey: `register:${register.registerId}:${body.idempotencyKey}`,
        document: body.document,
        source: `register:${register.registerId}`,
      },
      clock.now(),
    );
  });

  // A gift card spent at a till that is online: refused beyond its balance or when it is not active.
  app.post('/v1/gift-cards/redeem', { onRequest: auth.register() }, async (request) => {
    const body = parseRequest(GiftRedeemBody, request.body, 'gift card redemption');
    const register = auth.registerOf(request);
    const source = `register:${register.registerId}`;
    return redeemGiftCardAs(
      pool,
      { merchantId: register.merchantId, source, keyPrefix: source },
      { hash: () => body.cardHash, value: body.value, idempotencyKey: body.idempotencyKey, named: false },
      clock.now(),
    );
  });

  // A card this till has not pulled yet (sold or issued a moment ago): by its hash, in the body (never a URL).
  app.post('/v1/gift-cards/lookup', { onRequest: auth.register() }, async (request) => {
    const body = parseRequest(z.strictObject({ cardHash: GiftCardHash }), request.body, 'gift card look-up (send cardHash)');
    const register = auth.registerOf(request);
    return asGiftCardGuess(pool, `register:${register.registerId}`, clock.now(), () =>
      lookupGiftCard(pool, register.merchantId, body.cardHash),
    );
  });
}
