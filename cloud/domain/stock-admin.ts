/** Stock movements head office records: goods received at a store, adjustments, counts. */
import { AdminError } from '../errors';
import type { Pool } from '../db/pool';
import { withTransaction } from '../db/tx';
import { appendChanges } from './change-log';
import { missingSkus } from './sales';
import { type MovementReason, applyOnHand, insertMovements } from './stock';

export interface StockEntry {
  storeId: number;
  storeCode: string;
  sku: string;
  quantityMilli: number;
  reason: Exclude<MovementReason, 'sale' | 'return'>;
  /**
   * The delivery note or count sheet: recording the same reference for the same store and SKU again
   * is a no-op, so a retried command never receives goods twice.
   */
  ref: string;
}

export async function recordStockEntry(
  pool: Pool,
  merchantId: number,
  entry: StockEntry,
  now: number,
): Promise<{ recorded: boolean; onHandMilli: number }> {
  if (!Number.isSafeInteger(entry.quantityMilli) || entry.quantityMilli === 0)
    throw new AdminError('INVALID', 'The quantity must be non-zero, to at most 3 decimals');
  if (!/^[\x21-\x7e]{1,64}$/.test(entry.ref)) throw new AdminError('INVALID', 'The reference is 1 to 64 printable ASCII characters');
  return withTransaction(pool, async (client) => {
    if ((await missingSkus(client, merchantId, [entry.sku])).length > 0) throw new AdminError('NOT_FOUND', `No product ${entry.sku}`);
    const deltas = await insertMovements(
      client,
      merchantId,
      [
        {
          storeId: entry.storeId,
          storeCode: entry.storeCode,
          sku: entry.sku,
          quantityMilli: entry.quantityMilli,
          reason: entry.reason,
          source: `admin:${merchantId}:${entry.storeId}:${entry.sku}:${entry.ref}`,
          line: 1,
        },
      ],
      now,
    );
    const changes = await applyOnHand(client, merchantId, deltas, now);
    await appendChanges(client, merchantId, changes, now);
    const onHandMilli =
      (
        await client.query<{ quantity_milli: number }>('SELECT quantity_milli FROM stock_on_hand WHERE store_id = $1 AND sku = $2', [
          entry.storeId,
          entry.sku,
        ])
      ).rows[0]?.quantity_milli ?? 0;
    return { recorded: changes.length > 0, onHandMilli };
  });
}
