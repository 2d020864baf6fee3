/**
 * Report days and hours are the store's (setting `store.timeZone`), not a fixed UTC+8: a sale near
 * midnight counts on the store's calendar day, daylight saving gives a day 23 or 25 hours, and a
 * change of zone rebuilds the roll-ups.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { SalesReport } from '../../../src/shared/shift-schemas';
import { storeDayNumber, storeHourOfDay, storeHourStart } from '../../../src/main/reports/rollup';
import { CASHIER, MANAGER, WATER, useTills, type Till } from '../shifts/till';

const openTill = useTills();
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Sells one item at each instant (the till's clock moved forward to it), then logs the manager in. */
async function sellAt(t: Till, instants: readonly number[]): Promise<void> {
  await t.login(CASHIER);
  for (const at of instants) {
    t.clock.advance(at - t.clock.now());
    await t.sell([WATER], { method: 'octopus' });
  }
  await t.reg.dispatch('staff:logout', {});
  await t.login(MANAGER);
}

const report = (t: Till, from: string, to = from) => t.call<SalesReport>('report:sales', { from, to });
const hoursWithSales = (r: SalesReport) => r.byHour.filter((h) => h.documents > 0).map((h) => [h.hour, h.documents]);
const days = (r: SalesReport) => r.byDay.map((d) => [d.date, d.documents]);

