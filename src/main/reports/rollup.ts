/**
 * Report roll-ups: per-hour totals and per-day totals by product, staff and payment method, folded
 * in from the documents committed since the last fold (sale.id > the watermark). Documents never
 * change once written, so a fold is exact and each document is folded once. Folding happens when a
 * report is asked for and when a Z is taken, never while a sale completes, so checkout pays nothing.
 * Hours are whole UTC hours (also whole Hong Kong hours); days are Hong Kong calendar days.
 * Migration 0009 rolled up the history that existed at upgrade with the same statements
 * (tests/node/reports/rollup-migration.test.ts checks that both agree).
 */
import type { Db } from '../db/open';
import { prepared } from '../db/prepared';

export const HK_OFFSET_MS = 8 * 3_600_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

const FOLDS = [
  `INSERT INTO report_hour (hour_start, documents, returns_count)
   SELECT (completed_at / ${HOUR_MS}) * ${HOUR_MS}, count(*), sum(kind <> 'sale')
   FROM sale WHERE id > :after AND id <= :last GROUP BY 1
   ON CONFLICT (hour_start) DO UPDATE SET documents = documents + excluded.documents, returns_count = returns_count + excluded.returns_count`,
  `INSERT INTO report_hour (hour_start, gross, promotions, discounts, returns, net)
   SELECT (s.completed_at / ${HOUR_MS}) * ${HOUR_MS},
          sum(CASE WHEN l.quantity_milli > 0 THEN l.gross ELSE 0 END),
          sum(CASE WHEN l.quantity_milli > 0 THEN l.promotion_amount ELSE 0 END),
          sum(CASE WHEN l.quantity_milli > 0 THEN l.discount_amount ELSE 0 END),
          sum(CASE WHEN l.quantity_milli < 0 THEN -l.net ELSE 0 END),
          sum(l.net)
   FROM sale_line l JOIN sale s ON s.id = l.sale_id WHERE l.sale_id > :after AND l.sale_id <= :last GROUP BY 1
   ON CONFLICT (hour_start) DO UPDATE SET gross = gross + excluded.gross, promotions = promotions + excluded.promotions,
     discounts = discounts + excluded.discounts, returns = returns + excluded.returns, net = net + excluded.net`,
  `INSERT INTO report_product_day (day, product_id, sku, name_zh, name_en, category_code, sold_milli, returned_milli, net)
   SELECT (s.completed_at + ${HK_OFFSET_MS}) / ${DAY_MS}, l.product_id, max(l.sku), max(l.name_zh), max(l.name_en), max(l.category_code),
          sum(CASE WHEN l.quantity_milli > 0 THEN l.quantity_milli ELSE 0 END),
          sum(CASE WHEN l.quantity_milli < 0 THEN -l.quantity_milli ELSE 0 END),
          sum(l.net)
   FROM sale_line l JOIN sale s ON s.id = l.sale_id WHERE l.sale_id > :after AND l.sale_id <= :last GROUP BY 1, 2
   ON CONFLICT (day, product_id) DO UPDATE SET sold_milli = sold_milli + excluded.sold_milli,
     returned_milli = returned_milli + excluded.returned_milli, net = net + excluded.net`,
  `INSERT INTO report_staff_day (day, staff_id, documents, net)
   SELECT (completed_at + ${HK_OFFSET_MS}) / ${DAY_MS}, staff_id, count(*), sum(total)
   FROM sale WHERE id > :after AND id <= :last GROUP BY 1, 2
   ON CONFLICT (day, staff_id) DO UPDATE SET documents = documents + excluded.documents, net = net + excluded.net`,
  `INSERT INTO report_method_day (day, method, payments, amount)
   SELECT (s.completed_at + ${HK_OFFSET_MS}) / ${DAY_MS}, p.method, count(*), sum(p.amount)
   FROM payment p JOIN sale s ON s.id = p.sale_id WHERE p.sale_id > :after AND p.sale_id <= :last GROUP BY 1, 2
   ON CONFLICT (day, method) DO UPDATE SET payments = payments + excluded.payments, amount = amount + excluded.amount`,
];

/** Folds every document not yet rolled up; returns how many documents it folded. Joins the caller's transaction. */
export function foldNewDocuments(db: Db): number {
  return db
    .transaction(() => {
      const after = prepared(db, 'SELECT last_sale_id FROM report_rollup_state WHERE id = 1').pluck().get() as number;
      const last = prepared(db, 'SELECT coalesce(max(id), 0) FROM sale').pluck().get() as number;
      if (last <= after) return 0;
      for (const sql of FOLDS) prepared(db, sql).run({ after, last });
      prepared(db, 'UPDATE report_rollup_state SET last_sale_id = :last WHERE id = 1').run({ last });
      return last - after;
    })
    .immediate();
}
