/**
 * On-hand as this register sees it, for many products at once: the cloud's figure for this store
 * as of the last pull, plus this register's movements that figure does not hold yet
 * (src/main/sync/pulled-figures.ts; the same picture as src/main/sync/stock-view.ts, set-based).
 * With no cloud, no movement is in a pulled figure and on-hand is the ledger's sum.
 */
import type { Db } from '../db/open';
import { prepared } from '../db/prepared';
import { REFS_NOT_IN_PULLED_FIGURES } from '../sync/pulled-figures';

/** Movements per product the pulled figures do not hold yet. An outbox ref is unique per document part. */
function notYetPulledByProduct(db: Db, productIds: readonly number[] | null): Map<number, number> {
  const rows = prepared<{ ids: string | null }, { product_id: number; q: number }>(
    db,
    `SELECT m.product_id, sum(m.quantity_milli) AS q
       FROM (${REFS_NOT_IN_PULLED_FIGURES}) o
       JOIN stock_movement m ON m.source = o.ref
      WHERE :ids IS NULL OR m.product_id IN (SELECT value FROM json_each(:ids))
      GROUP BY m.product_id`,
  ).all({ ids: productIds === null ? null : JSON.stringify(productIds) });
  return new Map(rows.map((r) => [r.product_id, r.q]));
}

/** On-hand of each product in `productIds` (0 for a product nobody has stock of). */
export function onHandOf(db: Db, productIds: readonly number[]): Map<number, number> {
  const result = new Map<number, number>();
  if (productIds.length === 0) return result;
  const ids = JSON.stringify(productIds);
  for (const [id, q] of prepared<[string], [number, number]>(
    db,
    `SELECT p.id, coalesce(cs.on_hand_milli, 0) AS q
       FROM json_each(?) j JOIN product p ON p.id = j.value
       LEFT JOIN cloud_stock cs ON cs.sku = p.sku`,
  )
    .raw()
    .all(ids))
    result.set(id, q);
  // A short list asks for its own products; a long one (a count's post) reads the queue's head once.
  for (const [id, q] of notYetPulledByProduct(db, productIds.length <= 200 ? productIds : null)) {
    const current = result.get(id);
    if (current !== undefined) result.set(id, current + q);
  }
  return result;
}

/** Every product whose on-hand here is not zero, with it (a full stocktake's expected list). */
export function nonZeroOnHand(db: Db): Map<number, number> {
  const result = new Map<number, number>();
  for (const row of prepared<[], { id: number; q: number }>(
    db,
    'SELECT p.id, cs.on_hand_milli AS q FROM cloud_stock cs JOIN product p ON p.sku = cs.sku WHERE cs.on_hand_milli <> 0',
  ).iterate())
    result.set(row.id, row.q);
  for (const [id, q] of notYetPulledByProduct(db, null)) result.set(id, (result.get(id) ?? 0) + q);
  for (const [id, q] of result) if (q === 0) result.delete(id);
  return result;
}

/**
 * Movements of each product after its time: what changed on-hand since the product was counted
 * (a sale made while counting), so on-hand at count time = on-hand now − this.
 */
export function movedSince(db: Db, times: ReadonlyMap<number, number>): Map<number, number> {
  const result = new Map<number, number>();
  if (times.size === 0) return result;
  const pairs = JSON.stringify([...times].map(([productId, at]) => [productId, at]));
  for (const [productId, q] of prepared<[string], [number, number]>(
    db,
    `SELECT m.product_id, sum(m.quantity_milli) AS q
       FROM json_each(?) j
       JOIN stock_movement m ON m.product_id = j.value ->> 0 AND m.created_at > j.value ->> 1
      GROUP BY m.product_id`,
  )
    .raw()
    .all(pairs))
    result.set(productId, q);
  return result;
}
