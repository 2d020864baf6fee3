/**
 * Silent edges of what a register pulls (the outside team's attack, round 2): data a real cloud on
 * PostgreSQL legitimately holds and sends, through its real change feed and snapshot, into a real
 * register database. Each thing is applied correctly, or held visibly (counted, with its reason,
 * kept for retry), never dropped or mis-applied without a trace; a held change that becomes
 * applicable is applied and the count goes back to 0.
 */
import { rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertProduct } from '../../../cloud/domain/catalogue';
import { FeedPage, FeedSnapshot, type FeedChangeEnvelope } from '../../../src/shared/change-feed';
import { openDatabase, type Db } from '../../../src/main/db/open';
import { applyChangePage, applySnapshot, heldChanges } from '../../../src/main/sync/apply-changes';
import { lookupByCode } from '../../../src/main/catalog/lookup';
import { openDemoRegister } from '../helpers/demo-register';
import {
  call,
  createShop,
  enrolRegister,
  scannableCodes,
  startServer,
  useTestDatabase,
  type EnrolledRegister,
  type Server,
} from './helpers';

const database = useTestDatabase();
let server: Server;
const dirs: string[] = [];

beforeAll(async () => {
  server = await startServer({ pool: database().pool, logger: false, enrolAttemptsPerMinute: 1000 });
});
afterAll(async () => {
  await server.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A real register database, enrolled at store MK (its catalogue is the demo's). */
async function registerDb(): Promise<{ db: Db; close(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'suanpan-edges-'));
  dirs.push(dir);
  const till = await openDemoRegister(dir);
  const db = openDatabase(till.dbFile, { checkIntegrity: false });
  db.prepare(
    "INSERT INTO sync_enrolment (id, cloud_url, register_id, register_code, store_code, merchant_name, seq_offset, enrolled_at) VALUES (1, 'http://x', 'r', '01', 'MK', 'M', 0, 0)",
  ).run();
  return {
    db,
    close() {
      db.close();
      till.close();
    },
  };
}

/** The cloud's feed after `since`, every page, as the register's pull reads it. */
async function pullAll(register: EnrolledRegister, db: Db, since: number): Promise<number> {
  for (;;) {
    const answer = await call(server.base, 'GET', `/v1/changes?since=${since}&limit=3`, { token: register.token });
    expect(answer.status).toBe(200);
    const page = FeedPage.parse(answer.body);
    applyChangePage(db, page.changes as FeedChangeEnvelope[], page.nextSince, 'MK', Date.now());
    since = page.nextSince;
    if (!page.hasMore) return since;
  }
}

function skuScanned(db: Db, code: string): string | null {
  const found = lookupByCode(db, code);
  return found.kind === 'product' ? found.product.sku : null;
}

describe('barcodes the cloud holds that a till cannot take as they are', () => {
  it('a code that scans the same as another product’s (UPC-A and its EAN-13 form) is held visibly, not moved silently; it applies once the other lets go', async () => {
    const pool = database().pool;
    const shop = await createShop(pool);
    await scannableCodes(pool, shop);
    const now = Date.now();
    // two different texts to the cloud, one scan to a till: 012345678905 (UPC-A) is 0012345678905 (EAN-13)
    await upsertProduct(pool, shop.merchantId, { sku: 'UPC-A', nameZh: '甲', nameEn: 'A', barcodes: ['012345678905'], price: 100 }, now);
    await upsertProduct(pool, shop.merchantId, { sku: 'EAN-B', nameZh: '乙', nameEn: 'B', barcodes: ['0012345678905'], price: 200 }, now);
    const register = await enrolRegister(pool, server.base, shop.stores[0]!, now);
    const till = await registerDb();
    try {
      let since = await pullAll(register, till.db, 0);
      // the first owner keeps the scan; the second product is there (its name and price), its code held and said
      expect(skuScanned(till.db, '012345678905')).toBe('UPC-A');
      expect(till.db.prepare("SELECT name_en, price FROM product WHERE sku = 'EAN-B'").get()).toEqual({ name_en: 'B', price: 200 });
      const held = heldChanges(till.db);
      expect(held.count).toBe(1);
      expect(held.firstError).toContain('0012345678905');
      expect(held.firstError).toContain('UPC-A');
      // held across pulls with nothing new: still counted
      since = await pullAll(register, till.db, since);
      expect(heldChanges(till.db).count).toBe(1);
      // head office takes the code off the first: the second gets it, nothing held
      await upsertProduct(pool, shop.merchantId, { sku: 'UPC-A', nameZh: '甲', nameEn: 'A', barcodes: [] }, Date.now());
      await pullAll(register, till.db, since);
      expect(skuScanned(till.db, '012345678905')).toBe('EAN-B');
      expect(heldChanges(till.db)).toEqual({ count: 0, firstError: null });

      // the snapshot says the same as the feed
      const answer = await call(server.base, 'GET', '/v1/snapshot', { token: register.token });
      expect(applySnapshot(till.db, FeedSnapshot.parse(answer.body), 'MK', Date.now())).toBe(0);
      expect(skuScanned(till.db, '0012345678905')).toBe('EAN-B');
    } finally {
      till.close();
    }
  });

  it('a code moved from one product to another arrives whole in one pull, whichever product’s change comes first', async () => {
    const pool = database().pool;
    const shop = await createShop(pool);
    await scannableCodes(pool, shop);
    const now = Date.now();
    await upsertProduct(pool, shop.merchantId, { sku: 'Z-OLD', nameZh: '舊', nameEn: 'Old', barcodes: ['4891234000999'] }, now);
    const register = await enrolRegister(pool, server.base, shop.stores[0]!, now);
    const till = await registerDb();
    try {
      const since = await pullAll(register, till.db, 0);
      expect(skuScanned(till.db, '4891234000999')).toBe('Z-OLD');
      // A-NEW sorts first: its change (with the code) comes before Z-OLD's (without it)
      await upsertProduct(pool, shop.merchantId, { sku: 'A-NEW', nameZh: '新', nameEn: 'New', barcodes: ['4891234000999'] }, Date.now());
      await pullAll(register, till.db, since);
      expect(skuScanned(till.db, '4891234000999')).toBe('A-NEW');
      expect(heldChanges(till.db).count).toBe(0);
    } finally {
      till.close();
    }
  });

  it('a code no scan can ever find (wrong check digit, characters a scanner never sends) is held visibly; the product is there', async () => {
    const pool = database().pool;
    const shop = await createShop(pool);
    await scannableCodes(pool, shop);
    const now = Date.now();
    await upsertProduct(
      pool,
      shop.merchantId,
      { sku: 'ODD-1', nameZh: '怪碼', nameEn: 'Odd codes', barcodes: ['4891234567891', '條碼 1', 'ab-12'], price: 500 },
      now,
    );
    const register = await enrolRegister(pool, server.base, shop.stores[0]!, now);
    const till = await registerDb();
    try {
      const since = await pullAll(register, till.db, 0);
      expect(till.db.prepare("SELECT name_en, price FROM product WHERE sku = 'ODD-1'").get()).toEqual({ name_en: 'Odd codes', price: 500 });
      // the internal code is taken as it is
      expect(skuScanned(till.db, 'ab-12')).toBe('ODD-1');
      const held = heldChanges(till.db);
      expect(held.count).toBe(1);
      expect(held.firstError).toContain('4891234567891');
      expect(held.firstError).toContain('條碼 1');
      // head office corrects the codes: nothing held
      await upsertProduct(
        pool,
        shop.merchantId,
        { sku: 'ODD-1', nameZh: '怪碼', nameEn: 'Odd codes', barcodes: ['4891234567898', 'ab-12'] },
        Date.now(),
      );
      await pullAll(register, till.db, since);
      expect(heldChanges(till.db).count).toBe(0);
      expect(skuScanned(till.db, '4891234567898')).toBe('ODD-1');
    } finally {
      till.close();
    }
  });
});
