/**
 * What an order paid before pickup (已付訂金, payment method `deposit`) may pay for, on real
 * PostgreSQL over real sockets: a register document's deposit must name an order of its merchant
 * that has that much of its prepayment left (DEPOSIT_NOT_COVERED otherwise, quarantined with
 * nothing booked: no cash paid out, no store credit loaded), two registers spending one prepayment
 * at once get it once, the collections a till really makes apply as before and count once however
 * often they are pushed, and a hand-over slip is covered by what is left of the prepayment.
 */
import { describe, expect, it } from 'vitest';
import { upsertMember } from '../../../cloud/domain/catalogue';
import { adjustBalance } from '../../../cloud/domain/members';
import { createShopKey } from '../../../cloud/domain/shop-keys';
import type { Receipt } from '../../../src/shared/checkout-schemas';
import type { Order } from '../../../src/shared/order-schemas';
import { STORED_VALUE_METHOD } from '../../../src/shared/stored-value';
import {
  call,
  createShop,
  enrolRegister,
  pushMutations,
  receipt,
  useTestDatabase,
  useTestServer,
  type EnrolledRegister,
  type LineSpec,
  type Shop,
} from './helpers';

const db = useTestDatabase();
const server = useTestServer(db);

interface Rig {
  shop: Shop;
  key: string;
  one: EnrolledRegister;
  two: EnrolledRegister;
}

async function rig(): Promise<Rig> {
  const shop = await createShop(db().pool, { products: 3, initialStock: 20 });
  const { key } = await createShopKey(db().pool, shop.merchantId, { label: 'Online shop', scopes: ['orders'] }, Date.now());
  const one = await enrolRegister(db().pool, server.base, shop.stores[0]!);
  const two = await enrolRegister(db().pool, server.base, shop.stores[0]!);
  return { shop, key, one, two };
}

let orderCounter = 0;
/** An online order for pickup at MK of `lines` (HK$10.00 each), prepaid `paid`. */
async function placeOrder(key: string, lines: { sku: string; quantity: number }[], paid: number): Promise<Order> {
  orderCounter += 1;
  const answer = await call<{ order: Order }>(server.base, 'POST', '/v1/orders', {
    token: key,
    body: {
      orderNo: `DEP-${orderCounter}`,
      store: 'MK',
      channel: 'online',
      customer: { name: '陳大文', phone: null },
      lines,
      paid: { amount: paid, method: 'online', reference: null },
    },
  });
  expect(answer.status).toBe(201);
  return answer.body.order;
}

const payment = (method: string, amount: number, reference: string | null = null) => ({
  method,
  nameZh: method,
  nameEn: method,
  amount,
  tendered: amount,
  change: 0,
  reference,
  approvalCode: null,
  cardLast4: null,
});

/**
 * Document `n` of `till`: `lines` sold, `deposit` of it paid before pickup (naming `orderNo`, or
 * no order), the rest in cash (paid back when negative).
 */
function depositSale(till: EnrolledRegister, n: number, lines: LineSpec[], orderNo: string | null, deposit: number): Receipt {
  const doc = receipt(till, n, lines);
  const rest = doc.total - deposit;
  return {
    ...doc,
    payments: [payment('deposit', deposit, orderNo), ...(rest === 0 ? [] : [payment('cash', rest)])],
    ...(orderNo === null ? {} : { order: { orderNo, channel: 'online' as const } }),
  } as Receipt;
}

const asMutation = (seq: number, doc: Receipt) => ({ seq, kind: `document.${doc.kind}`, ref: doc.receiptNo, payload: doc });
const pickup = (
  seq: number,
  orderNo: string,
  receiptNo: string,
  collect: { line: number; quantityMilli: number }[],
  release: { line: number; quantityMilli: number }[],
  applied: number,
) => ({ seq, kind: 'order.pickup', ref: orderNo, payload: { orderNo, receiptNo, collect, release, applied } });
const slipNo = (till: EnrolledRegister, n: number) => `${till.storeCode}-${till.registerCode}-P${String(n).padStart(6, '0')}`;

async function quarantineOf(till: EnrolledRegister): Promise<{ seq: number; reason_code: string; reason: string }[]> {
  return (
    await db().pool.query<{ seq: number; reason_code: string; reason: string }>(
      'SELECT seq, reason_code, reason FROM quarantine WHERE register_id = $1 ORDER BY seq',
      [till.registerId],
    )
  ).rows;
}

