/**
 * What head office reads of the stock ledger (issue 14): on-hand per store and product with what
 * open online orders hold back, and transfers sent but not yet received. Read-only; the ledger is
 * written by stock.ts, stock-documents.ts and stock-admin.ts.
 */
import type { Queryable } from '../db/pool';
import { openOrderStatuses } from '../../src/shared/order-schemas';
import type { OnHandRow, TransferInTransit } from '../hq/contract';

export interface OnHandQuery {
  /** the stores to read; null: every store of the merchant */
  storeIds: number[] | null;
  /** SKU, barcode (exact) or part of either name or the SKU; '' for every product */
  q: string;
  /** only rows with a reorder level whose available (on-hand − reserved) is at or below it */
  low: boolean;
  offset: number;
  limit: number;
}

/**
 * One page of (product, store) rows in SKU then store order; a product the store never had stock of
 * reads 0. `more`: another page follows. The catalogue may hold 200,000 products: the rows are
 * walked in the product key's order and cut at the page, never sorted whole.
 */
export async function onHandPage(db: Queryable, merchantId: number, query: OnHandQuery): Promise<{ rows: OnHandRow[]; more: boolean }> {
  const q = query.q.trim();
  const like = `%${q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
  const rows = (
    await db.query<{
      store_id: number;
      store_code: string;
      sku: string;
      name_zh: string;
      name_en: string;
      active: boolean;
      on_hand: number;
      reserved: number;
      reorder: string | null;
    }>(
      `WITH scope AS MATERIALIZED (
              SELECT id, code FROM store WHERE merchant_id = $1 AND ($2::bigint[] IS NULL OR id = ANY($2::bigint[]))),
            reserved AS MATERIALIZED (
              SELECT o.store_id, l.sku, sum(l.quantity_milli - l.collected_milli - l.released_milli) AS q
                FROM customer_order o JOIN customer_order_line l ON l.order_id = o.id
               WHERE o.store_id IN (SELECT id FROM scope) AND o.status = ANY($3::text[])
               GROUP BY o.store_id, l.sku)
       SELECT s.id AS store_id, s.code AS store_code, p.sku, p.name_zh, p.name_en, p.active,
              coalesce(h.quantity_milli, 0) AS on_hand, coalesce(r.q, 0)::bigint AS reserved, l.reorder_milli AS reorder
         FROM product p CROSS JOIN scope s
         LEFT JOIN stock_on_hand h ON h.store_id = s.id AND h.sku = p.sku
         LEFT JOIN reserved r ON r.store_id = s.id AND r.sku = p.sku
         LEFT JOIN stock_reorder_level l ON l.store_id = s.id AND l.sku = p.sku
        WHERE p.merchant_id = $1
          AND ($4 = '' OR p.sku = $4 OR p.name_zh ILIKE $5 OR p.name_en ILIKE $5 OR p.sku ILIKE $5
               OR EXISTS (SELECT 1 FROM barcode b WHERE b.merchant_id = p.merchant_id AND b.code = $4 AND b.sku = p.sku))
          AND (NOT $6::boolean OR coalesce(h.quantity_milli, 0) - coalesce(r.q, 0) <= l.reorder_milli)
        ORDER BY p.sku, s.code
        OFFSET $7 LIMIT $8`,
      [merchantId, query.storeIds, openOrderStatuses, q, like, query.low, query.offset, query.limit + 1],
    )
  ).rows;
  return {
    more: rows.length > query.limit,
    rows: rows.slice(0, query.limit).map((r) => ({
      storeId: Number(r.store_id),
      storeCode: r.store_code,
      sku: r.sku,
      nameZh: r.name_zh,
      nameEn: r.name_en,
      active: r.active,
      onHandMilli: Number(r.on_hand),
      reservedMilli: Number(r.reserved),
      availableMilli: Number(r.on_hand) - Number(r.reserved),
      reorderMilli: r.reorder === null ? null : Number(r.reorder),
    })),
  };
}

/**
 * Transfers a register sent that no register of the destination has received yet, oldest first:
 * those from or to one of `storeIds` (null: every store).
 */
export async function transfersInTransit(db: Queryable, merchantId: number, storeIds: number[] | null): Promise<TransferInTransit[]> {
  const rows = (
    await db.query<{
      doc_id: string;
      doc_no: string;
      from_code: string;
      to_code: string;
      posted_at: Date;
      parts: number;
      lines: { sku: string; q: number }[];
    }>(
      `SELECT d.doc_id, d.doc_no, f.code AS from_code, t.code AS to_code, d.posted_at, d.parts,
              (SELECT json_agg(json_build_object('sku', x.sku, 'q', x.q) ORDER BY x.sku)
                 FROM (SELECT sku, sum(quantity_milli) AS q FROM stock_document_line WHERE doc_id = d.doc_id GROUP BY sku) x) AS lines
         FROM stock_document d JOIN store f ON f.id = d.store_id JOIN store t ON t.id = d.to_store_id
        WHERE d.merchant_id = $1 AND d.kind = 'transfer-out'
          AND ($2::bigint[] IS NULL OR d.store_id = ANY($2::bigint[]) OR d.to_store_id = ANY($2::bigint[]))
          AND NOT EXISTS (SELECT 1 FROM stock_document r WHERE r.kind = 'transfer-in' AND r.transfer_doc_id = d.doc_id)
        ORDER BY d.posted_at, d.doc_no
        LIMIT 500`,
      [merchantId, storeIds],
    )
  ).rows;
  return rows.map((r) => ({
    docId: r.doc_id,
    docNo: r.doc_no,
    fromStoreCode: r.from_code,
    toStoreCode: r.to_code,
    sentAt: r.posted_at.getTime(),
    parts: r.parts,
    lines: (r.lines ?? []).map((l) => ({ sku: l.sku, quantityMilli: Number(l.q) })),
  }));
}
