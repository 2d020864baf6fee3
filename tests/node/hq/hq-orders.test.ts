/**
 * 網上及社交訂單 in the head office console (issue 15), on real PostgreSQL over real sockets: an
 * entered chat order is priced by the cloud (the store's own price), refused when the quote moved,
 * pulled by the store's register; a store manager sees and moves only their stores' orders; a
 * viewer is refused every write at the API; cancelling (with a reason) releases the reservation;
 * collecting stays the till's; every change is audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setStorePrice } from '../../../cloud/domain/store-prices';
import type { OrderDetail, OrderListPage, OrderQuote } from '../../../cloud/hq/contract';
import type { OrderPullPage } from '../../../src/shared/order-schemas';
import { call, createShop, enrolRegister, useTestDatabase, type EnrolledRegister, type Shop } from '../cloud/helpers';
import { HqClient, addUser, startHq } from './hq-helpers';

const database = useTestDatabase();
let server: Awaited<ReturnType<typeof startHq>>;
let shop: Shop;
let till: EnrolledRegister;

beforeAll(async () => {
  server = await startHq(database().pool, { now: () => Date.now() });
  shop = await createShop(database().pool, { products: 3, initialStock: 10 });
  till = await enrolRegister(database().pool, server.base, shop.stores[0]!);
  // Mong Kok sells P1 at its own price from now on: HK$12.00, not the merchant's HK$10.00 (set before).
  const now = Date.now();
  await setStorePrice(database().pool, shop.merchantId, { storeId: shop.stores[0]!.id, sku: 'P1', price: 1200, validFrom: now }, now);
  await addUser(database().pool, shop.merchantId, 'owner@orders.hk', 'owner');
  await addUser(database().pool, shop.merchantId, 'mk@orders.hk', 'store_manager', [shop.stores[0]!.id]);
  await addUser(database().pool, shop.merchantId, 'viewer@orders.hk', 'viewer');
});
afterAll(async () => {
  await server?.close();
});

async function as(email: string): Promise<HqClient> {
  const client = new HqClient(server.base);
  expect((await client.login(email)).status).toBe(200);
  return client;
}

let counter = 0;
function entry(storeIndex: number, overrides: Record<string, unknown> = {}) {
  counter += 1;
  return {
    orderNo: `HQ-T${counter}`,
    storeId: shop.stores[storeIndex]!.id,
    channel: 'whatsapp',
    customerName: '陳小姐',
    customerPhone: '9123 4567',
    lines: [
      { sku: 'P1', quantity: 2 },
      { sku: 'P2', quantity: 1 },
    ],
    payment: null,
    expectedTotal: 3400,
    pickupOn: null,
    note: '',
    ...overrides,
  };
}

async function reserved(): Promise<OrderPullPage['reserved']> {
  const answer = await call<OrderPullPage>(server.base, 'GET', `/v1/registers/${till.registerId}/orders`, { token: till.token });
  return answer.body.reserved;
}

async function auditActions(target: string): Promise<string[]> {
  const rows = await database().pool.query<{ action: string }>(
    'SELECT action FROM hq_audit WHERE merchant_id = $1 AND target = $2 ORDER BY id',
    [shop.merchantId, target],
  );
  return rows.rows.map((r) => r.action);
}

describe('entering a chat order in the console', () => {
  it('is priced by the cloud at the store’s own prices; a stale quote is refused; the entered order reaches the store’s register', async () => {
    const owner = await as('owner@orders.hk');
    const quote = await owner.request('POST', '/hq/api/orders/quote', { storeId: shop.stores[0]!.id, lines: entry(0).lines });
    expect(quote.status).toBe(200);
    const priced = quote.body as unknown as OrderQuote;
    expect(priced.lines.map((l) => [l.sku, l.unitPrice, l.amount])).toEqual([
      ['P1', 1200, 2400],
      ['P2', 1000, 1000],
    ]);
    expect(priced.total).toBe(3400);

    // What the client thinks the total is never counts: a different figure is refused with the cloud's.
    const stale = await owner.request('POST', '/hq/api/orders', entry(0, { expectedTotal: 3000 }));
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ error: 'TOTAL_MISMATCH', cloudTotal: 3400 });

    const body = entry(0, { payment: { method: 'fps', reference: 'FPS-778' }, pickupOn: '2026-12-24' });
    const created = await owner.request('POST', '/hq/api/orders', body);
    expect(created.status).toBe(201);
    const detail = created.body as unknown as OrderDetail;
    expect(detail.order).toMatchObject({ status: 'new', channel: 'whatsapp', storeCode: 'MK', total: 3400, paid: 3400, due: 0 });
    expect(detail.order.customerPhone).toBe('****4567');
    expect(detail.payments).toEqual([{ when: 'prepaid', method: 'fps', amount: 3400, reference: 'FPS-778' }]);
    expect(detail.history).toEqual([expect.objectContaining({ from: null, to: 'new', by: 'HQ owner' })]);
    // The same request again (a retried click) answers the same order and writes nothing more.
    const again = await owner.request('POST', '/hq/api/orders', body);
    expect(again.status).toBe(200);
    expect(await auditActions(body.orderNo)).toEqual(['order.create']);

    const pulled = await call<OrderPullPage>(server.base, 'GET', `/v1/registers/${till.registerId}/orders`, { token: till.token });
    const atTill = pulled.body.orders.find((o) => o.orderNo === body.orderNo);
    expect(atTill).toMatchObject({ total: 3400, paid: 3400, customerPhone: '****4567', channel: 'whatsapp' });
  });

  it('refuses a SKU the catalogue lacks, naming the line', async () => {
    const owner = await as('owner@orders.hk');
    const answer = await owner.request('POST', '/hq/api/orders/quote', {
      storeId: shop.stores[0]!.id,
      lines: [{ sku: 'NOPE', quantity: 1 }],
    });
    expect(answer.status).toBe(400);
    expect(answer.body.issues).toEqual([{ path: 'lines.0.sku', message: 'NOPE is not in the catalogue' }]);
  });
});

describe('who sees and moves which orders', () => {
  it('a store manager lists, reads and moves only their stores’ orders; filters narrow the list', async () => {
    const owner = await as('owner@orders.hk');
    const mkOrder = entry(0, { channel: 'instagram' });
    const tstOrder = entry(1, { channel: 'phone', expectedTotal: 3000 });
    expect((await owner.request('POST', '/hq/api/orders', mkOrder)).status).toBe(201);
    expect((await owner.request('POST', '/hq/api/orders', tstOrder)).status).toBe(201);

    const manager = await as('mk@orders.hk');
    const list = (await manager.request('GET', '/hq/api/orders')).body as unknown as OrderListPage;
    expect(new Set(list.orders.map((o) => o.storeCode))).toEqual(new Set(['MK']));
    expect(list.orders.map((o) => o.orderNo)).toContain(mkOrder.orderNo);
    expect((await manager.request('GET', `/hq/api/orders/${tstOrder.orderNo}`)).status).toBe(404);
    expect((await manager.request('GET', `/hq/api/orders?storeId=${shop.stores[1]!.id}`)).status).toBe(404);
    expect((await manager.request('POST', `/hq/api/orders/${tstOrder.orderNo}/status`, { to: 'preparing' })).status).toBe(404);
    expect((await manager.request('POST', '/hq/api/orders', entry(1, { expectedTotal: 3000 }))).status).toBe(404);
    const moved = await manager.request('POST', `/hq/api/orders/${mkOrder.orderNo}/status`, { to: 'preparing' });
    expect(moved.status).toBe(200);
    expect((moved.body as unknown as OrderDetail).order.status).toBe('preparing');

    const all = (await owner.request('GET', '/hq/api/orders')).body as unknown as OrderListPage;
    expect(new Set(all.orders.map((o) => o.storeCode))).toEqual(new Set(['MK', 'TST']));
    const row = all.orders.find((o) => o.orderNo === tstOrder.orderNo);
    expect(row).toMatchObject({ channel: 'phone', customerPhone: '****4567', items: 2, total: 3000, paid: 0, status: 'new' });
    const phone = (await owner.request('GET', '/hq/api/orders?channel=phone')).body as unknown as OrderListPage;
    expect(phone.orders.map((o) => o.orderNo)).toEqual([tstOrder.orderNo]);
    const preparing = (await owner.request('GET', '/hq/api/orders?status=preparing')).body as unknown as OrderListPage;
    expect(preparing.orders.map((o) => o.orderNo)).toEqual([mkOrder.orderNo]);
    const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const none = (await owner.request('GET', `/hq/api/orders?from=${tomorrow}`)).body as unknown as OrderListPage;
    expect(none).toMatchObject({ orders: [], count: 0 });
  });

  it('a viewer reads orders but every write is refused at the API', async () => {
    const owner = await as('owner@orders.hk');
    const body = entry(0);
    expect((await owner.request('POST', '/hq/api/orders', body)).status).toBe(201);
    const viewer = await as('viewer@orders.hk');
    expect((await viewer.request('GET', '/hq/api/orders')).status).toBe(200);
    expect((await viewer.request('GET', `/hq/api/orders/${body.orderNo}`)).status).toBe(200);
    for (const [path, payload] of [
      ['/hq/api/orders', entry(0)],
      ['/hq/api/orders/quote', { storeId: shop.stores[0]!.id, lines: body.lines }],
      [`/hq/api/orders/${body.orderNo}/status`, { to: 'cancelled', reason: 'test' }],
    ] as const) {
      const answer = await viewer.request('POST', path, payload);
      expect(answer.status).toBe(403);
      expect(answer.body.error).toBe('PERMISSION_DENIED');
    }
    expect(await auditActions(body.orderNo)).toEqual(['order.create']);
  });
});

describe('moving an order from the console', () => {
  it('cancelling needs a reason, releases the reservation, is final and audited; collecting is the till’s', async () => {
    const owner = await as('owner@orders.hk');
    const body = entry(0, { lines: [{ sku: 'P3', quantity: 4 }], expectedTotal: 4000 });
    expect((await owner.request('POST', '/hq/api/orders', body)).status).toBe(201);
    const p3 = async () => (await reserved()).find((r) => r.sku === 'P3')?.quantityMilli ?? 0;
    expect(await p3()).toBe(4000);

    expect((await owner.request('POST', `/hq/api/orders/${body.orderNo}/status`, { to: 'collected' })).status).toBe(400);
    const noReason = await owner.request('POST', `/hq/api/orders/${body.orderNo}/status`, { to: 'cancelled' });
    expect(noReason.status).toBe(400);

    // A register moves it first: the history names the register.
    await call(server.base, 'POST', `/v1/registers/${till.registerId}/orders/${body.orderNo}/status`, {
      token: till.token,
      body: { to: 'ready' },
    });
    const cancelled = await owner.request('POST', `/hq/api/orders/${body.orderNo}/status`, { to: 'cancelled', reason: '客人改變主意' });
    expect(cancelled.status).toBe(200);
    const detail = cancelled.body as unknown as OrderDetail;
    expect(detail.order).toMatchObject({
      status: 'cancelled',
      cancelReason: '客人改變主意',
      finalBy: { kind: 'console', name: 'HQ owner' },
    });
    expect(detail.history.map((e) => [e.from, e.to, e.by, e.reason])).toEqual([
      [null, 'new', 'HQ owner', null],
      ['new', 'ready', `MK-${till.registerCode}`, null],
      ['ready', 'cancelled', 'HQ owner', '客人改變主意'],
    ]);
    expect(await p3()).toBe(0);
    const audit = await database().pool.query<{ action: string; before: unknown; after: unknown }>(
      "SELECT action, before, after FROM hq_audit WHERE target = $1 AND action = 'order.status'",
      [body.orderNo],
    );
    expect(audit.rows).toEqual([
      { action: 'order.status', before: { status: 'ready' }, after: { status: 'cancelled', reason: '客人改變主意' } },
    ]);

    // Final: nobody moves it again, and the register's pull names who cancelled it.
    const late = await owner.request('POST', `/hq/api/orders/${body.orderNo}/status`, { to: 'preparing' });
    expect(late.status).toBe(409);
    expect(late.body.error).toBe('ORDER_FINAL');
    const pulled = await call<OrderPullPage>(server.base, 'GET', `/v1/registers/${till.registerId}/orders`, { token: till.token });
    expect(pulled.body.orders.find((o) => o.orderNo === body.orderNo)?.finalBy).toEqual({ kind: 'console', name: 'HQ owner' });
  });
});
