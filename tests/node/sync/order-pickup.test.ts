/**
 * Partial pickup and exchange against a customer order (issue 15), real registers (SQLite files,
 * sync workers) against the real cloud (Fastify + PostgreSQL): part of a prepaid order handed over
 * (the rest stays reserved; the order shows partly collected), the rest later closing it; a swap to
 * a cheaper and to a dearer item settled against the prepayment as an exchange (never paid twice,
 * never free); a pay-at-pickup order paid in parts; two registers taking the same goods (one wins);
 * and the cloud refusing figures it did not compute itself.
 */
import { describe, expect, it } from 'vitest';
import { createShopKey } from '../../../cloud/domain/shop-keys';
import type { CollectResult, CreateOrderInput, Order, TillOrder, TillOrderList } from '../../../src/shared/order-schemas';
import type { Receipt } from '../../../src/shared/checkout-schemas';
import type { Register } from '../../../src/main/register';
import { openDatabase } from '../../../src/main/db/open';
import { withTransaction } from '../../../cloud/db/tx';
import { pickupOrder } from '../../../cloud/domain/order-pickups';
import type { OrderPickupPayload } from '../../../src/shared/order-pickup';
import { BUN, MILK_TEA, WATER, call, createCloudShop, enrol, enrolmentCode, eventually, useSyncRig, TEST_TUNING } from './helpers';

const { database, server, openRegister } = useSyncRig();
const TUNING = { ...TEST_TUNING, ordersPollMs: 300 };

