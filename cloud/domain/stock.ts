/**
 * The stock ledger and its on-hand projection. Movements are inserted as they come; the projection
 * is updated once per transaction from the summed deltas, in (store, sku) order, so two
 * transactions touching the same SKUs lock their on-hand rows in the same order and cannot
 * deadlock. Each changed on-hand row becomes a `stock` change with the new absolute quantity.
 */
import { numberArray, textArray } from '../db/array-literal';
import type { Queryable } from '../db/pool';
import type { Change } from './change-log';

export type MovementReason = 'sale' | 'return' | 'receive' | 'adjust' | 'count' | 'transfer';

export interface Movement {
  storeId: number;
  storeCode: string;
  sku: string;
  /** signed thousandths: a sale is negative */
  quantityMilli: number;
  reason: MovementReason;
  /** globally unique per document: `sale:<id>`, `mutation:<register>:<seq>`, `admin:<merchant>:<ref>` */
  source: string;
  line: number;
}

/** On-hand deltas of one transaction, summed per store and SKU. */
export class OnHandDeltas {
  private readonly byKey = new Map<string, { storeId: number; storeCode: string; sku: string; deltaMilli: number }>();

  add(storeId: number, storeCode: string, sku: string, deltaMilli: number): void {
    const key = `${storeId}\u0000${sku}`;
    const entry = this.byKey.get(key);
    if (entry) entry.deltaMilli += deltaMilli;
    else this.byKey.set(key, { storeId, storeCode, sku, deltaMilli });
  }

  merge(other: OnHandDeltas): void {
    for (const entry of other.byKey.values()) this.add(entry.storeId, entry.storeCode, entry.sku, entry.deltaMilli);
  }

  /** Non-zero deltas, in lock order. */
  sorted(): { storeId: number; storeCode: string; sku: string; deltaMilli: number }[] {
    return [...this.byKey.values()]
      .filter((entry) => entry.deltaMilli !== 0)
      .sort((a, b) => a.storeId - b.storeId || (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
  }
}

/**
 * Inserts movements into the ledger; one whose (source, line) is already there is skipped (a
 * retried admin command with the same reference). Returns the deltas of those inserted.
 * `sourcesAreNew`: the sources were made in this transaction (a new sale's id), so every movement
 * lands and the skip-and-report is not needed.
 */
export async function insertMovements(
  client: Queryable,
  merchantId: number,
  movements: Movement[],
  now: number,
  options: { sourcesAreNew?: boolean } = {},
): Promise<OnHandDeltas> {
  const deltas = new OnHandDeltas();
  if (movements.length === 0) return deltas;
  const inserted = await client.query<{ source: string; line: number }>({
    name: options.sourcesAreNew ? 'ingest-movements-of-new-sources' : 'ingest-movements',
    text: `INSERT INTO stock_movement (merchant_id, store_id, sku, quantity_milli, reason, source, line, created_at)
     SELECT $1, t.store_id, t.sku, t.quantity_milli, t.reason, t.source, t.line, $2
     FROM unnest($3::bigint[], $4::text[], $5::bigint[], $6::text[], $7::text[], $8::int[]) AS t(store_id, sku, quantity_milli, reason, source, line)
     ${options.sourcesAreNew ? '' : "ON CONFLICT (source, line) WHERE source NOT LIKE 'sale:%' DO NOTHING RETURNING source, line"}`,
    values: [
      merchantId,
      new Date(now),
      numberArray(movements.map((m) => m.storeId)),
      textArray(movements.map((m) => m.sku)),
      numberArray(movements.map((m) => m.quantityMilli)),
      textArray(movements.map((m) => m.reason)),
      textArray(movements.map((m) => m.source)),
      numberArray(movements.map((m) => m.line)),
    ],
  });
  const landed = options.sourcesAreNew ? undefined : new Set(inserted.rows.map((row) => `${row.source}\u0000${row.line}`));
  for (const m of movements) {
    if (!landed || landed.has(`${m.source}\u0000${m.line}`)) deltas.add(m.storeId, m.storeCode, m.sku, m.quantityMilli);
  }
  return deltas;
}

/** Applies the deltas to stock_on_hand and returns one `stock` change per row changed. */
export async function applyOnHand(client: Queryable, merchantId: number, deltas: OnHandDeltas, now: number): Promise<Change[]> {
  const rows = deltas.sorted();
  if (rows.length === 0) return [];
  const result = await client.query<{ store_id: number; sku: string; quantity_milli: number }>({
    name: 'ingest-on-hand',
    text: `INSERT INTO stock_on_hand AS h (store_id, sku, merchant_id, quantity_milli, updated_at)
     SELECT t.store_id, t.sku, $1, t.delta, $2
     FROM unnest($3::bigint[], $4::text[], $5::bigint[]) WITH ORDINALITY AS t(store_id, sku, delta, ord)
     ORDER BY t.ord
     ON CONFLICT (store_id, sku) DO UPDATE SET quantity_milli = h.quantity_milli + EXCLUDED.quantity_milli, updated_at = EXCLUDED.updated_at
     RETURNING h.store_id, h.sku, h.quantity_milli`,
    values: [
      merchantId,
      new Date(now),
      numberArray(rows.map((r) => r.storeId)),
      textArray(rows.map((r) => r.sku)),
      numberArray(rows.map((r) => r.deltaMilli)),
    ],
  });
  const onHand = new Map(result.rows.map((row) => [`${row.store_id}\u0000${row.sku}`, row.quantity_milli]));
  return rows.map((r) => ({
    entity: 'stock' as const,
    op: 'upsert' as const,
    data: { storeCode: r.storeCode, sku: r.sku, onHandMilli: onHand.get(`${r.storeId}\u0000${r.sku}`) ?? 0 },
  }));
}
