import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { Receipt } from '../../../src/shared/checkout-schemas';
import type { SalesReport } from '../../../src/shared/shift-schemas';
import { dayReportDocument } from '../../../src/main/shifts/report-document';
import type { ZReport } from '../../../src/shared/shift-schemas';
import { CASHIER, MANAGER, MILK_TEA, PINEAPPLE_BUN, WATER, useTills } from '../shifts/till';

const openTill = useTills();

const HOUR = 3_600_000;

describe('the reports screen’s figures', () => {
  it('buckets sales by Hong Kong hour and day, by product, staff and method, and folds new sales in each time', async () => {
    // 2026-11-27 09:30 Hong Kong = 01:30 UTC
    const t = await openTill({ start: Date.UTC(2026, 10, 27, 1, 30) });
    await t.login(CASHIER);
    const docs: Receipt[] = [];
    docs.push(await t.sell([MILK_TEA, MILK_TEA], { method: 'cash', extra: 300 })); // 09:30
    t.clock.advance(3 * HOUR); // 12:31
    docs.push(await t.sell([PINEAPPLE_BUN], { method: 'card' }));
    docs.push(await t.refund(docs[1]!)); // 12:32
    await t.call('cart:scan', { code: WATER });
    await t.call('cart:void', { reason: 'changed mind' });
    t.clock.advance(14 * HOUR); // next day 02:33
    docs.push(await t.sell([WATER], { method: 'octopus' }));
    await t.reg.dispatch('staff:logout', {});
    await t.login(MANAGER);

    const report = await t.call<SalesReport>('report:sales', { from: '2026-11-27', to: '2026-11-28' });
    expect(report.totals.documents).toBe(4);
    expect(report.totals.net).toBe(docs.reduce((sum, d) => sum + d.total, 0));
    expect(report.totals).toMatchObject({ returnsCount: 1, returns: 765, voids: 1, voidsValue: 800 });
    expect(report.byHour.filter((h) => h.documents > 0).map((h) => [h.hour, h.documents])).toEqual([
      [2, 1],
      [9, 1],
      [12, 2],
    ]);
    expect(report.byDay).toEqual([
      { date: '2026-11-27', documents: 3, net: 2_700 },
      { date: '2026-11-28', documents: 1, net: 800 },
    ]);
    const wider = await t.call<SalesReport>('report:sales', { from: '2026-11-26', to: '2026-11-29' });
    expect(wider.byDay.map((d) => [d.date, d.documents])).toEqual([
      ['2026-11-26', 0],
      ['2026-11-27', 3],
      ['2026-11-28', 1],
      ['2026-11-29', 0],
    ]);
    expect(report.byProduct[0]).toMatchObject({ sku: expect.any(String), nameZh: '港式奶茶', soldMilli: 2000, net: 2_700 });
    expect(report.byProduct.find((p) => p.nameZh === '菠蘿包')).toMatchObject({ soldMilli: 1000, returnedMilli: 1000, net: 0 });
    expect(report.byStaff).toEqual([{ staffId: 1, nameZh: '陳小明', nameEn: expect.any(String), documents: 4, net: 3_500 }]);
    expect(Object.fromEntries(report.byMethod.map((m) => [m.method, m.amount]))).toEqual({ cash: 2_700 - 770, card: 765, octopus: 800 }); // the card sale refunded in cash, rounded
    expect(report.byChannel).toEqual([{ channel: 'shop', documents: 4, net: 3_500 }]);

    // one day only; another register's filter has nothing here
    const first = await t.call<SalesReport>('report:sales', { from: '2026-11-28', to: '2026-11-28' });
    expect(first.totals.documents).toBe(1);
    const other = await t.call<SalesReport>('report:sales', { from: '2026-11-27', to: '2026-11-28', registerCode: '02' });
    expect(other.totals.documents).toBe(0);

    // a sale after the report is folded into the next one, once
    await t.sell([WATER], { method: 'cash' });
    const again = await t.call<SalesReport>('report:sales', { from: '2026-11-27', to: '2026-11-28' });
    expect(again.totals.documents).toBe(5);
    const twice = await t.call<SalesReport>('report:sales', { from: '2026-11-27', to: '2026-11-28' });
    expect(twice).toEqual(again);
    const db = new Database(t.reg.dbFile, { readonly: true });
    expect(db.prepare('SELECT last_sale_id FROM report_rollup_state').pluck().get()).toBe(5);
    db.close();

    expect(await t.attempt('report:sales', { from: '2026-11-28', to: '2026-11-27' })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
  });

  it('reads whole months from the monthly roll-up and the days either side by day: the same figures as the documents', async () => {
    // Sales on both sides of two month ends (Hong Kong days), and inside November.
    const t = await openTill({ start: Date.UTC(2026, 9, 31, 15, 30) }); // 2026-10-31 23:30 HK
    await t.login(CASHIER);
    await t.sell([MILK_TEA, WATER], { method: 'cash', extra: 200 });
    t.clock.advance(40 * 60_000); // 2026-11-01 00:10
    await t.sell([PINEAPPLE_BUN, MILK_TEA], { method: 'card' });
    t.clock.advance(14 * 24 * HOUR); // 2026-11-15
    const bun = await t.sell([PINEAPPLE_BUN, PINEAPPLE_BUN], { method: 'octopus' });
    await t.refund(bun);
    t.clock.advance(15 * 24 * HOUR + 23 * HOUR + 30 * 60_000); // 2026-11-30 23:41
    await t.sell([WATER, WATER, MILK_TEA], { method: 'cash', extra: 500 });
    t.clock.advance(30 * 60_000); // 2026-12-01 00:11
    await t.sell([MILK_TEA], { method: 'card' });
    await t.reg.dispatch('staff:logout', {});
    await t.login(MANAGER);

    const ranges = [
      ['2026-11-01', '2026-11-30'], // one whole month, nothing by day
      ['2026-10-31', '2026-12-01'], // a whole month and a day either side
      ['2026-11-02', '2026-11-30'], // no whole month
      ['2026-10-01', '2026-12-31'], // three whole months
      ['2026-10-15', '2026-11-15'], // a partial month either side
    ];
    const reports: SalesReport[] = [];
    for (const [from, to] of ranges) reports.push(await t.call<SalesReport>('report:sales', { from, to }));
    const db = new Database(t.reg.dbFile, { readonly: true });
    try {
      // what the documents say, grouped by Hong Kong day (no daylight saving)
      const plain = (from: string, to: string) =>
        db
          .prepare(
            `SELECT l.product_id AS productId, sum(CASE WHEN l.quantity_milli > 0 THEN l.quantity_milli ELSE 0 END) AS soldMilli,
                    sum(CASE WHEN l.quantity_milli < 0 THEN -l.quantity_milli ELSE 0 END) AS returnedMilli, sum(l.net) AS net,
                    l.category_code AS code
             FROM sale_line l JOIN sale s ON s.id = l.sale_id
             WHERE date((s.completed_at + 28800000) / 1000, 'unixepoch') BETWEEN ? AND ?
             GROUP BY l.product_id ORDER BY net DESC, productId`,
          )
          .all(from, to) as { productId: number; soldMilli: number; returnedMilli: number; net: number; code: string }[];
      ranges.forEach(([from, to], i) => {
        const expected = plain(from!, to!);
        expect(expected.length, `${from}…${to} has sales`).toBeGreaterThan(0);
        const report = reports[i]!;
        expect(
          report.byProduct.map((p) => ({ productId: p.productId, soldMilli: p.soldMilli, returnedMilli: p.returnedMilli, net: p.net })),
          `${from}…${to}`,
        ).toEqual(expected.map(({ code: _code, ...p }) => p));
        const byCategory = new Map<string, number>();
        for (const p of expected) byCategory.set(p.code, (byCategory.get(p.code) ?? 0) + p.net);
        expect(Object.fromEntries(report.byCategory.map((c) => [c.code, c.net])), `${from}…${to}`).toEqual(Object.fromEntries(byCategory));
        expect(report.totals.net).toBe(expected.reduce((sum, p) => sum + p.net, 0));
      });
    } finally {
      db.close();
    }
  });

  it('prints X and Z on the receipt printer through the print queue, a reprint marked as a copy', async () => {
    const t = await openTill({ printer: true });
    await t.login(MANAGER);
    await t.sell([MILK_TEA], { method: 'cash' });
    await t.call('report:print-x');
    const z = await t.call<ZReport>('day:close');
    await t.call('day:reprint-z', { zNo: 1 });
    await t.call('day:reprint-z', { zNo: 1 });
    const reportJobs = async () =>
      (await t.call<{ kind: string; ref: string; state: string }[]>('print:jobs')).filter((j) => j.kind === 'report');
    expect((await reportJobs()).map((j) => j.ref)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^MK01-01-X\d+$/), 'MK01-01-Z1', 'MK01-01-Z1-copy']),
    );
    expect((await reportJobs()).filter((j) => j.ref === 'MK01-01-Z1-copy')).toHaveLength(2);
    // the demo's emulated printer takes them: encoded by the same ESC/POS engine as receipts
    await expect
      .poll(async () => (await reportJobs()).map((j) => j.state), { timeout: 20_000 })
      .toEqual(['printed', 'printed', 'printed', 'printed']);
    const copy = dayReportDocument(z.totals, { storeName: '旺角店', copy: true, printedAt: 0, timeZone: 'Asia/Hong_Kong' });
    const text = JSON.stringify(copy.blocks);
    expect(text).toContain('副本 COPY');
    expect(text).toContain('Z 報表 Z Report #1');
    expect(copy.blocks.at(-1)).toEqual({ type: 'cut' });
  });
});
