import { describe, expect, it } from 'vitest';
import { lookupByCode } from '../../../src/main/catalog/lookup';
import { lookupProduct } from '../../../src/main/catalog/catalog-repo';
import { importCatalogue, CatalogueImportError } from '../../../src/main/catalog/catalog-import';
import { DEFAULT_EMBEDDED_LAYOUT, embeddedBarcode, withCheckDigit, type EmbeddedLayout } from '../../../src/shared/barcode';
import { snapshotDatabase } from '../helpers/db-snapshot';
import { CATEGORIES, idOf, openShop, useCatalogDb } from './catalog-db';

const catalog = useCatalogDb();

const skuOf = (result: ReturnType<typeof lookupByCode>) => ('product' in result ? result.product.sku : result.kind);

describe('lookup by scanned code', () => {
  it('finds a product by EAN-13 and says it matched a barcode', () => {
    const db = openShop(catalog);
    expect(lookupByCode(db, '4891234000012')).toMatchObject({
      kind: 'product',
      matchedBy: 'barcode',
      product: { sku: 'DRI-0001', nameZh: '港式奶茶', price: 1800, parentSku: null },
    });
  });

  it('finds the same product by UPC-A, its EAN-13 form and its GTIN-14 form', () => {
    const db = openShop(catalog);
    for (const code of ['036000291452', '0036000291452', '00036000291452']) expect(skuOf(lookupByCode(db, code))).toBe('DRI-0008');
  });

  it('finds a UPC-E product by UPC-E, UPC-A and EAN-13', () => {
    const db = openShop(catalog);
    for (const code of ['01234565', '012345000065', '0012345000065']) expect(skuOf(lookupByCode(db, code))).toBe('SNA-0002');
  });

  it('finds an EAN-8 product by EAN-8 and by its zero-padded forms', () => {
    const db = openShop(catalog);
    for (const code of ['96385074', '0000096385074', '00000096385074']) expect(skuOf(lookupByCode(db, code))).toBe('SNA-0003');
  });

  it('stores barcodes under their 13-digit key', () => {
    const db = openShop(catalog);
    const codes = db.prepare<[number], string>('SELECT code FROM barcode WHERE product_id = ?').pluck();
    expect(codes.all(idOf(db, 'DRI-0008'))).toEqual(['0036000291452']);
    expect(codes.all(idOf(db, 'SNA-0002'))).toEqual(['0012345000065']);
    expect(codes.all(idOf(db, 'SNA-0003'))).toEqual(['0000096385074']);
  });

  it('finds rows written in another form by an older writer (12-digit UPC-A, 8-digit UPC-E)', () => {
    const db = openShop(catalog);
    db.prepare("UPDATE barcode SET code = '036000291452' WHERE code = '0036000291452'").run();
    db.prepare("UPDATE barcode SET code = '01234565' WHERE code = '0012345000065'").run();
    expect(skuOf(lookupByCode(db, '0036000291452'))).toBe('DRI-0008');
    expect(skuOf(lookupByCode(db, '012345000065'))).toBe('SNA-0002');
  });

  it('a wrong check digit never finds a product, even one whose barcode differs only there', () => {
    const db = openShop(catalog);
    for (let d = 0; d <= 9; d++) {
      const code = `489123400001${d}`;
      const result = lookupByCode(db, code);
      if (d === 2) expect(skuOf(result)).toBe('DRI-0001');
      else expect(result).toEqual({ kind: 'invalid', reason: 'check-digit' });
    }
    // Even when someone stored the misread code itself.
    db.prepare("INSERT INTO barcode (code, product_id) VALUES ('4891234000013', ?)").run(idOf(db, 'DRI-0002'));
    expect(lookupByCode(db, '4891234000013')).toEqual({ kind: 'invalid', reason: 'check-digit' });
    expect(lookupProduct(db, '4891234000013')).toBeNull();
  });

  it('answers a 10,000-digit "barcode" and control characters with invalid, without a query', () => {
    const db = openShop(catalog);
    db.close(); // proves no query runs: a closed connection would throw
    expect(lookupByCode(db, '9'.repeat(10_000))).toEqual({ kind: 'invalid', reason: 'length' });
    expect(lookupByCode(db, 'DRI-0001\u0007')).toEqual({ kind: 'invalid', reason: 'characters' });
  });

  it('a well-formed unknown code is not-found, with the key to register it under', () => {
    const db = openShop(catalog);
    expect(lookupByCode(db, '012345678905')).toEqual({ kind: 'not-found', code: '0012345678905' });
    expect(lookupByCode(db, 'NO-SUCH-SKU')).toEqual({ kind: 'not-found', code: 'NO-SUCH-SKU' });
  });

  it('finds SKUs typed in any case, and internal codes', () => {
    const db = openShop(catalog);
    expect(lookupByCode(db, 'dri-0002')).toMatchObject({ kind: 'product', matchedBy: 'sku', product: { sku: 'DRI-0002' } });
    db.prepare("INSERT INTO barcode (code, product_id) VALUES ('SHELF-17', ?)").run(idOf(db, 'DRI-0003'));
    expect(lookupByCode(db, 'SHELF-17')).toMatchObject({ kind: 'product', matchedBy: 'barcode', product: { sku: 'DRI-0003' } });
  });

  it('does not sell inactive products', () => {
    const db = openShop(catalog);
    db.prepare("UPDATE product SET active = 0 WHERE sku = 'DRI-0001'").run();
    expect(lookupByCode(db, '4891234000012')).toEqual({ kind: 'not-found', code: '4891234000012' });
    expect(lookupByCode(db, 'DRI-0001').kind).toBe('not-found');
  });

  it('returns the parent SKU of a variant', () => {
    const db = openShop(catalog);
    expect(lookupByCode(db, '4891234000135')).toMatchObject({ product: { sku: 'HOU-0100-BK', parentSku: 'HOU-0100' } });
  });
});

