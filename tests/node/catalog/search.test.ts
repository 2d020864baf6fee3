import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { appPaths } from '../../../src/main/app-paths';
import { importCatalogue, type CatalogueInput } from '../../../src/main/catalog/catalog-import';
import { ftsExpression, parseSearchText, searchProducts, SEARCH_MAX_LIMIT } from '../../../src/main/catalog/search';
import { PosError } from '../../../src/shared/errors';
import { embeddedBarcode } from '../../../src/shared/barcode';
import { openShop, useCatalogDb } from './catalog-db';

const catalog = useCatalogDb();
const skus = (products: { sku: string }[]) => products.map((p) => p.sku);

describe('product search', () => {
  it('finds a two-character Chinese word inside a name (奶茶 finds 港式奶茶), exact name first', () => {
    const db = openShop(catalog);
    const found = skus(searchProducts(db, '奶茶'));
    expect(found[0]).toBe('DRI-0003'); // 奶茶: the whole name
    expect(found[1]).toBe('DRI-0004'); // 奶茶粉: starts with it
    expect(found).toEqual(expect.arrayContaining(['DRI-0001', 'DRI-0005']));
    expect(found).not.toContain('DRI-0002');
  });

  it('finds one Chinese character anywhere, favourites first among equals', () => {
    const db = openShop(catalog);
    const found = skus(searchProducts(db, '茶'));
    expect(found.slice(0, 2)).toEqual(['DRI-0001', 'DRI-0002']); // favourites 1 and 2
    expect(found).toEqual(expect.arrayContaining(['DRI-0003', 'DRI-0004', 'DRI-0005', 'DRI-0007']));
    expect(found).toHaveLength(6);
  });

  it('finds three or more Chinese characters anywhere', () => {
    const db = openShop(catalog);
    expect(skus(searchProducts(db, '式奶茶'))).toEqual(['DRI-0001']);
    expect(skus(searchProducts(db, '絲襪奶茶 500'))).toEqual(['DRI-0005']);
  });

  it('finds English substrings in any case (milk finds Milk Tea), prefix matches first', () => {
    const db = openShop(catalog);
    const found = skus(searchProducts(db, 'milk'));
    // The SKU MILK is the text exactly; "Milk Tea" and "Milk Tea Powder…" start with it; then favourite 1.
    expect(found.slice(0, 4)).toEqual(['MILK', 'DRI-0003', 'DRI-0004', 'DRI-0001']);
    expect(found).toEqual(expect.arrayContaining(['DRI-0005', 'DRI-0006']));
    expect(skus(searchProducts(db, 'MiLk TeA'))).toEqual(skus(searchProducts(db, 'milk tea')));
    expect(skus(searchProducts(db, 'ilk te'))).toEqual(expect.arrayContaining(['DRI-0001', 'DRI-0003']));
  });

  it('matches two letters at the start of English words, not inside them', () => {
    const db = openShop(catalog);
    const found = skus(searchProducts(db, 'Mi'));
    expect(found).toEqual(expect.arrayContaining(['DRI-0001', 'DRI-0003', 'DRI-0006']));
    expect(skus(searchProducts(db, 'as'))).not.toContain('DRI-0007'); // J-as-mine
    expect(skus(searchProducts(db, 'ja'))).toContain('DRI-0007');
  });

  it('a single letter matches names and SKUs that start with it', () => {
    const db = openShop(catalog);
    // All three start with "m"; shorter English names first: Milk Tea, Dairy Special (SKU MILK), Milk Tea Powder….
    expect(skus(searchProducts(db, 'm'))).toEqual(['DRI-0003', 'MILK', 'DRI-0004']);
  });

  it('finds by SKU prefix and exact SKU, exact first', () => {
    const db = openShop(catalog);
    expect(skus(searchProducts(db, 'hou-0100'))).toEqual(['HOU-0100', 'HOU-0100-RD', 'HOU-0100-BK']); // then shorter names
    expect(skus(searchProducts(db, 'DRI-000')).slice(0, 3)).toEqual(['DRI-0001', 'DRI-0002', 'DRI-0003']); // favourites, then shorter names
    expect(skus(searchProducts(db, 'milk'))).toContain('MILK');
    expect(skus(searchProducts(db, 'MILK'))[0]).toBe('MILK'); // the exact SKU beats names that start with it
  });

  it('finds a barcode typed into the search box, and a price label', () => {
    const db = openShop(catalog);
    expect(skus(searchProducts(db, '036000291452'))).toEqual(['DRI-0008']);
    expect(skus(searchProducts(db, embeddedBarcode('20', '20001', 880)))).toEqual(['DEL-0001']);
  });

  it('returns variants with their parent SKU', () => {
    const db = openShop(catalog);
    const found = searchProducts(db, '雨傘');
    expect(found.map((p) => [p.sku, p.parentSku])).toEqual([
      ['HOU-0100', null],
      ['HOU-0100-BK', 'HOU-0100'],
      ['HOU-0100-RD', 'HOU-0100'],
    ]);
  });

  it('treats FTS5 syntax in user text as characters, never as an error', () => {
    const db = openShop(catalog);
    const nasty = [
      '"',
      '""',
      "'",
      '*',
      'milk*',
      '"milk',
      'AND',
      'milk AND tea',
      'NOT milk',
      'NEAR(milk tea)',
      'NEAR(',
      'name_en:milk',
      '^milk',
      '(',
      ')',
      '-milk',
      '+',
      '{a b}',
      ':',
      '奶茶"',
      'OR',
      '%',
      '_',
      '\\',
      "'; DROP TABLE product; --",
    ];
    for (const text of nasty) expect(() => searchProducts(db, text), text).not.toThrow();
    expect(skus(searchProducts(db, 'milk AND tea'))).toEqual([]); // "and" is a word no product has
    expect(skus(searchProducts(db, '"milk"'))).toEqual([]);
    expect(db.prepare('SELECT count(*) FROM product').pluck().get()).toBeGreaterThan(0);
  });

  it('never throws on any text up to the length limit, and never returns more than asked', () => {
    const db = openShop(catalog);
    fc.assert(
      fc.property(fc.string({ maxLength: 20, unit: 'grapheme' }), fc.integer({ min: -5, max: 500 }), (text, limit) => {
        const found = searchProducts(db, text, { limit });
        expect(found.length).toBeLessThanOrEqual(Math.min(SEARCH_MAX_LIMIT, Math.max(1, limit)));
      }),
      { numRuns: 300 },
    );
  });

  it('answers empty or blank text with nothing, and over-long text with BAD_REQUEST', () => {
    const db = openShop(catalog);
    expect(searchProducts(db, '')).toEqual([]);
    expect(searchProducts(db, ' \t\r\n\u200b')).toEqual([]);
    expect(() => searchProducts(db, '奶'.repeat(101))).toThrowError(PosError);
    try {
      searchProducts(db, 'x'.repeat(10_000));
    } catch (error) {
      expect((error as PosError).code).toBe('BAD_REQUEST');
    }
  });

  it('does not find inactive products', () => {
    const db = openShop(catalog);
    db.prepare("UPDATE product SET active = 0 WHERE sku = 'DRI-0003'").run();
    expect(skus(searchProducts(db, '奶茶'))).not.toContain('DRI-0003');
    expect(skus(searchProducts(db, 'milk tea'))).not.toContain('DRI-0003');
    expect(skus(searchProducts(db, 'DRI-0003'))).toEqual([]);
  });
});

