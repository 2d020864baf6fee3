/**
 * Issue 11 items 7 and 8: the cloud refuses receipt numbers outside the pushing register's series
 * and documents whose arithmetic does not add up, each into quarantine with its reason (the seq
 * still advances). The cases are the ones an outside test got applied with 200.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Receipt } from '../../../src/shared/checkout-schemas';
import { lineAmount as registerLineAmount } from '../../../src/shared/money';
import { lineAmount } from '../../../cloud/domain/money';
import { revokeRegister } from '../../../cloud/domain/registers';
import {
  createShop,
  enrolRegister,
  receipt,
  pushMutations,
  useTestDatabase,
  useTestServer,
  type EnrolledRegister,
  type Shop,
} from './helpers';

const db = useTestDatabase();
const server = useTestServer(db);
let shop: Shop;

beforeAll(async () => {
  shop = await createShop(db().pool, { initialStock: 100 });
});

const push = (register: EnrolledRegister, mutations: unknown[]) => pushMutations(server.base, register, mutations);

const asMutation = (seq: number, doc: Receipt) => ({ seq, kind: `document.${doc.kind}`, ref: doc.receiptNo, payload: doc });

async function quarantineOf(register: EnrolledRegister): Promise<{ seq: number; reason_code: string; reason: string }[]> {
  return (
    await db().pool.query('SELECT seq, reason_code, reason FROM quarantine WHERE register_id = $1 ORDER BY seq', [register.registerId])
  ).rows as never;
}

describe('the receipt series (issue 11 item 7)', () => {
  it("quarantines a document numbered in another register's series, so that register's own sale still lands", async () => {
    const one = await enrolRegister(db().pool, server.base, shop.stores[0]!);
    const two = await enrolRegister(db().pool, server.base, shop.stores[0]!);
    // register 01 pushes a document numbered as register 02's first sale
    const forged = receipt(two, 1, [{ sku: 'P1', quantity: 1 }]);
    const answer = await push(one, [asMutation(1, forged)]);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ lastAppliedSeq: 1, applied: 0, quarantined: 1, quarantinedSeqs: [1] });
    expect(await quarantineOf(one)).toEqual([
      { seq: 1, reason_code: 'FOREIGN_RECEIPT_NO', reason: expect.stringContaining(`${one.storeCode}-${one.registerCode}-`) as string },
    ]);
    // register 02's genuine document with that number is applied
    const genuine = await push(two, [asMutation(1, receipt(two, 1, [{ sku: 'P1', quantity: 1 }]))]);
    expect(genuine.body).toMatchObject({ applied: 1, quarantined: 0 });
    const sale = (await db().pool.query('SELECT register_id FROM sale WHERE receipt_no = $1', [forged.receiptNo])).rows;
    expect(sale).toEqual([{ register_id: two.registerId }]);
  });

  it('refuses a number that only starts like the series', async () => {
    const register = await enrolRegister(db().pool, server.base, shop.stores[0]!);
    const doc = receipt(register, 1, [{ sku: 'P1', quantity: 1 }]);
    // register 01's code with a digit added: register 010's series
    const sneaky = { ...doc, receiptNo: `${register.storeCode}-${register.registerCode}0-000001` };
    expect((await push(register, [asMutation(1, sneaky)])).body).toMatchObject({ quarantined: 1 });
    expect((await quarantineOf(register)).map((q) => q.reason_code)).toEqual(['FOREIGN_RECEIPT_NO']);
  });
});

describe('a till enrolled again', () => {
  it('sends what it sold under its revoked enrolment: the series of a revoked register of the store is accepted, once', async () => {
    const before = await enrolRegister(db().pool, server.base, shop.stores[1]!);
    await revokeRegister(db().pool, before.registerId, Date.now());
    const after = await enrolRegister(db().pool, server.base, shop.stores[1]!);
    const sold = receipt(before, 7, [{ sku: 'P1', quantity: 1 }]);
    expect((await push(after, [asMutation(1, sold)])).body).toMatchObject({ applied: 1, quarantined: 0 });
    // an active register's series stays its own
    const active = await enrolRegister(db().pool, server.base, shop.stores[1]!);
    expect((await push(after, [asMutation(2, receipt(active, 1, [{ sku: 'P1', quantity: 1 }]))])).body).toMatchObject({
      applied: 0,
      quarantined: 1,
    });
    // a series of another store never
    const elsewhere = await enrolRegister(db().pool, server.base, shop.stores[0]!);
    expect((await push(after, [asMutation(3, receipt(elsewhere, 1, [{ sku: 'P1', quantity: 1 }]))])).body).toMatchObject({
      applied: 0,
      quarantined: 1,
    });
  });
});

describe('the arithmetic (issue 11 item 8)', () => {
  /** A correct one-line cash sale of `sku` at `unitPrice`, made by hand the way the register makes it. */
  const base = (register: EnrolledRegister, n: number) => receipt(register, n, [{ sku: 'P1', quantity: 1, unitPrice: 1800 }]);

  const forgeries: [string, (doc: Receipt) => Receipt, RegExp][] = [
    [
      'a sale with total −5,000 paid −5,000',
      (d) => ({ ...d, total: -500_000, payments: [{ ...d.payments[0]!, amount: -500_000, tendered: -500_000 }] }),
      /total/,
    ],
    [
      'a sale of total 999,999 whose only line is 1,800, paid 1',
      (d) => ({ ...d, total: 99_999_900, payments: [{ ...d.payments[0]!, amount: 100, tendered: 100 }] }),
      /total|payments/,
    ],
    [
      'a sale line with quantity −3',
      (d) => {
        const line = { ...d.lines[0]!, quantity: -3, gross: -5400, net: -5400 };
        return { ...d, lines: [line], subtotal: -5400, total: -5400, payments: [{ ...d.payments[0]!, amount: -5400, tendered: -5400 }] };
      },
      /negative quantity/,
    ],
    [
      'a gross that is not price × quantity',
      (d) => ({
        ...d,
        lines: [{ ...d.lines[0]!, gross: 100, net: 100 }],
        subtotal: 100,
        total: 100,
        payments: [{ ...d.payments[0]!, amount: 100, tendered: 100 }],
      }),
      /gross/,
    ],
    ['a net that forgets the discount', (d) => ({ ...d, lines: [{ ...d.lines[0]!, discountAmount: 500 }], discountTotal: 500 }), /net/],
    [
      'change from a card',
      (d) => ({
        ...d,
        payments: [{ ...d.payments[0]!, method: 'card', approvalCode: 'A1', cardLast4: '4242', tendered: 2800, change: 1000 }],
        change: 1000,
      }),
      /only cash gives change/,
    ],
    [
      'change that is not tendered − amount',
      (d) => ({ ...d, payments: [{ ...d.payments[0]!, tendered: 5000, change: 4000 }], change: 4000 }),
      /change/,
    ],
    ['rounding of HK$3', (d) => ({ ...d, rounding: 300, payments: [{ ...d.payments[0]!, amount: 2100, tendered: 2100 }] }), /rounding/],
    [
      'rounding paid by card',
      (d) => ({
        ...d,
        rounding: 2,
        payments: [{ ...d.payments[0]!, method: 'card', approvalCode: 'A1', cardLast4: '4242', amount: 1802, tendered: 1802 }],
      }),
      /rounding/,
    ],
    ['a subtotal that is not the lines', (d) => ({ ...d, subtotal: 99 }), /subtotal/],
    [
      'a promotion that takes more than the line',
      (d) => ({
        ...d,
        lines: [{ ...d.lines[0]!, promotions: [{ id: 1, nameZh: '促銷', nameEn: 'Promo', amount: 2000 }], net: -200 }],
        promotionTotal: 2000,
        total: -200,
        payments: [{ ...d.payments[0]!, amount: -200, tendered: -200 }],
      }),
      /more than the line|negative/,
    ],
    [
      'a return that refunds more than it names',
      (d) => {
        const line = { ...d.lines[0]!, quantity: -1, gross: -90_000, net: -90_000, returnableQuantity: 0 };
        return {
          ...d,
          kind: 'return',
          lines: [line],
          subtotal: -90_000,
          total: -90_000,
          payments: [{ ...d.payments[0]!, amount: -90_000, tendered: -90_000 }],
        };
      },
      /refunds/,
    ],
  ];

  it.each(forgeries)('quarantines %s with the reason, and the queue moves on', async (_name, forge, reason) => {
    const register = await enrolRegister(db().pool, server.base, shop.stores[0]!);
    const forged = forge(base(register, 1));
    const answer = await push(register, [asMutation(1, forged), asMutation(2, base(register, 2))]);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ lastAppliedSeq: 2, applied: 1, quarantined: 1, quarantinedSeqs: [1] });
    const [entry] = await quarantineOf(register);
    expect(entry?.reason_code).toBe('DOES_NOT_ADD_UP');
    expect(entry?.reason).toMatch(reason);
    const sales = (await db().pool.query('SELECT register_seq FROM sale WHERE register_id = $1', [register.registerId])).rows;
    expect(sales).toEqual([{ register_seq: 2 }]);
  });

  it("computes a line's gross exactly as the register does (price × quantity, rounded once)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000_000 }), fc.integer({ min: -10_000_000, max: 10_000_000 }), (price, milli) => {
        expect(lineAmount(price, milli)).toBe(registerLineAmount(price, milli / 1000));
      }),
      { numRuns: 2000 },
    );
    expect(lineAmount(8550, 455)).toBe(3890);
    expect(lineAmount(1e12, 10_000_000)).toBe(1e16);
  });
});
