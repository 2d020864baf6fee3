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
import { setPrice, upsertMember, upsertProduct, upsertPromotion } from '../../../cloud/domain/catalogue';
import { issueGiftCards } from '../../../cloud/domain/gift-cards';
import { recordStockEntry } from '../../../cloud/domain/stock-admin';
import { findMemberByCode, findMemberByPhone } from '../../../src/main/members/member-repo';
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

describe('what held up: the cloud’s data a till applies as it is', () => {
  it('prices at the same instant twice, in the past, far ahead; a promotion of an unknown SKU; two members with one phone (refused by phone, typed); a 0 card; another store’s stock', async () => {
    const pool = database().pool;
    const shop = await createShop(pool);
    await scannableCodes(pool, shop);
    const now = Date.now();
    const later = now + 3_600_000;
    await setPrice(pool, shop.merchantId, 'P1', 1_200, later, now);
    await setPrice(pool, shop.merchantId, 'P1', 1_300, later, now); // the same instant again: a correction
    await setPrice(pool, shop.merchantId, 'P2', 700, now - 86_400_000, now); // before the price in force
    await setPrice(pool, shop.merchantId, 'P3', 9_900, Date.UTC(2199, 0, 1), now);
    await upsertPromotion(
      pool,
      shop.merchantId,
      { code: 'GHOST', nameZh: '幽靈', nameEn: 'Ghost', kind: 'percent', params: { target: { skus: ['NOT-HERE'] }, basisPoints: 1000 } },
      now,
    );
    await upsertMember(pool, shop.merchantId, { code: 'M-1', name: '陳生', phone: '91234567' }, now);
    await upsertMember(pool, shop.merchantId, { code: 'M-2', name: '李生', phone: '98765432' }, now);
    await upsertMember(pool, shop.merchantId, { code: 'M-2', name: '李生', phone: '91234567' }, now); // now M-1's phone too
    await issueGiftCards(pool, shop.merchantId, { count: 1, value: 0, batch: 'zero', source: 'admin' }, now);
    await recordStockEntry(
      pool,
      shop.merchantId,
      { storeId: shop.stores[1]!.id, storeCode: 'TST', sku: 'P1', quantityMilli: 5_000, reason: 'count', ref: 'tst' },
      now,
    );
    const register = await enrolRegister(pool, server.base, shop.stores[0]!, now);
    const till = await registerDb();
    try {
      await pullAll(register, till.db, 0);
      expect(heldChanges(till.db)).toEqual({ count: 0, firstError: null });
      const q = (sql: string) => till.db.prepare(sql).all();
      expect(q("SELECT valid_from, price FROM scheduled_price WHERE sku = 'P1' AND valid_from > " + now)).toEqual([
        { valid_from: later, price: 1_300 },
      ]);
      expect(q("SELECT sku, price FROM product WHERE sku IN ('P1', 'P2', 'P3') ORDER BY sku")).toEqual([
        { sku: 'P1', price: 1_000 },
        { sku: 'P2', price: 1_000 }, // the older price does not outrank the one set after it
        { sku: 'P3', price: 1_000 },
      ]);
      expect(q("SELECT code FROM promotion WHERE code = 'GHOST'")).toEqual([{ code: 'GHOST' }]);
      expect(q("SELECT code, phone_key FROM cloud_member WHERE code LIKE 'M-%' ORDER BY code")).toEqual([
        { code: 'M-1', phone_key: '91234567' },
        { code: 'M-2', phone_key: '91234567' },
      ]);
      // by phone the till does not pick one of them silently: the cashier finds the member by code
      expect(() => findMemberByPhone(till.db, '91234567')).toThrow(expect.objectContaining({ code: 'MEMBER_PHONE_SHARED' }));
      expect(findMemberByCode(till.db, 'M-2')?.name).toBe('李生');
      expect(q('SELECT balance, status FROM cloud_gift_card')).toEqual([{ balance: 0, status: 'issued' }]);
      expect(q("SELECT on_hand_milli FROM cloud_stock WHERE sku = 'P1'")).toEqual([]);
    } finally {
      till.close();
    }
  });
});
