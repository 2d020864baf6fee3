import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appPaths } from '../../../src/main/app-paths';
import { DemoStore } from '../../../src/main/demo/seed';
import { importCatalogue } from '../../../src/main/catalog/catalog-import';
import { lookupByCode } from '../../../src/main/catalog/lookup';
import { catalogueKey, embeddedBarcode, normaliseCode, withCheckDigit } from '../../../src/shared/barcode';
import { useCatalogDb } from './catalog-db';

const catalog = useCatalogDb();
const root = appPaths().root;
const store = DemoStore.parse(JSON.parse(readFileSync(join(appPaths().assetsDir, 'demo', 'store.json'), 'utf8')));

describe('the demo shop', () => {
  it('is what scripts/generate-catalogue.mjs writes (deterministic)', () => {
    const run = spawnSync(process.execPath, [join(root, 'scripts', 'generate-catalogue.mjs'), '--check'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('keeps the original 61 items first, with their SKUs, barcodes and favourites', () => {
    store.products.slice(0, 61).forEach((p, i) => {
      expect(p.sku.endsWith(String(i + 1).padStart(4, '0'))).toBe(true);
      expect(p.barcodes).toEqual([withCheckDigit(`489123400${String(i + 1).padStart(3, '0')}`)]);
    });
    const favourites = store.products.filter((p) => p.favouriteRank !== undefined).map((p) => [p.sku, p.favouriteRank]);
    expect(favourites).toEqual([
      ['DRI-0001', 1],
      ['DRI-0002', 2],
      ['DRI-0003', 3],
      ['DRI-0005', 4],
      ['BAK-0012', 5],
      ['BAK-0013', 6],
      ['BAK-0014', 7],
      ['BAK-0015', 8],
      ['BAK-0016', 9],
    ]);
    expect(store.products[0]).toMatchObject({ sku: 'DRI-0001', nameZh: '港式奶茶', nameEn: 'HK Milk Tea', price: 1800, category: 'DRINK' });
    expect(store.staff.map((s) => [s.code, s.role, s.pin])).toEqual([
      ['C001', 'cashier', '1234'],
      ['C002', 'cashier', '2345'],
      ['M001', 'manager', '9999'],
    ]);
    expect(store.store.code).toBe('MK01');
  });

  it('has a few thousand products with unique SKUs and scannable, unique barcodes', () => {
    expect(store.products.length).toBeGreaterThanOrEqual(2000);
    expect(new Set(store.products.map((p) => p.sku)).size).toBe(store.products.length);
    const keys = store.products.flatMap((p) => p.barcodes.map((code) => catalogueKey(code)));
    expect(keys).not.toContain(null);
    expect(new Set(keys).size).toBe(keys.length);
    const categories = new Set(store.categories.map((c) => c.code));
    expect(store.products.every((p) => categories.has(p.category))).toBe(true);
    // Prices are whole cents, mostly $x.x0.
    expect(store.products.filter((p) => p.price % 10 === 0).length / store.products.length).toBeGreaterThan(0.9);
  });

  it('sells weighed and deli items by variable-measure labels, and imported UPC/EAN-8 goods', () => {
    const kinds = store.products.flatMap((p) => p.barcodes.map((code) => normaliseCode(code)));
    expect(kinds.filter((k) => k.kind === 'embedded' && k.valueKind === 'weight').length).toBeGreaterThanOrEqual(10);
    expect(kinds.filter((k) => k.kind === 'embedded' && k.valueKind === 'price').length).toBeGreaterThanOrEqual(5);
    const db = catalog.open();
    importCatalogue(db, store);
    const apples = store.products.find((p) => p.nameEn.startsWith('Fuji Apples'));
    const itemCode = (apples?.barcodes[0] as string).slice(2, 7);
    expect(lookupByCode(db, embeddedBarcode('25', itemCode, 1_234))).toMatchObject({
      kind: 'embedded',
      valueKind: 'weight',
      value: 1_234,
      product: { sku: apples?.sku },
    });
    expect(lookupByCode(db, '01234565')).toMatchObject({ kind: 'product', product: { nameEn: 'Beef Jerky (US)' } }); // UPC-E
    expect(lookupByCode(db, '49012347')).toMatchObject({ kind: 'product', product: { nameEn: 'Lip Cream (JP)' } }); // EAN-8
  });
});
