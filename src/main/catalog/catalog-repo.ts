/** The catalogue as the api handlers use it. */
import type { Db } from '../db/open';
import type { Category, Product } from '../../shared/schemas';
import { DEFAULT_EMBEDDED_LAYOUT } from '../../shared/barcode';
import { lookupByCode } from './lookup';
import { SELECT_PRODUCT, toProduct, type ProductRow } from './product-rows';
import { prepared } from '../db/prepared';

/**
 * A scanned or typed code to a product, or null. Kept for the `catalog:lookup` channel as it is;
 * lookupByCode (lookup.ts) says why nothing was found and carries an embedded price or weight.
 */
export function lookupProduct(db: Db, code: string): Product | null {
  const result = lookupByCode(db, code, DEFAULT_EMBEDDED_LAYOUT);
  return result.kind === 'product' || result.kind === 'embedded' ? result.product : null;
}

/** Categories in their shelf order, for the quick-add dialog. */
export function listCategories(db: Db): Category[] {
  return prepared<[], { code: string; name_zh: string; name_en: string }>(
    db,
    'SELECT code, name_zh, name_en FROM category ORDER BY sort, code',
  )
    .all()
    .map((row) => ({ code: row.code, nameZh: row.name_zh, nameEn: row.name_en }));
}

export function listFavourites(db: Db, limit = 48): Product[] {
  return prepared<{ limit: number }, ProductRow>(
    db,
    `${SELECT_PRODUCT} WHERE p.active = 1 AND p.favourite_rank IS NOT NULL ORDER BY p.favourite_rank LIMIT :limit`,
  )
    .all({ limit })
    .map(toProduct);
}

/** A parent's active variants (a size or a colour each), in SKU order: what the till offers when the parent is picked. */
export function listVariants(db: Db, productId: number): Product[] {
  return prepared<{ productId: number }, ProductRow>(db, `${SELECT_PRODUCT} WHERE p.active = 1 AND p.parent_id = :productId ORDER BY p.sku`)
    .all({ productId })
    .map(toProduct);
}
