/**
 * The change feed's contract (issue 18, blind spot 2): a real cloud on PostgreSQL makes every kind
 * of change head office can make (products with and without a category or barcodes, prices now and
 * later, every promotion kind, members with and without a phone, stock from counts, sales and the
 * online shop), and its real feed pages and snapshot go through the register's own parser
 * (src/shared/change-feed.ts) and into a real register database. Nothing may be held: whatever
 * the cloud can send, the register accepts.
 */
import { randomUUID } from 'node:crypto';
import { rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setPrice, upsertMember, upsertProduct, upsertPromotion } from '../../../cloud/domain/catalogue';
import { recordOnlineOrder } from '../../../cloud/domain/online-orders';
import { setReorderLevel } from '../../../cloud/domain/reorder-levels';
import { setRules } from '../../../cloud/domain/members';
import { withTransaction } from '../../../cloud/db/tx';
import { readMemberRules } from '../../../src/main/members/member-rules';
import { createPurchaseOrder } from '../../../cloud/domain/purchase-orders';
import { issueGiftCards } from '../../../cloud/domain/gift-cards';
import { saveRegisterStaff } from '../../../cloud/domain/register-staff';
import { setStorePrice } from '../../../cloud/domain/store-prices';
import {
  FEED_ENTITIES,
  FeedPage,
  FeedSnapshot,
  SNAPSHOT_LISTS,
  parseFeedChange,
  type FeedChangeEnvelope,
} from '../../../src/shared/change-feed';
import { openDatabase } from '../../../src/main/db/open';
import { applyChangePage, applySnapshot, heldChanges } from '../../../src/main/sync/apply-changes';
import { openDemoRegister } from '../helpers/demo-register';
import { call, createShop, enrolRegister, saleMutation, startServer, useTestDatabase, type Server } from './helpers';

const db = useTestDatabase();
let server: Server;
const dirs: string[] = [];

