/** SQL for business days, shifts and cash movements. */
import type { Db } from '../db/open';
import { prepared } from '../db/prepared';
import type { CashMovementKind } from '../../shared/shift-schemas';

export interface BusinessDayRow {
  id: number;
  register_code: string;
  opened_at: number;
  since_at: number;
  sale_id_after: number;
  sale_id_last: number | null;
  closed_at: number | null;
  closed_by: number | null;
  z_no: number | null;
  totals: string | null;
  reprint_count: number;
}

export interface ShiftRow {
  id: number;
  business_day_id: number;
  register_code: string;
  staff_id: number;
  opened_at: number;
  sale_id_after: number;
  sale_id_last: number | null;
  float_total: number;
  float_count: string;
  counted_at: number | null;
  counted_by: number | null;
  counted_total: number | null;
  counted: string | null;
  closed_at: number | null;
  closed_by: number | null;
  expected_cash: number | null;
  over_short: number | null;
  over_short_reason: string | null;
  approved_by: number | null;
}

export interface CashMovementRow {
  id: number;
  shift_id: number;
  kind: CashMovementKind;
  amount: number;
  reason: string;
  staff_id: number;
  created_at: number;
}

export function lastSaleId(db: Db): number {
  return prepared(db, 'SELECT coalesce(max(id), 0) FROM sale').pluck().get() as number;
}

export function openBusinessDay(db: Db, registerCode: string): BusinessDayRow | undefined {
  return prepared<{ registerCode: string }, BusinessDayRow>(
    db,
    'SELECT * FROM business_day WHERE register_code = :registerCode AND closed_at IS NULL',
  ).get({ registerCode });
}

export function lastClosedDay(db: Db, registerCode: string): BusinessDayRow | undefined {
  return prepared<{ registerCode: string }, BusinessDayRow>(
    db,
    'SELECT * FROM business_day WHERE register_code = :registerCode AND z_no IS NOT NULL ORDER BY z_no DESC LIMIT 1',
  ).get({
    registerCode,
  });
}

/** A day opens with its first document, or now when a shift opens it before any sale. */
export function dayOpenedAt(db: Db, saleIdAfter: number, now: number): number {
  const first = prepared(db, 'SELECT completed_at FROM sale WHERE id > :after ORDER BY id LIMIT 1').pluck().get({ after: saleIdAfter }) as
    | number
    | undefined;
  return Math.min(first ?? now, now);
}

/** The open business day, created when first needed: it starts where the last Z ended. Call inside a write transaction. */
export function ensureOpenBusinessDay(db: Db, registerCode: string, now: number): BusinessDayRow {
  const open = openBusinessDay(db, registerCode);
  if (open) return open;
  const last = lastClosedDay(db, registerCode);
  const after = last?.sale_id_last ?? 0;
  prepared(
    db,
    'INSERT INTO business_day (register_code, opened_at, since_at, sale_id_after) VALUES (:registerCode, :openedAt, :since, :after)',
  ).run({
    registerCode,
    openedAt: dayOpenedAt(db, after, now),
    since: last?.closed_at ?? 0,
    after,
  });
  return openBusinessDay(db, registerCode) as BusinessDayRow;
}

export function findDayByZ(db: Db, registerCode: string, zNo: number): BusinessDayRow | undefined {
  return prepared<{ registerCode: string; zNo: number }, BusinessDayRow>(
    db,
    'SELECT * FROM business_day WHERE register_code = :registerCode AND z_no = :zNo',
  ).get({ registerCode, zNo });
}

export function closedDays(db: Db, registerCode: string, limit: number): BusinessDayRow[] {
  return prepared<{ registerCode: string; limit: number }, BusinessDayRow>(
    db,
    'SELECT * FROM business_day WHERE register_code = :registerCode AND z_no IS NOT NULL ORDER BY z_no DESC LIMIT :limit',
  ).all({
    registerCode,
    limit,
  });
}

export function openShiftRow(db: Db, registerCode: string): ShiftRow | undefined {
  return prepared<{ registerCode: string }, ShiftRow>(
    db,
    'SELECT * FROM shift WHERE register_code = :registerCode AND closed_at IS NULL',
  ).get({ registerCode });
}

export function shiftsOfDay(db: Db, businessDayId: number): ShiftRow[] {
  return prepared<{ businessDayId: number }, ShiftRow>(db, 'SELECT * FROM shift WHERE business_day_id = :businessDayId ORDER BY id').all({
    businessDayId,
  });
}

export function movementsOfShift(db: Db, shiftId: number): CashMovementRow[] {
  return prepared<{ shiftId: number }, CashMovementRow>(db, 'SELECT * FROM cash_movement WHERE shift_id = :shiftId ORDER BY id').all({
    shiftId,
  });
}

export interface CashFlows {
  cashTendered: number;
  changeGiven: number;
  cashRefunds: number;
}

/** Cash that crossed the counter for documents with after < sale.id <= last. */
export function cashFlows(db: Db, after: number, last: number): CashFlows {
  return prepared<{ after: number; last: number }, CashFlows>(
    db,
    `SELECT coalesce(sum(CASE WHEN p.amount > 0 THEN p.tendered ELSE 0 END), 0) AS cashTendered,
            coalesce(sum(p.change_given), 0) AS changeGiven,
            coalesce(sum(CASE WHEN p.amount < 0 THEN -p.amount ELSE 0 END), 0) AS cashRefunds
     FROM payment p JOIN payment_method m ON m.code = p.method
     WHERE p.sale_id > :after AND p.sale_id <= :last AND m.kind = 'cash'`,
  ).get({ after, last }) as CashFlows;
}

/** No-sale drawer openings (audited by the drawer's own channel) in (from, to]. */
export function noSalesBetween(db: Db, from: number, to: number): number {
  return prepared(db, "SELECT count(*) FROM audit_log WHERE kind = 'drawer.no-sale' AND at > :from AND at <= :to")
    .pluck()
    .get({ from, to }) as number;
}

/** Which shift and whose: the head of every shift view (open shift, shift cash, the Z's cash section). */
export function shiftHead(
  db: Db,
  shift: ShiftRow,
): { shiftId: number; staffId: number; staffNameZh: string; staffNameEn: string; openedAt: number } {
  const names = staffNames(db, shift.staff_id);
  return { shiftId: shift.id, staffId: shift.staff_id, staffNameZh: names.nameZh, staffNameEn: names.nameEn, openedAt: shift.opened_at };
}

export function staffNames(db: Db, staffId: number): { nameZh: string; nameEn: string } {
  return (
    (prepared(db, 'SELECT name_zh AS nameZh, name_en AS nameEn FROM staff WHERE id = :staffId').get({ staffId }) as
      | { nameZh: string; nameEn: string }
      | undefined) ?? { nameZh: '', nameEn: '' }
  );
}
