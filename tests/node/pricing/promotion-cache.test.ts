/** The promotions checkout prices every scan with: kept parsed between scans, read again after a change. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { appPaths } from '../../../src/main/app-paths';
import { openDatabase, type Db } from '../../../src/main/db/open';
import { demoPromotions } from '../../../src/main/pricing/demo-promotions';
import { createPromotionCache } from '../../../src/main/pricing/promotion-cache';
import { upsertPromotion } from '../../../src/main/pricing/promotion-repo';
import { useTempDirs } from '../helpers/temp-dir';

const tempDir = useTempDirs();
const open: Db[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

const NOW = Date.parse('2025-07-01T04:00:00Z');
const [milkTea, eggTarts] = demoPromotions as [(typeof demoPromotions)[number], (typeof demoPromotions)[number]];

function promotionDb(): { file: string; db: Db } {
  const file = join(tempDir(), 'register.db');
  const db = openDatabase(file);
  open.push(db);
  db.exec(readFileSync(join(appPaths().migrationsDir, '0003-promotions.sql'), 'utf8'));
  return { file, db };
}

describe('promotion cache', () => {
  it('parses the promotions once and serves the same objects until the table changes', () => {
    const { db } = promotionDb();
    upsertPromotion(db, milkTea);
    const cache = createPromotionCache(db);
    const first = cache.activeAt(NOW).promotions;
    expect(first.map((p) => p.code)).toEqual([milkTea.code]);
    // Cached: the very same parsed object, not a re-read copy.
    expect(cache.activeAt(NOW + 1).promotions[0]).toBe(first[0]);
  });

  it('an edit on the same connection is seen at the next scan; a rolled-back one is not', () => {
    const { db } = promotionDb();
    upsertPromotion(db, milkTea);
    const cache = createPromotionCache(db);
    expect(cache.activeAt(NOW).promotions.map((p) => p.nameEn)).toEqual([milkTea.nameEn]);

    upsertPromotion(db, { ...milkTea, nameEn: 'HK Milk Tea: 2nd at 60%', priority: 5 });
    expect(cache.activeAt(NOW).promotions.map((p) => p.nameEn)).toEqual(['HK Milk Tea: 2nd at 60%']);

    const before = cache.activeAt(NOW).promotions[0];
    expect(() =>
      db.transaction(() => {
        upsertPromotion(db, eggTarts);
        throw new Error('the edit failed');
      })(),
    ).toThrow('the edit failed');
    expect(cache.activeAt(NOW).promotions[0]).toBe(before);

    db.prepare('UPDATE promotion SET active = 0').run();
    expect(cache.activeAt(NOW).promotions).toEqual([]);
  });

  it('a pull committed by another connection (the sync worker) is seen at the next scan', () => {
    const { file, db } = promotionDb();
    upsertPromotion(db, milkTea);
    const cache = createPromotionCache(db);
    expect(cache.activeAt(NOW).promotions.map((p) => p.code)).toEqual([milkTea.code]);

    const worker = openDatabase(file);
    open.push(worker);
    upsertPromotion(worker, eggTarts);
    expect(cache.activeAt(NOW).promotions.map((p) => p.code)).toEqual([milkTea.code, eggTarts.code]);
    worker.prepare('DELETE FROM promotion WHERE id = :id').run({ id: milkTea.id });
    expect(cache.activeAt(NOW).promotions.map((p) => p.code)).toEqual([eggTarts.code]);
  });

  it('a promotion starts and ends on time without any change to the table', () => {
    const { db } = promotionDb();
    upsertPromotion(db, { ...eggTarts, startsAt: NOW + 1000, endsAt: NOW + 2000 });
    const cache = createPromotionCache(db);
    expect(cache.activeAt(NOW).promotions).toEqual([]);
    expect(cache.activeAt(NOW + 1000).promotions.map((p) => p.code)).toEqual([eggTarts.code]);
    expect(cache.activeAt(NOW + 2000).promotions).toEqual([]);
  });
});