let counter = 0;
async function setup(initialStock = 10) {
  const shop = await createCloudShop(database().pool, { initialStock });
  merchant = shop.merchantId;
  const { key } = await createShopKey(database().pool, shop.merchantId, { label: 'Online shop', scopes: ['orders'] }, Date.now());
  const place = async (overrides: Partial<CreateOrderInput> = {}): Promise<Order> => {
    counter += 1;
    const body: CreateOrderInput = {
      orderNo: `PK${Date.now().toString(36)}${counter}`.toUpperCase(),
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
    expect(response.status).toBe(201);
    return ((await response.json()) as { order: Order }).order;
  };
  const till = async () => {
    const r = await openRegister(TUNING);
    await enrol(r.register, server.base, await enrolmentCode(database().pool, shop.store));
    return r;
  };
  return { shop, place, till };
}

async function onTill(register: Register, orderNo: string): Promise<TillOrder> {
  return eventually(
    async () => (await call<TillOrderList>(register, 'order:list', { filter: 'all' })).orders.find((o) => o.orderNo === orderNo),
    (o) => o !== undefined,
    `order ${orderNo} on the till`,
    15_000,
  ) as Promise<TillOrder>;
}

/** The merchant of the test running now: each test makes its own shop in the shared database. */
let merchant = 0;

async function cloudOnHand(sku: string): Promise<number> {
  return Number(
    (
      await database().pool.query<{ q: string }>(
        'SELECT coalesce(sum(quantity_milli), 0)::text AS q FROM stock_movement WHERE sku = $1 AND merchant_id = $2',
        [sku, merchant],
      )
    ).rows[0]?.q,
  );
}

async function cloudReserved(sku: string): Promise<number> {
  return Number(
    (
      await database().pool.query<{ q: string }>(
        `SELECT coalesce(sum(l.quantity_milli - l.collected_milli - l.released_milli), 0)::text AS q
         FROM customer_order o JOIN customer_order_line l ON l.order_id = o.id
         WHERE l.sku = $1 AND o.merchant_id = $2 AND o.status IN ('new', 'preparing', 'ready')`,
        [sku, merchant],
      )
    ).rows[0]?.q,
  );
}

async function cloudOrder(orderNo: string) {
  return (
    await database().pool.query<{ status: string; applied_paid: string; final_receipt_no: string | null; pickups: number }>(
      `SELECT o.status, o.applied_paid::text, o.final_receipt_no, (SELECT count(*)::int FROM customer_order_pickup p WHERE p.order_id = o.id) AS pickups
       FROM customer_order o WHERE o.order_no = $1`,
      [orderNo],
    )
  ).rows[0]!;
}

async function drained(register: Register): Promise<void> {
  await call(register, 'sync:now');
  await eventually(
    async () => (await call<{ pending: number }>(register, 'sync:status')).pending,
    (n) => n === 0,
    'the queue drained',
    30_000,
  );
}

async function quarantined(): Promise<{ kind: string; reason_code: string; reason: string }[]> {
  return (
    await database().pool.query<{ kind: string; reason_code: string; reason: string }>(
      'SELECT kind, reason_code, reason FROM quarantine WHERE merchant_id = $1',
      [merchant],
    )
  ).rows;
}

describe('partial pickup and exchange against an order', () => {
  it('part of a prepaid order is handed over, the rest stays reserved and shows partly collected; collecting the rest closes it', async () => {
    const { place, till } = await setup();
    const { register, dir } = await till();
    const order = await place();
    await onTill(register, order.orderNo);
    const teaBefore = await cloudOnHand(MILK_TEA.sku);

    // one of the two milk teas now: a hand-over slip, nothing to pay
    const first = await call<CollectResult>(register, 'order:pickup', {
      orderNo: order.orderNo,
      lines: [{ line: 1, collectMilli: 1000, swapMilli: 0 }],
      add: [],
    });
    expect(first).toMatchObject({ kind: 'handed-over', handoverNo: 'MK01-01-P000001' });
    expect(first.order).toMatchObject({ status: 'new', partlyCollected: true, due: 0 });
    expect(first.order.lines[0]).toMatchObject({ collectedMilli: 1000, releasedMilli: 0 });
    expect(await cloudOrder(order.orderNo)).toMatchObject({ status: 'new', applied_paid: String(MILK_TEA.price), pickups: 1 });
    expect(await cloudReserved(MILK_TEA.sku)).toBe(1000);
    expect(await cloudReserved(BUN.sku)).toBe(1000);
    expect(await cloudOnHand(MILK_TEA.sku)).toBe(teaBefore - 1000);
    await drained(register);
    // the outbox row after the cloud's direct answer is the same pickup: absorbed, not a second one
    expect(await cloudOrder(order.orderNo)).toMatchObject({ pickups: 1 });
    expect(await cloudOnHand(MILK_TEA.sku)).toBe(teaBefore - 1000);
    const reservedHere = () => {
      const db = openDatabase(`${dir}/register.db`, { checkIntegrity: false });
      try {
        return db.prepare('SELECT sku, quantity_milli AS q FROM order_reservation ORDER BY sku').all();
      } finally {
        db.close();
      }
    };
    await eventually(
      async () => reservedHere(),
      (rows) =>
        JSON.stringify(rows) ===
        JSON.stringify([
          { sku: BUN.sku, q: 1000 },
          { sku: MILK_TEA.sku, q: 1000 },
        ]),
      'the register pulls what is still reserved',
    );
    expect(await onTill(register, order.orderNo)).toMatchObject({ partlyCollected: true, pending: false });

    // taking more of a line than is left is refused before anything is handed over
    expect(
      await register.dispatch('order:pickup', { orderNo: order.orderNo, lines: [{ line: 1, collectMilli: 2000, swapMilli: 0 }], add: [] }),
    ).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });

    // the rest, scanned from the customer's phone: closes the order on a second slip
    const rest = await call<CollectResult>(register, 'order:collect', { code: `ORD:${order.orderNo}` });
    expect(rest).toMatchObject({ kind: 'handed-over', handoverNo: 'MK01-01-P000002', order: { status: 'collected' } });
    expect(await cloudOrder(order.orderNo)).toMatchObject({
      status: 'collected',
      applied_paid: String(order.total),
      final_receipt_no: 'MK01-01-P000002',
      pickups: 2,
    });
    await drained(register);
    expect(await cloudOnHand(MILK_TEA.sku)).toBe(teaBefore - 2000);
    expect(await cloudReserved(MILK_TEA.sku)).toBe(0);
    expect(await cloudReserved(BUN.sku)).toBe(0);
    expect(await register.dispatch('order:collect', { code: order.orderNo })).toMatchObject({ ok: false, error: { code: 'ORDER_FINAL' } });
    expect(await quarantined()).toEqual([]);
    const finals = await database().pool.query(
      `SELECT count(*)::int AS n FROM customer_order_event e JOIN customer_order o ON o.id = e.order_id
       WHERE o.order_no = $1 AND e.to_status = 'collected'`,
      [order.orderNo],
    );
    expect(finals.rows[0]).toEqual({ n: 1 });
  });

  it('a swap on a prepaid order is an exchange against the prepayment: cheaper pays back, dearer is charged, the swapped line is released', async () => {
    const { place, till } = await setup();
    const { register } = await till();
    // one milk tea (HK$18) and one bun (HK$8.50), all paid online
    const order = await place({
      lines: [
        { sku: MILK_TEA.sku, quantity: 1 },
        { sku: BUN.sku, quantity: 1 },
      ],
      paid: { amount: MILK_TEA.price + BUN.price, method: 'online', reference: 'PAY-2' },
    });
    await onTill(register, order.orderNo);
    const [teaBefore, waterBefore, bunBefore] = [await cloudOnHand(MILK_TEA.sku), await cloudOnHand(WATER.sku), await cloudOnHand(BUN.sku)];

    // the tea swapped for a water (HK$8): the customer gets HK$10 back; the bun stays for later
    const swap = await call<CollectResult>(register, 'order:pickup', {
      orderNo: order.orderNo,
      lines: [{ line: 1, collectMilli: 0, swapMilli: 1000 }],
      add: [{ code: WATER.barcode, quantity: 1 }],
    });
    expect(swap.kind).toBe('in-cart');
    const cart = await call<{ id: number; total: number; order: { paid: number; partial?: boolean } }>(register, 'cart:get');
    expect(cart).toMatchObject({ total: WATER.price, order: { paid: MILK_TEA.price, partial: true } });
    const receipt = await call<Receipt>(register, 'sale:complete', {
      cartId: cart.id,
      tenders: [{ method: 'cash', amount: MILK_TEA.price - WATER.price }],
    });
    expect(receipt.payments.map((p) => [p.method, p.amount])).toEqual([
      ['deposit', MILK_TEA.price],
      ['cash', -(MILK_TEA.price - WATER.price)],
    ]);
    expect(await cloudOrder(order.orderNo)).toMatchObject({ status: 'new', applied_paid: String(MILK_TEA.price), pickups: 1 });
    expect(await cloudReserved(MILK_TEA.sku)).toBe(0);
    expect(await cloudReserved(BUN.sku)).toBe(1000);
    await drained(register);
    expect(await quarantined()).toEqual([]);
    expect(await cloudOnHand(WATER.sku)).toBe(waterBefore - 1000);
    expect(await cloudOnHand(MILK_TEA.sku)).toBe(teaBefore);

    // the bun swapped for a milk tea (HK$18): HK$9.50 more to pay; the order closes with it
    await eventually(
      () => onTill(register, order.orderNo),
      (o) => !o.pending,
      'the swap confirmed on the till',
    );
    await call<CollectResult>(register, 'order:pickup', {
      orderNo: order.orderNo,
      lines: [{ line: 2, collectMilli: 0, swapMilli: 1000 }],
      add: [{ code: MILK_TEA.barcode, quantity: 1 }],
    });
    const dearer = await call<{ id: number; total: number; order: { paid: number } }>(register, 'cart:get');
    expect(dearer).toMatchObject({ total: MILK_TEA.price, order: { paid: BUN.price } });
    const second = await call<Receipt>(register, 'sale:complete', {
      cartId: dearer.id,
      tenders: [{ method: 'fps', amount: MILK_TEA.price - BUN.price, reference: 'FPS-77' }],
    });
    expect(second.payments.map((p) => [p.method, p.amount])).toEqual([
      ['deposit', BUN.price],
      ['fps', MILK_TEA.price - BUN.price],
    ]);
    expect(await cloudOrder(order.orderNo)).toMatchObject({
      status: 'collected',
      applied_paid: String(order.total),
      final_receipt_no: second.receiptNo,
    });
    await drained(register);
    expect(await quarantined()).toEqual([]);
    expect(await cloudOnHand(MILK_TEA.sku)).toBe(teaBefore - 1000);
    expect(await cloudOnHand(BUN.sku)).toBe(bunBefore);
    expect(await cloudReserved(BUN.sku)).toBe(0);
    // money: prepaid HK$26.50 all applied once; goods out HK$8 + HK$18; HK$10 back, HK$9.50 in
    const cloudSales = await database().pool.query<{ total: string }>(
      "SELECT total::text FROM sale WHERE receipt_no = ANY($1::text[]) AND channel = 'register' ORDER BY receipt_no",
      [[receipt.receiptNo, second.receiptNo]],
    );
    expect(cloudSales.rows.map((r) => Number(r.total))).toEqual([WATER.price, MILK_TEA.price]);
  });

  it('a pay-at-pickup order paid in parts: each part is a sale at the order’s prices, the order closes with the last', async () => {
    const { place, till } = await setup();
    const { register } = await till();
    const order = await place({ channel: 'whatsapp', paid: null });
    await onTill(register, order.orderNo);
    await call<CollectResult>(register, 'order:pickup', {
      orderNo: order.orderNo,
      lines: [
        { line: 1, collectMilli: 1000, swapMilli: 0 },
        { line: 2, collectMilli: 0, swapMilli: 0 },
      ],
      add: [],
    });
    const cart = await call<{ id: number; total: number; order: { paid: number } }>(register, 'cart:get');
    expect(cart).toMatchObject({ total: MILK_TEA.price, order: { paid: 0 } });
    const one = await call<Receipt>(register, 'sale:complete', { cartId: cart.id, tenders: [{ method: 'cash', amount: MILK_TEA.price }] });
    expect(one.order).toEqual({ orderNo: order.orderNo, channel: 'social' });
    expect((await onTill(register, order.orderNo)).due).toBe(MILK_TEA.price + BUN.price);
    const rest = await call<CollectResult>(register, 'order:collect', { code: order.orderNo });
    expect(rest.kind).toBe('in-cart');
    const cart2 = await call<{ id: number; total: number }>(register, 'cart:get');
    expect(cart2.total).toBe(MILK_TEA.price + BUN.price);
    const two = await call<Receipt>(register, 'sale:complete', { cartId: cart2.id, tenders: [{ method: 'cash', amount: cart2.total }] });
    expect(await cloudOrder(order.orderNo)).toMatchObject({ status: 'collected', final_receipt_no: two.receiptNo, pickups: 2 });
    await drained(register);
    expect(await quarantined()).toEqual([]);
    expect(await cloudReserved(MILK_TEA.sku)).toBe(0);
  });

  it('two registers taking the same goods at once: one hands them over, the other is told who took them', async () => {
    const { place, till } = await setup();
    const a = await till();
    const b = await till();
    const order = await place();
    for (const r of [a, b]) await onTill(r.register, order.orderNo);
    const ask = { orderNo: order.orderNo, lines: [{ line: 1, collectMilli: 2000, swapMilli: 0 }], add: [] };
    const answers = await Promise.all([a, b].map((r) => r.register.dispatch('order:pickup', ask)));
    const refused = answers.filter((x) => !x.ok);
    // Told before handing over, or (when the cloud's answer took longer than the till waits, on a
    // loaded machine) handed over offline and shown as a clash once its outbox row is refused.
    if (refused.length === 1) expect(refused[0]).toMatchObject({ ok: false, error: { code: 'ORDER_FINAL' } });
    else {
      expect(refused).toHaveLength(0);
      for (const r of [a, b]) await drained(r.register);
      const shown = await Promise.all([a, b].map((r) => onTill(r.register, order.orderNo)));
      expect(shown.filter((o) => o.conflict !== null)).toHaveLength(1);
      expect(await quarantined()).toEqual([expect.objectContaining({ kind: 'order.pickup', reason_code: 'ORDER_FINAL' })]);
    }
    expect(await cloudOrder(order.orderNo)).toMatchObject({ status: 'new', pickups: 1 });
    expect(await cloudReserved(MILK_TEA.sku)).toBe(0);
    expect(await cloudReserved(BUN.sku)).toBe(1000);
  });

  it('the cloud checks a pickup’s figures itself: a wrong prepayment, too much of a line or another register’s number are refused', async () => {
    const { shop, place, till } = await setup();
    const { register } = await till();
    const order = await place();
    await onTill(register, order.orderNo);
    const row = (
      await database().pool.query<{ id: string; code: string; store_id: string }>(
        'SELECT r.id, r.code, r.store_id FROM register r WHERE r.store_id = $1',
        [shop.store.id],
      )
    ).rows[0]!;
    const context = {
      registerId: row.id,
      registerCode: row.code,
      merchantId: shop.merchantId,
      storeId: Number(row.store_id),
      storeCode: 'MK01',
      viaPreviousToken: false,
    };
    const attempt = (pickup: Omit<OrderPickupPayload, 'orderNo'>) =>
      withTransaction(database().pool, (client) => pickupOrder(client, context, { orderNo: order.orderNo, ...pickup }, Date.now())).then(
        () => 'taken',
        (error: { code?: string }) => error.code,
      );
    const one = [{ line: 1, quantityMilli: 1000 }];
    expect(await attempt({ receiptNo: 'MK01-01-P000009', collect: one, release: [], applied: 1 })).toBe('TOTAL_MISMATCH');
    expect(await attempt({ receiptNo: 'MK01-01-P000009', collect: [{ line: 1, quantityMilli: 3000 }], release: [], applied: 0 })).toBe(
      'BAD_REQUEST',
    );
    expect(await attempt({ receiptNo: 'MK01-02-P000009', collect: one, release: [], applied: MILK_TEA.price })).toBe('BAD_REQUEST');
    expect(await attempt({ receiptNo: 'MK01-01-P000009', collect: one, release: [], applied: MILK_TEA.price })).toBe('taken');
    // the same pickup again is a replay; other content under that number is refused
    expect(await attempt({ receiptNo: 'MK01-01-P000009', collect: one, release: [], applied: MILK_TEA.price })).toBe('taken');
    expect(
      await attempt({ receiptNo: 'MK01-01-P000009', collect: [{ line: 2, quantityMilli: 1000 }], release: [], applied: BUN.price }),
    ).toBe('IDEMPOTENCY_CONFLICT');
    expect(await cloudOrder(order.orderNo)).toMatchObject({ pickups: 1, applied_paid: String(MILK_TEA.price) });
  });
});
