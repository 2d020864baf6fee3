/**
 * Points and store credit for the merchant's online shop (issue 13), with a shop key (scope
 * `members`), on the same ledgers as the tills, so an online order and a till sale for one member
 * both count:
 * - POST /v1/shop/members/earn     the points an order earns, by the merchant's rules in force and
 *                                  the member's tier; negative cents with its order number: a return
 *                                  takes back that order's own points in proportion, never more
 *                                  (cloud/domain/members.ts, earnFromShop)
 * - POST /v1/shop/members/redeem   points or store credit paying an order, decided under the
 *                                  account's lock exactly as a till online (refused beyond the balance)
 * Both are idempotent by the shop's key: a retry after a lost answer answers the same entry
 * (`replayed: true`) and nothing counts twice.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { MemberCode } from '../../src/shared/member-schemas';
import type { Pool } from '../db/pool';
import type { Clock } from '../domain/clock';
import { earnFromShop, redeem } from '../domain/members';
import { IdempotencyKey, parseRequest } from './parse';
import type { ShopAuth } from './shop-auth';

const Key = IdempotencyKey;
const OrderNo = z.string().regex(/^[A-Za-z0-9._:-]{1,40}$/, '1 to 40 of A-Z a-z 0-9 . _ : -');

const EarnBody = z.strictObject({
  idempotencyKey: Key,
  memberCode: MemberCode,
  orderNo: OrderNo,
  /** cents of the order that earn points (the shop leaves out what its rules exclude); negative: a return of part or all of orderNo */
  eligibleCents: z
    .number()
    .int()
    .min(-1e9)
    .max(1e9)
    .refine((n) => n !== 0, 'eligibleCents is not 0'),
});

const RedeemBody = z.strictObject({
  idempotencyKey: Key,
  memberCode: MemberCode,
  orderNo: OrderNo,
  kind: z.enum(['points', 'credit']),
  /** cents of the order to pay, converted here at the merchant's rate */
  value: z.number().int().min(1).max(1e9),
});

export function shopMemberRoutes(app: FastifyInstance, deps: { pool: Pool; clock: Clock; shopAuth: ShopAuth }): void {
  const { pool, clock, shopAuth } = deps;

  app.post('/v1/shop/members/earn', { onRequest: shopAuth.key('members') }, async (request) => {
    const body = parseRequest(EarnBody, request.body, 'points for an order');
    const shop = shopAuth.shopOf(request);
    return earnFromShop(
      pool,
      {
        merchantId: shop.merchantId,
        memberCode: body.memberCode,
        eligibleCents: body.eligibleCents,
        idemKey: `shop:${shop.keyId}:${body.idempotencyKey}`,
        document: body.orderNo,
        source: `shop-key:${shop.keyId}`,
      },
      clock.now(),
    );
  });

  app.post('/v1/shop/members/redeem', { onRequest: shopAuth.key('members') }, async (request) => {
    const body = parseRequest(RedeemBody, request.body, 'redemption for an order');
    const shop = shopAuth.shopOf(request);
    // the change-log version is for tills (they pull the feed); the shop reads its own answer
    const { version: _version, ...posted } = await redeem(
      pool,
      {
        merchantId: shop.merchantId,
        memberCode: body.memberCode,
        kind: body.kind,
        value: body.value,
        idemKey: `shop:${shop.keyId}:${body.idempotencyKey}`,
        document: body.orderNo,
        source: `shop-key:${shop.keyId}`,
      },
      clock.now(),
    );
    return posted;
  });
}
