/**
 * Reorder levels per store and product (issue 14). Head office sets them (the console's 庫存 page);
 * each is appended to the change log as a `reorder_level` (a cleared one with reorderMilli null) and
 * the store's registers keep it for their low-stock list (src/main/sync/apply-changes.ts). The
 * cloud owns them: an enrolled register refuses a local edit (src/main/stock/stock-service.ts).
 */
import type { FeedReorderLevel } from '../../src/shared/change-feed';
import { CloudError } from '../errors';
import type { Pool, Queryable } from '../db/pool';
import { withTransaction } from '../db/tx';
import { appendChanges } from './change-log';

/** Sets (or, with null, clears) one store's level for one product; answers what it was and what it is. */
export async function setReorderLevel(
  pool: Pool,
  merchantId: number,
  input: { storeId: number; sku: string; reorderMilli: number | null },
  now: number,
): Promise<{ before: number | null; after: FeedReorderLevel }> {
  return withTransaction(pool, async (client) => {
    const store = (
      await client.query<{ code: string }>('SELECT code FROM store WHERE id = $1 AND merchant_id = $2', [input.storeId, merchantId])
    ).rows[0];
    if (!store) throw new CloudError('NOT_FOUND', `No store ${input.storeId}`, { issues: [{ path: 'storeId', message: 'no such store' }] });
    const exists = await client.query('SELECT 1 FROM product WHERE merchant_id = $1 AND sku = $2', [merchantId, input.sku]);
    if (!exists.rowCount)
      throw new CloudError('NOT_FOUND', `No product ${input.sku}`, { issues: [{ path: 'sku', message: 'no such SKU' }] });
    const before = (
      await client.query<{ q: string }>('SELECT reorder_milli AS q FROM stock_reorder_level WHERE store_id = $1 AND sku = $2 FOR UPDATE', [
        input.storeId,
        input.sku,
      ])
    ).rows[0];
    if (input.reorderMilli === null)
      await client.query('DELETE FROM stock_reorder_level WHERE store_id = $1 AND sku = $2', [input.storeId, input.sku]);
    else
      await client.query(
        `INSERT INTO stock_reorder_level (merchant_id, store_id, sku, reorder_milli, updated_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (store_id, sku) DO UPDATE SET reorder_milli = EXCLUDED.reorder_milli, updated_at = EXCLUDED.updated_at`,
        [merchantId, input.storeId, input.sku, input.reorderMilli, new Date(now)],
      );
    const after: FeedReorderLevel = { storeCode: store.code, sku: input.sku, reorderMilli: input.reorderMilli };
    await appendChanges(client, merchantId, [{ entity: 'reorder_level', op: 'upsert', data: after }], now);
    return { before: before ? Number(before.q) : null, after };
  });
}

/** For the snapshot: every level the merchant's stores have. */
export async function loadReorderLevels(db: Queryable, merchantId: number): Promise<FeedReorderLevel[]> {
  return (
    await db.query<{ store_code: string; sku: string; q: string }>(
      `SELECT s.code AS store_code, l.sku, l.reorder_milli AS q FROM stock_reorder_level l JOIN store s ON s.id = l.store_id
        WHERE l.merchant_id = $1 ORDER BY s.code, l.sku`,
      [merchantId],
    )
  ).rows.map((r) => ({ storeCode: r.store_code, sku: r.sku, reorderMilli: Number(r.q) }));
}
