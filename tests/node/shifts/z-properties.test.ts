import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Receipt } from '../../../src/shared/checkout-schemas';
import type { CountResult, DayTotals, ShiftCash, ZReport } from '../../../src/shared/shift-schemas';
import { computeDayTotals } from '../../../src/main/shifts/day-totals';
import { findDayByZ } from '../../../src/main/shifts/shift-repo';
import { CASHIER, MANAGER, MILK_TEA, PINEAPPLE_BUN, WATER, notes, useTills } from './till';

const openTill = useTills();

const saleArb = fc.record({
  codes: fc.array(fc.constantFrom(MILK_TEA, PINEAPPLE_BUN, WATER), { minLength: 1, maxLength: 4 }),
  method: fc.constantFrom('cash' as const, 'card' as const, 'octopus' as const),
  extraCash: fc.integer({ min: 0, max: 20_000 }),
  refundLater: fc.boolean(),
});

const dayArb = fc.record({
  withShift: fc.boolean(),
  float: fc.integer({ min: 0, max: 20 }),
  sales: fc.array(saleArb, { minLength: 1, maxLength: 6 }),
  payIn: fc.integer({ min: 0, max: 5_000 }),
  payOut: fc.integer({ min: 0, max: 1_000 }),
});

function sumBy<T>(items: readonly T[], f: (item: T) => number): number {
  return items.reduce((sum, item) => sum + f(item), 0);
}

function figures(t: DayTotals) {
  const { zNo: _z, closedAt: _c, ...rest } = t;
  return rest;
}

describe('Z report properties (random days, one register, one Z per day)', () => {
  it('Z totals equal the sum of the day’s documents; the X before it matches; the shift expects float + net cash ± movements', async () => {
    const t = await openTill();
    await t.login(MANAGER);
    let zNo = 0;
    await fc.assert(
      fc.asyncProperty(dayArb, async (day) => {
        const docs: Receipt[] = [];
        if (day.withShift) await t.call('shift:open', { float: notes({ 10_000: day.float }) });
        for (const sale of day.sales) {
          const receipt = await t.sell(
            sale.codes,
            sale.method === 'cash' ? { method: 'cash', extra: sale.extraCash } : { method: sale.method },
          );
          docs.push(receipt);
          if (sale.refundLater) docs.push(await t.refund(receipt));
        }
        let shift: ShiftCash | null = null;
        if (day.withShift) {
          if (day.payIn > 0) await t.call('shift:cash-movement', { kind: 'pay-in', amount: day.payIn, reason: 'float top-up' });
          const payOut = day.float * 10_000 >= day.payOut ? day.payOut : 0;
          if (payOut > 0) await t.call('shift:cash-movement', { kind: 'pay-out', amount: payOut, reason: 'delivery' });
          const count = await t.call<CountResult>('shift:count', { counted: [] });
          const cashNet = sumBy(docs, (d) =>
            sumBy(
              d.payments.filter((p) => p.method === 'cash'),
              (p) => p.amount,
            ),
          );
          expect(count.expected).toBe(day.float * 10_000 + cashNet + day.payIn - payOut);
          shift = await t.call<ShiftCash>('shift:close', { reason: 'property test' });
        }

        const x = await t.call<DayTotals>('report:x');
        expect(await t.call<DayTotals>('report:x')).toEqual(x);
        const z = (await t.call<ZReport>('day:close')).totals;
        zNo += 1;
        expect(z.zNo).toBe(zNo);
        expect(figures(z)).toEqual(figures(x));

        const lines = docs.flatMap((d) => d.lines);
        expect(z.net).toBe(sumBy(docs, (d) => d.total));
        expect(z.rounding).toBe(sumBy(docs, (d) => d.rounding));
        expect(z.gross).toBe(
          sumBy(
            lines.filter((l) => l.quantity > 0),
            (l) => l.gross,
          ),
        );
        expect(z.returns).toBe(
          0 -
            sumBy(
              lines.filter((l) => l.quantity < 0),
              (l) => l.net,
            ),
        );
        expect(z.counts).toMatchObject({
          sales: docs.filter((d) => d.kind === 'sale').length,
          returns: docs.filter((d) => d.kind === 'return').length,
          documents: docs.length,
        });
        const payments = docs.flatMap((d) => d.payments);
        for (const tender of z.tenders)
          expect(tender.amount).toBe(
            sumBy(
              payments.filter((p) => p.method === tender.method),
              (p) => p.amount,
            ),
          );
        expect(sumBy(z.tenders, (p) => p.amount)).toBe(z.net + z.rounding);
        expect(sumBy(z.staff, (s) => s.net)).toBe(z.net);
        expect(z.shifts).toHaveLength(shift ? 1 : 0);
        if (shift) expect(z.overShort).toBe(shift.overShort);
        expect(z.firstReceipt).toBe(docs[0]!.receiptNo);
        expect(z.lastReceipt).toBe(docs[docs.length - 1]!.receiptNo);
      }),
      { numRuns: 12 },
    );

    // A Z over the same data is identical: recomputed from the database it equals what was stored.
    const db = new Database(t.reg.dbFile, { readonly: true });
    try {
      for (let n = 1; n <= zNo; n++) {
        const stored = findDayByZ(db, '01', n)!;
        const again = computeDayTotals(db, {
          storeCode: 'MK01',
          day: stored,
          lastSaleId: stored.sale_id_last!,
          until: stored.closed_at!,
          zNo: n,
        });
        expect(again).toEqual(JSON.parse(stored.totals!));
      }
    } finally {
      db.close();
    }
  });

  it('lets only the roles that may: a cashier runs shifts but takes no X or Z', async () => {
    const till = await openTill();
    await till.login(CASHIER);
    for (const channel of ['report:x', 'day:close', 'day:status', 'report:sales']) {
      const payload = channel === 'report:sales' ? { from: '2026-11-01', to: '2026-11-30' } : {};
      expect(await till.attempt(channel, payload)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    expect(await till.attempt('shift:state')).toMatchObject({ ok: true });
  });
});
