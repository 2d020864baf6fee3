/**
 * Loads a catalogue (categories, products, barcodes, variants) into an empty or existing register:
 * the demo seed and the benchmarks use it; a CSV import or a cloud pull can too. Barcodes are
 * stored under their catalogue key (13-digit GTIN form; see src/shared/barcode.ts).
 */
import type { Db } from '../db/open';
import { DEFAULT_EMBEDDED_LAYOUT, catalogueKey, type EmbeddedLayout } from '../../shared/barcode';

export interface CatalogueInput {
  categories: readonly { code: string; nameZh: string; nameEn: string; sort: number }[];
  products: readonly {
    sku: string;
    category: string;
    nameZh: string;
    nameEn: string;
    price: number;
    barcodes: readonly string[];
    favouriteRank?: number | undefined;
    /** The product this one is a variant of; it must be in the same input or already stored. */
    parentSku?: string | undefined;
  }[];
}

export class CatalogueImportError extends Error {
  readonly code = 'CATALOGUE_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'CatalogueImportError';
  }
}

/** All or nothing: one transaction (a savepoint when the caller already has one). */
export function importCatalogue(db: Db, input: CatalogueInput, layout: EmbeddedLayout = DEFAULT_EMBEDDED_LAYOUT): { products: number; barcodes: number } {
  const insertCategory = db.prepare('INSERT INTO category (code, name_zh, name_en, sort) VALUES (:code, :nameZh, :nameEn, :sort)');
  const insertProduct = db.prepare(
    `INSERT INTO product (sku, category_id, name_zh, name_en, price, favourite_rank)
     VALUES (:sku, (SELECT id FROM category WHERE code = :category), :nameZh, :nameEn, :price, :favouriteRank)`,
  );
  const insertBarcode = db.prepare('INSERT INTO barcode (code, product_id) VALUES (:code, :productId)');
  const setParent = db.prepare('UPDATE product SET parent_id = (SELECT id FROM product WHERE sku = :parentSku) WHERE sku = :sku');
  const parentExists = db.prepare<{ sku: string }, number>('SELECT 1 FROM product WHERE sku = :sku').pluck();

  return db.transaction(() => {
    let barcodes = 0;
    // 1. categories
    for (const c of input.categories) insertCategory.run(c);
    // 2. products and their barcodes
    for (const p of input.products) {
      const productId = insertProduct.run({ sku: p.sku, category: p.category, nameZh: p.nameZh, nameEn: p.nameEn, price: p.price, favouriteRank: p.favouriteRank ?? null }).lastInsertRowid;
      for (const raw of p.barcodes) {
        const code = catalogueKey(raw, layout);
        if (code === null) throw new CatalogueImportError(`${p.sku}: barcode ${raw.slice(0, 20)} can never be scanned (wrong check digit or not a code)`);
        try {
          insertBarcode.run({ code, productId });
        } catch (error) {
          if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') throw new CatalogueImportError(`${p.sku}: barcode ${raw} is already used by another product`);
          throw error;
        }
        barcodes++;
      }
    }
    // 3. variants, once every parent exists whatever the input order
    for (const p of input.products) {
      if (p.parentSku === undefined) continue;
      if (parentExists.get({ sku: p.parentSku }) === undefined) throw new CatalogueImportError(`${p.sku}: parent ${p.parentSku} does not exist`);
      setParent.run({ parentSku: p.parentSku, sku: p.sku });
    }
    return { products: input.products.length, barcodes };
  })();
}