/** What the cloud booked of the register's documents: sales, their payments and stock movements. */
async function booked(till: EnrolledRegister): Promise<{ sales: string[]; payments: number; movements: number }> {
  const sales = (
    await db().pool.query<{ id: string; receipt_no: string }>(
      'SELECT id, receipt_no FROM sale WHERE register_id = $1 ORDER BY receipt_no',
      [till.registerId],
    )
  ).rows;
  const ids = sales.map((s) => s.id);
  const payments = (
    await db().pool.query<{ n: number }>('SELECT count(*)::int AS n FROM sale_payment WHERE sale_id = ANY($1::bigint[])', [ids])
  ).rows[0]!.n;
  const movements = (
    await db().pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM stock_movement WHERE source = ANY(SELECT 'sale:' || unnest($1::bigint[])::text)",
      [ids],
    )
  ).rows[0]!.n;
  return { sales: sales.map((s) => s.receipt_no), payments, movements };
}

/** What the order's prepayment was taken for, per receipt. */
async function depositsOf(orderNo: string, shop: Shop): Promise<Record<string, number>> {
  const rows = (
    await db().pool.query<{ receipt_no: string; amount: string }>(
      `SELECT d.receipt_no, d.amount FROM order_deposit d JOIN customer_order o ON o.id = d.order_id
       WHERE o.merchant_id = $1 AND o.order_no = $2 ORDER BY d.receipt_no`,
      [shop.merchantId, orderNo],
    )
  ).rows;
  return Object.fromEntries(rows.map((r) => [r.receipt_no, Number(r.amount)]));
}

