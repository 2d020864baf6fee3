import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../../src/main/db/open';
import { migrate, schemaVersion } from '../../../src/main/db/migrate';
import { lookupByCode } from '../../../src/main/catalog/lookup';
import { searchProducts } from '../../../src/main/catalog/search';
import { openShop, useCatalogDb } from './catalog-db';

const catalog = useCatalogDb();
const skus = (products: { sku: string }[]) => products.map((p) => p.sku);

/** What the triggers maintain, and what it should be, recomputed from product. */
function ngramIndex(db: Db) {
  const rows = (sql: string) => (db.prepare(sql).raw().all() as unknown[][]).map((r) => r.join('|'));
  return {
    actual: rows('SELECT product_id, gram, sort_key FROM product_ngram ORDER BY 1, 2, 3'),
    expected: rows('SELECT product_id, gram, min(sort_key) FROM product_ngram_source GROUP BY 1, 2 ORDER BY 1, 2, 3'),
  };
}

function ftsRowids(db: Db, text: string): number[] {
  return db.prepare<[string], number>('SELECT rowid FROM product_fts WHERE product_fts MATCH ? ORDER BY rowid').pluck().all(`"${text}"`);
}

describe('search indexes follow the product table', () => {
  it('after inserts, renames, (de)activation, favourite changes and deletes', () => {
    const db = openShop(catalog);
    const insert = db.prepare('INSERT INTO product (sku, name_zh, name_en, price) VALUES (?, ?, ?, 100)');
    const id = Number(insert.run('NEW-1', '凍鴛鴦', 'Iced Yuenyeung').lastInsertRowid);
    expect(skus(searchProducts(db, '鴛鴦'))).toEqual(['NEW-1']);
    expect(skus(searchProducts(db, 'yuenyeung'))).toEqual(['NEW-1']);
    expect(ngramIndex(db).actual).toEqual(ngramIndex(db).expected);

    db.prepare("UPDATE product SET name_zh = '熱朱古力', name_en = 'Hot Chocolate' WHERE id = ?").run(id);
    expect(searchProducts(db, '鴛鴦')).toEqual([]);
    expect(searchProducts(db, 'yuenyeung')).toEqual([]);
    expect(skus(searchProducts(db, '朱古'))).toEqual(['NEW-1']);
    expect(skus(searchProducts(db, 'chocolate'))).toEqual(['NEW-1']);
    expect(ngramIndex(db).actual).toEqual(ngramIndex(db).expected);

    db.prepare("UPDATE product SET sku = 'HOT-1' WHERE id = ?").run(id);
    expect(skus(searchProducts(db, 'hot-'))).toEqual(['HOT-1']);
    expect(searchProducts(db, 'new-1')).toEqual([]);

    db.prepare('UPDATE product SET active = 0 WHERE id = ?').run(id);
    expect(searchProducts(db, '朱古')).toEqual([]);
    expect(ftsRowids(db, 'chocolate')).toEqual([]);
    db.prepare('UPDATE product SET active = 1 WHERE id = ?').run(id);
    expect(skus(searchProducts(db, '朱古'))).toEqual(['HOT-1']);

    // A favourite moves up among equals: the sort key in product_ngram changes with it.
    expect(skus(searchProducts(db, '古'))[0]).toBe('HOT-1');
    db.prepare("UPDATE product SET favourite_rank = 7 WHERE sku = 'HOT-1'").run();
    expect(ngramIndex(db).actual).toEqual(ngramIndex(db).expected);

    db.prepare('DELETE FROM product WHERE id = ?').run(id);
    expect(searchProducts(db, '朱古')).toEqual([]);
    expect(ftsRowids(db, 'chocolate')).toEqual([]);
    expect(db.prepare('SELECT count(*) FROM product_ngram WHERE product_id = ?').pluck().get(id)).toBe(0);
    expect(ngramIndex(db).actual).toEqual(ngramIndex(db).expected);
  });

  it('an update that changes nothing searchable leaves the index alone', () => {
    const db = openShop(catalog);
    const before = ngramIndex(db).actual;
    db.prepare("UPDATE product SET price = price + 100, name_zh = name_zh WHERE sku = 'DRI-0001'").run();
    expect(ngramIndex(db).actual).toEqual(before);
    expect(skus(searchProducts(db, '港式'))).toEqual(['DRI-0001']);
  });

  it('stays equal to a recomputation under any sequence of changes', () => {
    const db = openShop(catalog);
    const names = ['港式奶茶', '奶茶奶茶', '茶', 'AA 電池 (4粒)', '（特價）凍檸茶', 'Ａ４紙', '', '雞蛋仔', '𠝹雞'];
    const english = ['Milk Tea', 'milk  milk', 'A4 Paper', '', 'Egg-waffle', 'X'];
    const ids = db.prepare<[], number>('SELECT id FROM product').pluck().all();
    const change = fc.record({
      id: fc.constantFrom(...ids),
      zh: fc.constantFrom(...names),
      en: fc.constantFrom(...english),
      active: fc.constantFrom(0, 1),
      favourite: fc.option(fc.integer({ min: 1, max: 50 }), { nil: null }),
    });
    fc.assert(
      fc.property(fc.array(change, { maxLength: 12 }), (changes) => {
        db.transaction(() => {
          for (const c of changes) {
            db.prepare('UPDATE product SET name_zh = ?, name_en = ?, active = ?, favourite_rank = ? WHERE id = ?').run(
              c.zh,
              c.en,
              c.active,
              c.favourite,
              c.id,
            );
          }
        })();
        const { actual, expected } = ngramIndex(db);
        expect(actual).toEqual(expected);
        const active = db.prepare<[], number>('SELECT id FROM product WHERE active = 1 ORDER BY id').pluck().all();
        expect(db.prepare<[], number>('SELECT rowid FROM product_fts ORDER BY rowid').pluck().all()).toEqual(active);
        for (const row of db
          .prepare<[], { id: number; name_zh: string; active: number }>('SELECT id, name_zh, active FROM product')
          .all()) {
          if ([...row.name_zh].length < 3) continue;
          expect(ftsRowids(db, row.name_zh).includes(row.id)).toBe(row.active === 1);
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe('migration 0002 on a register that already has 0001 data', () => {
  it('indexes existing products and rewrites their barcodes to 13-digit keys', () => {
    const db = catalog.open(1);
    expect(schemaVersion(db)).toBe(1);
    // 1. what a 0001 register holds
    db.exec(`
      INSERT INTO category (id, code, name_zh, name_en) VALUES (1, 'DRINK', '飲品', 'Drinks');
      INSERT INTO product (id, sku, category_id, name_zh, name_en, price, favourite_rank) VALUES
        (1, 'DRI-0001', 1, '港式奶茶', 'HK Milk Tea', 1800, 1),
        (2, 'DRI-0002', 1, '凍檸茶', 'Iced Lemon Tea', 1600, NULL),
        (3, 'DRI-0009', 1, '美國能量飲品', 'Energy Drink (US)', 1890, NULL),
        (4, 'OLD-0001', 1, '停售奶茶', 'Discontinued Milk Tea', 100, NULL);
      UPDATE product SET active = 0 WHERE id = 4;
      INSERT INTO barcode (code, product_id) VALUES ('4891234000012', 1), ('04891234000029', 2), ('036000291452', 3);
    `);
    // 2. migrate, with the runner the register uses
    migrate(db, catalog.migrations.slice(0, 2));
    expect(schemaVersion(db)).toBe(2);
    // the later migrations leave the search index alone; today's code reads today's schema
    migrate(db, catalog.migrations);
    // 3. search finds them, by every path
    expect(skus(searchProducts(db, '奶茶'))).toEqual(['DRI-0001']);
    expect(skus(searchProducts(db, '檸'))).toEqual(['DRI-0002']);
    expect(skus(searchProducts(db, 'lemon'))).toEqual(['DRI-0002']);
    expect(skus(searchProducts(db, 'energy'))).toEqual(['DRI-0009']);
    expect(skus(searchProducts(db, 'dri-000'))).toEqual(['DRI-0001', 'DRI-0002', 'DRI-0009']);
    expect(ngramIndex(db).actual).toEqual(ngramIndex(db).expected);
    // 4. barcodes are keyed by their 13-digit form and found by every form
    expect(db.prepare('SELECT code FROM barcode ORDER BY product_id').pluck().all()).toEqual([
      '4891234000012',
      '4891234000029',
      '0036000291452',
    ]);
    expect(lookupByCode(db, '036000291452')).toMatchObject({ kind: 'product', product: { sku: 'DRI-0009' } });
    expect(lookupByCode(db, '4891234000029')).toMatchObject({ kind: 'product', product: { sku: 'DRI-0002' } });
  });
});