describe('report days and hours in the store’s time zone', () => {
  it('New York: 23:50 counts on that day, 00:10 on the next, in every breakdown', async () => {
    const lateEvening = Date.UTC(2026, 10, 28, 4, 50); // 2026-11-27 23:50 in New York (EST, UTC−5), 12:50 on the 28th in Hong Kong
    const t = await openTill({ start: lateEvening - HOUR, timeZone: 'America/New_York' });
    await sellAt(t, [lateEvening, lateEvening + 20 * MINUTE]);

    const first = await report(t, '2026-11-27');
    expect(first.totals.documents).toBe(1);
    expect(hoursWithSales(first)).toEqual([[23, 1]]);
    expect(days(first)).toEqual([['2026-11-27', 1]]);
    expect(first.byStaff.map((s) => s.documents)).toEqual([1]);
    expect(first.byMethod.map((m) => [m.method, m.payments])).toEqual([['octopus', 1]]);
    expect(first.byProduct.map((p) => p.soldMilli)).toEqual([1000]);

    const second = await report(t, '2026-11-28');
    expect(second.totals.documents).toBe(1);
    expect(hoursWithSales(second)).toEqual([[0, 1]]);
    expect(second.byStaff.map((s) => s.documents)).toEqual([1]);
    expect(days(await report(t, '2026-11-27', '2026-11-28'))).toEqual([
      ['2026-11-27', 1],
      ['2026-11-28', 1],
    ]);
  });

  it('Hong Kong: 23:50 and 00:10 fall on their own Hong Kong days', async () => {
    const lateEvening = Date.UTC(2026, 10, 27, 15, 50); // 23:50 in Hong Kong
    const t = await openTill({ start: lateEvening - HOUR, timeZone: 'Asia/Hong_Kong' });
    await sellAt(t, [lateEvening, lateEvening + 20 * MINUTE]);
    const both = await report(t, '2026-11-27', '2026-11-28');
    expect(days(both)).toEqual([
      ['2026-11-27', 1],
      ['2026-11-28', 1],
    ]);
    expect(hoursWithSales(both)).toEqual([
      [0, 1],
      [23, 1],
    ]);
    expect((await report(t, '2026-11-27')).byStaff.map((s) => s.documents)).toEqual([1]);
  });

  it('daylight saving: 8 March 2026 has 23 hours and 1 November 25 in New York, each a single day', async () => {
    const springStart = Date.UTC(2026, 2, 8, 5, 0); // 2026-03-08 00:00 EST
    const t = await openTill({ start: springStart - HOUR, timeZone: 'America/New_York' });
    await sellAt(t, [
      springStart + 30 * MINUTE, // 00:30 EST
      Date.UTC(2026, 2, 8, 7, 30), // 03:30 EDT (02:00 never happened)
      Date.UTC(2026, 2, 9, 3, 50), // 23:50 EDT, still the 8th
      Date.UTC(2026, 2, 9, 4, 10), // 00:10 EDT on the 9th
      Date.UTC(2026, 10, 1, 4, 30), // 1 November 00:30 EDT
      Date.UTC(2026, 10, 1, 5, 30), // 01:30 EDT
      Date.UTC(2026, 10, 1, 6, 30), // 01:30 again, now EST
      Date.UTC(2026, 10, 2, 4, 50), // 23:50 EST, still the 1st
      Date.UTC(2026, 10, 2, 5, 10), // 00:10 EST on the 2nd
    ]);
    const spring = await report(t, '2026-03-08');
    expect(spring.totals.documents).toBe(3);
    expect(hoursWithSales(spring)).toEqual([
      [0, 1],
      [3, 1],
      [23, 1],
    ]);
    expect(spring.byStaff.map((s) => s.documents)).toEqual([3]);
    expect(days(await report(t, '2026-03-07', '2026-03-09'))).toEqual([
      ['2026-03-07', 0],
      ['2026-03-08', 3],
      ['2026-03-09', 1],
    ]);

    const autumn = await report(t, '2026-11-01');
    expect(autumn.totals.documents).toBe(4);
    expect(hoursWithSales(autumn)).toEqual([
      [0, 1],
      [1, 2],
      [23, 1],
    ]);
    expect(autumn.byMethod.map((m) => m.payments)).toEqual([4]);
    expect(days(await report(t, '2026-10-31', '2026-11-02'))).toEqual([
      ['2026-10-31', 0],
      ['2026-11-01', 4],
      ['2026-11-02', 1],
    ]);
    // the two 01:00 hours of the autumn night are two buckets, each starting at 01:00 on the wall clock
    const db = new Database(t.reg.dbFile, { readonly: true });
    try {
      const starts = db.prepare('SELECT hour_start FROM report_hour ORDER BY 1').pluck().all();
      expect(starts).toEqual(expect.arrayContaining([Date.UTC(2026, 10, 1, 5), Date.UTC(2026, 10, 1, 6)]));
    } finally {
      db.close();
    }
  });

  it('rebuilds the roll-ups when the store’s zone changes', async () => {
    const lateEvening = Date.UTC(2026, 10, 28, 4, 50); // 23:50 on the 27th in New York, 12:50 on the 28th in Hong Kong
    const t = await openTill({ start: lateEvening - HOUR });
    await sellAt(t, [lateEvening]);
    expect(days(await report(t, '2026-11-27', '2026-11-28'))).toEqual([
      ['2026-11-27', 0],
      ['2026-11-28', 1],
    ]);
    const db = new Database(t.reg.dbFile);
    try {
      db.prepare("UPDATE setting SET value = ? WHERE key = 'store.timeZone'").run(JSON.stringify('America/New_York'));
      db.prepare("INSERT INTO setting (key, value) VALUES ('store.timeZone', ?) ON CONFLICT (key) DO NOTHING").run(
        JSON.stringify('America/New_York'),
      );
    } finally {
      db.close();
    }
    const after = await report(t, '2026-11-27', '2026-11-28');
    expect(days(after)).toEqual([
      ['2026-11-27', 1],
      ['2026-11-28', 0],
    ]);
    expect(hoursWithSales(after)).toEqual([[23, 1]]);
    expect((await report(t, '2026-11-27')).byProduct.map((p) => p.sku)).toHaveLength(1);
  });

  it('a zone off the whole hour (Kolkata, UTC+5:30) starts its hours at :30 UTC', () => {
    const at = Date.UTC(2026, 10, 27, 18, 45); // 00:15 on the 28th in Kolkata
    expect(storeHourStart(at, 'Asia/Kolkata')).toBe(Date.UTC(2026, 10, 27, 18, 30));
    expect(storeHourOfDay(at, 'Asia/Kolkata')).toBe(0);
    expect(storeDayNumber(at, 'Asia/Kolkata')).toBe(Date.UTC(2026, 10, 28) / 86_400_000);
    expect(storeDayNumber(at, 'Asia/Hong_Kong')).toBe(Date.UTC(2026, 10, 28) / 86_400_000);
    expect(storeDayNumber(at, 'America/New_York')).toBe(Date.UTC(2026, 10, 27) / 86_400_000);
  });
});
