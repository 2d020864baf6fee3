/**
 * A change page that goes backwards (a cache or a replaying proxy between the register and the
 * cloud answers an older page of the feed): the register must not put older product names, prices
 * or stock back over newer ones, nor move its cursor back. Real register (SQLite and its sync
 * worker), real cloud (PostgreSQL), the fault proxy answering the pulls with the older page.
 */
import { describe, expect, it } from 'vitest';
import { upsertProduct } from '../../../cloud/domain/catalogue';
import { openDatabase } from '../../../src/main/db/open';
import type { Register } from '../../../src/main/register';
import { enrolRegister } from '../cloud/helpers';
import { call as cloudCall } from '../../support/register-documents';
import { MILK_TEA, TEST_TUNING, call, createCloudShop, enrol, enrolmentCode, eventually, syncStatus, useSyncRig } from './helpers';
import { startFaultProxy } from './fault-proxy';

const { database, server, openRegister } = useSyncRig();

function readRegister<T>(dir: string, sql: string): T {
  const db = openDatabase(`${dir}/register.db`, { checkIntegrity: false });
  try {
    return db.prepare(sql).pluck().get() as T;
  } finally {
    db.close();
  }
}

async function milkTeaName(register: Register): Promise<string> {
  const found = await call<{ nameEn: string } | null>(register, 'catalog:lookup', { code: MILK_TEA.barcode });
  return found?.nameEn ?? 'not found';
}

describe('a change page older than the cursor', () => {
  it('changes nothing and keeps the cursor; the next true page applies', async () => {
    const pool = database().pool;
    const shop = await createCloudShop(pool);
    await upsertProduct(
      pool,
      shop.merchantId,
      { sku: MILK_TEA.sku, nameZh: '奶茶 舊', nameEn: 'Tea old', barcodes: [MILK_TEA.barcode] },
      Date.now(),
    );
    // another register of the merchant reads the feed as it is now: the page the proxy will replay later
    const other = await enrolRegister(pool, server.base, shop.store);
    const old = await cloudCall(server.base, 'GET', '/v1/changes?since=0&limit=500', { token: other.token });
    expect(old.status).toBe(200);
    await upsertProduct(
      pool,
      shop.merchantId,
      { sku: MILK_TEA.sku, nameZh: '奶茶 新', nameEn: 'Tea new', barcodes: [MILK_TEA.barcode] },
      Date.now(),
    );

    const proxy = await startFaultProxy(Number(new URL(server.base).port), { resetRate: 0, hangRate: 0, cutEvery: 0 });
    try {
      const { register, dir } = await openRegister(TEST_TUNING);
      await enrol(register, proxy.url, await enrolmentCode(pool, shop.store));
      await eventually(
        () => milkTeaName(register),
        (name) => name === 'Tea new',
        'the newest name',
        60_000,
      );
      const cursor = readRegister<number>(dir, 'SELECT changes_cursor FROM sync_enrolment WHERE id = 1');
      expect(cursor).toBeGreaterThan(0);

      // every pull now answers the older page
      const pulls = () => proxy.requests.filter((r) => r.canned && r.path.startsWith('/v1/changes')).length;
      proxy.answerWith({ status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(old.body) }, /^\/v1\/changes/);
      await call(register, 'sync:now');
      await eventually(pulls, (n) => n >= 3, 'three pulls answered with the older page', 60_000);
      expect(await milkTeaName(register)).toBe('Tea new');
      expect(readRegister<number>(dir, 'SELECT changes_cursor FROM sync_enrolment WHERE id = 1')).toBe(cursor);
      // said in 雲端同步 (最近問題: the cloud's answer could not be read), the words for IT naming both versions
      const status = await syncStatus(register);
      expect(status.lastProblem).toBe('unreadable');
      expect(status.lastError).toContain(`before this register's ${cursor}`);

      // the same older changes again, in a page that ends at the cursor (a page served twice): none applies
      const replay = { ...(old.body as object), nextSince: cursor, hasMore: false };
      const before = pulls();
      proxy.answerWith({ status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(replay) }, /^\/v1\/changes/);
      await call(register, 'sync:now');
      await eventually(pulls, (n) => n >= before + 3, 'three pulls answered with the replayed page', 60_000);
      expect(await milkTeaName(register)).toBe('Tea new');
      expect(readRegister<number>(dir, 'SELECT changes_cursor FROM sync_enrolment WHERE id = 1')).toBe(cursor);

      // the true feed again: a newer change applies
      proxy.answerWith(null);
      await upsertProduct(
        pool,
        shop.merchantId,
        { sku: MILK_TEA.sku, nameZh: '奶茶 最新', nameEn: 'Tea newest', barcodes: [MILK_TEA.barcode] },
        Date.now(),
      );
      await call(register, 'sync:now');
      await eventually(
        () => milkTeaName(register),
        (name) => name === 'Tea newest',
        'the newest name after the older pages',
        60_000,
      );
    } finally {
      await proxy.close();
    }
  });
});
