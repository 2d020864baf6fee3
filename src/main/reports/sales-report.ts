/**
 * The reports screen's figures for a range of the store's calendar days (its time zone, setting
 * `store.timeZone`), read from the roll-ups (folded first, so a report includes the sale completed
 * a moment ago). By hour is the store's hour of day across the range; by day is one bucket per
 * calendar day, however many hours daylight saving gives it.
 */
import type { Db } from '../db/open';
import { prepared } from '../db/prepared';
import { PosError } from '../../shared/errors';
import type { SalesReport, SalesReportRequest } from '../../shared/shift-schemas';
import { readIdentity } from '../settings/identity';
import { voidsBetween } from '../shifts/day-totals';
import { addDays, startOfStoreDay } from '../../shared/store-time';
import { readStoreTimeZone } from '../settings/store-time-zone';
import { DAY_MS, foldNewDocuments, monthStartDay, nextMonthStartDay, useStoreClockFunctions } from './rollup';

/** Days since 1970-01-01 of a YYYY-MM-DD date. */
export function dayNumber(isoDate: string): number {
  const ms = Date.parse(`${isoDate}T00:00:00Z`);
  if (Number.isNaN(ms)) throw new PosError('BAD_REQUEST', `${isoDate} is not a date`);
  return ms / DAY_MS;
}

export function isoDateOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export interface Bounds {
  fromDay: number;
  toDay: number;
  fromMs: number;
  toMs: number;
  /** the store's time zone the days are in */
  zone: string;
}

/** The store's days `from`…`to` (inclusive), and the instants they begin and end in `zone`. */
export function reportBounds(from: string, to: string, zone: string): Bounds {
  const fromDay = dayNumber(from);
  const toDay = dayNumber(to);
  if (toDay < fromDay) throw new PosError('BAD_REQUEST', 'The range ends before it starts');
  if (toDay - fromDay > 3660) throw new PosError('BAD_REQUEST', 'At most ten years at a time');
  return { fromDay, toDay, fromMs: startOfStoreDay(from, zone), toMs: startOfStoreDay(addDays(to, 1), zone), zone };
}

/** Sales by hour of day and by day (every day of the range, quiet ones as zero): the two charts. */
export function hourlyReport(db: Db, b: Bounds): Pick<SalesReport, 'byHour' | 'byDay'> {
  useStoreClockFunctions(db);
  const byHour = prepared<Bounds, { hour: number; documents: number; net: number }>(
    db,
    `SELECT store_hour(hour_start, :zone) AS hour, sum(documents) AS documents, sum(net) AS net
     FROM report_hour WHERE hour_start >= :fromMs AND hour_start < :toMs GROUP BY 1 ORDER BY 1`,
  ).all(b);
  const days = prepared<Bounds, { day: number; documents: number; net: number }>(
    db,
    `SELECT store_day(hour_start, :zone) AS day, sum(documents) AS documents, sum(net) AS net
     FROM report_hour WHERE hour_start >= :fromMs AND hour_start < :toMs GROUP BY 1 ORDER BY 1`,
  ).all(b);
  const hours = new Map(byHour.map((h) => [h.hour, h]));
  const daysByNumber = new Map(days.map((d) => [d.day, d]));
  return {
    byHour: Array.from({ length: 24 }, (_, hour) => ({ hour, documents: hours.get(hour)?.documents ?? 0, net: hours.get(hour)?.net ?? 0 })),
    byDay: Array.from({ length: Math.max(0, b.toDay - b.fromDay + 1) }, (_, i) => {
      const day = daysByNumber.get(b.fromDay + i);
      return { date: isoDateOfDay(b.fromDay + i), documents: day?.documents ?? 0, net: day?.net ?? 0 };
    }),
  };
}

/**
 * The range's whole calendar months, [wholeFrom, wholeTo) as day numbers (empty, both toDay + 1,
 * when the range holds no whole month): read from report_product_month, the days either side from
 * report_product_day. A year's report reads about 12 × the products sold instead of every
 * product-day (issue 18).
 */
export function wholeMonths(b: Pick<Bounds, 'fromDay' | 'toDay'>): { wholeFrom: number; wholeTo: number } {
  const wholeFrom = monthStartDay(b.fromDay) === b.fromDay ? b.fromDay : nextMonthStartDay(b.fromDay);
  const wholeTo = monthStartDay(b.toDay + 1);
  return wholeTo > wholeFrom ? { wholeFrom, wholeTo } : { wholeFrom: b.toDay + 1, wholeTo: b.toDay + 1 };
}

