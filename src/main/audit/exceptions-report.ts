/**
 * The exceptions report: per staff member, how often they did what a shop owner watches for
 * (voids, removed lines, no-sale drawer opens, overrides, refunds, price overrides, discounts
 * over the limit, wrong PINs, lockouts) over a date range, counted from the audit log.
 * An override counts for the staff member whose action someone else approved.
 */
import type { Db } from '../db/open';
import type { ExceptionCounts } from '../../shared/staff-schemas';

interface CountRow {
  staff_id: number;
  name_zh: string;
  name_en: string;
  voids: number;
  line_removals: number;
  no_sales: number;
  overrides: number;
  refunds: number;
  price_overrides: number;
  discounts_over_limit: number;
  failed_pins: number;
  lockouts: number;
}

const SQL = `
  SELECT a.staff_id, s.name_zh, s.name_en,
    sum(a.kind = 'cart.void') AS voids,
    sum(a.kind = 'cart.line-removed') AS line_removals,
    sum(a.kind = 'drawer.no-sale') AS no_sales,
    sum(a.approver_id IS NOT NULL AND a.approver_id <> a.staff_id) AS overrides,
    sum(a.kind = 'refund') AS refunds,
    sum(a.kind = 'price.override') AS price_overrides,
    sum(a.kind = 'discount.over-limit') AS discounts_over_limit,
    sum(a.kind = 'staff.login-failed') AS failed_pins,
    sum(a.kind = 'staff.locked') AS lockouts
  FROM audit_log a JOIN staff s ON s.id = a.staff_id
  WHERE a.at >= :from AND a.at < :to
  GROUP BY a.staff_id
  ORDER BY s.code`;

export function exceptionsReport(db: Db, range: { from: number; to: number }): ExceptionCounts[] {
  return (db.prepare(SQL).all(range) as CountRow[])
    .map((r) => ({
      staffId: r.staff_id,
      nameZh: r.name_zh,
      nameEn: r.name_en,
      voids: r.voids,
      lineRemovals: r.line_removals,
      noSales: r.no_sales,
      overrides: r.overrides,
      refunds: r.refunds,
      priceOverrides: r.price_overrides,
      discountsOverLimit: r.discounts_over_limit,
      failedPins: r.failed_pins,
      lockouts: r.lockouts,
    }))
    .filter(
      (r) =>
        r.voids +
          r.lineRemovals +
          r.noSales +
          r.overrides +
          r.refunds +
          r.priceOverrides +
          r.discountsOverLimit +
          r.failedPins +
          r.lockouts >
        0,
    );
}
