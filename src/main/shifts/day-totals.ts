/**
 * The figures of an X or Z report, computed from the documents of one business day (sale.id in
 * its range), its shifts, cash movements, voided carts and no-sale drawer openings. Read-only: an X
 * report calls it and changes nothing; a Z calls it once and stores the result.
 */
import type { Db } from '../db/open';
import { prepared } from '../db/prepared';
import type { DayTotals, ShiftCash } from '../../shared/shift-schemas';
import { expectedCash } from './expected-cash';
import { cashFlows, movementsOfShift, noSalesBetween, shiftHead, shiftsOfDay, type BusinessDayRow, type ShiftRow } from './shift-repo';

interface Range {
  after: number;
  last: number;
}

/** One shift's cash section; `until` bounds an open shift (its documents and no-sales so far). */
export function shiftCash(db: Db, shift: ShiftRow, until: { saleId: number; at: number }): ShiftCash {
  const last = shift.sale_id_last ?? until.saleId;
  const flows = cashFlows(db, shift.sale_id_after, last);
  const moved = { 'pay-in': 0, 'pay-out': 0, 'safe-drop': 0 };
  for (const m of movementsOfShift(db, shift.id)) moved[m.kind] += m.amount;
  const drawer = { float: shift.float_total, ...flows, payIns: moved['pay-in'], payOuts: moved['pay-out'], safeDrops: moved['safe-drop'] };
  return {
    ...shiftHead(db, shift),
    closedAt: shift.closed_at,
    ...drawer,
    expected: shift.expected_cash ?? expectedCash(drawer),
    counted: shift.closed_at === null ? null : shift.counted_total,
    overShort: shift.over_short,
    overShortReason: shift.over_short_reason,
    noSales: noSalesBetween(db, shift.opened_at - 1, shift.closed_at ?? until.at),
  };
}

function documentCounts(db: Db, r: Range) {
  const rows = prepared<Range, { kind: 'sale' | 'return' | 'exchange'; n: number; rounding: number }>(
    db,
    'SELECT kind, count(*) AS n, sum(rounding) AS rounding FROM sale WHERE id > :after AND id <= :last GROUP BY kind',
  ).all(r);
  const n = (kind: string) => rows.find((row) => row.kind === kind)?.n ?? 0;
  return { sales: n('sale'), returns: n('return'), exchanges: n('exchange'), rounding: rows.reduce((sum, row) => sum + row.rounding, 0) };
}

function receiptSpan(db: Db, r: Range): { first: string | null; last: string | null } {
  const row = prepared<Range, { first: string | null; last: string | null }>(
    db,
    `SELECT (SELECT receipt_no FROM sale WHERE id > :after AND id <= :last ORDER BY id LIMIT 1) AS first,
            (SELECT receipt_no FROM sale WHERE id > :after AND id <= :last ORDER BY id DESC LIMIT 1) AS last`,
  ).get(r);
  return { first: row?.first ?? null, last: row?.last ?? null };
}

function lineTotals(db: Db, r: Range) {
  return prepared<Range, { gross: number; promotions: number; discounts: number; returns: number; net: number; tax: number }>(
    db,
    `SELECT coalesce(sum(CASE WHEN quantity_milli > 0 THEN gross END), 0) AS gross,
            coalesce(sum(CASE WHEN quantity_milli > 0 THEN promotion_amount END), 0) AS promotions,
            coalesce(sum(CASE WHEN quantity_milli > 0 THEN discount_amount END), 0) AS discounts,
            coalesce(sum(CASE WHEN quantity_milli < 0 THEN -net END), 0) AS returns,
            coalesce(sum(net), 0) AS net,
            coalesce(sum(tax), 0) AS tax
     FROM sale_line WHERE sale_id > :after AND sale_id <= :last`,
  ).get(r) as { gross: number; promotions: number; discounts: number; returns: number; net: number; tax: number };
}

function tenders(db: Db, r: Range): DayTotals['tenders'] {
  return prepared<Range, DayTotals['tenders'][number]>(
    db,
    `SELECT p.method, m.name_zh AS nameZh, m.name_en AS nameEn, count(*) AS count, sum(p.amount) AS amount
     FROM payment p JOIN payment_method m ON m.code = p.method
     WHERE p.sale_id > :after AND p.sale_id <= :last GROUP BY p.method ORDER BY m.sort, p.method`,
  ).all(r);
}