describe('search text', () => {
  it('splits terms by length: 3+ for FTS, 1–2 with Chinese or two letters for the n-gram index', () => {
    expect(parseSearchText('  港式  奶茶 Milk 5 te  ')).toEqual({
      text: '港式 奶茶 milk 5 te',
      long: ['milk'],
      short: ['港式', '奶茶', 'te'],
    });
    expect(parseSearchText('奶,')).toMatchObject({ short: ['奶'] });
  });

  it('quotes every FTS term so nothing in it is syntax', () => {
    expect(ftsExpression(['milk', 'a"b', 'near('])).toBe('"milk" AND "a""b" AND "near("');
  });
});

describe('search on the demo shop', () => {
  const demo = JSON.parse(readFileSync(join(appPaths().assetsDir, 'demo', 'store.json'), 'utf8')) as CatalogueInput;

  it('limits results (default 20, at most 50) on a few thousand products', () => {
    const db = catalog.open();
    importCatalogue(db, demo);
    expect(searchProducts(db, '茶')).toHaveLength(20);
    expect(searchProducts(db, '茶', { limit: 1000 })).toHaveLength(50);
    expect(searchProducts(db, 'tea', { limit: 5 })).toHaveLength(5);
    expect(searchProducts(db, '奶茶')[0]).toMatchObject({ sku: 'DRI-0001' }); // favourite 1
    expect(searchProducts(db, 'chips').every((p) => /chips/i.test(p.nameEn))).toBe(true);
    expect(searchProducts(db, '薯片').every((p) => p.nameZh.includes('薯片'))).toBe(true);
  });
});
