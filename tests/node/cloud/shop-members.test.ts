/**
 * The online shop's points and store credit (issue 13), on real PostgreSQL over real sockets: an
 * order earns points by the merchant's rules and the member's tier (the cloud's arithmetic, not the
 * shop's), a returned order takes them back (an overdraft listed when they were spent), points and
 * credit pay an order under the account's lock (refused beyond the balance), every call idempotent
 * by the shop's key, and the same ledger as the tills (the member's pulled balance follows).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertMember } from '../../../cloud/domain/catalogue';
import { listLedgerExceptions } from '../../../cloud/domain/ledger-exceptions';
import { adjustBalance, lookupMember, setRules } from '../../../cloud/domain/members';
import { createShopKey } from '../../../cloud/domain/shop-keys';
import { withTransaction } from '../../../cloud/db/tx';
import { call, createShop, startServer, useTestDatabase, type Server } from './helpers';

const db = useTestDatabase();
let server: Server;

beforeAll(async () => {
  server = await startServer({ pool: db().pool });
});
afterAll(async () => {
  await server.close();
});

async function shopWithMember(tier = 'standard') {
  const shop = await createShop(db().pool);
  await upsertMember(db().pool, shop.merchantId, { code: 'WEB1', name: '陳大文', phone: '91230001', tier }, Date.now());
  const { key } = await createShopKey(db().pool, shop.merchantId, { label: 'Online shop', scopes: ['members'] }, Date.now());
  const post = (path: string, body: Record<string, unknown>, token = key) => call(server.base, 'POST', path, { token, body });
  const balances = async () => {
    const m = await lookupMember(db().pool, shop.merchantId, { code: 'WEB1' });
    return { points: m?.points, credit: m?.storeCredit };
  };
  return { shop, key, post, balances };
}

describe('the online shop earns and redeems on the members ledgers', () => {
  it('an order earns by the rules and the tier; a retry answers the same entry; a returned order takes the points back', async () => {
    const { shop, post, balances } = await shopWithMember('gold');
    await withTransaction(db().pool, (client) => setRules(client, shop.merchantId, { tierMultipliers: { gold: 2 } }, Date.now()));
    const earn = { idempotencyKey: 'earn-web-0001', memberCode: 'WEB1', orderNo: 'WEB-1', eligibleCents: 12_345 };
    const first = await post('/v1/shop/members/earn', earn);
    expect(first).toMatchObject({ status: 200, body: { points: 246, balance: 246, replayed: false } });
    // the answer was lost: the same call again counts once, even after the rules changed
    await withTransaction(db().pool, (client) => setRules(client, shop.merchantId, { tierMultipliers: { gold: 3 } }, Date.now()));
    expect(await post('/v1/shop/members/earn', earn)).toMatchObject({ status: 200, body: { points: 246, balance: 246, replayed: true } });
    expect(await balances()).toEqual({ points: 246, credit: 0 });
    await withTransaction(db().pool, (client) => setRules(client, shop.merchantId, { tierMultipliers: { gold: 2 } }, Date.now()));
    // too little for a point: nothing written
    expect(
      await post('/v1/shop/members/earn', { idempotencyKey: 'earn-web-0002', memberCode: 'WEB1', orderNo: 'WEB-2', eligibleCents: 50 }),
    ).toMatchObject({ status: 200, body: { points: 0, balance: 246, entryId: null } });

    // 200 points pay HK$2.00 of another order; then WEB-1 comes back: its points are reversed, below zero
    expect(
      await post('/v1/shop/members/redeem', {
        idempotencyKey: 'pay-web-0003',
        memberCode: 'WEB1',
        orderNo: 'WEB-3',
        kind: 'points',
        value: 200,
      }),
    ).toMatchObject({ status: 200, body: { units: 200, balance: 46 } });
    expect(
      await post('/v1/shop/members/earn', {
        idempotencyKey: 'back-web-0001',
        memberCode: 'WEB1',
        orderNo: 'WEB-1',
        eligibleCents: -12_345,
      }),
    ).toMatchObject({ status: 200, body: { points: -246, balance: -200 } });
    // points spent before the order came back: the overdraft is listed, the refund is not refused
    const exceptions = await listLedgerExceptions(db().pool, shop.merchantId);
    expect(exceptions.map((x) => [x.kind, x.amount, x.memberCode, x.document])).toEqual([['overdraft', 200, 'WEB1', 'WEB-1']]);
  });

  it('a return takes back what the order earned, in proportion, whatever the rules and the tier are now, never more', async () => {
    const { shop, post, balances } = await shopWithMember('gold');
    const rules = (r: Parameters<typeof setRules>[2]) =>
      withTransaction(db().pool, (client) => setRules(client, shop.merchantId, r, Date.now()));
    await rules({ tierMultipliers: { gold: 2 } });
    const earn = (key: string, orderNo: string, eligibleCents: number) =>
      post('/v1/shop/members/earn', { idempotencyKey: key, memberCode: 'WEB1', orderNo, eligibleCents });
    expect(await earn('earn-p-1', 'WEB-P1', 12_345)).toMatchObject({ status: 200, body: { points: 246 } });
    expect(await earn('earn-p-2', 'WEB-P2', 10_000)).toMatchObject({ status: 200, body: { points: 200 } });
    // head office triples gold and makes a point cost HK$2: a return must not take back by these
    await rules({ tierMultipliers: { gold: 3 }, earnCentsPerPoint: 200 });
    await db().pool.query("UPDATE member SET tier = 'standard' WHERE merchant_id = $1 AND code = 'WEB1'", [shop.merchantId]);
    // HK$60.00 of HK$123.45 back: 246 × 6000 / 12345 = 119.56 → 119 (by today's rules and tier: 30)
    expect(await earn('back-p-1a', 'WEB-P1', -6_000)).toMatchObject({ status: 200, body: { points: -119, balance: 446 - 119 } });
    // the retry answers the same, even after another change
    await rules({ earnCentsPerPoint: 50 });
    expect(await earn('back-p-1a', 'WEB-P1', -6_000)).toMatchObject({ status: 200, body: { points: -119, replayed: true } });
    // the rest comes back: exactly what is left of the order's 246
    expect(await earn('back-p-1b', 'WEB-P1', -6_345)).toMatchObject({ status: 200, body: { points: -127 } });
    // more than the order was: nothing left to take, nothing written
    expect(await earn('back-p-1c', 'WEB-P1', -5_000)).toMatchObject({ status: 200, body: { points: 0, entryId: null } });
    // an order that never earned here gives nothing back
    expect(await earn('back-p-9', 'WEB-P9', -5_000)).toMatchObject({ status: 200, body: { points: 0, entryId: null } });
    expect(await balances()).toEqual({ points: 200, credit: 0 });

    // the whole of WEB-P2 returned by five calls at once for more than it was: 200 back in all, never more
    const racing = await Promise.all(Array.from({ length: 5 }, (_, i) => earn(`back-p-2-${i}`, 'WEB-P2', -4_000)));
    expect(racing.every((a) => a.status === 200)).toBe(true);
    expect(racing.map((a) => Number(a.body.points)).reduce((sum, p) => sum + p, 0)).toBe(-200);
    expect(await balances()).toEqual({ points: 0, credit: 0 });
    // the order's own account: what each call sent and moved
    const kept = await db().pool.query<{ order_no: string; cents: string; points: string }>(
      `SELECT order_no, sum(eligible_cents) AS cents, sum(points) AS points FROM shop_order_points
       WHERE merchant_id = $1 GROUP BY order_no ORDER BY order_no`,
      [shop.merchantId],
    );
    expect(kept.rows.map((r) => [r.order_no, Number(r.cents), Number(r.points)])).toEqual([
      ['WEB-P1', 12_345 - 6_000 - 6_345 - 5_000, 0],
      ['WEB-P2', 10_000 - 20_000, 0],
      ['WEB-P9', -5_000, 0],
    ]);
  });

  it('points and credit pay an order under the lock: never beyond the balance, a retry counts once', async () => {
    const { shop, post, balances } = await shopWithMember();
    await adjustBalance(
      db().pool,
      shop.merchantId,
      { memberCode: 'WEB1', kind: 'credit', amount: 1_000, reason: 'opening', ref: 'web1-c' },
      Date.now(),
    );
    const pay = { idempotencyKey: 'pay-web-0010', memberCode: 'WEB1', orderNo: 'WEB-10', kind: 'credit', value: 600 };
    expect(await post('/v1/shop/members/redeem', pay)).toMatchObject({ status: 200, body: { balance: 400, replayed: false } });
    expect(await post('/v1/shop/members/redeem', pay)).toMatchObject({ status: 200, body: { balance: 400, replayed: true } });
    // ten orders at once for HK$6.00 each: none goes through, the account holds HK$4.00
    const racing = await Promise.all(
      Array.from({ length: 10 }, (_, i) => post('/v1/shop/members/redeem', { ...pay, idempotencyKey: `pay-web-race-${i}`, value: 600 })),
    );
    expect(racing.every((a) => a.status === 409 && a.body.error === 'INSUFFICIENT_BALANCE' && a.body.balance === 400)).toBe(true);
    expect(await balances()).toEqual({ points: 0, credit: 400 });
    const ledger = await db().pool.query<{ idem_key: string; amount: string; document: string; source: string }>(
      `SELECT e.idem_key, e.amount, e.document, e.source FROM ledger_entry e WHERE e.merchant_id = $1 AND e.reason = 'redeem'`,
      [shop.merchantId],
    );
    expect(ledger.rows).toHaveLength(1);
    expect({ amount: Number(ledger.rows[0]!.amount), document: ledger.rows[0]!.document }).toEqual({ amount: -600, document: 'WEB-10' });
    expect(ledger.rows[0]!.source).toMatch(/^shop-key:\d+$/);
  });

  it('refused without a members key, for an unknown member, and for a malformed call', async () => {
    const { shop, post } = await shopWithMember();
    const orders = await createShopKey(db().pool, shop.merchantId, { label: 'Orders only', scopes: ['orders'] }, Date.now());
    const earn = { idempotencyKey: 'earn-web-0100', memberCode: 'WEB1', orderNo: 'WEB-100', eligibleCents: 1_000 };
    expect((await post('/v1/shop/members/earn', earn, orders.key)).body).toMatchObject({ error: 'FORBIDDEN' });
    expect((await call(server.base, 'POST', '/v1/shop/members/earn', { body: earn })).status).toBe(401);
    expect((await post('/v1/shop/members/earn', { ...earn, memberCode: 'NOBODY' })).body).toMatchObject({ error: 'NOT_FOUND' });
    expect((await post('/v1/shop/members/earn', { ...earn, eligibleCents: 0 })).status).toBe(400);
    expect((await post('/v1/shop/members/redeem', { ...earn, kind: 'points', value: 100 })).status).toBe(400);
  });
});
