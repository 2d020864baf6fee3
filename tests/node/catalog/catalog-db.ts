import { join } from 'node:path';
import { afterEach } from 'vitest';
import { appPaths } from '../../../src/main/app-paths';
import { loadMigrations, migrate, type Migration } from '../../../src/main/db/migrate';
import { openDatabase, type Db } from '../../../src/main/db/open';
import { importCatalogue, type CatalogueInput } from '../../../src/main/catalog/catalog-import';
import { useTempDirs } from '../helpers/temp-dir';

export type CatalogueProduct = CatalogueInput['products'][number];

/** A real register.db in a temp folder, migrated by the shipped migrations (or the first `upTo`). */
export function useCatalogDb(): { open(upTo?: number): Db; migrations: Migration[] } {
  const tempDir = useTempDirs();
  const open: Db[] = [];
  afterEach(() => {
    for (const db of open.splice(0)) if (db.open) db.close();
  });
  const migrations = loadMigrations(appPaths().migrationsDir);
  return {
    migrations,
    open(upTo = migrations.length) {
      const db = openDatabase(join(tempDir(), 'register.db'));
      open.push(db);
      migrate(db, migrations.slice(0, upTo));
      return db;
    },
  };
}

export const CATEGORIES: CatalogueInput['categories'] = [
  { code: 'DRINK', nameZh: '飲品', nameEn: 'Drinks', sort: 0 },
  { code: 'SNACK', nameZh: '零食', nameEn: 'Snacks', sort: 1 },
  { code: 'FRUIT', nameZh: '水果', nameEn: 'Fruit', sort: 2 },
  { code: 'DELI', nameZh: '燒味', nameEn: 'Deli', sort: 3 },
  { code: 'HOUSE', nameZh: '家居', nameEn: 'Household', sort: 4 },
];

const p = (
  sku: string,
  category: string,
  nameZh: string,
  nameEn: string,
  price: number,
  barcodes: string[] = [],
  extra: Partial<CatalogueProduct> = {},
): CatalogueProduct => ({
  sku,
  category,
  nameZh,
  nameEn,
  price,
  barcodes,
  ...extra,
});

/** A small shop whose search answers can be reasoned about by hand. */
export const PRODUCTS: CatalogueProduct[] = [
  p('DRI-0001', 'DRINK', '港式奶茶', 'HK Milk Tea', 1800, ['4891234000012'], { favouriteRank: 1 }),
  p('DRI-0002', 'DRINK', '凍檸茶', 'Iced Lemon Tea', 1600, ['4891234000029'], { favouriteRank: 2 }),
  p('DRI-0003', 'DRINK', '奶茶', 'Milk Tea', 1500, ['4891234000036']),
  p('DRI-0004', 'DRINK', '奶茶粉 (10包)', 'Milk Tea Powder (10 sachets)', 3200, ['4891234000043']),
  p('DRI-0005', 'DRINK', '絲襪奶茶 500毫升', 'Silk Stocking Milk Tea 500ml', 1200, ['4891234000050']),
  p('DRI-0006', 'DRINK', '鮮奶 946毫升', 'Fresh Milk 946ml', 2590, ['4891234000067']),
  p('DRI-0007', 'DRINK', '茉莉花茶', 'Jasmine Tea', 900, ['4891234000074']),
  p('DRI-0008', 'DRINK', '美國能量飲品', 'Energy Drink (US)', 1890, ['036000291452']), // stored from its UPC-A form
  p('SNA-0001', 'SNACK', '薯片 原味 70克', 'Potato Chips Original 70g', 1290, ['4891234000111']),
  p('SNA-0002', 'SNACK', '美國牛肉乾', 'Beef Jerky (US)', 4590, ['01234565']), // UPC-E of 012345000065
  p('SNA-0003', 'SNACK', '日本潤唇膏', 'Lip Cream (JP)', 3290, ['96385074']), // EAN-8
  p('FRU-0001', 'FRUIT', '富士蘋果 (每公斤)', 'Fuji Apples (per kg)', 3800, ['2510001000001']), // PLU 10001, weighed
  p('DEL-0001', 'DELI', '叉燒 (每公斤)', 'Char Siu (per kg)', 22000, ['2020001000005']), // PLU 20001, price label
  p('HOU-0001', 'HOUSE', 'AA 電池 (4粒)', 'AA Batteries (4)', 3490, ['4891234000128']),
  p('HOU-0100', 'HOUSE', '摺疊雨傘', 'Folding Umbrella', 8900),
  p('HOU-0100-BK', 'HOUSE', '摺疊雨傘 黑色', 'Folding Umbrella Black', 8900, ['4891234000135'], { parentSku: 'HOU-0100' }),
  p('HOU-0100-RD', 'HOUSE', '摺疊雨傘 紅色', 'Folding Umbrella Red', 8900, ['4891234000142'], { parentSku: 'HOU-0100' }),
  p('MILK', 'DRINK', '牛奶公司特選', 'Dairy Special', 990, []),
];

export function openShop(catalog: { open(upTo?: number): Db }): Db {
  const db = catalog.open();
  importCatalogue(db, { categories: CATEGORIES, products: PRODUCTS });
  return db;
}

export const idOf = (db: Db, sku: string): number =>
  db.prepare<[string], number>('SELECT id FROM product WHERE sku = ?').pluck().get(sku) as number;
