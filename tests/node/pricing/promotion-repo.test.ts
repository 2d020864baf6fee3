import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { appPaths } from '../../../src/main/app-paths';
import { openDatabase, type Db } from '../../../src/main/db/open';
import { demoPromotions } from '../../../src/main/pricing/demo-promotions';
import { priceCart } from '../../../src/main/pricing/price-cart';
import { loadActivePromotions, upsertPromotion } from '../../../src/main/pricing/promotion-repo';
import { PosError } from '../../../src/shared/errors';
import { useTempDirs } from '../helpers/temp-dir';
import { EGG_TART, MILK_TEA, NOW, PINEAPPLE_BUN, cart, line, promotion } from './cart-builders';

const tempDir = useTempDirs();
let db: Db | null = null;
afterEach(() => {
  db?.close();
  db = null;
});

/** A real database file with the promotion table. 0003 stands alone (no foreign keys), so it is applied by itself. */
function promotionDb(): Db {
  db = openDatabase(join(tempDir(), 'register.db'));
  db.exec(readFileSync(join(appPaths().migrationsDir, '0003-promotions.sql'), 'utf8'));
  return db;
}

function insertRaw(
  target: Db,
  row: { id: number; code: string; kind: string; params: string; starts_at?: number | null; ends_at?: number | null; active?: number },
): void {
  target
    .prepare(
      'INSERT INTO promotion (id, code, name_zh, name_en, kind, params, starts_at, ends_at, active) VALUES (:id, :code, :code, :code, :kind, :params, :starts_at, :ends_at, :active)',
    )
    .run({ starts_at: null, ends_at: null, active: 1, ...row });
}

