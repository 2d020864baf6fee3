/**
 * Effective-dated prices for one store (issue 16): "from 1 Dec 08:00, HK$16.00 at Mong Kok". Each
 * is appended to the change log as a `store_price`; the register of that store keeps it with its
 * scheduled prices and puts it on the product when its time comes (src/main/sync/apply-changes.ts
 * applyDuePrices). At a store the price in force is the latest valid_from among the merchant-wide
 * prices and the store's own.
 */
import type { FeedStorePrice } from '../../src/shared/change-feed';
import { AdminError } from '../errors';
import type { Pool, Queryable } from '../db/pool';
import { withTransaction } from '../db/tx';
import { appendChanges } from './change-log';

export async function setStorePrice(
  pool: Pool,
  merchantId: number,
  input: { storeId: number; sku: string; price: number; validFrom: number },
  now: number,
): Promise<FeedStorePrice> {
  return withTransaction(pool, async (client) => {
    const store = (
      await client.query<{ code: string }>('SELECT code FROM store WHERE id = $1 AND merchant_id = $2', [input.storeId, merchantId])
    ).rows[0];
    if (!store) throw new AdminError('NOT_FOUND', `No store ${input.storeId}`);
    const exists = await client.query('SELECT 1 FROM product WHERE merchant_id = $1 AND sku = $2', [merchantId, input.sku]);
    if (!exists.rowCount) throw new AdminError('NOT_FOUND', `No product ${input.sku}`);
    // The same instant again corrects that entry; otherwise the history is kept.
    await client.query(
      `INSERT INTO store_price (merchant_id, store_id, sku, price, valid_from, created_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (store_id, sku, valid_from) DO UPDATE SET price = EXCLUDED.price, created_at = EXCLUDED.created_at`,
      [merchantId, input.storeId, input.sku, input.price, new Date(input.validFrom), new Date(now)],
    );
    const data: FeedStorePrice = { storeCode: store.code, sku: input.sku, price: input.price, validFrom: input.validFrom };
    await appendChanges(client, merchantId, [{ entity: 'store_price', op: 'upsert', data }], now);
    return data;
  });
}

export interface PriceScheduleEntry {
  /** null: every store */
  storeCode: string | null;
  price: number;
  validFrom: number;
  /** the entry in force now at its stores (the latest that has started) */
  current: boolean;
}

/** A product's prices, merchant-wide and per store, newest first (at most `limit`). */
export async function priceSchedule(
  db: Queryable,
  merchantId: number,
  sku: string,
  now: number,
  /** The stores whose own prices are listed (a store manager's); null: every store. */
  storeIds: number[] | null = null,
  limit = 50,
): Promise<PriceScheduleEntry[]> {
  const rows = (
    await db.query<{ store_code: string | null; price: number; valid_from: Date }>(
      `SELECT NULL AS store_code, price, valid_from FROM price WHERE merchant_id = $1 AND sku = $2
       UNION ALL
       SELECT st.code, sp.price, sp.valid_from FROM store_price sp JOIN store st ON st.id = sp.store_id
       WHERE sp.merchant_id = $1 AND sp.sku = $2 AND ($4::bigint[] IS NULL OR sp.store_id = ANY($4::bigint[]))
       ORDER BY valid_from DESC, store_code NULLS FIRST LIMIT $3`,
      [merchantId, sku, limit, storeIds],
    )
  ).rows;
  const seen = new Set<string>();
  return rows.map((r) => {
    const key = r.store_code ?? '';
    const started = r.valid_from.getTime() <= now;
    const current = started && !seen.has(key);
    if (started) seen.add(key);
    return { storeCode: r.store_code, price: r.price, validFrom: r.valid_from.getTime(), current };
  });
}

/** For the snapshot: each store's current own price per SKU and every one scheduled after it. */
export async function loadStorePrices(db: Queryable, merchantId: number, now: number): Promise<FeedStorePrice[]> {
  const rows = (
    await db.query<{ store_code: string; sku: string; price: number; valid_from: Date }>(
      `SELECT st.code AS store_code, p.sku, p.price, p.valid_from FROM (
         SELECT DISTINCT ON (store_id, sku) store_id, sku, price, valid_from FROM store_price
         WHERE merchant_id = $1 AND valid_from <= $2 ORDER BY store_id, sku, valid_from DESC
       ) AS p JOIN store st ON st.id = p.store_id
       UNION ALL
       SELECT st.code, sp.sku, sp.price, sp.valid_from FROM store_price sp JOIN store st ON st.id = sp.store_id
       WHERE sp.merchant_id = $1 AND sp.valid_from > $2
       ORDER BY store_code, sku, valid_from`,
      [merchantId, new Date(now)],
    )
  ).rows;
  return rows.map((r) => ({ storeCode: r.store_code, sku: r.sku, price: r.price, validFrom: r.valid_from.getTime() }));
}

/**
 * The price in force now at one store for each SKU (cents): the latest started entry among the
 * merchant-wide prices and the store's own (the store's own on the same instant). A SKU without one
 * is absent. What the store's registers charge, so what the cloud charges for an order there.
 */
export async function pricesAtStore(
  db: Queryable,
  merchantId: number,
  storeId: number,
  skus: string[],
  now: number,
): Promise<Map<string, number>> {
  const rows = (
    await db.query<{ sku: string; price: string }>(
      `SELECT DISTINCT ON (sku) sku, price FROM (
         SELECT sku, price, valid_from, 0 AS own FROM price WHERE merchant_id = $1 AND sku = ANY($3::text[]) AND valid_from <= $4
         UNION ALL
         SELECT sku, price, valid_from, 1 FROM store_price
         WHERE merchant_id = $1 AND store_id = $2 AND sku = ANY($3::text[]) AND valid_from <= $4
       ) AS p ORDER BY sku, valid_from DESC, own DESC`,
      [merchantId, storeId, skus, new Date(now)],
    )
  ).rows;
  return new Map(rows.map((r) => [r.sku, Number(r.price)]));
}
