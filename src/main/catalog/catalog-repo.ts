import type { Db } from '../db/open';
import type { Product } from '../../shared/schemas';

interface ProductRow {
  id: number;
  sku: string;
  name_zh: string;
  name_en: string;
  price: number;
  category_code: string | null;
  barcodes: string | null; // group_concat, '\n'-separated
}

const SELECT_PRODUCT = `
  SELECT p.id, p.sku, p.name_zh, p.name_en, p.price, c.code AS category_code,
         (SELECT group_concat(code, char(10)) FROM barcode WHERE product_id = p.id) AS barcodes
  FROM product p LEFT JOIN category c ON c.id = p.category_id`;

function toProduct(row: ProductRow): Product {
  return {
    id: row.id,
    sku: row.sku,
    nameZh: row.name_zh,
    nameEn: row.name_en,
    price: row.price,
    categoryCode: row.category_code,
    barcodes: row.barcodes ? row.barcodes.split('\n') : [],
  };
}

/** A scanned or typed code: a barcode first, then a SKU. Inactive products are not sold. */
export function lookupProduct(db: Db, code: string): Product | null {
  const row =
    db.prepare<{ code: string }, ProductRow>(`${SELECT_PRODUCT} WHERE p.active = 1 AND p.id = (SELECT product_id FROM barcode WHERE code = :code)`).get({ code }) ??
    db.prepare<{ code: string }, ProductRow>(`${SELECT_PRODUCT} WHERE p.active = 1 AND p.sku = :code`).get({ code });
  return row ? toProduct(row) : null;
}

export function listFavourites(db: Db, limit = 48): Product[] {
  return db
    .prepare<{ limit: number }, ProductRow>(`${SELECT_PRODUCT} WHERE p.active = 1 AND p.favourite_rank IS NOT NULL ORDER BY p.favourite_rank LIMIT :limit`)
    .all({ limit })
    .map(toProduct);
}
