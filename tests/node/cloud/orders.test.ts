/**
 * Customer orders in the cloud (issue 15), on real PostgreSQL over real sockets: shop keys (only
 * their hash stored, scopes, revocation), prices recomputed by the cloud, idempotent creation (also
 * when the same request races itself), the state machine, two registers collecting at once (exactly
 * one wins, the others are told who), registers' pull with a gap-free cursor, and stock: reserved
 * while open, sold when a prepaid order is collected, released when cancelled.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setPrice } from '../../../cloud/domain/catalogue';
import { createShopKey, revokeShopKey } from '../../../cloud/domain/shop-keys';
import { sha256 } from '../../../cloud/domain/secrets';
import type { CreateOrderInput, Order } from '../../../src/shared/order-schemas';
import { call, createShop, enrolRegister, startServer, useTestDatabase, type EnrolledRegister, type Server, type Shop } from './helpers';

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
  tills: EnrolledRegister[];
}

async function rig(registers = 2): Promise<Rig> {
  const shop = await createShop(db().pool, { products: 3, initialStock: 10 });
  const { key } = await createShopKey(db().pool, shop.merchantId, { label: 'Online shop', scopes: ['orders'] }, Date.now());
  const tills: EnrolledRegister[] = [];
  for (let i = 0; i < registers; i += 1) tills.push(await enrolRegister(db().pool, server.base, shop.stores[0]!));
  return { shop, key, tills };
}

let orderCounter = 0;
function order(overrides: Partial<CreateOrderInput> = {}): CreateOrderInput {
  orderCounter += 1;
  return {
    orderNo: `WEB-${orderCounter}`,
    store: 'MK',
    channel: 'online',
    customer: { name: '陳大文', phone: '9123 4567' },
    lines: [
      { sku: 'P1', quantity: 2 },
      { sku: 'P2', quantity: 1 },
    ],
    paid: { amount: 3000, method: 'online', reference: 'PAY-1' },
    ...overrides,
  };
}

const create = (key: string, body: unknown) =>
  call<{ order: Order; created: boolean }>(server.base, 'POST', '/v1/orders', { token: key, body });
const move = (till: EnrolledRegister, orderNo: string, body: unknown) =>
  call<{ order: Order; error?: string; finalBy?: { name: string }; receiptNo?: string }>(
    server.base,
    'POST',
    `/v1/registers/${till.registerId}/orders/${orderNo}/status`,
    { token: till.token, body },
  );

async function onHand(shop: Shop, sku: string): Promise<number> {
  const row = await db().pool.query<{ quantity_milli: string }>(
    'SELECT quantity_milli FROM stock_on_hand WHERE store_id = $1 AND sku = $2',
    [shop.stores[0]!.id, sku],
  );
  return Number(row.rows[0]?.quantity_milli ?? 0) / 1000;
}

describe('shop keys', () => {
  it('are stored as a hash only, refuse unknown, revoked and out-of-scope keys, and name no secret in the answer', async () => {
    const { shop, key } = await rig(0);
    expect(key).toMatch(/^spk_[A-Za-z0-9_-]{43}$/);
    const stored = await db().pool.query<{ key_hash: Buffer; prefix: string }>(
      'SELECT key_hash, prefix FROM shop_key WHERE merchant_id = $1',
      [shop.merchantId],
    );
    expect(stored.rows[0]!.key_hash.equals(sha256(key))).toBe(true);
    expect(JSON.stringify(stored.rows)).not.toContain(key.slice(12));

    expect((await call(server.base, 'POST', '/v1/orders', { body: order() })).body).toMatchObject({ error: 'UNAUTHORIZED' });
    expect((await create(`spk_${'A'.repeat(43)}`, order())).body).toMatchObject({ error: 'SHOP_KEY_INVALID' });
    expect((await create('not-a-key', order())).status).toBe(401);
    const members = await createShopKey(db().pool, shop.merchantId, { label: 'Loyalty', scopes: ['members'] }, Date.now());
    expect((await create(members.key, order())).body).toMatchObject({ error: 'FORBIDDEN' });

    // A register's token is not a shop key, and a shop key is not a register's token.
    const till = await enrolRegister(db().pool, server.base, shop.stores[0]!);
    expect((await create(till.token, order())).status).toBe(401);
    expect((await call(server.base, 'GET', `/v1/registers/${till.registerId}/orders`, { token: key })).status).toBe(401);

    await revokeShopKey(db().pool, shop.merchantId, stored.rows[0]!.prefix, Date.now());
    expect((await create(key, order())).body).toMatchObject({ error: 'SHOP_KEY_REVOKED' });
  });
});

describe('creating orders', () => {
  it('prices with the cloud’s own prices, whatever the caller thinks', async () => {
    const { shop, key } = await rig(0);
    await setPrice(db().pool, shop.merchantId, 'P2', 1250, undefined, Date.now());
    const answer = await create(key, order({ paid: { amount: 3250, method: 'online', reference: null }, expectedTotal: 3250 }));
    expect(answer.status).toBe(201);
    expect(answer.body.order).toMatchObject({
      status: 'new',
      total: 3250,
      paid: 3250,
      due: 0,
      customerPhone: '9123 4567',
      lines: [
        { sku: 'P1', quantityMilli: 2000, unitPrice: 1000, amount: 2000, nameZh: '產品1' },
        { sku: 'P2', quantityMilli: 1000, unitPrice: 1250, amount: 1250 },
      ],
    });
    // A shop showing an old price, or claiming to have taken more than the order costs, is refused.
    expect((await create(key, order({ expectedTotal: 3000, paid: null }))).body).toMatchObject({
      error: 'TOTAL_MISMATCH',
      cloudTotal: 3250,
    });
    expect((await create(key, order({ paid: { amount: 9999, method: 'online', reference: null } }))).body).toMatchObject({
      error: 'TOTAL_MISMATCH',
    });
    // Prices, totals and amounts from the caller are not part of the contract at all.
    const forged = { ...order(), lines: [{ sku: 'P1', quantity: 1, unitPrice: 1 }] };
    expect((await create(key, forged)).status).toBe(400);
    expect((await create(key, order({ lines: [{ sku: 'NOPE', quantity: 1 }] }))).body).toMatchObject({ error: 'BAD_REQUEST' });
    expect((await create(key, order({ store: 'ZZZ' }))).body).toMatchObject({ error: 'NOT_FOUND' });
    expect((await create(key, order({ lines: [{ sku: 'P1', quantity: 1.0005 }] }))).status).toBe(400);
  });

  it('is idempotent by order number, also when the same request races itself; other content under that number is refused', async () => {
    const { key } = await rig(0);
    const body = order();
    const answers = await Promise.all(Array.from({ length: 8 }, () => create(key, body)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(answers.map((a) => a.body.order.version)).size).toBe(1);
    const again = await create(key, body);
    expect(again.status).toBe(200);
    expect(again.body.created).toBe(false);
    const other = await create(key, { ...body, lines: [{ sku: 'P3', quantity: 1 }] });
    expect(other.body).toMatchObject({ error: 'IDEMPOTENCY_CONFLICT' });
  });
});

describe('moving orders', () => {
  it('new → preparing → ready → collected at a register; the shop cannot collect, nobody moves it back', async () => {
    const { key, tills } = await rig(1);
    const { orderNo } = (await create(key, order())).body.order;
    const shopMove = (body: unknown) => call<{ order: Order }>(server.base, 'POST', `/v1/orders/${orderNo}/status`, { token: key, body });
    expect((await shopMove({ to: 'preparing' })).body.order.status).toBe('preparing');
    expect((await shopMove({ to: 'collected', receiptNo: 'X-1' })).body).toMatchObject({ error: 'FORBIDDEN' });
    expect((await move(tills[0]!, orderNo, { to: 'ready' })).body.order.status).toBe('ready');
    expect((await move(tills[0]!, orderNo, { to: 'preparing' })).body).toMatchObject({ error: 'ORDER_TRANSITION_INVALID' });
    expect((await move(tills[0]!, orderNo, { to: 'collected' })).body).toMatchObject({ error: 'BAD_REQUEST' });
    const collected = await move(tills[0]!, orderNo, { to: 'collected', receiptNo: 'MK-01-000007' });
    expect(collected.body.order).toMatchObject({
      status: 'collected',
      receiptNo: 'MK-01-000007',
      finalBy: { kind: 'register', name: `MK-${tills[0]!.registerCode}` },
    });
    expect((await shopMove({ to: 'cancelled', reason: 'customer asked' })).body).toMatchObject({
      error: 'ORDER_FINAL',
      status: 'collected',
    });
    const events = await db().pool.query(
      'SELECT from_status, to_status FROM customer_order_event e JOIN customer_order o ON o.id = e.order_id WHERE o.order_no = $1 ORDER BY e.id',
      [orderNo],
    );
    expect(events.rows.map((r: { from_status: string | null; to_status: string }) => `${r.from_status}→${r.to_status}`)).toEqual([
      'null→new',
      'new→preparing',
      'preparing→ready',
      'ready→collected',
    ]);
  });

  it('two registers collecting the same order at once: exactly one wins, the others are told who, the winner’s retry answers the same', async () => {
    const { key, tills } = await rig(2);
    for (let round = 0; round < 5; round += 1) {
      const { orderNo } = (await create(key, order())).body.order;
      const attempts = await Promise.all(
        Array.from({ length: 10 }, (_, i) => move(tills[i % 2]!, orderNo, { to: 'collected', receiptNo: `MK-R${i % 2}-00000${round}` })),
      );
      const won = attempts.filter((a) => a.status === 200);
      const lost = attempts.filter((a) => a.status === 409);
      // Both of the winner's requests are the same move (a retry): they both answer the order.
      const winner = won[0]!.body.order;
      expect(new Set(won.map((a) => a.body.order.receiptNo))).toEqual(new Set([winner.receiptNo]));
      expect(won.length + lost.length).toBe(10);
      expect(won.length).toBe(5);
      for (const loss of lost)
        expect(loss.body).toMatchObject({ error: 'ORDER_FINAL', finalBy: { name: winner.finalBy?.name }, receiptNo: winner.receiptNo });
      const events = await db().pool.query(
        "SELECT count(*)::int AS n FROM customer_order_event e JOIN customer_order o ON o.id = e.order_id WHERE o.order_no = $1 AND e.to_status = 'collected'",
        [orderNo],
      );
      expect(events.rows[0]).toEqual({ n: 1 });
    }
  });

  it('a register moves only its own store’s orders: another store’s till cancelling or collecting one (asked, or pushed) finds no such order', async () => {
    const { shop, key } = await rig(0);
    const other = await enrolRegister(db().pool, server.base, shop.stores[1]!); // TST, the order is MK's
    const { orderNo } = (await create(key, order())).body.order;
    const cancel = await move(other, orderNo, { to: 'cancelled', reason: 'not ours' });
    expect([cancel.status, cancel.body.error]).toEqual([404, 'NOT_FOUND']);
    const collect = await move(other, orderNo, { to: 'collected', receiptNo: `TST-${other.registerCode}-000001` });
    expect([collect.status, collect.body.error]).toEqual([404, 'NOT_FOUND']);
    const pushed = await call<{ applied: number; quarantined: number; quarantineReasons: Record<number, string> }>(
      server.base,
      'POST',
      `/v1/registers/${other.registerId}/mutations`,
      {
        token: other.token,
        body: {
          mutations: [
            { seq: 1, kind: 'order.transition', ref: orderNo, payload: { orderNo, to: 'cancelled', reason: 'not ours' } },
            {
              seq: 2,
              kind: 'order.transition',
              ref: orderNo,
              payload: { orderNo, to: 'collected', receiptNo: `TST-${other.registerCode}-000002` },
            },
          ],
        },
      },
    );
    expect(pushed.body).toMatchObject({ applied: 0, quarantined: 2, quarantineReasons: { 1: 'ORDER_REFUSED', 2: 'ORDER_REFUSED' } });
    const status = await db().pool.query<{ status: string }>('SELECT status FROM customer_order WHERE merchant_id = $1 AND order_no = $2', [
      shop.merchantId,
      orderNo,
    ]);
    expect(status.rows[0]!.status).toBe('new');
  });

  it('stock: reserved while open, sold once when a prepaid order is collected, released when cancelled; pay-at-pickup moves with the sale', async () => {
    const { shop, key, tills } = await rig(1);
    const till = tills[0]!;
    const pull = async () =>
      (
        await call<{ reserved: { sku: string; quantityMilli: number }[] }>(server.base, 'GET', `/v1/registers/${till.registerId}/orders`, {
          token: till.token,
        })
      ).body.reserved;
    const prepaid = (await create(key, order())).body.order;
    const atPickup = (await create(key, order({ paid: null, lines: [{ sku: 'P3', quantity: 4 }] }))).body.order;
    const cancelled = (await create(key, order({ paid: null, lines: [{ sku: 'P1', quantity: 1 }] }))).body.order;
    expect(atPickup.due).toBe(4000);
    expect(await pull()).toEqual([
      { sku: 'P1', quantityMilli: 3000 },
      { sku: 'P2', quantityMilli: 1000 },
      { sku: 'P3', quantityMilli: 4000 },
    ]);

    await move(till, prepaid.orderNo, { to: 'collected', receiptNo: 'MK-01-000001' });
    await move(till, prepaid.orderNo, { to: 'collected', receiptNo: 'MK-01-000001' }); // a retry moves nothing again
    expect(await onHand(shop, 'P1')).toBe(8);
    expect(await onHand(shop, 'P2')).toBe(9);
    await move(till, cancelled.orderNo, { to: 'cancelled', reason: '客人取消' });
    await move(till, atPickup.orderNo, { to: 'collected', receiptNo: 'MK-01-000002' });
    // The register's own sale of the pay-at-pickup order carries its stock; the order moves none.
    expect(await onHand(shop, 'P3')).toBe(10);
    expect(await onHand(shop, 'P1')).toBe(8);
    expect(await pull()).toEqual([]);
  });
});

describe('registers pull their store’s orders', () => {
  it('pages by a gap-free version, masks the phone, and sees every change exactly once while orders keep coming', async () => {
    const { shop, key, tills } = await rig(1);
    const till = tills[0]!;
    await createShopKey(db().pool, shop.merchantId, { label: 'Other', scopes: ['orders'] }, Date.now());
    const otherStore = (await create(key, order({ store: 'TST' }))).body.order;
    const writes = Promise.all(Array.from({ length: 30 }, () => create(key, order())));
    const seen = new Map<string, number>();
    let since = 0;
    for (let pass = 0; pass < 200; pass += 1) {
      const page = await call<{ orders: Order[]; next: number; more: boolean }>(
        server.base,
        'GET',
        `/v1/registers/${till.registerId}/orders?since=${since}&limit=7`,
        { token: till.token },
      );
      expect(page.status).toBe(200);
      for (const o of page.body.orders) {
        expect(o.version).toBeGreaterThan(since);
        seen.set(o.orderNo, o.version);
        expect(o.customerPhone).toBe('****4567');
      }
      since = page.body.next;
      if (!page.body.more && seen.size >= 30) break;
      if (!page.body.more) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await writes;
    expect(seen.size).toBe(30);
    expect(seen.has(otherStore.orderNo)).toBe(false);
    // The shop sees the phone whole.
    const full = await call<{ order: Order }>(server.base, 'GET', `/v1/orders/${[...seen.keys()][0]}`, { token: key });
    expect(full.body.order.customerPhone).toBe('9123 4567');
  });

  it('a register takes a chat order for its store, and the other register collects it', async () => {
    const { tills } = await rig(2);
    const body = order({ orderNo: 'IG-0001', channel: 'instagram', paid: { amount: 1000, method: 'fps', reference: 'DEP1' } });
    const created = await call<{ order: Order; created: boolean }>(server.base, 'POST', `/v1/registers/${tills[0]!.registerId}/orders`, {
      token: tills[0]!.token,
      body,
    });
    expect(created.status).toBe(201);
    expect(created.body.order).toMatchObject({ channel: 'instagram', paid: 1000, due: 2000, customerPhone: '****4567' });
    const collected = await move(tills[1]!, 'IG-0001', { to: 'collected', receiptNo: `MK-${tills[1]!.registerCode}-000001` });
    expect(collected.body.order.finalBy?.name).toBe(`MK-${tills[1]!.registerCode}`);
  });
});

describe('order moves pushed through registers’ outboxes', () => {
  it('200 orders, random collect / cancel at two registers, every batch delivered twice at once: each order ends in one final state, losers are quarantined, stock adds up', async () => {
    const { shop, key, tills } = await rig(2);
    const orders: Order[] = [];
    for (let i = 0; i < 200; i += 1)
      orders.push(
        (await create(key, order({ lines: [{ sku: 'P1', quantity: 1 }], paid: { amount: 1000, method: 'online', reference: null } }))).body
          .order,
      );
    const before = await onHand(shop, 'P1');
    let seed = 20261203;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const plans = tills.map((till, t) =>
      orders
        .filter(() => random() < 0.7)
        .map((o, i) => ({
          seq: i + 1,
          kind: 'order.transition',
          ref: o.orderNo,
          payload:
            random() < 0.8
              ? { orderNo: o.orderNo, to: 'collected', receiptNo: `MK-${till.registerCode}-${String(i + 1).padStart(6, '0')}` }
              : { orderNo: o.orderNo, to: 'cancelled', reason: `register ${t} cancelled` },
        })),
    );
    await Promise.all(
      tills.map(async (till, t) => {
        const plan = plans[t]!;
        for (let at = 0; at < plan.length; at += 25) {
          const batch = { mutations: plan.slice(at, at + 25) };
          const path = `/v1/registers/${till.registerId}/mutations`;
          // The same batch twice at once, as a retry racing its original: one applies it, the other replays it.
          const answers = await Promise.all([1, 2].map(() => call(server.base, 'POST', path, { token: till.token, body: batch })));
          for (const answer of answers) expect([200, 409]).toContain(answer.status);
          if (answers.every((a) => a.status !== 200)) throw new Error(JSON.stringify(answers.map((a) => a.body)));
        }
      }),
    );
    const moved = new Set(plans.flatMap((plan) => plan.map((m) => m.ref)));
    const finals = await db().pool.query<{ order_no: string; status: string; finals: number }>(
      `SELECT o.order_no, o.status, (SELECT count(*)::int FROM customer_order_event e WHERE e.order_id = o.id AND e.to_status IN ('collected', 'cancelled')) AS finals
       FROM customer_order o WHERE o.merchant_id = $1`,
      [shop.merchantId],
    );
    let collected = 0;
    for (const row of finals.rows) {
      if (moved.has(row.order_no)) {
        expect(['collected', 'cancelled']).toContain(row.status);
        expect(row.finals).toBe(1);
      } else {
        expect(row.status).toBe('new');
        expect(row.finals).toBe(0);
      }
      if (row.status === 'collected') collected += 1;
    }
    // Every move either decided its order or lost to the other register's and was quarantined.
    const quarantined = await db().pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM quarantine WHERE merchant_id = $1 AND kind = 'order.transition' AND reason_code = 'ORDER_FINAL'",
      [shop.merchantId],
    );
    const moves = plans[0]!.length + plans[1]!.length;
    expect(quarantined.rows[0]!.n).toBe(moves - moved.size);
    expect(await onHand(shop, 'P1')).toBe(before - collected);
    for (const till of tills) {
      const status = await call<{ lastAppliedSeq: number }>(server.base, 'GET', `/v1/registers/${till.registerId}`, { token: till.token });
      expect(status.body.lastAppliedSeq).toBe(plans[tills.indexOf(till)]!.length);
    }
  });
});
