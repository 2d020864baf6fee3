/**
 * The label queue's rows (migration 0014). Writers run inside their caller's transaction: a
 * received document queues its labels in the same transaction that posts it.
 */
import type { Db } from '../db/open';
import { prepared } from '../db/prepared';
import { MAX_LABEL_QUANTITY, type LabelKind, type LabelQueueItem } from '../../shared/label-schemas';

interface QueueRow {
  id: number;
  product_id: number;
  sku: string;
  name_zh: string;
  name_en: string;
  price: number;
  kind: LabelKind;
  quantity: number;
  source: string;
  created_at: number;
}

const toItem = (r: QueueRow): LabelQueueItem => ({
  id: r.id,
  productId: r.product_id,
  sku: r.sku,
  nameZh: r.name_zh,
  nameEn: r.name_en,
  price: r.price,
  kind: r.kind,
  quantity: r.quantity,
  source: r.source,
  createdAt: r.created_at,
});

const SELECT = `SELECT q.id, q.product_id, p.sku, p.name_zh, p.name_en, p.price, q.kind, q.quantity, q.source, q.created_at
  FROM label_queue q JOIN product p ON p.id = q.product_id`;

export function listQueue(db: Db): LabelQueueItem[] {
  return prepared<[], QueueRow>(db, `${SELECT} ORDER BY q.id`).all().map(toItem);
}

export function queueItems(db: Db, ids: readonly number[]): LabelQueueItem[] {
  return prepared<{ ids: string }, QueueRow>(db, `${SELECT} WHERE q.id IN (SELECT value FROM json_each(:ids)) ORDER BY q.id`)
    .all({ ids: JSON.stringify(ids) })
    .map(toItem);
}

export function insertLabels(db: Db, row: { productId: number; kind: LabelKind; quantity: number; source: string; now: number }): void {
  prepared(
    db,
    'INSERT INTO label_queue (product_id, kind, quantity, source, created_at) VALUES (:productId, :kind, :quantity, :source, :now)',
  ).run({ ...row, quantity: Math.min(MAX_LABEL_QUANTITY, Math.max(1, row.quantity)) });
}

/**
 * Receiving: one product label per unit received (a weighed quantity, in thousandths that are not
 * whole units, gets one label: the scale prints its own). Called inside the posting transaction.
 */
export function queueReceivedLabels(
  db: Db,
  docNo: string,
  lines: readonly { productId: number; quantityMilli: number }[],
  now: number,
): number {
  let labels = 0;
  for (const line of lines) {
    if (line.quantityMilli <= 0) continue;
    const quantity = line.quantityMilli % 1000 === 0 ? line.quantityMilli / 1000 : 1;
    insertLabels(db, { productId: line.productId, kind: 'product', quantity, source: docNo, now });
    labels += Math.min(MAX_LABEL_QUANTITY, quantity);
  }
  return labels;
}

export function setQuantity(db: Db, id: number, quantity: number): number {
  return prepared(db, 'UPDATE label_queue SET quantity = :quantity WHERE id = :id').run({ id, quantity }).changes;
}

export function removeLabels(db: Db, ids: readonly number[]): number {
  return prepared(db, 'DELETE FROM label_queue WHERE id IN (SELECT value FROM json_each(:ids))').run({ ids: JSON.stringify(ids) }).changes;
}

/**
 * Takes what a print printed out of the queue (inside the caller's transaction), against the rows
 * as they are now: a quantity raised while it printed keeps the rest queued, and a row whose
 * product's price moved meanwhile stays whole (what printed shows the old price; the label for
 * the new one must still print, and the price trigger queued no other while this row was there).
 */
export function takePrinted(db: Db, printed: readonly LabelQueueItem[]): void {
  const now = queueItems(
    db,
    printed.map((i) => i.id),
  );
  const byId = new Map(now.map((i) => [i.id, i]));
  for (const item of printed) {
    const current = byId.get(item.id);
    if (!current || current.price !== item.price) continue;
    if (current.quantity > item.quantity) setQuantity(db, item.id, current.quantity - item.quantity);
    else removeLabels(db, [item.id]);
  }
}