describe('a document paying with an order’s prepayment (已付訂金)', () => {
  it('naming no order is quarantined DEPOSIT_NOT_COVERED: no cash paid out, no store credit loaded, nothing sold', async () => {
    const { shop, one } = await rig();
    await upsertMember(db().pool, shop.merchantId, { code: 'M-DEP', name: '陳太', phone: '93337001', tier: 'standard' }, Date.now());
    await adjustBalance(
      db().pool,
      shop.merchantId,
      { memberCode: 'M-DEP', kind: 'credit', amount: 100, reason: 'opening', ref: 'open' },
      Date.now(),
    );
    // HK$10.00 of goods "paid" HK$500.00 before pickup: HK$490.00 in cash out of the drawer
    const cashOut = depositSale(one, 1, [{ sku: 'P1', quantity: 1 }], null, 50_000);
    // … or HK$290.00 loaded on a member's store credit
    const credit = {
      ...depositSale(one, 2, [{ sku: 'P1', quantity: 1 }], null, 30_000),
      member: { code: 'M-DEP', pointsEarned: 0 },
    } as Receipt;
    credit.payments = [
      payment('deposit', 30_000),
      {
        ...payment(STORED_VALUE_METHOD.credit, -29_000),
        storedValue: { kind: 'credit', units: 29_000, key: 'sv-depcredit-0001', decidedBy: 'register', balanceAfter: 0 },
      },
    ] as Receipt['payments'];
    const answer = await pushMutations(server.base, one, [asMutation(1, cashOut), asMutation(2, credit)]);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ lastAppliedSeq: 2, applied: 0, quarantined: 2, quarantinedSeqs: [1, 2] });
    expect(await quarantineOf(one)).toEqual([
      { seq: 1, reason_code: 'DEPOSIT_NOT_COVERED', reason: expect.stringContaining('names no order') as string },
      { seq: 2, reason_code: 'DEPOSIT_NOT_COVERED', reason: expect.stringContaining('names no order') as string },
    ]);
    expect(await booked(one)).toEqual({ sales: [], payments: 0, movements: 0 });
    const credited = (
      await db().pool.query<{ total: string }>(
        `SELECT coalesce(sum(e.amount), 0) AS total FROM ledger_entry e JOIN ledger_account a ON a.id = e.account_id
         JOIN member m ON m.id = a.member_id WHERE m.merchant_id = $1 AND m.code = 'M-DEP' AND a.kind = 'credit'`,
        [shop.merchantId],
      )
    ).rows[0]!;
    expect(Number(credited.total)).toBe(100);
  });

  it('naming an order of another merchant, or more than the order has left, is quarantined with the order, its prepayment and what is left', async () => {
    const { shop, key, one } = await rig();
    const other = await rig();
    const theirs = await placeOrder(other.key, [{ sku: 'P1', quantity: 3 }], 3000);
    const ours = await placeOrder(key, [{ sku: 'P1', quantity: 2 }], 2000);
    const answer = await pushMutations(server.base, one, [
      asMutation(1, depositSale(one, 1, [{ sku: 'P1', quantity: 1 }], theirs.orderNo, 3000)),
      asMutation(2, depositSale(one, 2, [{ sku: 'P1', quantity: 1 }], ours.orderNo, 5000)),
      // what the order has: applied (a pickup of one on the sale follows it in a real queue)
      asMutation(3, depositSale(one, 3, [{ sku: 'P1', quantity: 1 }], ours.orderNo, 1000)),
      // the rest of it once more than is left: HK$10.00 left, HK$15.00 paid with
      asMutation(4, depositSale(one, 4, [{ sku: 'P1', quantity: 2 }], ours.orderNo, 1500)),
    ]);
    expect(answer.body).toMatchObject({ lastAppliedSeq: 4, applied: 1, quarantined: 3, quarantinedSeqs: [1, 2, 4] });
    const reasons = await quarantineOf(one);
    expect(reasons.map((q) => [q.seq, q.reason_code])).toEqual([
      [1, 'DEPOSIT_NOT_COVERED'],
      [2, 'DEPOSIT_NOT_COVERED'],
      [4, 'DEPOSIT_NOT_COVERED'],
    ]);
    expect(reasons[0]!.reason).toContain(`order ${theirs.orderNo}, which this merchant does not have`);
    expect(reasons[1]!.reason).toContain(`order ${ours.orderNo}, which was prepaid HK$20.00: only HK$20.00 of it is left`);
    expect(reasons[2]!.reason).toContain(`order ${ours.orderNo}, which was prepaid HK$20.00: only HK$10.00 of it is left`);
    expect((await booked(one)).sales).toEqual([`${one.storeCode}-${one.registerCode}-000003`]);
    expect(await depositsOf(ours.orderNo, shop)).toEqual({ [`${one.storeCode}-${one.registerCode}-000003`]: 1000 });
    expect(await depositsOf(theirs.orderNo, other.shop)).toEqual({});
  });

  it('a return or an exchange carrying a deposit does not add up (only a sale collects an order)', async () => {
    const { key, one } = await rig();
    const order = await placeOrder(key, [{ sku: 'P1', quantity: 1 }], 1000);
    const back = receipt(one, 1, [{ sku: 'P1', quantity: -1 }], 'return');
    const refund = {
      ...back,
      payments: [payment('deposit', 0, order.orderNo), payment('cash', -1000)],
      order: { orderNo: order.orderNo, channel: 'online' },
    };
    const answer = await pushMutations(server.base, one, [asMutation(1, refund as Receipt)]);
    expect(answer.body).toMatchObject({ quarantined: 1 });
    expect(await quarantineOf(one)).toEqual([
      {
        seq: 1,
        reason_code: 'DOES_NOT_ADD_UP',
        reason: expect.stringContaining('a return carries a paid-before-pickup (deposit) payment') as string,
      },
    ]);
  });

  it('two registers spending the same prepayment at once: exactly one applies, the other is quarantined', async () => {
    const { shop, key, one, two } = await rig();
    for (let round = 0; round < 5; round += 1) {
      const order = await placeOrder(key, [{ sku: 'P1', quantity: 1 }], 1000);
      const [a, b] = await Promise.all(
        [one, two].map((till) =>
          pushMutations(server.base, till, [
            asMutation(round + 1, depositSale(till, round + 1, [{ sku: 'P1', quantity: 1 }], order.orderNo, 1000)),
          ]),
        ),
      );
      expect([a!.status, b!.status]).toEqual([200, 200]);
      expect([a!.body.applied + b!.body.applied, a!.body.quarantined + b!.body.quarantined]).toEqual([1, 1]);
      const deposits = await depositsOf(order.orderNo, shop);
      expect(Object.values(deposits)).toEqual([1000]);
    }
    const reasons = [...(await quarantineOf(one)), ...(await quarantineOf(two))];
    expect(reasons).toHaveLength(5);
    for (const q of reasons) expect(q.reason).toContain('only HK$0.00 of it is left');
  });

  it('the collections a till makes apply as before, and a replay books nothing twice', async () => {
    const { shop, key, one } = await rig();
    const n = (k: number) => `${one.storeCode}-${one.registerCode}-${String(k).padStart(6, '0')}`;
    // a prepaid order collected on a sale that the prepayment pays whole
    const whole = await placeOrder(key, [{ sku: 'P1', quantity: 1 }], 1000);
    // a deposit paid online, the rest at the counter
    const part = await placeOrder(key, [{ sku: 'P2', quantity: 2 }], 1000);
    // a swap to a dearer item: the difference paid in cash; and to a cheaper one: the difference paid back
    const dearer = await placeOrder(
      key,
      [
        { sku: 'P1', quantity: 1 },
        { sku: 'P2', quantity: 1 },
      ],
      2000,
    );
    const cheaper = await placeOrder(
      key,
      [
        { sku: 'P1', quantity: 1 },
        { sku: 'P2', quantity: 1 },
      ],
      2000,
    );
    const batch = [
      asMutation(1, depositSale(one, 1, [{ sku: 'P1', quantity: 1 }], whole.orderNo, 1000)),
      pickup(2, whole.orderNo, n(1), [{ line: 1, quantityMilli: 1000 }], [], 1000),
      asMutation(
        3,
        depositSale(
          one,
          3,
          [
            { sku: 'P1', quantity: 1 },
            { sku: 'P3', quantity: 1, unitPrice: 1500 },
          ],
          dearer.orderNo,
          2000,
        ),
      ),
      pickup(4, dearer.orderNo, n(3), [{ line: 1, quantityMilli: 1000 }], [{ line: 2, quantityMilli: 1000 }], 2000),
      asMutation(
        5,
        depositSale(
          one,
          5,
          [
            { sku: 'P1', quantity: 1 },
            { sku: 'P3', quantity: 1, unitPrice: 500 },
          ],
          cheaper.orderNo,
          2000,
        ),
      ),
      pickup(6, cheaper.orderNo, n(5), [{ line: 1, quantityMilli: 1000 }], [{ line: 2, quantityMilli: 1000 }], 2000),
      asMutation(7, depositSale(one, 7, [{ sku: 'P2', quantity: 2 }], part.orderNo, 1000)),
      {
        seq: 8,
        kind: 'order.transition',
        ref: part.orderNo,
        payload: { orderNo: part.orderNo, to: 'collected', receiptNo: n(7), reason: null },
      },
    ];
    const answer = await pushMutations(server.base, one, batch);
    expect(answer.body).toMatchObject({ lastAppliedSeq: 8, applied: 8, quarantined: 0 });
    const cash = (
      await db().pool.query<{ receipt_no: string; amount: string }>(
        `SELECT s.receipt_no, p.amount FROM sale s JOIN sale_payment p ON p.sale_id = s.id WHERE s.register_id = $1 AND p.method = 'cash' ORDER BY 1`,
        [one.registerId],
      )
    ).rows.map((r) => [r.receipt_no, Number(r.amount)]);
    expect(cash).toEqual([
      [n(3), 500],
      [n(5), -500],
      [n(7), 1000],
    ]);
    const statuses = await db().pool.query<{ status: string }>(
      'SELECT status FROM customer_order WHERE merchant_id = $1 AND order_no = ANY($2::text[])',
      [shop.merchantId, [whole.orderNo, dearer.orderNo, cheaper.orderNo, part.orderNo]],
    );
    expect(statuses.rows.map((r) => r.status)).toEqual(['collected', 'collected', 'collected', 'collected']);

    // the answer lost, the batch sent again (and again, from two cloud instances at once): nothing moves twice
    const again = await Promise.all([pushMutations(server.base, one, batch), pushMutations(server.base, one, batch)]);
    for (const a of again) expect(a.body).toMatchObject({ lastAppliedSeq: 8, applied: 0, duplicates: 8, quarantined: 0 });
    expect(await depositsOf(whole.orderNo, shop)).toEqual({ [n(1)]: 1000 });
    expect(await depositsOf(dearer.orderNo, shop)).toEqual({ [n(3)]: 2000 });
    expect(await depositsOf(cheaper.orderNo, shop)).toEqual({ [n(5)]: 2000 });
    expect(await depositsOf(part.orderNo, shop)).toEqual({ [n(7)]: 1000 });
    expect((await booked(one)).sales).toEqual([n(1), n(3), n(5), n(7)]);
  });
});