function categories(db: Db, r: Range): DayTotals['categories'] {
  return prepared<Range, DayTotals['categories'][number]>(
    db,
    `SELECT l.category_code AS code, coalesce(c.name_zh, '其他') AS nameZh, coalesce(c.name_en, 'Other') AS nameEn,
            sum(l.quantity_milli) AS quantityMilli, sum(l.net) AS net
     FROM sale_line l LEFT JOIN category c ON c.code = l.category_code
     WHERE l.sale_id > :after AND l.sale_id <= :last GROUP BY l.category_code ORDER BY net DESC, code`,
  ).all(r);
}

function byChannel(db: Db, r: Range): DayTotals['channels'] {
  return prepared<Range, DayTotals['channels'][number]>(
    db,
    `SELECT channel, count(*) AS documents, sum(total) AS net FROM sale
     WHERE id > :after AND id <= :last GROUP BY channel
     ORDER BY CASE channel WHEN 'shop' THEN 0 WHEN 'online' THEN 1 ELSE 2 END`,
  ).all(r);
}

function byStaff(db: Db, r: Range): DayTotals['staff'] {
  return prepared<Range, DayTotals['staff'][number]>(
    db,
    `SELECT s.staff_id AS staffId, st.name_zh AS nameZh, st.name_en AS nameEn, count(*) AS documents, sum(s.total) AS net
     FROM sale s JOIN staff st ON st.id = s.staff_id
     WHERE s.id > :after AND s.id <= :last GROUP BY s.staff_id ORDER BY s.staff_id`,
  ).all(r);
}

/** Carts voided with something in them, in (from, to]; their value at the prices they were rung up at. */
export function voidsBetween(db: Db, from: number, to: number): { count: number; value: number } {
  return prepared<{ from: number; to: number }, { count: number; value: number }>(
    db,
    `SELECT count(DISTINCT c.id) AS count,
            coalesce(sum(CAST(round(coalesce(l.price_override, l.list_price) * l.quantity_milli / 1000.0) AS INTEGER)), 0) AS value
     FROM cart c JOIN cart_line l ON l.cart_id = c.id
     WHERE c.status = 'voided' AND c.updated_at > :from AND c.updated_at <= :to`,
  ).get({ from, to }) as { count: number; value: number };
}

export interface TotalsScope {
  storeCode: string;
  day: BusinessDayRow;
  /** The last document of the day: its sale_id_last when closed, else the latest sale. */
  lastSaleId: number;
  /** The end of the day's time window: closed_at when closed, else now. */
  until: number;
  zNo: number | null;
}

export function computeDayTotals(db: Db, scope: TotalsScope): DayTotals {
  const { day } = scope;
  const range = { after: day.sale_id_after, last: scope.lastSaleId };
  const counts = documentCounts(db, range);
  const span = receiptSpan(db, range);
  const lines = lineTotals(db, range);
  const voids = voidsBetween(db, day.since_at, scope.until);
  const shifts = shiftsOfDay(db, day.id).map((s) => shiftCash(db, s, { saleId: scope.lastSaleId, at: scope.until }));
  const all = cashFlows(db, range.after, range.last);
  const inShifts = (key: 'cashTendered' | 'changeGiven' | 'cashRefunds') => shifts.reduce((sum, s) => sum + s[key], 0);
  return {
    storeCode: scope.storeCode,
    registerCode: day.register_code,
    zNo: scope.zNo,
    openedAt: day.opened_at,
    closedAt: scope.zNo === null ? null : scope.until,
    firstReceipt: span.first,
    lastReceipt: span.last,
    counts: {
      sales: counts.sales,
      returns: counts.returns,
      exchanges: counts.exchanges,
      documents: counts.sales + counts.returns + counts.exchanges,
      voids: voids.count,
      noSales: noSalesBetween(db, day.since_at, scope.until),
    },
    gross: lines.gross,
    promotions: lines.promotions,
    discounts: lines.discounts,
    returns: lines.returns,
    voidsValue: voids.value,
    net: lines.net,
    tax: lines.tax,
    rounding: counts.rounding,
    tenders: tenders(db, range),
    categories: categories(db, range),
    staff: byStaff(db, range),
    channels: byChannel(db, range),
    shifts,
    outsideShifts: {
      cashTendered: all.cashTendered - inShifts('cashTendered'),
      changeGiven: all.changeGiven - inShifts('changeGiven'),
      cashRefunds: all.cashRefunds - inShifts('cashRefunds'),
    },
    overShort: shifts.reduce((sum, s) => sum + (s.overShort ?? 0), 0),
  };
}