beforeAll(async () => {
  server = await startServer({ pool: db().pool, logger: false, enrolAttemptsPerMinute: 1000 });
});
afterAll(async () => {
  await server.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Every change head office and the registers can cause, through the cloud's own functions and API. */
async function busyMerchant() {
  const now = Date.now();
  const shop = await createShop(db().pool, { initialStock: 20, now });
  const pool = db().pool;
  await upsertProduct(
    pool,
    shop.merchantId,
    { sku: 'CAT-1', nameZh: '汽水', nameEn: 'Soda', categoryCode: 'drinks', taxClass: 'none', price: 700 },
    now,
  );
  await upsertProduct(pool, shop.merchantId, { sku: 'BARE-1', nameZh: '無碼貨品', nameEn: 'No barcode', barcodes: [] }, now);
  await upsertProduct(
    pool,
    shop.merchantId,
    { sku: 'OLD-1', nameZh: '停售', nameEn: 'Discontinued', active: false, barcodes: ['4890000000999'] },
    now,
  );
  await setPrice(pool, shop.merchantId, 'P1', 1_150, now + 3_600_000, now);
  await setPrice(pool, shop.merchantId, 'P2', 0, undefined, now);
  const promotions = [
    {
      code: 'PCT',
      kind: 'percent',
      params: { target: { categoryCodes: ['drinks'] }, basisPoints: 1000 },
      priority: 5,
      startsAt: now,
      endsAt: now + 86_400_000,
    },
    { code: 'BXGY', kind: 'buy_x_get_y', params: { target: { skus: ['P1'] }, buyQuantity: 1, getQuantity: 1, rewardBasisPoints: 5000 } },
    { code: 'BUNDLE', kind: 'bundle', params: { target: { skus: ['P2', 'P3'] }, quantity: 3, price: 1800 } },
    { code: 'MEMBER', kind: 'member_price', params: { prices: [{ sku: 'P3', unitPrice: 900 }], tiers: ['gold'] }, active: false },
  ];
  for (const p of promotions)
    await upsertPromotion(pool, shop.merchantId, { nameZh: `推廣 ${p.code}`, nameEn: `Promotion ${p.code}`, ...p }, now);
  // head office's register staff and a price for one store from a later time (issue 16)
  await saveRegisterStaff(
    pool,
    shop.merchantId,
    { code: 'C009', nameZh: '何家明', nameEn: 'Ho Ka Ming', role: 'cashier', active: true, storeIds: null },
    now,
  );
  await saveRegisterStaff(
    pool,
    shop.merchantId,
    { code: 'S-TST', nameZh: '尖東主管', nameEn: 'TST Supervisor', role: 'supervisor', active: true, storeIds: [shop.stores[1]!.id] },
    now,
  );
  await setStorePrice(pool, shop.merchantId, { storeId: shop.stores[0]!.id, sku: 'P1', price: 950, validFrom: now + 3_600_000 }, now);
  await upsertMember(pool, shop.merchantId, { code: 'M-NOPHONE', name: '陳太' }, now);
  await upsertMember(pool, shop.merchantId, { code: 'M-PHONE', name: 'Mr Wong', phone: '+852 9123 4567', tier: 'gold' }, now);
  await recordOnlineOrder(
    pool,
    shop.merchantId,
    { orderNo: 'W-1', store: 'MK', lines: [{ sku: 'P1', quantity: 2, unitPrice: 1000 }] },
    now,
  );
  // goods head office ordered for a store (issue 14): a `purchase_order` change
  await createPurchaseOrder(
    pool,
    shop.merchantId,
    shop.stores[0]!,
    { poNo: 'PO-1', supplier: 'Vitasoy', lines: [{ sku: 'P1', quantity: 12 }] },
    now,
  );
  // gift cards (issue 13): one waiting to be sold, one voucher with a value: `gift_card` changes
  await issueGiftCards(pool, shop.merchantId, { count: 1, value: 0, batch: 'contract', source: 'admin' }, now);
  await issueGiftCards(pool, shop.merchantId, { count: 1, value: 5_000, batch: 'contract-v', source: 'admin' }, now);
  // a store's reorder level head office set (issue 14): a `reorder_level` change, and one cleared
  await setReorderLevel(pool, shop.merchantId, { storeId: shop.stores[0]!.id, sku: 'P1', reorderMilli: 6_000 }, now);
  await setReorderLevel(pool, shop.merchantId, { storeId: shop.stores[0]!.id, sku: 'P2', reorderMilli: 1_000 }, now);
  await setReorderLevel(pool, shop.merchantId, { storeId: shop.stores[0]!.id, sku: 'P2', reorderMilli: null }, now);
  // the merchant's earn and redeem rules (issue 13): a `member_rules` change, and in the snapshot
  await withTransaction(pool, (client) =>
    setRules(
      client,
      shop.merchantId,
      { tierMultipliers: { gold: 2, 金卡: 1.5 }, excludedCategories: ['TOBACCO'], pointsPerDollar: 50 },
      now,
    ),
  );
  const register = await enrolRegister(pool, server.base, shop.stores[0]!, now);
  const pushed = await call(server.base, 'POST', `/v1/registers/${register.registerId}/mutations`, {
    token: register.token,
    body: {
      mutations: [
        saleMutation(register, 1, [{ sku: 'P2', quantity: 3 }]),
        // goods sent to the other store: a `transfer` change for its registers
        {
          seq: 2,
          kind: 'stock.document',
          ref: 'TRO-000001',
          payload: {
            docId: randomUUID(),
            docNo: 'TRO-000001',
            kind: 'transfer-out',
            part: 1,
            parts: 1,
            postedAt: now,
            staffName: 'Lee',
            reasonCode: null,
            note: '',
            supplierRef: '',
            toStoreCode: 'TST',
            transferDocId: null,
            lines: [{ line: 1, sku: 'P1', quantityMilli: 5_000, countedAt: null, costCents: null }],
          },
        },
      ],
    },
  });
  expect(pushed.status).toBe(200);
  return { shop, register };
}

describe('the change feed contract: the cloud’s real output through the register’s parser', () => {
  it('every change of every page, and every item of the snapshot, parses and applies on a register', async () => {
    const { register } = await busyMerchant();
    // the feed, in small pages
    const changes: FeedChangeEnvelope[] = [];
    let since = 0;
    for (;;) {
      const answer = await call(server.base, 'GET', `/v1/changes?since=${since}&limit=4`, { token: register.token });
      expect(answer.status).toBe(200);
      const page = FeedPage.parse(answer.body);
      changes.push(...page.changes);
      since = page.nextSince;
      if (!page.hasMore) break;
    }
    expect(new Set(changes.map((c) => c.entity))).toEqual(new Set(Object.keys(FEED_ENTITIES)));
    for (const change of changes)
      expect(parseFeedChange(change.entity, change.op, change.data), `${change.entity} v${change.version}`).toMatchObject({ ok: true });
    expect(changes.filter((c) => c.entity === 'member').map((c) => (c.data as { phone: unknown }).phone)).toContain(null);

    // the snapshot
    const answer = await call(server.base, 'GET', '/v1/snapshot', { token: register.token });
    expect(answer.status).toBe(200);
    const snapshot = FeedSnapshot.parse(answer.body);
    for (const [list, entity] of Object.entries(SNAPSHOT_LISTS) as [keyof typeof SNAPSHOT_LISTS, string][]) {
      expect(snapshot[list].length, list).toBeGreaterThan(0);
      for (const item of snapshot[list])
        expect(parseFeedChange(entity, 'upsert', item), `${list} ${JSON.stringify(item)}`).toMatchObject({ ok: true });
    }

    // and both apply on a real register database with nothing held
    const dir = mkdtempSync(join(tmpdir(), 'suanpan-contract-'));
    dirs.push(dir);
    const till = await openDemoRegister(dir);
    const regDb = openDatabase(till.dbFile, { checkIntegrity: false });
    try {
      regDb
        .prepare(
          "INSERT INTO sync_enrolment (id, cloud_url, register_id, register_code, store_code, merchant_name, seq_offset, enrolled_at) VALUES (1, 'http://x', 'r', '01', 'MK', 'M', 0, 0)",
        )
        .run();
      expect(applyChangePage(regDb, changes, since, 'MK', Date.now())).toBe(0);
      expect(applySnapshot(regDb, snapshot, 'MK', Date.now())).toBe(0);
      expect(heldChanges(regDb).count).toBe(0);
      expect(regDb.prepare("SELECT code, phone, tier FROM cloud_member WHERE code LIKE 'M-%' ORDER BY code").all()).toEqual([
        { code: 'M-NOPHONE', phone: null, tier: 'standard' },
        { code: 'M-PHONE', phone: '+852 9123 4567', tier: 'gold' },
      ]);
      expect(regDb.prepare("SELECT count(*) FROM promotion WHERE code IN ('PCT', 'BXGY', 'BUNDLE', 'MEMBER')").pluck().get()).toBe(4);
      // the reorder levels: P1's, and P2's cleared
      expect(
        regDb
          .prepare(
            "SELECT p.sku, l.reorder_milli AS q FROM stock_level l JOIN product p ON p.id = l.product_id WHERE p.sku IN ('P1', 'P2')",
          )
          .all(),
      ).toEqual([{ sku: 'P1', q: 6000 }]);
      // the rules, as the register holds them
      expect(readMemberRules(regDb)).toMatchObject({
        source: 'cloud',
        version: 1,
        pointsPerDollar: 50,
        tierMultipliers: { gold: 2, 金卡: 1.5 },
      });
    } finally {
      regDb.close();
      till.close();
    }
  });
});