describe('variable-measure labels', () => {
  it('a price label becomes its product with the printed price (cents)', () => {
    const db = openShop(catalog);
    const label = embeddedBarcode('20', '20001', 4_560); // HK$45.60 of char siu
    expect(lookupByCode(db, label)).toMatchObject({
      kind: 'embedded',
      valueKind: 'price',
      value: 4_560,
      itemCode: '20001',
      product: { sku: 'DEL-0001' },
    });
    expect(lookupProduct(db, label)).toMatchObject({ sku: 'DEL-0001' });
  });

  it('a weight label becomes its product with the weight (grams)', () => {
    const db = openShop(catalog);
    expect(lookupByCode(db, withCheckDigit('251000101250'))).toMatchObject({
      kind: 'embedded',
      valueKind: 'weight',
      value: 1_250,
      product: { sku: 'FRU-0001' },
    });
  });

  it('an unknown item code is not-found with the item key, and a misread label is invalid', () => {
    const db = openShop(catalog);
    expect(lookupByCode(db, embeddedBarcode('20', '99999', 100))).toEqual({ kind: 'not-found', code: withCheckDigit('209999900000') });
    const label = embeddedBarcode('25', '10001', 500);
    expect(lookupByCode(db, label.slice(0, 12) + String((Number(label[12]) + 3) % 10))).toEqual({ kind: 'invalid', reason: 'check-digit' });
  });

  it('follows the shop layout', () => {
    const db = openShop(catalog);
    const layout: EmbeddedLayout = { prefixes: { '21': 'price' }, itemDigits: 6, valueDigits: 4, priceDecimals: 1, weightDecimals: 3 };
    importCatalogue(
      db,
      {
        categories: [],
        products: [
          {
            sku: 'DEL-0100',
            category: 'DELI',
            nameZh: '燒鵝',
            nameEn: 'Roast Goose',
            price: 36_000,
            barcodes: [embeddedBarcode('21', '123456', 0, layout)],
          },
        ],
      },
      layout,
    );
    expect(lookupByCode(db, embeddedBarcode('21', '123456', 8_850, layout), layout)).toMatchObject({
      kind: 'embedded',
      value: 8_850,
      product: { sku: 'DEL-0100' },
    });
    // Under the default layout the same label is another item code and price.
    expect(lookupByCode(db, embeddedBarcode('21', '123456', 8_850, layout), DEFAULT_EMBEDDED_LAYOUT).kind).toBe('not-found');
  });
});

describe('catalogue import', () => {
  it('refuses a barcode that can never scan, and writes nothing', () => {
    const db = catalog.open();
    const before = snapshotDatabase(db.name);
    const bad = { sku: 'X-1', category: 'DRINK', nameZh: '測試', nameEn: 'Test', price: 100, barcodes: ['4891234000013'] };
    expect(() => importCatalogue(db, { categories: CATEGORIES, products: [bad] })).toThrowError(CatalogueImportError);
    expect(snapshotDatabase(db.name)).toBe(before);
  });

  it('refuses equivalent barcodes on two products and a missing parent', () => {
    const db = catalog.open();
    const item = (sku: string, barcodes: string[], parentSku?: string) => ({
      sku,
      category: 'DRINK',
      nameZh: sku,
      nameEn: sku,
      price: 100,
      barcodes,
      parentSku,
    });
    expect(() =>
      importCatalogue(db, { categories: CATEGORIES, products: [item('A', ['036000291452']), item('B', ['0036000291452'])] }),
    ).toThrowError(/also on A/);
    expect(() => importCatalogue(db, { categories: CATEGORIES, products: [item('A', [], 'NOPE')] })).toThrowError(/parent NOPE/);
    expect(db.prepare('SELECT count(*) FROM product').pluck().get()).toBe(0);
  });
});