/** Every product row of the range: the days before and after its whole months, and those months. */
const PRODUCT_ROWS = `WITH product_rows AS (
  SELECT product_id, sku, name_zh, name_en, category_code, sold_milli, returned_milli, net
  FROM report_product_day WHERE day >= :fromDay AND day < :wholeFrom
  UNION ALL
  SELECT product_id, sku, name_zh, name_en, category_code, sold_milli, returned_milli, net
  FROM report_product_month WHERE month >= :wholeFrom AND month < :wholeTo
  UNION ALL
  SELECT product_id, sku, name_zh, name_en, category_code, sold_milli, returned_milli, net
  FROM report_product_day WHERE day >= :wholeTo AND day <= :toDay)`;

export function salesReport(db: Db, req: SalesReportRequest): SalesReport {
  foldNewDocuments(db);
  const b = reportBounds(req.from, req.to, readStoreTimeZone(db));
  const identity = readIdentity(db);
  if (!identity) throw new PosError('INTERNAL', 'This register has no identity');
  // This database holds this register's documents only; another store or register has none here.
  const mine =
    (req.storeCode === undefined || req.storeCode === identity.store.code) &&
    (req.registerCode === undefined || req.registerCode === identity.register.code);
  const scope = mine ? b : { ...b, fromMs: 0, toMs: 0, fromDay: 1, toDay: 0 };

  const totals = prepared<
    Bounds,
    { documents: number; returnsCount: number; gross: number; promotions: number; discounts: number; returns: number; net: number }
  >(
    db,
    `SELECT coalesce(sum(documents), 0) AS documents, coalesce(sum(returns_count), 0) AS returnsCount, coalesce(sum(gross), 0) AS gross,
            coalesce(sum(promotions), 0) AS promotions, coalesce(sum(discounts), 0) AS discounts, coalesce(sum(returns), 0) AS returns,
            coalesce(sum(net), 0) AS net
     FROM report_hour WHERE hour_start >= :fromMs AND hour_start < :toMs`,
  ).get(scope) as SalesReport['totals'];
  const voids = mine ? voidsBetween(db, b.fromMs - 1, b.toMs - 1) : { count: 0, value: 0 };
  const productScope = { ...scope, ...wholeMonths(scope) };
  const byProduct = prepared<typeof productScope, SalesReport['byProduct'][number]>(
    db,
    `${PRODUCT_ROWS}
     SELECT product_id AS productId, max(sku) AS sku, max(name_zh) AS nameZh, max(name_en) AS nameEn, max(category_code) AS categoryCode,
            sum(sold_milli) AS soldMilli, sum(returned_milli) AS returnedMilli, sum(net) AS net
     FROM product_rows GROUP BY product_id ORDER BY net DESC, productId LIMIT 1000`,
  ).all(productScope);
  const byCategory = prepared<typeof productScope, SalesReport['byCategory'][number]>(
    db,
    `${PRODUCT_ROWS}
     SELECT r.category_code AS code, coalesce(c.name_zh, '其他') AS nameZh, coalesce(c.name_en, 'Other') AS nameEn, sum(r.sold_milli) AS soldMilli, sum(r.net) AS net
     FROM product_rows r LEFT JOIN category c ON c.code = r.category_code
     GROUP BY r.category_code ORDER BY net DESC`,
  ).all(productScope);
  const byStaff = prepared<Bounds, SalesReport['byStaff'][number]>(
    db,
    `SELECT r.staff_id AS staffId, s.name_zh AS nameZh, s.name_en AS nameEn, sum(r.documents) AS documents, sum(r.net) AS net
     FROM report_staff_day r JOIN staff s ON s.id = r.staff_id
     WHERE r.day >= :fromDay AND r.day <= :toDay GROUP BY r.staff_id ORDER BY net DESC`,
  ).all(scope);
  const byMethod = prepared<Bounds, SalesReport['byMethod'][number]>(
    db,
    `SELECT r.method, m.name_zh AS nameZh, m.name_en AS nameEn, sum(r.payments) AS payments, sum(r.amount) AS amount
     FROM report_method_day r JOIN payment_method m ON m.code = r.method
     WHERE r.day >= :fromDay AND r.day <= :toDay GROUP BY r.method ORDER BY m.sort`,
  ).all(scope);

  return {
    from: req.from,
    to: req.to,
    stores: [{ code: identity.store.code, nameZh: identity.store.nameZh, nameEn: identity.store.nameEn }],
    registers: [{ code: identity.register.code, name: identity.register.name }],
    totals: { ...totals, voids: voids.count, voidsValue: voids.value },
    ...hourlyReport(db, scope),
    byProduct,
    byCategory,
    byStaff,
    byMethod,
    byChannel: prepared<Bounds, SalesReport['byChannel'][number]>(
      db,
      `SELECT channel, sum(documents) AS documents, sum(net) AS net FROM report_channel_day
       WHERE day >= :fromDay AND day <= :toDay GROUP BY channel
       ORDER BY CASE channel WHEN 'shop' THEN 0 WHEN 'online' THEN 1 ELSE 2 END`,
    ).all(scope),
  };
}
