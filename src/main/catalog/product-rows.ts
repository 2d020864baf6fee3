import type { Db } from '../db/open';
import type { Product } from '../../shared/schemas';
import { prepared } from '../db/prepared';

/**
 * A product as the catalogue returns it. `parentSku` names the product a variant (a size or a
 * colour with its own SKU) belongs to; it is an extra field until Product in src/shared/schemas.ts
 * carries it (see the catalogue report for the diff).
 */
export type CatalogProduct = Product & { parentSku: string | null };

export interface ProductRow {
  id: number;
  sku: string;
  name_zh: string;
  name_en: string;
  price: number;
  category_code: string | null;
  parent_sku: string | null;
  option_zh: string;
  option_en: string;
  variants: number;
  barcodes: string | null; // group_concat, '\n'-separated
}

export const SELECT_PRODUCT = `
  SELECT p.id, p.sku, p.name_zh, p.name_en, p.price, c.code AS category_code, parent.sku AS parent_sku, p.option_zh, p.option_en,
         (SELECT count(*) FROM product v WHERE v.parent_id = p.id AND v.active = 1) AS variants,
         (SELECT group_concat(code, char(10)) FROM barcode WHERE product_id = p.id) AS barcodes
  FROM product p
  LEFT JOIN category c ON c.id = p.category_id
  LEFT JOIN product parent ON parent.id = p.parent_id`;

export function toProduct(row: ProductRow): CatalogProduct {
  return {
    id: row.id,
    sku: row.sku,
    nameZh: row.name_zh,
    nameEn: row.name_en,
    price: row.price,
    categoryCode: row.category_code,
    barcodes: row.barcodes ? row.barcodes.split('\n') : [],
    parentSku: row.parent_sku,
    optionZh: row.option_zh,
    optionEn: row.option_en,
    variants: row.variants,
  };
}

/** Active products by id, in the order of `ids`; ids that are not active products are skipped. */
export function productsByIds(db: Db, ids: readonly number[]): CatalogProduct[] {
  if (ids.length === 0) return [];
  const rows = prepared<{ ids: string }, ProductRow>(
    db,
    `${SELECT_PRODUCT} WHERE p.active = 1 AND p.id IN (SELECT value FROM json_each(:ids))`,
  ).all({ ids: JSON.stringify(ids) });
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.flatMap((id) => {
    const row = byId.get(id);
    return row ? [toProduct(row)] : [];
  });
}
