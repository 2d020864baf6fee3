/**
 * Gift cards for the merchant's online shop (issue 13), with a shop key (scope `members`), on the
 * same ledger as the tills:
 * - POST /v1/shop/gift-cards/redeem   pay an order with a card, by its code as the customer typed it:
 *                                     refused beyond the balance (INSUFFICIENT_BALANCE) or for a card
 *                                     not active (GIFT_CARD_UNUSABLE); a retry with the same
 *                                     idempotencyKey answers the same entry (replayed: true)
 * - POST /v1/shop/gift-cards/refund   give back (part of) a redemption to the same card, at most what
 *                                     it took less earlier refunds; idempotent the same way
 * A redemption counts as a guess of the key (asGiftCardGuess, as a till's): wrong codes are limited. A
 * refund names a redemption by the key's own idempotency key, never a card, so it guesses nothing.
 * Loading a card is not offered here: cards are loaded when a till sells them, or issued as vouchers.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Pool } from '../db/pool';
import type { Clock } from '../domain/clock';
import { hashGiftCardCode, redeemGiftCardAs, refundShopGiftCard } from '../domain/gift-cards';
import { IdempotencyKey, parseRequest } from './parse';
import type { ShopAuth } from './shop-auth';

const Key = IdempotencyKey;

const RedeemBody = z.strictObject({
  idempotencyKey: Key,
  /** the card's number as printed (spaces allowed) or scanned (`GC:`…) */
  code: z.string().min(19).max(40),
  /** cents to take from the card; more than 0 */
  value: z.number().int().min(1).max(1e9),
});

const RefundBody = z.strictObject({
  idempotencyKey: Key,
  /** the idempotencyKey of the redemption this gives back */
  redemptionKey: Key,
  value: z.number().int().min(1).max(1e9),
});

export function shopGiftCardRoutes(app: FastifyInstance, deps: { pool: Pool; clock: Clock; shopAuth: ShopAuth }): void {
  const { pool, clock, shopAuth } = deps;

  app.post('/v1/shop/gift-cards/redeem', { onRequest: shopAuth.key('members') }, async (request) => {
    const body = parseRequest(RedeemBody, request.body, 'gift card redemption');
    const shop = shopAuth.shopOf(request);
    // the change-log version is for tills (they pull the feed); the shop reads its own answer
    const { version: _version, ...posted } = await redeemGiftCardAs(
      pool,
      { merchantId: shop.merchantId, source: `shop-key:${shop.keyId}`, keyPrefix: `shop:${shop.keyId}` },
      { hash: () => hashGiftCardCode(body.code), value: body.value, idempotencyKey: body.idempotencyKey, named: true },
      clock.now(),
    );
    return { ...posted, last4: body.code.replace(/\D/g, '').slice(-4) };
  });

  app.post('/v1/shop/gift-cards/refund', { onRequest: shopAuth.key('members') }, async (request) => {
    const body = parseRequest(RefundBody, request.body, 'gift card refund');
    const shop = shopAuth.shopOf(request);
    return refundShopGiftCard(
      pool,
      {
        merchantId: shop.merchantId,
        keyId: shop.keyId,
        redemptionKey: body.redemptionKey,
        value: body.value,
        idempotencyKey: body.idempotencyKey,
        source: `shop-key:${shop.keyId}`,
      },
      clock.now(),
    );
  });
}
