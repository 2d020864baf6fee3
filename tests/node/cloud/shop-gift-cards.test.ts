/**
 * The online shop's gift cards (issue 13; cloud/routes/shop-gift-cards.ts), on real PostgreSQL over
 * real sockets: a shop key (scope `members`) redeems part of a card, is refused beyond its balance
 * with a typed error, retries by its own key without taking twice (also when the retries race),
 * refunds a redemption back to the same card (never more than it took, never twice), wrong codes
 * are limited per key, and nothing works without the right key.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createShopKey, revokeShopKey } from '../../../cloud/domain/shop-keys';
import { GIFT_CARD_GUESS_BURST, hashGiftCardCode, issueGiftCards, voidGiftCard } from '../../../cloud/domain/gift-cards';
import { giftCardCheckDigit } from '../../../src/shared/gift-card';
import { call, createShop, enrolRegister, startServer, useTestDatabase, type Server, type Shop } from './helpers';

const db = useTestDatabase();
let server: Server;

beforeAll(async () => {
  server = await startServer({ pool: db().pool, enrolAttemptsPerMinute: 1000 });
});
afterAll(async () => {
  await server.close();
});

interface Rig {
  shop: Shop;
  key: string;
  keyRef: string;
  /** vouchers worth HK$100.00 each, active */
  cards: string[];
}

async function rig(cards = 2): Promise<Rig> {
  const shop = await createShop(db().pool, { products: 1 });
  const created = await createShopKey(db().pool, shop.merchantId, { label: 'Online shop', scopes: ['members'] }, Date.now());
  const issued = await issueGiftCards(
    db().pool,
    shop.merchantId,
    { count: cards, value: 10_000, batch: 'shop', source: 'admin' },
    Date.now(),
  );
  return { shop, key: created.key, keyRef: created.prefix, cards: issued.map((c) => c.code) };
}

interface Posted {
  entryId: number;
  balance: number;
  replayed: boolean;
  last4: string;
  error?: string;
  refundable?: number;
  status?: string;
}

const redeem = (key: string | undefined, body: unknown) =>
  call<Posted>(server.base, 'POST', '/v1/shop/gift-cards/redeem', { ...(key === undefined ? {} : { token: key }), body });
const refund = (key: string | undefined, body: unknown) =>
  call<Posted>(server.base, 'POST', '/v1/shop/gift-cards/refund', { ...(key === undefined ? {} : { token: key }), body });

/** The card's ledger (reason, amount), its balance checked to be the sum of its rows. */
async function ledger(code: string): Promise<{ balance: number; rows: [string, number][] }> {
  const rows = (
    await db().pool.query<{ reason: string; amount: string; balance_after: string }>(
      `SELECT e.reason, e.amount, e.balance_after FROM ledger_entry e JOIN ledger_account a ON a.id = e.account_id
       JOIN gift_card g ON g.id = a.gift_card_id WHERE g.code_hash = $1 ORDER BY e.id`,
      [hashGiftCardCode(code)],
    )
  ).rows;
  const balance = Number(rows.at(-1)?.balance_after ?? 0);
  expect(balance).toBe(rows.reduce((sum, r) => sum + Number(r.amount), 0));
  return { balance, rows: rows.map((r) => [r.reason, Number(r.amount)]) };
}

let n = 0;
/** A key the shop would make for one payment. */
const newKey = (what: string) => `order-${what}-${(n += 1)}-${Date.now()}`;

/** A well-formed code (right check digit) head office never issued. */
function guessedCode(i: number): string {
  const body = `9${String(i).padStart(17, '0')}`;
  return body + giftCardCheckDigit(body);
}

