/**
 * Report roll-ups: per-hour totals, per-day totals by product, staff and payment method and per-month
 * totals by product, folded
 * in from the documents committed since the last fold (sale.id > the watermark). Documents never
 * change once written, so a fold is exact and each document is folded once. Folding happens when a
 * report is asked for and when a Z is taken, never while a sale completes, so checkout pays nothing.
 *
 * Hours and days are the store's (setting `store.timeZone`, src/shared/store-time.ts): an hour
 * bucket starts at a whole hour of the store's wall clock (`hour_start`, ms since the epoch, so a
 * daylight-saving night has two buckets for 01:00 and a spring one none for 02:00), and a day is the
 * store's calendar date as days since 1970-01-01. The roll-ups remember the zone they were built in
 * (setting `reports.rollupTimeZone`); when the store's zone changes they are rebuilt from the
 * documents at the next fold. Migration 0009 rolled up the history that existed at upgrade in Hong
 * Kong time with plain SQL (tests/node/reports/rollup-migration.test.ts checks that both agree).
 */
import type { Db } from '../db/open';
import { prepared } from '../db/prepared';
import { DEFAULT_STORE_TIME_ZONE, TimeZone, wallClock } from '../../shared/store-time';
import { readSetting, writeSetting } from '../settings/settings-repo';
import { readStoreTimeZone } from '../settings/store-time-zone';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
const SLOT_MS = 15 * 60_000;

/** The zone the roll-ups were built in; absent means migration 0009's Hong Kong time. */
export const ROLLUP_TIME_ZONE_KEY = 'reports.rollupTimeZone';

const offsets = new Map<string, Map<number, number>>();

/**
 * The zone's offset from UTC at `epochMs`, in ms. Zones change offset on a quarter hour of UTC, so
 * it is read once per zone and quarter hour and remembered: a fold of a year of sales asks Intl a
 * few thousand times, not once per document.
 */
export function zoneOffsetMs(epochMs: number, timeZone: string): number {
  let byZone = offsets.get(timeZone);
  if (!byZone) offsets.set(timeZone, (byZone = new Map()));
  const slot = Math.floor(epochMs / SLOT_MS);
  let offset = byZone.get(slot);
  if (offset === undefined) {
    const at = slot * SLOT_MS;
    const w = wallClock(at, timeZone);
    offset = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - at;
    if (byZone.size > 200_000) byZone.clear();
    byZone.set(slot, offset);
  }
  return offset;
}

/** The store's calendar day at `epochMs`, as days since 1970-01-01. */
export function storeDayNumber(epochMs: number, timeZone: string): number {
  return Math.floor((epochMs + zoneOffsetMs(epochMs, timeZone)) / DAY_MS);
}

/** The instant the store's wall-clock hour holding `epochMs` began. */
export function storeHourStart(epochMs: number, timeZone: string): number {
  const local = epochMs + zoneOffsetMs(epochMs, timeZone);
  return epochMs - (((local % HOUR_MS) + HOUR_MS) % HOUR_MS);
}

/** The first day of the store's calendar month holding day number `day`, as a day number. */
export function monthStartDay(day: number): number {
  const date = new Date(day * DAY_MS);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1) / DAY_MS;
}

/** The first day of the store's calendar month after the one holding day number `day`. */
export function nextMonthStartDay(day: number): number {
  const date = new Date(day * DAY_MS);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1) / DAY_MS;
}