describe('a hand-over slip (goods handed over on the prepayment alone)', () => {
  it('a prepaid order handed over whole takes all of its prepayment: a sale against it later is not covered', async () => {
    const { shop, key, one, two } = await rig();
    const order = await placeOrder(key, [{ sku: 'P1', quantity: 2 }], 2000);
    const handover = slipNo(one, 1);
    const collected = await pushMutations(server.base, one, [
      {
        seq: 1,
        kind: 'order.transition',
        ref: order.orderNo,
        payload: { orderNo: order.orderNo, to: 'collected', receiptNo: handover, reason: null },
      },
    ]);
    expect(collected.body).toMatchObject({ applied: 1 });
    expect(await depositsOf(order.orderNo, shop)).toEqual({ [handover]: 2000 });
    // register 02, offline, swapped one for something cheaper and paid the difference back
    const late = await pushMutations(server.base, two, [
      asMutation(1, depositSale(two, 1, [{ sku: 'P3', quantity: 1, unitPrice: 500 }], order.orderNo, 1000)),
    ]);
    expect(late.body).toMatchObject({ applied: 0, quarantined: 1 });
    expect(await quarantineOf(two)).toEqual([
      {
        seq: 1,
        reason_code: 'DEPOSIT_NOT_COVERED',
        reason: expect.stringContaining(`order ${order.orderNo}, which was prepaid HK$20.00: only HK$0.00 of it is left`) as string,
      },
    ]);
    expect((await booked(two)).sales).toEqual([]);
  });

  it('applies when the prepayment left covers its goods, and books what it used', async () => {
    const { shop, key, one } = await rig();
    const order = await placeOrder(key, [{ sku: 'P1', quantity: 2 }], 2000);
    const answer = await pushMutations(server.base, one, [
      pickup(1, order.orderNo, slipNo(one, 1), [{ line: 1, quantityMilli: 1000 }], [], 1000),
      pickup(2, order.orderNo, slipNo(one, 2), [{ line: 1, quantityMilli: 1000 }], [], 1000),
    ]);
    expect(answer.body).toMatchObject({ applied: 2, quarantined: 0 });
    expect(await depositsOf(order.orderNo, shop)).toEqual({ [slipNo(one, 1)]: 1000, [slipNo(one, 2)]: 1000 });
    const status = await db().pool.query<{ status: string }>('SELECT status FROM customer_order WHERE merchant_id = $1 AND order_no = $2', [
      shop.merchantId,
      order.orderNo,
    ]);
    expect(status.rows[0]!.status).toBe('collected');
  });

  it('is refused when another register’s sale spent the prepayment (ORDER_REFUSED), and ORDER_FINAL once the goods are gone', async () => {
    const { shop, key, one, two } = await rig();
    const order = await placeOrder(
      key,
      [
        { sku: 'P1', quantity: 1 },
        { sku: 'P2', quantity: 1 },
      ],
      2000,
    );
    const saleNo = `${one.storeCode}-${one.registerCode}-000001`;
    // register 01 sold the bun swapped for something else on its receipt 1 (HK$10.00 of the prepayment);
    // its pickup row is still in its queue (the next batch)
    expect(
      (await pushMutations(server.base, one, [asMutation(1, depositSale(one, 1, [{ sku: 'P3', quantity: 1 }], order.orderNo, 1000))])).body,
    ).toMatchObject({ applied: 1 });
    // register 02, offline meanwhile, handed everything over on a slip: HK$20.00 of goods, HK$10.00 left
    const slip = await pushMutations(server.base, two, [
      pickup(
        1,
        order.orderNo,
        slipNo(two, 1),
        [
          { line: 1, quantityMilli: 1000 },
          { line: 2, quantityMilli: 1000 },
        ],
        [],
        2000,
      ),
    ]);
    expect(slip.body).toMatchObject({ applied: 0, quarantined: 1, quarantinedSeqs: [1] });
    const [refused] = await quarantineOf(two);
    expect(refused).toMatchObject({ reason_code: 'ORDER_REFUSED' });
    expect(refused!.reason).toContain(`hands over HK$20.00 of goods`);
    expect(refused!.reason).toContain(`of the HK$20.00 prepaid only HK$10.00 is left`);
    expect(await depositsOf(order.orderNo, shop)).toEqual({ [saleNo]: 1000 });
    // register 01's pickup lands; then register 02's slip of the rest once more: the goods are gone
    expect(
      (await pushMutations(server.base, one, [pickup(2, order.orderNo, saleNo, [], [{ line: 2, quantityMilli: 1000 }], 1000)])).body,
    ).toMatchObject({ applied: 1 });
    expect(
      (await pushMutations(server.base, one, [pickup(3, order.orderNo, slipNo(one, 1), [{ line: 1, quantityMilli: 1000 }], [], 1000)]))
        .body,
    ).toMatchObject({ applied: 1 });
    const late = await pushMutations(server.base, two, [
      pickup(2, order.orderNo, slipNo(two, 2), [{ line: 1, quantityMilli: 1000 }], [], 1000),
    ]);
    expect(late.body).toMatchObject({ quarantined: 1 });
    expect((await quarantineOf(two)).map((q) => q.reason_code)).toEqual(['ORDER_REFUSED', 'ORDER_FINAL']);
    expect(await depositsOf(order.orderNo, shop)).toEqual({ [saleNo]: 1000, [slipNo(one, 1)]: 1000 });
  });
});
