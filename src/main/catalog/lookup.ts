/**
 * Scanned or typed code → product. A wrong check digit is `invalid` and never reaches the
 * database, so a misread can never sell the wrong product.
 *
 * Barcodes are stored under their catalogue key (13-digit GTIN form, see src/shared/barcode.ts),
 * but rows written in another form (a 12-digit UPC-A, an 8-digit EAN-8 or UPC-E, a GTIN-14) are
 * found too: lookup asks for every equivalent form in one primary-key probe.
 */
import type { Db } from '../db/open';
import {
  DEFAULT_EMBEDDED_LAYOUT,
  embeddedItemKey,
  gtinForms,
  normaliseCode,
  type EmbeddedLayout,
  type EmbeddedValueKind,
  type InvalidReason,
} from '../../shared/barcode';
import { productsByIds, type CatalogProduct } from './product-rows';
import { prepared } from '../db/prepared';

export type CodeLookup =
  | { kind: 'product'; product: CatalogProduct; matchedBy: 'barcode' | 'sku' }
  /** A variable-measure label: one cart line at this price (HKD cents) or weight (grams). */
  | { kind: 'embedded'; product: CatalogProduct; valueKind: EmbeddedValueKind; value: number; itemCode: string }
  /**
   * Well-formed, but no active product has it. `code` is its catalogue key: what to store in
   * barcode.code to register it (for a variable-measure label, the item's zero-value label).
   */
  | { kind: 'not-found'; code: string }
  /** "Misread, scan again": a GTIN-length number with a wrong check digit, or not a code at all. */
  | { kind: 'invalid'; reason: InvalidReason };

function productIdByBarcode(db: Db, forms: string[]): number | null {
  const rows = prepared<{ forms: string }, { code: string; product_id: number }>(
    db,
    `SELECT b.code, b.product_id FROM barcode b JOIN product p ON p.id = b.product_id
       WHERE p.active = 1 AND b.code IN (SELECT value FROM json_each(:forms))`,
  ).all({ forms: JSON.stringify(forms) });
  // Equivalent forms registered to two products: the earlier form (the canonical key) wins.
  for (const form of forms) {
    const row = rows.find((r) => r.code === form);
    if (row) return row.product_id;
  }
  return null;
}

function productIdBySku(db: Db, code: string): number | null {
  // SKUs are matched case-insensitively: a cashier types "dri-0001" for DRI-0001.
  const id = prepared<{ code: string }, number>(
    db,
    'SELECT id FROM product WHERE active = 1 AND upper(sku) = upper(:code) ORDER BY sku = :code DESC, id LIMIT 1',
  )
    .pluck()
    .get({ code });
  return id ?? null;
}

/**
 * What a code points at, by product id only: enough for a scan, which reads the product once,
 * when the cart line takes its snapshot. Only active products match.
 */
export type CodeMatch =
  | { kind: 'product'; productId: number; matchedBy: 'barcode' | 'sku' }
  | { kind: 'embedded'; productId: number; valueKind: EmbeddedValueKind; value: number; itemCode: string }
  | { kind: 'not-found'; code: string }
  | { kind: 'invalid'; reason: InvalidReason };

function byId(id: number | null, matchedBy: 'barcode' | 'sku'): CodeMatch | null {
  return id === null ? null : { kind: 'product', productId: id, matchedBy };
}

export function matchCode(db: Db, raw: string, layout: EmbeddedLayout = DEFAULT_EMBEDDED_LAYOUT): CodeMatch {
  const code = normaliseCode(raw, layout);
  switch (code.kind) {
    case 'invalid':
      return code;
    case 'gtin': {
      const forms = [...new Set([...gtinForms(code.gtin13), ...(code.alternative ? gtinForms(code.alternative) : []), raw.trim()])];
      return (
        byId(productIdByBarcode(db, forms), 'barcode') ??
        byId(productIdBySku(db, raw.trim()), 'sku') ?? { kind: 'not-found', code: code.gtin13 }
      );
    }
    case 'trade-unit':
      return byId(productIdByBarcode(db, [code.gtin14]), 'barcode') ?? { kind: 'not-found', code: code.gtin14 };
    case 'embedded': {
      const key = embeddedItemKey(code.prefix, code.itemCode, layout);
      const id = productIdByBarcode(db, [key]);
      if (id === null) return { kind: 'not-found', code: key };
      return { kind: 'embedded', productId: id, valueKind: code.valueKind, value: code.value, itemCode: code.itemCode };
    }
    case 'internal':
      return (
        byId(productIdByBarcode(db, [code.code]), 'barcode') ??
        byId(productIdBySku(db, code.code), 'sku') ?? { kind: 'not-found', code: code.code }
      );
  }
}

/** The code's product as the catalogue shows it (matchCode, then the product read once). */
export function lookupByCode(db: Db, raw: string, layout: EmbeddedLayout = DEFAULT_EMBEDDED_LAYOUT): CodeLookup {
  const match = matchCode(db, raw, layout);
  if (match.kind === 'not-found' || match.kind === 'invalid') return match;
  // matchCode and productsByIds both take active products only, on this connection, with no await between.
  const [product] = productsByIds(db, [match.productId]);
  if (!product) throw new Error(`product ${match.productId} matched a code but could not be read`);
  if (match.kind === 'product') return { kind: 'product', product, matchedBy: match.matchedBy };
  return { kind: 'embedded', product, valueKind: match.valueKind, value: match.value, itemCode: match.itemCode };
}