describe('the online shop’s gift cards', () => {
  it('redeems part of a card, refuses more than its balance with a typed error, and a retry by its key takes nothing twice', async () => {
    const { key, cards } = await rig();
    const code = cards[0] as string;
    const first = newKey('a');
    const paid = await redeem(key, { idempotencyKey: first, code, value: 2_500 });
    expect(paid.status).toBe(200);
    expect(paid.body).toMatchObject({ balance: 7_500, replayed: false, last4: code.replace(/\D/g, '').slice(-4) });
    // the code as printed, with spaces, or scanned with its prefix: the same card
    const scanned = await redeem(key, { idempotencyKey: newKey('b'), code: `GC:${code.replace(/\D/g, '')}`, value: 500 });
    expect(scanned.body).toMatchObject({ balance: 7_000, replayed: false });

    // more than the card holds: refused, with what it holds, and nothing taken
    const over = await redeem(key, { idempotencyKey: newKey('c'), code, value: 7_001 });
    expect(over.status).toBe(409);
    expect(over.body).toMatchObject({ error: 'INSUFFICIENT_BALANCE', balance: 7_000 });

    // the same request again (the shop lost the answer): the same entry, nothing taken twice
    const again = await redeem(key, { idempotencyKey: first, code, value: 2_500 });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ entryId: paid.body.entryId, replayed: true });
    // … also when ten retries race each other
    const racing = newKey('d');
    const raced = await Promise.all(Array.from({ length: 10 }, () => redeem(key, { idempotencyKey: racing, code, value: 1_000 })));
    expect(raced.map((r) => r.status)).toEqual(Array.from({ length: 10 }, () => 200));
    expect(new Set(raced.map((r) => r.body.entryId)).size).toBe(1);
    expect(raced.filter((r) => !r.body.replayed)).toHaveLength(1);
    // the same key for another amount is another movement: refused, not taken
    const conflicting = await redeem(key, { idempotencyKey: first, code, value: 2_000 });
    expect(conflicting.status).toBe(409);
    expect(conflicting.body).toMatchObject({ error: 'IDEMPOTENCY_CONFLICT' });

    expect(await ledger(code)).toEqual({
      balance: 6_000,
      rows: [
        ['issue', 10_000],
        ['redeem', -2_500],
        ['redeem', -500],
        ['redeem', -1_000],
      ],
    });
  });

  it('refunds a redemption to the same card: never more than it took, a retry once, racing refunds cannot together give back more', async () => {
    const { key, cards } = await rig();
    const code = cards[0] as string;
    const order = newKey('order');
    expect((await redeem(key, { idempotencyKey: order, code, value: 3_000 })).body).toMatchObject({ balance: 7_000 });

    const part = newKey('refund');
    const back = await refund(key, { idempotencyKey: part, redemptionKey: order, value: 1_000 });
    expect(back.status).toBe(200);
    expect(back.body).toMatchObject({ balance: 8_000, replayed: false });
    const retried = await refund(key, { idempotencyKey: part, redemptionKey: order, value: 1_000 });
    expect(retried.body).toMatchObject({ entryId: back.body.entryId, balance: 8_000, replayed: true });

    // more than is left of that redemption: refused with what is
    const over = await refund(key, { idempotencyKey: newKey('refund'), redemptionKey: order, value: 2_001 });
    expect(over.status).toBe(409);
    expect(over.body).toMatchObject({ error: 'INSUFFICIENT_BALANCE', refundable: 2_000 });

    // two refunds of the rest at once (different keys): one goes back, the other is refused
    const racing = await Promise.all([
      refund(key, { idempotencyKey: newKey('refund'), redemptionKey: order, value: 2_000 }),
      refund(key, { idempotencyKey: newKey('refund'), redemptionKey: order, value: 2_000 }),
    ]);
    expect(racing.map((r) => r.status).sort()).toEqual([200, 409]);

    // a redemption this key never made, or a refund's own key as the redemption: not found
    expect((await refund(key, { idempotencyKey: newKey('refund'), redemptionKey: 'never-made-1', value: 100 })).status).toBe(404);
    expect((await refund(key, { idempotencyKey: newKey('refund'), redemptionKey: part, value: 100 })).status).toBe(404);

    expect(await ledger(code)).toEqual({
      balance: 10_000,
      rows: [
        ['issue', 10_000],
        ['redeem', -3_000],
        ['refund', 1_000],
        ['refund', 2_000],
      ],
    });
  });

  it('another shop key cannot refund this key’s redemption; a void card neither pays nor takes a refund', async () => {
    const { shop, key, cards } = await rig();
    const code = cards[0] as string;
    const other = await createShopKey(db().pool, shop.merchantId, { label: 'Other shop', scopes: ['members'] }, Date.now());
    const order = newKey('order');
    expect((await redeem(key, { idempotencyKey: order, code, value: 1_000 })).status).toBe(200);
    expect((await refund(other.key, { idempotencyKey: newKey('refund'), redemptionKey: order, value: 500 })).status).toBe(404);

    const id = Number(
      (await db().pool.query<{ id: string }>('SELECT id FROM gift_card WHERE code_hash = $1', [hashGiftCardCode(code)])).rows[0]?.id,
    );
    await voidGiftCard(db().pool, shop.merchantId, { id, reason: 'lost', by: 'admin' }, Date.now());
    const spent = await redeem(key, { idempotencyKey: newKey('after-void'), code, value: 100 });
    expect(spent.status).toBe(409);
    expect(spent.body).toMatchObject({ error: 'GIFT_CARD_UNUSABLE', status: 'void' });
    const refused = await refund(key, { idempotencyKey: newKey('refund'), redemptionKey: order, value: 500 });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ error: 'GIFT_CARD_UNUSABLE', status: 'void' });
  });

  it('wrong codes are limited per key: the burst answered 404, then every code of that key 429, a right one too; another key is not affected', async () => {
    const { shop, key, cards } = await rig();
    const code = cards[0] as string;
    // a malformed code is refused before any card is read
    const malformed = await redeem(key, { idempotencyKey: newKey('bad'), code: '1234 5678 9012 3456 789', value: 100 });
    expect(malformed.status).toBe(400);
    const wrong = [];
    for (let i = 0; i < GIFT_CARD_GUESS_BURST; i += 1)
      wrong.push((await redeem(key, { idempotencyKey: newKey('guess'), code: guessedCode(i), value: 100 })).status);
    expect(wrong).toEqual(Array.from({ length: GIFT_CARD_GUESS_BURST }, () => 404));
    const limited = await redeem(key, { idempotencyKey: newKey('guess'), code: guessedCode(999), value: 100 });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    // the right code now tells nothing either
    expect((await redeem(key, { idempotencyKey: newKey('right'), code, value: 100 })).status).toBe(429);
    // another key of the merchant still pays
    const other = await createShopKey(db().pool, shop.merchantId, { label: 'Kiosk', scopes: ['members'] }, Date.now());
    expect((await redeem(other.key, { idempotencyKey: newKey('right'), code, value: 100 })).body).toMatchObject({ balance: 9_900 });
    expect((await ledger(code)).rows).toEqual([
      ['issue', 10_000],
      ['redeem', -100],
    ]);
  });

  it('needs a shop key with the members scope: none, a wrong one, an orders key, a revoked key, a register’s token are refused', async () => {
    const { shop, key, keyRef, cards } = await rig();
    const code = cards[0] as string;
    const body = { idempotencyKey: newKey('auth'), code, value: 100 };
    expect((await redeem(undefined, body)).status).toBe(401);
    expect((await refund(undefined, { idempotencyKey: newKey('auth'), redemptionKey: 'whatever-1', value: 100 })).status).toBe(401);
    expect((await redeem(`spk_${'x'.repeat(43)}`, body)).body).toMatchObject({ error: 'SHOP_KEY_INVALID' });
    const orders = await createShopKey(db().pool, shop.merchantId, { label: 'Orders only', scopes: ['orders'] }, Date.now());
    const wrongScope = await redeem(orders.key, body);
    expect(wrongScope.status).toBe(403);
    const till = await enrolRegister(db().pool, server.base, shop.stores[0]!);
    expect((await redeem(till.token, body)).status).toBe(401);
    await revokeShopKey(db().pool, shop.merchantId, keyRef, Date.now());
    expect((await redeem(key, body)).body).toMatchObject({ error: 'SHOP_KEY_REVOKED' });
    // nothing was taken by any of them
    expect((await ledger(code)).rows).toEqual([['issue', 10_000]]);
  });
});
