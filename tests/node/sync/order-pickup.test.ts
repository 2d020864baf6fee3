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
import { startFaultProxy } from './fault-proxy';

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

/** A fault proxy that passes everything until a test sets its mode or holds answers. */
const QUIET_LINK = { resetRate: 0, hangRate: 0, cutEvery: 0 };

interface TwoRegisters {
  a: Awaited<ReturnType<typeof openRegister>>;
  b: Awaited<ReturnType<typeof openRegister>>;
  link: Awaited<ReturnType<typeof startFaultProxy>>;
  order: Order;
}

/**
 * Register A enrolled straight to the cloud and register B through a fault proxy (`link`), an
 * order placed and on both tills; the proxy is closed after `body`.
 */
async function withTwoRegisters(body: (registers: TwoRegisters) => Promise<void>): Promise<void> {
  const { shop, place } = await setup();
  const a = await openRegister(TUNING);
  await enrol(a.register, server.base, await enrolmentCode(database().pool, shop.store));
  const link = await startFaultProxy(Number(new URL(server.base).port), QUIET_LINK);
  try {
    const b = await openRegister(TUNING);
    await enrol(b.register, link.url, await enrolmentCode(database().pool, shop.store));
    const order = await place();
    for (const r of [a, b]) await onTill(r.register, order.orderNo);
    await body({ a, b, link, order });
  } finally {
    await link.close();
  }
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

  it('a pickup the cloud took for a sale that then failed is released by the void: the next sale takes its number, and the goods are collectable again', async () => {
    const { place, till } = await setup();
    const { register, dir } = await till();
    const order = await place({ channel: 'whatsapp', paid: null });
    await onTill(register, order.orderNo);
    const oneTea = {
      orderNo: order.orderNo,
      lines: [
        { line: 1, collectMilli: 1000, swapMilli: 0 },
        { line: 2, collectMilli: 0, swapMilli: 0 },
      ],
      add: [],
    };
    await call<CollectResult>(register, 'order:pickup', oneTea);
    const cart = await call<{ id: number; total: number }>(register, 'cart:get');
    // the sale's own write fails after the cloud took the pickup (the disk, say)
    const side = openDatabase(`${dir}/register.db`, { checkIntegrity: false });
    side.exec("CREATE TRIGGER test_sale_fails BEFORE INSERT ON sale BEGIN SELECT RAISE(ABORT, 'the disk failed'); END");
    const failed = await register.dispatch('sale:complete', { cartId: cart.id, tenders: [{ method: 'cash', amount: cart.total }] });
    expect(failed.ok).toBe(false);
    const claimed = (
      await database().pool.query<{ receipt_no: string }>(
        `SELECT p.receipt_no FROM customer_order_pickup p JOIN customer_order o ON o.id = p.order_id WHERE o.order_no = $1`,
        [order.orderNo],
      )
    ).rows;
    expect(claimed).toHaveLength(1);
    side.exec('DROP TRIGGER test_sale_fails');
    side.close();

    // the customer leaves; the cashier voids the cart: the tea is to collect again on this till at once
    await call(register, 'cart:void', { reason: 'customer left' });
    expect((await onTill(register, order.orderNo)).lines[0]).toMatchObject({ collectedMilli: 0 });
    // the next sale takes the number the pickup named
    await call(register, 'cart:scan', { code: WATER.barcode });
    const water = await call<{ id: number; total: number }>(register, 'cart:get');
    const next = await call<Receipt>(register, 'sale:complete', { cartId: water.id, tenders: [{ method: 'cash', amount: water.total }] });
    expect(next.receiptNo).toBe(claimed[0]!.receipt_no);
    await drained(register);
    expect(await quarantined()).toEqual([]);
    // the cloud undid the pickup: nothing collected, the tea reserved again
    const lines = await database().pool.query<{ collected: string }>(
      `SELECT l.collected_milli::text AS collected FROM customer_order_line l JOIN customer_order o ON o.id = l.order_id
        WHERE o.order_no = $1 ORDER BY l.line`,
      [order.orderNo],
    );
    expect(lines.rows.map((r) => r.collected)).toEqual(['0', '0']);
    expect(await cloudReserved(MILK_TEA.sku)).toBe(2000);

    // the tea is picked up again and paid: collected on that sale
    await call<CollectResult>(register, 'order:pickup', oneTea);
    const again = await call<{ id: number; total: number }>(register, 'cart:get');
    const paid = await call<Receipt>(register, 'sale:complete', { cartId: again.id, tenders: [{ method: 'cash', amount: again.total }] });
    expect(paid.order).toEqual({ orderNo: order.orderNo, channel: 'social' });
    await drained(register);
    expect(await quarantined()).toEqual([]);
    const after = await database().pool.query<{ collected: string }>(
      `SELECT l.collected_milli::text AS collected FROM customer_order_line l JOIN customer_order o ON o.id = l.order_id
        WHERE o.order_no = $1 ORDER BY l.line`,
      [order.orderNo],
    );
    expect(after.rows.map((r) => r.collected)).toEqual(['1000', '0']);
    expect(await cloudReserved(MILK_TEA.sku)).toBe(1000);
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

  it('offline pickups of goods another register took are all refused by the cloud and all leave the till, the clash shown once and nothing left behind it', async () => {
    await withTwoRegisters(async ({ a, b, link, order }) => {
      // B's link is down: it hands over the two milk teas one at a time, on its own copy
      link.setMode('offline');
      const one = { orderNo: order.orderNo, lines: [{ line: 1, collectMilli: 1000, swapMilli: 0 }], add: [] };
      for (const n of [1, 2])
        expect(await call<CollectResult>(b.register, 'order:pickup', one)).toMatchObject({ handoverNo: `MK01-02-P00000${n}` });
      // meanwhile A takes both at the cloud
      await call<CollectResult>(a.register, 'order:pickup', { ...one, lines: [{ line: 1, collectMilli: 2000, swapMilli: 0 }] });
      link.setMode('pass');
      await drained(b.register);
      expect((await quarantined()).map((q) => q.reason_code)).toEqual(['ORDER_FINAL', 'ORDER_FINAL']);
      // both refused pickups left B's copy (the second used to stay pending for ever once the first had shown the clash)
      const shown = await eventually(
        () => onTill(b.register, order.orderNo),
        (o) => !o.pending && o.pickups.length === 1 && o.pickups[0]!.by === 'MK01-01',
        'B settles both refused pickups and pulls the one A made',
      );
      expect(shown).toMatchObject({ status: 'new', partlyCollected: true, conflict: { by: 'MK01-01' } });
      expect(shown.lines[0]).toMatchObject({ collectedMilli: 2000 });
      expect(shown.pickups.map((p) => [p.receiptNo, p.by])).toEqual([['MK01-01-P000001', 'MK01-01']]);
      // the cashier has seen the clash: the order is A's figures alone (the second refused pickup
      // used to hide behind the first one's clash and come back now, pending, counting a third tea)
      const seen = await call<TillOrder>(b.register, 'order:acknowledge', { orderNo: order.orderNo });
      expect(seen).toMatchObject({ conflict: null, pending: false, partlyCollected: true });
      expect(seen.lines[0]).toMatchObject({ collectedMilli: 2000 });
      expect(seen.pickups).toHaveLength(1);
      expect(await cloudOrder(order.orderNo)).toMatchObject({ status: 'new', pickups: 1 });
    });
  });

  it('a pickup refused because another register took the rest names that register, not this one, even before the pull brings it', async () => {
    await withTwoRegisters(async ({ a, b, link, order }) => {
      const oneTea = { orderNo: order.orderNo, lines: [{ line: 1, collectMilli: 1000, swapMilli: 0 }], add: [] };
      // B hands over one milk tea online: its own pickup is the last one its copy knows
      expect(await call<CollectResult>(b.register, 'order:pickup', oneTea)).toMatchObject({ handoverNo: 'MK01-02-P000001' });
      // offline, B hands over the second; meanwhile A takes it at the cloud
      link.setMode('offline');
      expect(await call<CollectResult>(b.register, 'order:pickup', oneTea)).toMatchObject({ handoverNo: 'MK01-02-P000002' });
      await call<CollectResult>(a.register, 'order:pickup', oneTea);
      // B's refusal arrives before its pull brings A's pickup (the pull's answers are held)
      link.holdAnswersTo(/\/orders\?since=/, 2_000, 'deliver');
      link.setMode('pass');
      await drained(b.register);
      expect((await quarantined()).map((q) => q.reason_code)).toEqual(['ORDER_FINAL']);
      link.holdAnswersTo(null);
      const shown = await eventually(
        () => onTill(b.register, order.orderNo),
        (o) => !o.pending && o.pickups.length === 2,
        'B settles its refused pickup and pulls the one A made',
      );
      // the clash names A, who took the tea (it used to name B itself: B's own pickup was the last it knew)
      expect(shown).toMatchObject({ status: 'new', partlyCollected: true, conflict: { by: 'MK01-01' } });
      expect(shown.pickups.map((p) => p.by)).toEqual(['MK01-02', 'MK01-01']);
    });
  });

  it('a clash shown on an order still counts this register’s own pickup the cloud took but has not listed yet; nothing more goes out until it is seen', async () => {
    await withTwoRegisters(async ({ a, b, link, order }) => {
      const bun = { orderNo: order.orderNo, lines: [{ line: 2, collectMilli: 1000, swapMilli: 0 }], add: [] };
      const oneTea = { orderNo: order.orderNo, lines: [{ line: 1, collectMilli: 1000, swapMilli: 0 }], add: [] };
      // offline, B hands over the bun and one milk tea; meanwhile A takes the bun at the cloud
      link.setMode('offline');
      expect(await call<CollectResult>(b.register, 'order:pickup', bun)).toMatchObject({ handoverNo: 'MK01-02-P000001' });
      expect(await call<CollectResult>(b.register, 'order:pickup', oneTea)).toMatchObject({ handoverNo: 'MK01-02-P000002' });
      await call<CollectResult>(a.register, 'order:pickup', bun);
      // B's push: the bun's slip is refused, the tea's taken; the pull that lists the tea's is held
      link.holdAnswersTo(/\/orders\?since=/, 5_000, 'deliver');
      link.setMode('pass');
      await drained(b.register);
      expect((await quarantined()).map((q) => q.reason_code)).toEqual(['ORDER_FINAL']);
      // the clash is shown, and the milk tea B handed over still counts (it used to be offered again)
      const during = await onTill(b.register, order.orderNo);
      expect(during.lines[0]).toMatchObject({ collectedMilli: 1000 });
      expect(during.appliedPaid).toBeGreaterThanOrEqual(MILK_TEA.price);
      expect(during.conflict).toMatchObject({ refused: ['MK01-02-P000001'] });
      // until the cashier has seen the clash, no more of the order goes out at B
      expect(await b.register.dispatch('order:pickup', oneTea)).toMatchObject({ ok: false, error: { code: 'ORDER_CLASH' } });
      link.holdAnswersTo(null);
      const pulled = await eventually(
        () => onTill(b.register, order.orderNo),
        (o) => !o.pending && o.pickups.length === 2,
        'B pulls A’s bun and its own milk tea',
      );
      expect(pulled).toMatchObject({ status: 'new', conflict: { by: 'MK01-01', refused: ['MK01-02-P000001'] } });
      expect(pulled.lines.map((l) => l.collectedMilli)).toEqual([1000, 1000]);
      // seen: the last milk tea goes out and closes the order; the bun and the first tea never again
      await call<TillOrder>(b.register, 'order:acknowledge', { orderNo: order.orderNo });
      expect(
        await b.register.dispatch('order:pickup', { ...oneTea, lines: [{ line: 1, collectMilli: 2000, swapMilli: 0 }] }),
      ).toMatchObject({
        ok: false,
        error: { code: 'BAD_REQUEST' },
      });
      expect(await call<CollectResult>(b.register, 'order:pickup', oneTea)).toMatchObject({
        handoverNo: 'MK01-02-P000003',
        order: { status: 'collected' },
      });
      await drained(b.register);
      expect(await cloudOrder(order.orderNo)).toMatchObject({ status: 'collected', applied_paid: String(order.total), pickups: 3 });
    });
  });

  it('a hand-over the cloud took while its answer was lost (and a pull brought it) is recorded here on its slip, never refused nor its number reused', async () => {
    const { shop, place } = await setup();
    const link = await startFaultProxy(Number(new URL(server.base).port), QUIET_LINK);
    try {
      const { register, dir } = await openRegister(TUNING);
      await enrol(register, link.url, await enrolmentCode(database().pool, shop.store));
      const [whole, parts, next] = [await place(), await place(), await place()];
      for (const o of [whole, parts, next]) await onTill(register, o.orderNo);
      // The cloud commits each ask, its answer is held (the quick poll pulls the order meanwhile) and then lost.
      link.holdAnswersTo(/\/orders\/[^/]+\/(status|pickups)$/, 1_500, 'cut');
      expect(await call<CollectResult>(register, 'order:collect', { code: whole.orderNo })).toMatchObject({
        kind: 'handed-over',
        handoverNo: 'MK01-01-P000001',
      });
      expect(
        await call<CollectResult>(register, 'order:pickup', {
          orderNo: parts.orderNo,
          lines: [
            { line: 1, collectMilli: 2000, swapMilli: 0 },
            { line: 2, collectMilli: 1000, swapMilli: 0 },
          ],
          add: [],
        }),
      ).toMatchObject({ kind: 'handed-over', handoverNo: 'MK01-01-P000002' });
      link.holdAnswersTo(null);
      expect(await call<CollectResult>(register, 'order:collect', { code: next.orderNo })).toMatchObject({
        handoverNo: 'MK01-01-P000003',
      });
      await drained(register);
      expect(await quarantined()).toEqual([]);
      expect(await cloudOrder(whole.orderNo)).toMatchObject({ status: 'collected', final_receipt_no: 'MK01-01-P000001' });
      expect(await cloudOrder(parts.orderNo)).toMatchObject({ status: 'collected', final_receipt_no: 'MK01-01-P000002', pickups: 1 });
      const db = openDatabase(`${dir}/register.db`, { checkIntegrity: false });
      try {
        expect(db.prepare('SELECT handover_no, order_no FROM order_handover ORDER BY seq').raw().all()).toEqual([
          ['MK01-01-P000001', whole.orderNo],
          ['MK01-01-P000002', parts.orderNo],
          ['MK01-01-P000003', next.orderNo],
        ]);
      } finally {
        db.close();
      }
    } finally {
      await link.close();
    }
  });

  it('a register refused the whole order because another took part of it keeps the order open on its copy, even when the pull came first', async () => {
    await withTwoRegisters(async ({ a, b, link, order }) => {
      // B does not hear of A's pickup of one milk tea before it scans the order
      link.setMode('offline');
      await call<CollectResult>(a.register, 'order:pickup', {
        orderNo: order.orderNo,
        lines: [{ line: 1, collectMilli: 1000, swapMilli: 0 }],
        add: [],
      });
      link.setMode('pass');
      // B asks to collect the whole order; the cloud's refusal is held until B's pull has brought A's pickup
      link.holdAnswersTo(/\/orders\/[^/]+\/status$/, 2_500, 'deliver');
      let answered = false;
      const collect = b.register.dispatch('order:collect', { code: order.orderNo }).finally(() => {
        answered = true;
      });
      await call(b.register, 'sync:now');
      await eventually(
        () => onTill(b.register, order.orderNo),
        (o) => o.pickups.length === 1,
        'B pulls A’s pickup while its question is out',
        2_400,
      );
      expect(answered).toBe(false);
      expect(await collect).toMatchObject({
        ok: false,
        error: { code: 'ORDER_FINAL', issues: expect.arrayContaining([{ path: 'finalBy', message: 'MK01-01' }]) },
      });
      link.holdAnswersTo(null);
      await drained(b.register);
      // still open on B's copy, partly collected by A (it used to be marked collected for good: no newer version came)
      expect(await onTill(b.register, order.orderNo)).toMatchObject({ status: 'new', partlyCollected: true, pending: false });
      expect(await cloudOrder(order.orderNo)).toMatchObject({ status: 'new', pickups: 1 });
    });
  });

  it('offline, the rest of an order handed over here: scanning it again is refused naming this register and its slip', async () => {
    const { shop, place } = await setup();
    const link = await startFaultProxy(Number(new URL(server.base).port), QUIET_LINK);
    try {
      const { register } = await openRegister(TUNING);
      await enrol(register, link.url, await enrolmentCode(database().pool, shop.store));
      const order = await place();
      await onTill(register, order.orderNo);
      link.setMode('offline');
      await call<CollectResult>(register, 'order:pickup', {
        orderNo: order.orderNo,
        lines: [{ line: 1, collectMilli: 1000, swapMilli: 0 }],
        add: [],
      });
      expect(await call<CollectResult>(register, 'order:collect', { code: order.orderNo })).toMatchObject({
        handoverNo: 'MK01-01-P000002',
        order: { status: 'collected', pending: true },
      });
      // the cashier is told who and on which slip (it said only "already collected")
      expect(await register.dispatch('order:collect', { code: order.orderNo })).toMatchObject({
        ok: false,
        error: {
          code: 'ORDER_FINAL',
          issues: expect.arrayContaining([
            { path: 'finalBy', message: 'MK01-01' },
            { path: 'receiptNo', message: 'MK01-01-P000002' },
          ]),
        },
      });
      link.setMode('pass');
      await drained(register);
      expect(await cloudOrder(order.orderNo)).toMatchObject({ status: 'collected', final_receipt_no: 'MK01-01-P000002', pickups: 2 });
    } finally {
      await link.close();
    }
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
