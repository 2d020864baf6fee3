/**
 * The console's stock routes (issue 14) against real PostgreSQL: on-hand with what open orders
 * reserve, paged and searched, low-stock filtered, scoped to a store manager's stores; purchase
 * orders created and cancelled through the same domain functions as the admin CLI, refused for a
 * viewer at the API, audited, and the cancellation reaching a register through the change feed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrder } from '../../../cloud/domain/orders';
import { CreateOrder } from '../../../src/shared/order-schemas';
import { FeedPage } from '../../../src/shared/change-feed';
import { call, createShop, enrolRegister, useTestDatabase, type EnrolledRegister, type Shop } from '../cloud/helpers';
import { HqClient, addUser, startHq } from './hq-helpers';

const database = useTestDatabase();
let server: Awaited<ReturnType<typeof startHq>>;
let shop: Shop;
let tst: EnrolledRegister;

beforeAll(async () => {
  const pool = database().pool;
  server = await startHq(pool, { now: () => Date.now() });
  shop = await createShop(pool, { products: 30 });
  // 10 of each at both stores (the ledger's projection, as stock-admin.ts leaves it)
  await pool.query(
    `INSERT INTO stock_on_hand (store_id, sku, merchant_id, quantity_milli, updated_at)
     SELECT s.id, p.sku, p.merchant_id, 10000, now() FROM store s JOIN product p ON p.merchant_id = s.merchant_id WHERE s.merchant_id = $1`,
    [shop.merchantId],
  );
  tst = await enrolRegister(pool, server.base, shop.stores[1]!);
  // An open online order at MK holds back 4 of P1.
  await createOrder(
    pool,
    shop.merchantId,
    CreateOrder.parse({
      orderNo: 'WEB-1',
      store: 'MK',
      channel: 'online',
      customer: { name: 'Chan' },
      lines: [{ sku: 'P1', quantity: 4 }],
    }),
    { kind: 'shop-key', ref: 'shop-key:test', name: 'test', registerId: null, storeId: null },
    Date.now(),
  );
  await addUser(pool, shop.merchantId, 'owner@stock.hk', 'owner');
  await addUser(pool, shop.merchantId, 'tst@stock.hk', 'store_manager', [shop.stores[1]!.id]);
  await addUser(pool, shop.merchantId, 'viewer@stock.hk', 'viewer');
}, 300_000);
afterAll(async () => {
  await server?.close();
});

async function as(email: string): Promise<HqClient> {
  const client = new HqClient(server.base);
  expect((await client.login(email)).status).toBe(200);
  return client;
}

interface OnHand {
  rows: {
    storeCode: string;
    sku: string;
    onHandMilli: number;
    reservedMilli: number;
    availableMilli: number;
    reorderMilli: number | null;
  }[];
  more: boolean;
}

describe('on-hand', () => {
  it('per store and product, with what open orders reserve; searched by SKU, barcode or name; paged', async () => {
    const owner = await as('owner@stock.hk');
    const p1 = (await owner.request('GET', '/hq/api/stock/on-hand?q=P1')).body as unknown as OnHand;
    expect(p1.rows.filter((r) => r.sku === 'P1')).toEqual([
      expect.objectContaining({ storeCode: 'MK', onHandMilli: 10_000, reservedMilli: 4000, availableMilli: 6000 }),
      expect.objectContaining({ storeCode: 'TST', onHandMilli: 10_000, reservedMilli: 0, availableMilli: 10_000 }),
    ]);
    const byBarcode = (await owner.request('GET', '/hq/api/stock/on-hand?q=4890000000007')).body as unknown as OnHand;
    expect(byBarcode.rows.map((r) => `${r.storeCode}:${r.sku}`)).toEqual(['MK:P7', 'TST:P7']);
    const byName = (await owner.request('GET', `/hq/api/stock/on-hand?q=${encodeURIComponent('產品27')}`)).body as unknown as OnHand;
    expect(byName.rows.map((r) => r.sku)).toEqual(['P27', 'P27']);

    // 30 products × 2 stores = 60 rows: three pages of 25, in SKU then store order, none twice
    const seen: string[] = [];
    for (let offset = 0; ; offset += 25) {
      const page = (await owner.request('GET', `/hq/api/stock/on-hand?limit=25&offset=${offset}`)).body as unknown as OnHand;
      seen.push(...page.rows.map((r) => `${r.sku}@${r.storeCode}`));
      if (!page.more) break;
    }
    expect(seen).toHaveLength(60);
    expect(new Set(seen).size).toBe(60);
    expect(seen.slice(0, 2)).toEqual(['P1@MK', 'P1@TST']);
  });

  it('the low-stock filter keeps rows whose available is at or below the store’s stored reorder level', async () => {
    const owner = await as('owner@stock.hk');
    const [mk, tst] = [shop.stores[0]!.id, shop.stores[1]!.id];
    // MK P1: 6 available (4 reserved), level 6: low. TST P1: 10, level 5: not. MK P2: 10, level 10: low. No level: never low.
    for (const [storeId, sku, reorderLevel] of [
      [mk, 'P1', 6],
      [tst, 'P1', 5],
      [mk, 'P2', 10],
    ] as const)
      expect((await owner.request('PUT', '/hq/api/stock/reorder-levels', { storeId, sku, reorderLevel })).status).toBe(200);
    const low = (await owner.request('GET', '/hq/api/stock/on-hand?low=1')).body as unknown as OnHand;
    expect(low.rows.map((r) => `${r.storeCode}:${r.sku}:${r.reorderMilli}`)).toEqual(['MK:P1:6000', 'MK:P2:10000']);
    const p1 = (await owner.request('GET', '/hq/api/stock/on-hand?q=P1')).body as unknown as OnHand;
    expect(p1.rows.filter((r) => r.sku === 'P1').map((r) => r.reorderMilli)).toEqual([6000, 5000]);
    expect((await owner.request('GET', '/hq/api/stock/on-hand?low=yes')).status).toBe(400);
    // cleared: off the list
    expect((await owner.request('PUT', '/hq/api/stock/reorder-levels', { storeId: mk, sku: 'P2', reorderLevel: null })).status).toBe(200);
    const after = (await owner.request('GET', '/hq/api/stock/on-hand?low=1')).body as unknown as OnHand;
    expect(after.rows.map((r) => `${r.storeCode}:${r.sku}`)).toEqual(['MK:P1']);
  });

  it('a store manager sees only their store, and asking for another is refused', async () => {
    const manager = await as('tst@stock.hk');
    const mine = (await manager.request('GET', '/hq/api/stock/on-hand?q=P1')).body as unknown as OnHand;
    expect(new Set(mine.rows.map((r) => r.storeCode))).toEqual(new Set(['TST']));
    expect((await manager.request('GET', `/hq/api/stock/on-hand?store=${shop.stores[0]!.id}`)).status).toBe(404);
  });
});

describe('purchase orders', () => {
  const order = (poNo: string, storeId: number) => ({
    storeId,
    poNo,
    supplier: '維他奶 Vitasoy',
    lines: [
      { sku: 'P1', quantity: 6, costCents: 450 },
      { sku: 'P2', quantity: 2.5, costCents: null },
    ],
  });

  it('a viewer may list but not create or cancel: refused at the API', async () => {
    const viewer = await as('viewer@stock.hk');
    expect((await viewer.request('GET', '/hq/api/purchase-orders')).status).toBe(200);
    const refused = await viewer.request('POST', '/hq/api/purchase-orders', order('PO-V1', shop.stores[0]!.id));
    expect(refused).toMatchObject({ status: 403, body: { error: 'PERMISSION_DENIED' } });
    expect((await viewer.request('POST', '/hq/api/purchase-orders/PO-V1/cancel')).status).toBe(403);
    const rows = await database().pool.query("SELECT 1 FROM purchase_order WHERE po_no = 'PO-V1'");
    expect(rows.rowCount).toBe(0);
  });

  it('bad input is refused naming each field', async () => {
    const owner = await as('owner@stock.hk');
    const answer = await owner.request('POST', '/hq/api/purchase-orders', {
      storeId: shop.stores[0]!.id,
      poNo: 'PO 1',
      lines: [
        { sku: 'NOPE', quantity: 1 },
        { sku: 'P1', quantity: -1 },
      ],
    });
    expect(answer.status).toBe(400);
    expect((answer.body.issues as { path: string }[]).map((i) => i.path).sort()).toEqual(['lines.1.quantity', 'poNo']);
    const unknown = await owner.request('POST', '/hq/api/purchase-orders', {
      storeId: shop.stores[0]!.id,
      poNo: 'PO-X',
      lines: [
        { sku: 'P1', quantity: 1 },
        { sku: 'NOPE', quantity: 1 },
      ],
    });
    expect(unknown).toMatchObject({ status: 404, body: { issues: [{ path: 'lines.1.sku', message: 'no product NOPE' }] } });
  });

  it('a store manager creates and cancels for their store only; an owner for any; each audited', async () => {
    const manager = await as('tst@stock.hk');
    const owner = await as('owner@stock.hk');
    expect(await manager.request('POST', '/hq/api/purchase-orders', order('PO-MK1', shop.stores[0]!.id))).toMatchObject({
      status: 404,
      body: { issues: [{ path: 'storeId' }] },
    });
    const created = await manager.request('POST', '/hq/api/purchase-orders', order('PO-T1', shop.stores[1]!.id));
    expect(created).toMatchObject({ status: 200, body: { order: { poNo: 'PO-T1', storeCode: 'TST', status: 'open' } } });
    expect((await owner.request('POST', '/hq/api/purchase-orders', order('PO-M1', shop.stores[0]!.id))).status).toBe(200);
    expect((await owner.request('POST', '/hq/api/purchase-orders', order('PO-M1', shop.stores[0]!.id))).body).toMatchObject({
      error: 'CONFLICT',
      issues: [{ path: 'poNo' }],
    });

    // the manager's list is their store's; another store's order cannot be cancelled by them
    const list = (await manager.request('GET', '/hq/api/purchase-orders')).body.orders as { poNo: string; lines: unknown[] }[];
    expect(list.map((o) => o.poNo)).toEqual(['PO-T1']);
    expect(list[0]!.lines).toEqual([
      { sku: 'P1', orderedMilli: 6000, receivedMilli: null },
      { sku: 'P2', orderedMilli: 2500, receivedMilli: null },
    ]);
    expect((await manager.request('POST', '/hq/api/purchase-orders/PO-M1/cancel')).status).toBe(404);

    expect((await manager.request('POST', '/hq/api/purchase-orders/PO-T1/cancel')).body).toMatchObject({ order: { status: 'cancelled' } });
    expect((await manager.request('POST', '/hq/api/purchase-orders/PO-T1/cancel')).status).toBe(409);
    const cancelled = (await owner.request('GET', '/hq/api/purchase-orders?status=cancelled')).body.orders as { poNo: string }[];
    expect(cancelled.map((o) => o.poNo)).toEqual(['PO-T1']);

    const audit = (
      await database().pool.query<{ user_email: string; action: string; target: string; after: unknown }>(
        "SELECT user_email, action, target, after FROM hq_audit WHERE action LIKE 'purchase-order.%' ORDER BY id",
      )
    ).rows;
    expect(audit.map((a) => [a.user_email, a.action, a.target])).toEqual([
      ['tst@stock.hk', 'purchase-order.create', 'PO-T1'],
      ['owner@stock.hk', 'purchase-order.create', 'PO-M1'],
      ['tst@stock.hk', 'purchase-order.cancel', 'PO-T1'],
    ]);
    expect(audit[2]!.after).toEqual({ status: 'cancelled' });
  });

  it('the cancellation reaches the store’s register through the change feed after the order itself', async () => {
    const changes = [];
    let since = 0;
    for (;;) {
      const answer = await call(server.base, 'GET', `/v1/changes?since=${since}&limit=500`, { token: tst.token });
      expect(answer.status).toBe(200);
      const page = FeedPage.parse(answer.body);
      changes.push(...page.changes);
      since = page.nextSince;
      if (!page.hasMore) break;
    }
    const t1 = changes.filter((c) => c.entity === 'purchase_order' && (c.data as { poNo: string }).poNo === 'PO-T1');
    expect(t1.map((c) => (c.data as { status: string }).status)).toEqual(['open', 'cancelled']);
  });
});

describe('reorder levels', () => {
  const put = (client: HqClient, body: unknown) => client.request('PUT', '/hq/api/stock/reorder-levels', body);

  it('a viewer is refused at the API; a store manager sets their own store only; bad input names the field; each audited', async () => {
    const pool = database().pool;
    const [mk, tst] = [shop.stores[0]!.id, shop.stores[1]!.id];
    const viewer = await as('viewer@stock.hk');
    expect(await put(viewer, { storeId: tst, sku: 'P5', reorderLevel: 3 })).toMatchObject({
      status: 403,
      body: { error: 'PERMISSION_DENIED' },
    });
    const manager = await as('tst@stock.hk');
    expect((await put(manager, { storeId: mk, sku: 'P5', reorderLevel: 3 })).status).toBe(404);
    expect((await put(manager, { storeId: tst, sku: 'P5', reorderLevel: 2.5 })).status).toBe(200);
    expect((await put(manager, { storeId: tst, sku: 'P5', reorderLevel: 4 })).status).toBe(200);
    const bad = await put(manager, { storeId: tst, sku: 'P5', reorderLevel: -1 });
    expect(bad.status).toBe(400);
    expect((bad.body.issues as { path: string }[]).map((i) => i.path)).toEqual(['reorderLevel']);
    expect((await put(manager, { storeId: tst, sku: 'P5', reorderLevel: 1.2345 })).status).toBe(400);
    const unknown = await put(manager, { storeId: tst, sku: 'NOPE', reorderLevel: 1 });
    expect(unknown.status).toBe(404);
    expect((unknown.body.issues as { path: string }[]).map((i) => i.path)).toEqual(['sku']);
    const levels = await pool.query<{ store_id: number; sku: string; reorder_milli: number }>(
      "SELECT store_id, sku, reorder_milli FROM stock_reorder_level WHERE sku = 'P5'",
    );
    expect(levels.rows.map((r) => [Number(r.store_id), r.reorder_milli])).toEqual([[tst, 4000]]);
    const audit = (
      await pool.query<{ user_email: string; target: string; before: unknown; after: unknown }>(
        "SELECT user_email, target, before, after FROM hq_audit WHERE action = 'stock.reorder-level' AND target LIKE 'P5 %' ORDER BY id",
      )
    ).rows;
    expect(audit).toEqual([
      {
        user_email: 'tst@stock.hk',
        target: 'P5 TST',
        before: { reorderMilli: null },
        after: { storeCode: 'TST', sku: 'P5', reorderMilli: 2500 },
      },
      {
        user_email: 'tst@stock.hk',
        target: 'P5 TST',
        before: { reorderMilli: 2500 },
        after: { storeCode: 'TST', sku: 'P5', reorderMilli: 4000 },
      },
    ]);
  });

  it('the store’s registers pull each level through the change feed', async () => {
    const changes = [];
    let since = 0;
    for (;;) {
      const answer = await call(server.base, 'GET', `/v1/changes?since=${since}&limit=500`, { token: tst.token });
      const page = FeedPage.parse(answer.body);
      changes.push(...page.changes);
      since = page.nextSince;
      if (!page.hasMore) break;
    }
    const p5 = changes.filter((c) => c.entity === 'reorder_level' && (c.data as { sku: string }).sku === 'P5');
    expect(p5.map((c) => c.data)).toEqual([
      { storeCode: 'TST', sku: 'P5', reorderMilli: 2500 },
      { storeCode: 'TST', sku: 'P5', reorderMilli: 4000 },
    ]);
    const snapshot = await call(server.base, 'GET', '/v1/snapshot', { token: tst.token });
    expect((snapshot.body as { reorderLevels: unknown[] }).reorderLevels).toContainEqual({
      storeCode: 'TST',
      sku: 'P5',
      reorderMilli: 4000,
    });
  });
});

describe('transfers in transit', () => {
  it('lists a transfer sent and not received, to the stores it concerns', async () => {
    const pool = database().pool;
    const docId = '6f1f0c7e-1111-4a4a-9a9a-000000000001';
    await pool.query(
      `INSERT INTO stock_document (doc_id, merchant_id, store_id, kind, doc_no, parts, to_store_id, posted_at, received_at)
       VALUES ($1, $2, $3, 'transfer-out', 'TO-0001', 1, $4, now(), now())`,
      [docId, shop.merchantId, shop.stores[0]!.id, shop.stores[1]!.id],
    );
    await pool.query(
      `INSERT INTO stock_document_line (doc_id, line, sku, quantity_milli, movement_milli) VALUES ($1, 1, 'P3', 3000, -3000)`,
      [docId],
    );
    const manager = await as('tst@stock.hk');
    const answer = (await manager.request('GET', '/hq/api/stock/transfers')).body.transfers;
    expect(answer).toEqual([
      expect.objectContaining({ docNo: 'TO-0001', fromStoreCode: 'MK', toStoreCode: 'TST', lines: [{ sku: 'P3', quantityMilli: 3000 }] }),
    ]);
  });
});