/** The hour of the store's day (0–23) at `epochMs`. */
export function storeHourOfDay(epochMs: number, timeZone: string): number {
  const local = epochMs + zoneOffsetMs(epochMs, timeZone);
  return Math.floor((((local % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS);
}

const withFunctions = new WeakSet<Db>();

/** Registers the SQL functions store_day, store_month, store_hour_start and store_hour (ms, zone) on this connection. */
export function useStoreClockFunctions(db: Db): void {
  if (withFunctions.has(db)) return;
  const fn = (compute: (ms: number, zone: string) => number) => (ms: number, zone: string) => compute(Number(ms), zone);
  db.function('store_day', { deterministic: true }, fn(storeDayNumber));
  db.function(
    'store_month',
    { deterministic: true },
    fn((ms, zone) => monthStartDay(storeDayNumber(ms, zone))),
  );
  db.function('store_hour_start', { deterministic: true }, fn(storeHourStart));
  db.function('store_hour', { deterministic: true }, fn(storeHourOfDay));
  withFunctions.add(db);
}

/** Sales by product into `table`, bucketed by `bucket` (the store's day or month) computed by the SQL function `bucketFn`. */
function productFold(table: string, bucket: string, bucketFn: string): string {
  return `INSERT INTO ${table} (${bucket}, product_id, sku, name_zh, name_en, category_code, sold_milli, returned_milli, net)
   SELECT ${bucketFn}(s.completed_at, :zone), l.product_id, max(l.sku), max(l.name_zh), max(l.name_en), max(l.category_code),
          sum(CASE WHEN l.quantity_milli > 0 THEN l.quantity_milli ELSE 0 END),
          sum(CASE WHEN l.quantity_milli < 0 THEN -l.quantity_milli ELSE 0 END),
          sum(l.net)
   FROM sale_line l JOIN sale s ON s.id = l.sale_id WHERE l.sale_id > :after AND l.sale_id <= :last GROUP BY 1, 2
   ON CONFLICT (${bucket}, product_id) DO UPDATE SET sold_milli = sold_milli + excluded.sold_milli,
     returned_milli = returned_milli + excluded.returned_milli, net = net + excluded.net`;
}

const FOLDS = [
  `INSERT INTO report_hour (hour_start, documents, returns_count)
   SELECT store_hour_start(completed_at, :zone), count(*), sum(kind <> 'sale')
   FROM sale WHERE id > :after AND id <= :last GROUP BY 1
   ON CONFLICT (hour_start) DO UPDATE SET documents = documents + excluded.documents, returns_count = returns_count + excluded.returns_count`,
  `INSERT INTO report_hour (hour_start, gross, promotions, discounts, returns, net)
   SELECT store_hour_start(s.completed_at, :zone),
          sum(CASE WHEN l.quantity_milli > 0 THEN l.gross ELSE 0 END),
          sum(CASE WHEN l.quantity_milli > 0 THEN l.promotion_amount ELSE 0 END),
          sum(CASE WHEN l.quantity_milli > 0 THEN l.discount_amount ELSE 0 END),
          sum(CASE WHEN l.quantity_milli < 0 THEN -l.net ELSE 0 END),
          sum(l.net)
   FROM sale_line l JOIN sale s ON s.id = l.sale_id WHERE l.sale_id > :after AND l.sale_id <= :last GROUP BY 1
   ON CONFLICT (hour_start) DO UPDATE SET gross = gross + excluded.gross, promotions = promotions + excluded.promotions,
     discounts = discounts + excluded.discounts, returns = returns + excluded.returns, net = net + excluded.net`,
  productFold('report_product_day', 'day', 'store_day'),
  productFold('report_product_month', 'month', 'store_month'),
  `INSERT INTO report_staff_day (day, staff_id, documents, net)
   SELECT store_day(completed_at, :zone), staff_id, count(*), sum(total)
   FROM sale WHERE id > :after AND id <= :last GROUP BY 1, 2
   ON CONFLICT (day, staff_id) DO UPDATE SET documents = documents + excluded.documents, net = net + excluded.net`,
  `INSERT INTO report_method_day (day, method, payments, amount)
   SELECT store_day(s.completed_at, :zone), p.method, count(*), sum(p.amount)
   FROM payment p JOIN sale s ON s.id = p.sale_id WHERE p.sale_id > :after AND p.sale_id <= :last GROUP BY 1, 2
   ON CONFLICT (day, method) DO UPDATE SET payments = payments + excluded.payments, amount = amount + excluded.amount`,
  `INSERT INTO report_channel_day (day, channel, documents, net)
   SELECT store_day(completed_at, :zone), channel, count(*), sum(total)
   FROM sale WHERE id > :after AND id <= :last GROUP BY 1, 2
   ON CONFLICT (day, channel) DO UPDATE SET documents = documents + excluded.documents, net = net + excluded.net`,
];

const ROLLUP_TABLES = [
  'report_hour',
  'report_product_day',
  'report_product_month',
  'report_staff_day',
  'report_method_day',
  'report_channel_day',
];

/**
 * Folds every document not yet rolled up, in the store's time zone (rebuilding every roll-up first
 * when the zone changed since they were built); returns how many documents it folded. Joins the
 * caller's transaction.
 */
export function foldNewDocuments(db: Db): number {
  useStoreClockFunctions(db);
  return db
    .transaction(() => {
      const zone = readStoreTimeZone(db);
      if (readSetting(db, ROLLUP_TIME_ZONE_KEY, TimeZone, DEFAULT_STORE_TIME_ZONE) !== zone) {
        for (const table of ROLLUP_TABLES) prepared(db, `DELETE FROM ${table}`).run();
        prepared(db, 'UPDATE report_rollup_state SET last_sale_id = 0 WHERE id = 1').run();
        writeSetting(db, ROLLUP_TIME_ZONE_KEY, zone);
      }
      const after = prepared(db, 'SELECT last_sale_id FROM report_rollup_state WHERE id = 1').pluck().get() as number;
      const last = prepared(db, 'SELECT coalesce(max(id), 0) FROM sale').pluck().get() as number;
      if (last <= after) return 0;
      for (const sql of FOLDS) prepared(db, sql).run({ after, last, zone });
      prepared(db, 'UPDATE report_rollup_state SET last_sale_id = :last WHERE id = 1').run({ last });
      return last - after;
    })
    .immediate();
}