describe('promotion repository', () => {
  it('stores the demo promotions and loads them back exactly', () => {
    const target = promotionDb();
    for (const p of demoPromotions) upsertPromotion(target, p);
    expect(loadActivePromotions(target, NOW)).toEqual({ promotions: demoPromotions, problems: [] });
  });

  it('prices a demo cart from what it loads', () => {
    const target = promotionDb();
    for (const p of demoPromotions) upsertPromotion(target, p);
    const { promotions } = loadActivePromotions(target, NOW);
    const priced = priceCart(cart([line(1, MILK_TEA, 2), line(2, PINEAPPLE_BUN), line(3, EGG_TART, 3)], promotions));
    expect(priced.lines.map((l) => l.net)).toEqual([2700, 765, 1800]);
    expect(priced).toMatchObject({ subtotal: 6550, promotionTotal: 1285, total: 5265 });
  });

  it('skips a malformed row and reports it, never failing checkout', () => {
    const target = promotionDb();
    upsertPromotion(target, demoPromotions[0] as (typeof demoPromotions)[number]);
    insertRaw(target, { id: 50, code: 'FROM-THE-FUTURE', kind: 'spend_and_get', params: '{"spend": 10000}' });
    insertRaw(target, { id: 51, code: 'NO-PRICE', kind: 'bundle', params: '{"target": {"skus": ["BAK-0013"]}, "quantity": 3}' });
    insertRaw(target, {
      id: 52,
      code: 'OVER-100',
      kind: 'percent',
      params: '{"target": {"categoryCodes": ["BAKERY"]}, "basisPoints": 20000}',
    });
    const loaded = loadActivePromotions(target, NOW);
    expect(loaded.promotions.map((p) => p.id)).toEqual([1]);
    expect(loaded.problems.map((p) => [p.id, p.code])).toEqual([
      [50, 'FROM-THE-FUTURE'],
      [51, 'NO-PRICE'],
      [52, 'OVER-100'],
    ]);
    expect(loaded.problems[1]?.message).toMatch(/params\.price/);
  });

  it('loads only active promotions inside their window (ends exclusive)', () => {
    const target = promotionDb();
    const base = { kind: 'percent' as const, params: { target: { skus: ['X'] }, basisPoints: 500 } };
    upsertPromotion(target, promotion({ ...base, id: 1, code: 'OPEN' }));
    upsertPromotion(target, promotion({ ...base, id: 2, code: 'OFF', active: false }));
    upsertPromotion(target, promotion({ ...base, id: 3, code: 'LATER', startsAt: NOW + 1 }));
    upsertPromotion(target, promotion({ ...base, id: 4, code: 'ENDED', endsAt: NOW }));
    upsertPromotion(target, promotion({ ...base, id: 5, code: 'NOW', startsAt: NOW, endsAt: NOW + 1 }));
    expect(loadActivePromotions(target, NOW).promotions.map((p) => p.code)).toEqual(['OPEN', 'NOW']);
  });

  it('updates a promotion in place by id', () => {
    const target = promotionDb();
    const bundle = demoPromotions[1] as Extract<(typeof demoPromotions)[number], { kind: 'bundle' }>;
    upsertPromotion(target, bundle);
    upsertPromotion(target, { ...bundle, params: { ...bundle.params, price: 1600 }, priority: 3 });
    const [loaded] = loadActivePromotions(target, NOW).promotions;
    expect(loaded).toMatchObject({ id: 2, priority: 3, params: { price: 1600 } });
    expect(target.prepare('SELECT count(*) FROM promotion').pluck().get()).toBe(1);
  });

  it('refuses a malformed promotion with BAD_REQUEST and writes nothing', () => {
    const target = promotionDb();
    const broken = {
      ...(demoPromotions[2] as (typeof demoPromotions)[number]),
      params: { target: {}, basisPoints: 1000 },
    } as (typeof demoPromotions)[number];
    expect(() => upsertPromotion(target, broken)).toThrow(PosError);
    expect(() => upsertPromotion(target, broken)).toThrow(/names at least one SKU, product or category/);
    expect(() =>
      upsertPromotion(target, { ...(demoPromotions[2] as (typeof demoPromotions)[number]), startsAt: NOW, endsAt: NOW }),
    ).toThrow(/endsAt must be after startsAt/);
    expect(target.prepare('SELECT count(*) FROM promotion').pluck().get()).toBe(0);
  });

  it('the table itself refuses params that are not a JSON object and backwards windows', () => {
    const target = promotionDb();
    expect(() => insertRaw(target, { id: 1, code: 'A', kind: 'percent', params: 'not json' })).toThrow(/CHECK constraint/);
    expect(() => insertRaw(target, { id: 2, code: 'B', kind: 'percent', params: '[1, 2]' })).toThrow(/CHECK constraint/);
    expect(() => insertRaw(target, { id: 3, code: 'C', kind: 'percent', params: '{}', starts_at: 10, ends_at: 5 })).toThrow(
      /CHECK constraint/,
    );
    expect(() => insertRaw(target, { id: 4, code: 'D', kind: 'percent', params: '{}', active: 2 })).toThrow(/CHECK constraint/);
    expect(() =>
      target
        .prepare(
          "INSERT INTO promotion (id, code, name_zh, name_en, kind, params, priority) VALUES (5, 'E', 'e', 'e', 'percent', '{}', 'high')",
        )
        .run(),
    ).toThrow(/cannot store TEXT value in INTEGER column/);
  });
});

describe('demo promotions', () => {
  it('name SKUs and categories the demo shop sells', () => {
    const store = JSON.parse(readFileSync(join(appPaths().assetsDir, 'demo', 'store.json'), 'utf8')) as {
      products: { sku: string; nameZh: string; price: number; category: string }[];
      categories: { code: string }[];
    };
    const skus = new Set(store.products.map((p) => p.sku));
    const categories = new Set(store.categories.map((c) => c.code));
    for (const p of demoPromotions) {
      if (p.kind === 'member_price') continue;
      for (const sku of p.params.target.skus ?? []) expect(skus).toContain(sku);
      for (const code of p.params.target.categoryCodes ?? []) expect(categories).toContain(code);
    }
    expect(store.products.find((p) => p.sku === 'DRI-0001')).toMatchObject({ nameZh: '港式奶茶', price: 1800 });
    expect(store.products.find((p) => p.sku === 'BAK-0013')).toMatchObject({ nameZh: '蛋撻', price: 700 });
    expect(store.products.find((p) => p.sku === 'BAK-0012')).toMatchObject({ nameZh: '菠蘿包', price: 850, category: 'BAKERY' });
  });
});
