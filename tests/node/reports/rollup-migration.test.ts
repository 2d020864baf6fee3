import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CASHIER, MANAGER, MILK_TEA, PINEAPPLE_BUN, WATER, useTills } from '../shifts/till';

const openTill = useTills();
const ROLLUPS = ['report_hour', 'report_product_day', 'report_staff_day', 'report_method_day', 'report_rollup_state'];

function rollups(db: Database.Database): unknown[] {
  return ROLLUPS.map((table) => db.prepare(`SELECT * FROM ${table} ORDER BY 1, 2`).raw().all());
}

/** Migration 0009's catch-up of existing history, as written in the file. */
function catchUpSql(): string {
  const sql = readFileSync(join(__dirname, '..', '..', '..', 'migrations', '0009-shifts.sql'), 'utf8');
  const from = sql.indexOf('-- Existing history');
  const to = sql.indexOf('INSERT INTO setting');
  expect(from).toBeGreaterThan(0);
  return sql.slice(from, to);
}

describe('roll-ups of history at upgrade', () => {
  it('migration 0009 rolls up existing documents exactly as the running fold does', async () => {
    const till = await openTill();
    await till.login(CASHIER);
    const tea = await till.sell([MILK_TEA, MILK_TEA, WATER], { method: 'cash', extra: 1_000 });
    till.clock.advance(5 * 3_600_000);
    await till.sell([PINEAPPLE_BUN], { method: 'card' });
    await till.refund(tea);
    till.clock.advance(20 * 3_600_000);
    await till.sell([WATER], { method: 'octopus' });
    await till.reg.dispatch('staff:logout', {});
    await till.login(MANAGER);
    await till.call('report:sales', { from: '2026-11-01', to: '2026-11-30' }); // the running fold
    const file = till.reg.dbFile;
    till.close();

    const db = new Database(file);
    try {
      const folded = rollups(db);
      expect((folded[0] as unknown[]).length).toBeGreaterThan(1);
      db.exec(`DELETE FROM report_hour; DELETE FROM report_product_day; DELETE FROM report_staff_day; DELETE FROM report_method_day;
               UPDATE report_rollup_state SET last_sale_id = 0;`);
      db.exec(catchUpSql());
      expect(rollups(db)).toEqual(folded);
    } finally {
      db.close();
    }
  });

  it('migration 0023 rolls up the days already rolled up into months exactly as the running fold does', async () => {
    const till = await openTill({ start: Date.UTC(2026, 9, 31, 15, 0) }); // 2026-10-31 23:00 Hong Kong
    await till.login(CASHIER);
    const tea = await till.sell([MILK_TEA, MILK_TEA, WATER], { method: 'cash', extra: 1_000 });
    till.clock.advance(2 * 3_600_000); // 2026-11-01
    await till.sell([PINEAPPLE_BUN, MILK_TEA], { method: 'card' });
    await till.refund(tea);
    till.clock.advance(30 * 24 * 3_600_000); // 2026-12-01
    await till.sell([WATER], { method: 'octopus' });
    await till.reg.dispatch('staff:logout', {});
    await till.login(MANAGER);
    await till.call('report:sales', { from: '2026-10-01', to: '2026-12-31' }); // the running fold
    const file = till.reg.dbFile;
    till.close();

    const db = new Database(file);
    try {
      const months = () => db.prepare('SELECT * FROM report_product_month ORDER BY 1, 2').raw().all();
      const folded = months();
      expect(new Set(folded.map((row) => (row as unknown[])[0])).size).toBe(3); // October, November, December
      db.exec('DELETE FROM report_product_month');
      const sql = readFileSync(join(__dirname, '..', '..', '..', 'migrations', '0023-report-product-month.sql'), 'utf8');
      db.exec(sql.slice(sql.indexOf('INSERT INTO report_product_month')));
      expect(months()).toEqual(folded);
    } finally {
      db.close();
    }
  });
});
