/**
 * 網上訂單 at the till (issue 15) against the real cloud (Fastify + PostgreSQL on loopback) and
 * real registers with their sync workers: an online order pulled within seconds, moved through
 * the outbox exactly once, handed over when prepaid (the cloud's stock sold), paid at pickup in one
 * transaction with its sale (a deposit on the document), two registers collecting at once (one
 * wins, the other is told who), an offline collection that lost the race shown as a conflict after
 * sync, a social order taken at one till and collected at another, and a cancel that releases stock.
 */
import { describe, expect, it } from 'vitest';
import { createShopKey } from '../../../cloud/domain/shop-keys';
import type { CreateOrderInput, CollectResult, Order, TillOrder, TillOrderList } from '../../../src/shared/order-schemas';
import type { Receipt } from '../../../src/shared/checkout-schemas';
import type { RegisterStatus } from '../../../src/shared/schemas';
import { openDatabase } from '../../../src/main/db/open';
import { BUN, MILK_TEA, WATER, call, createCloudShop, enrol, enrolmentCode, eventually, useSyncRig, TEST_TUNING } from './helpers';
import { startFaultProxy } from './fault-proxy';

const { database, server, openRegister } = useSyncRig();
const TUNING = { ...TEST_TUNING, ordersPollMs: 300 };

async function shopWithKey(): Promise<{ shop: Awaited<ReturnType<typeof createCloudShop>>; key: string }> {
  const shop = await createCloudShop(database().pool, { initialStock: 10 });
  const { key } = await createShopKey(database().pool, shop.merchantId, { label: 'Online shop', scopes: ['orders'] }, Date.now());
  return { shop, key };
}

let counter = 0;
async function placeOrder(key: string, overrides: Partial<CreateOrderInput> = {}): Promise<Order> {
  counter += 1;
  const body: CreateOrderInput = {
    orderNo: `W${Date.now().toString(36)}${counter}`.toUpperCase(),
    store: 'MK01',
    channel: 'online',
    customer: { name: '陳大文', phone: '9123 4567' },
    lines: [
      { sku: MILK_TEA.sku, quantity: 2 },
      { sku: BUN.sku, quantity: 1 },
    ],
    paid: { amount: 2 * MILK_TEA.price + BUN.price, method: 'online', reference: 'PAY-1' },
    ...overrides,
  };
  const response = await fetch(`${server.base}/v1/orders`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = (await response.json()) as { order: Order };
  expect(response.status).toBe(201);
  return answer.order;
}

async function cloudOrder(orderNo: string): Promise<{ status: string; final_by_name: string | null; final_receipt_no: string | null }> {
  return (
    await database().pool.query<{ status: string; final_by_name: string | null; final_receipt_no: string | null }>(
      'SELECT status, final_by_name, final_receipt_no FROM customer_order WHERE order_no = $1',
      [orderNo],
    )
  ).rows[0]!;
}

async function cloudOnHand(sku: string): Promise<number> {
  const row = (
    await database().pool.query<{ quantity_milli: string }>(
      `SELECT coalesce(sum(quantity_milli), 0)::text AS quantity_milli FROM stock_movement WHERE sku = $1`,
      [sku],
    )
  ).rows[0];
  return Number(row?.quantity_milli ?? 0);
}

async function tillOrder(register: Parameters<typeof call>[0], orderNo: string): Promise<TillOrder | undefined> {
  const list = await call<TillOrderList>(register, 'order:list', { filter: 'all' });
  return list.orders.find((o) => o.orderNo === orderNo);
}

async function enrolled(shop: Awaited<ReturnType<typeof createCloudShop>>, cloudUrl = server.base) {
  const r = await openRegister(TUNING);
  await enrol(r.register, cloudUrl, await enrolmentCode(database().pool, shop.store));
  return r;
}

describe('online and social orders at the till', () => {
  it('an online prepaid order reaches the till within seconds, is prepared and made ready through the outbox once, and is handed over', async () => {
    const { shop, key } = await shopWithKey();
    const { register } = await enrolled(shop);
    const placed = await placeOrder(key);
    const started = Date.now();
    const seen = await eventually(
      () => tillOrder(register, placed.orderNo),
      (o) => o !== undefined,
      'the order on the till',
      10_000,
    );
    const arrivedMs = Date.now() - started;
    expect(arrivedMs).toBeLessThan(10_000);
    expect(seen).toMatchObject({ status: 'new', customerName: '陳大文', customerPhone: '****4567', due: 0, channel: 'online' });
    expect((await call<RegisterStatus>(register, 'register:status')).orders).toMatchObject({ new: 1, conflicts: 0 });

    // the pick list moves a new order to preparing; then ready
    expect(await call<TillOrder>(register, 'order:print-pick-list', { orderNo: placed.orderNo })).toMatchObject({
      status: 'preparing',
      pending: true,
    });
    await call(register, 'order:move', { orderNo: placed.orderNo, to: 'ready', reason: null });
    await eventually(
      () => cloudOrder(placed.orderNo),
      (o) => o.status === 'ready',
      'ready in the cloud',
    );
    await eventually(
      () => tillOrder(register, placed.orderNo),
      (o) => o?.status === 'ready' && !o.pending,
      'the cloud confirms ready',
    );

    // scanned from the customer's phone: handed over
    const beforeTea = await cloudOnHand(MILK_TEA.sku);
    const collected = await call<CollectResult>(register, 'order:collect', { code: `ORD:${placed.orderNo}` });
    expect(collected).toMatchObject({ kind: 'handed-over', handoverNo: 'MK01-01-P000001' });
    expect((await cloudOrder(placed.orderNo)).final_receipt_no).toBe('MK01-01-P000001');
    expect(await cloudOnHand(MILK_TEA.sku)).toBe(beforeTea - 2000);
    // the outbox row arrives after the direct answer: a replay, absorbed, never a second move
    await eventually(
      async () => (await call<{ pending: number }>(register, 'sync:status')).pending,
      (n) => n === 0,
      'the queue drains',
    );
    const events = await database().pool.query(
      `SELECT e.to_status FROM customer_order_event e JOIN customer_order o ON o.id = e.order_id WHERE o.order_no = $1 ORDER BY e.id`,
      [placed.orderNo],
    );
    expect(events.rows.map((r) => (r as { to_status: string }).to_status)).toEqual(['new', 'preparing', 'ready', 'collected']);
    const again = await register.dispatch('order:collect', { code: placed.orderNo });
    expect(again).toMatchObject({ ok: false, error: { code: 'ORDER_FINAL' } });
  });

  it('a pay-at-pickup order opens in the cart at its prices, locked, and closes with its sale in one transaction (deposit on the document)', async () => {
    const { shop, key } = await shopWithKey();
    const { register, dir } = await enrolled(shop);
    const placed = await placeOrder(key, { channel: 'instagram', paid: { amount: 1000, method: 'fps', reference: 'DEP-9' } });
    await eventually(
      () => tillOrder(register, placed.orderNo),
      (o) => o !== undefined,
      'the order on the till',
      10_000,
    );
    const result = await call<CollectResult>(register, 'order:collect', { code: placed.orderNo.toLowerCase() });
    expect(result.kind).toBe('in-cart');
    const cart = await call<{ id: number; total: number; lines: unknown[]; order: { orderNo: string; paid: number } }>(
      register,
      'cart:get',
    );
    expect(cart).toMatchObject({ total: placed.total, order: { orderNo: placed.orderNo, paid: 1000 } });
    expect(cart.lines).toHaveLength(2);
    expect(await register.dispatch('cart:scan', { code: WATER.barcode })).toMatchObject({ ok: false, error: { code: 'ORDER_LOCKED' } });

    const receipt = await call<Receipt>(register, 'sale:complete', {
      cartId: cart.id,
      tenders: [{ method: 'cash', amount: placed.total - 1000 }],
    });
    expect(receipt.order).toEqual({ orderNo: placed.orderNo, channel: 'social' });
    expect(receipt.payments.map((p) => [p.method, p.amount])).toEqual([
      ['deposit', 1000],
      ['cash', placed.total - 1000],
    ]);
    expect(await cloudOrder(placed.orderNo)).toMatchObject({
      status: 'collected',
      final_receipt_no: receipt.receiptNo,
      final_by_name: 'MK01-01',
    });
    // the sale and the order's move committed together, the move after the document it names
    const local = openDatabase(`${dir}/register.db`, { checkIntegrity: false });
    try {
      const rows = local.prepare('SELECT kind, ref FROM outbox ORDER BY seq').all() as { kind: string; ref: string }[];
      const at = rows.findIndex((r) => r.ref === receipt.receiptNo);
      expect(rows[at + 1]).toEqual({ kind: 'order.transition', ref: placed.orderNo });
      expect(local.prepare('SELECT channel, order_no FROM sale WHERE receipt_no = ?').get(receipt.receiptNo)).toEqual({
        channel: 'social',
        order_no: placed.orderNo,
      });
    } finally {
      local.close();
    }
    await eventually(
      async () => (await database().pool.query('SELECT count(*)::int AS n FROM sale WHERE receipt_no = $1', [receipt.receiptNo])).rows[0],
      (row) => (row as { n: number }).n === 1,
      'the sale in the cloud',
    );
  });

  it('two registers collecting the same order at once: exactly one succeeds, the other is told who collected it', async () => {
    const { shop, key } = await shopWithKey();
    const a = await enrolled(shop);
    const b = await enrolled(shop);
    const placed = await placeOrder(key);
    for (const r of [a, b])
      await eventually(
        () => tillOrder(r.register, placed.orderNo),
        (o) => o !== undefined,
        'the order on both tills',
        10_000,
      );
    const answers = await Promise.all([a, b].map((r) => r.register.dispatch('order:collect', { code: `ORD:${placed.orderNo}` })));
    expect(answers.filter((x) => x.ok)).toHaveLength(1);
    const loserIndex = answers.findIndex((x) => !x.ok);
    expect(answers[loserIndex]).toMatchObject({ ok: false, error: { code: 'ORDER_FINAL' } });
    const winner = loserIndex === 0 ? 'MK01-02' : 'MK01-01';
    expect((await cloudOrder(placed.orderNo)).final_by_name).toBe(winner);
    expect(await tillOrder([a, b][loserIndex]!.register, placed.orderNo)).toMatchObject({
      status: 'collected',
      finalBy: winner,
      conflict: null,
    });
  });

  it('offline, a collection that lost the race is shown as a conflict after sync, never silently', async () => {
    const { shop, key } = await shopWithKey();
    const port = Number(new URL(server.base).port);
    const proxy = await startFaultProxy(port, { resetRate: 0, hangRate: 0, cutEvery: 0 });
    try {
      const a = await enrolled(shop);
      const b = await enrolled(shop, proxy.url);
      const placed = await placeOrder(key);
      await eventually(
        () => tillOrder(b.register, placed.orderNo),
        (o) => o !== undefined,
        'the order on B',
        10_000,
      );
      proxy.setMode('offline');
      const offline = await call<CollectResult>(b.register, 'order:collect', { code: placed.orderNo });
      expect(offline).toMatchObject({ kind: 'handed-over', order: { status: 'collected', pending: true } });
      await eventually(
        () => tillOrder(a.register, placed.orderNo),
        (o) => o !== undefined,
        'the order on A',
        10_000,
      );
      await call<CollectResult>(a.register, 'order:collect', { code: placed.orderNo });
      proxy.setMode('pass');
      await call(b.register, 'sync:now');
      // The refusal shows the clash at once; who won comes with the next pull (until then the till
      // says 另一部收銀機 / another register).
      const clash = await eventually(
        () => tillOrder(b.register, placed.orderNo),
        (o) => Boolean(o?.conflict?.by),
        'the conflict on B, naming the register that won',
        20_000,
      );
      expect(clash?.conflict).toMatchObject({ status: 'collected', by: 'MK01-01' });
      expect((await call<RegisterStatus>(b.register, 'register:status')).orders?.conflicts).toBe(1);
      expect((await cloudOrder(placed.orderNo)).final_by_name).toBe('MK01-01');
      await call(b.register, 'order:acknowledge', { orderNo: placed.orderNo });
      expect((await call<RegisterStatus>(b.register, 'register:status')).orders?.conflicts).toBe(0);
    } finally {
      await proxy.close();
    }
  });

  it('a social order taken at one till is collected at another; a cancel releases its reservation everywhere', async () => {
    const { shop } = await shopWithKey();
    const a = await enrolled(shop);
    const b = await enrolled(shop);
    const made = await call<TillOrder>(a.register, 'order:create', {
      channel: 'whatsapp',
      customerName: '李小姐',
      customerPhone: '6123 8888',
      lines: [{ sku: WATER.sku, quantity: 3 }],
      paid: { amount: 3 * WATER.price, method: 'fps', reference: 'FPS123' },
      pickupOn: '2026-12-05',
      note: '',
    });
    expect(made).toMatchObject({ channel: 'whatsapp', total: 2400, due: 0, customerPhone: '****8888', status: 'new' });
    await eventually(
      () => tillOrder(b.register, made.orderNo),
      (o) => o !== undefined,
      'the social order on B',
      10_000,
    );
    expect(await call<CollectResult>(b.register, 'order:collect', { code: made.orderNo })).toMatchObject({ kind: 'handed-over' });
    await eventually(
      () => tillOrder(a.register, made.orderNo),
      (o) => o?.status === 'collected' && o.finalBy === 'MK01-02',
      'A sees B collected it',
      10_000,
    );

    const cancelled = await call<TillOrder>(a.register, 'order:create', {
      channel: 'phone',
      customerName: '張生',
      customerPhone: null,
      lines: [{ sku: BUN.sku, quantity: 4 }],
      paid: null,
      pickupOn: null,
      note: '',
    });
    const reserved = async () =>
      Number(
        (
          await database().pool.query<{ q: string }>(
            `SELECT coalesce(sum(l.quantity_milli), 0)::text AS q FROM customer_order o JOIN customer_order_line l ON l.order_id = o.id
           WHERE o.status IN ('new', 'preparing', 'ready') AND l.sku = $1
             AND o.store_id = (SELECT store_id FROM customer_order WHERE order_no = $2)`,
            [BUN.sku, cancelled.orderNo],
          )
        ).rows[0]?.q,
      );
    expect(await reserved()).toBe(4000);
    await eventually(
      () => tillOrder(b.register, cancelled.orderNo),
      (o) => o !== undefined,
      'the phone order on B',
      10_000,
    );
    const local = () => {
      const db = openDatabase(`${b.dir}/register.db`, { checkIntegrity: false });
      try {
        return (db.prepare('SELECT quantity_milli FROM order_reservation WHERE sku = ?').pluck().get(BUN.sku) as number | undefined) ?? 0;
      } finally {
        db.close();
      }
    };
    expect(local()).toBe(4000);
    expect(await a.register.dispatch('order:move', { orderNo: cancelled.orderNo, to: 'cancelled', reason: null })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
    await call(a.register, 'order:move', { orderNo: cancelled.orderNo, to: 'cancelled', reason: '客人取消' });
    await eventually(reserved, (q) => q === 0, 'the cloud released the reservation');
    await eventually(
      async () => local(),
      (q) => q === 0,
      'B released it too',
      10_000,
    );
    expect(await tillOrder(b.register, cancelled.orderNo)).toMatchObject({
      status: 'cancelled',
      finalBy: 'MK01-01',
      cancelReason: '客人取消',
    });
  });
});
