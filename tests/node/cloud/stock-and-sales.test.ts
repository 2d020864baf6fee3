import { describe, expect, it } from 'vitest';
import { recordOnlineOrder } from '../../../cloud/domain/online-orders';
import { salesSummary } from '../../../cloud/domain/reports';
import { recordStockEntry } from '../../../cloud/domain/stock-admin';
import {
  SALES_DAY,
  call,
  createShop,
  enrolRegister,
  receipt,
  saleMutation,
  pushMutations,
  useTestDatabase,
  useTestServer,
  type EnrolledRegister,
} from './helpers';

const db = useTestDatabase();
const server = useTestServer(db);

const push = (register: EnrolledRegister, mutations: unknown[]) => pushMutations(server.base, register, mutations);

describe('one stock ledger for every channel', () => {
  it('two registers and the online shop selling one SKU: on-hand = initial − sold − online + received, and registers converge to it', async () => {
    const shop = await createShop(db().pool, { initialStock: 100 });
    const mk = shop.stores[0]!;
    const a = await enrolRegister(db().pool, server.base, mk);
    const b = await enrolRegister(db().pool, server.base, mk);
    // Register A sells 3 + 2.5 (kg), register B sells 4 and takes 1 back, at the same time.
    const [pushA, pushB] = await Promise.all([
      push(a, [
        saleMutation(a, 1, [{ sku: 'P1', quantity: 3 }]),
        saleMutation(a, 2, [
          { sku: 'P1', quantity: 2.5 },
          { sku: 'P2', quantity: 1 },
        ]),
      ]),
      push(b, [
        saleMutation(b, 1, [{ sku: 'P1', quantity: 4 }]),
        {
          seq: 2,
          kind: 'document.return',
          ref: receipt(b, 2, [], 'return').receiptNo,
          payload: receipt(b, 2, [{ sku: 'P1', quantity: -1 }], 'return'),
        },
      ]),
    ]);
    expect(pushA.body).toMatchObject({ applied: 2, quarantined: 0 });
    expect(pushB.body).toMatchObject({ applied: 2, quarantined: 0 });
    // The online shop sells 6, fulfilled from MK; its webhook fires twice.
    const order = { orderNo: 'WEB-1001', store: 'MK', lines: [{ sku: 'P1', quantity: 6, unitPrice: 950 }] };
    expect(await recordOnlineOrder(db().pool, shop.merchantId, order, Date.now())).toMatchObject({ created: true, total: 5700 });
    expect(await recordOnlineOrder(db().pool, shop.merchantId, order, Date.now())).toMatchObject({ created: false, total: 5700 });
    // A delivery of 24 arrives, recorded twice by a retried command, once at the counter.
    await recordStockEntry(
      db().pool,
      shop.merchantId,
      { storeId: mk.id, storeCode: 'MK', sku: 'P1', quantityMilli: 24_000, reason: 'receive', ref: 'GRN-77' },
      Date.now(),
    );
    await recordStockEntry(
      db().pool,
      shop.merchantId,
      { storeId: mk.id, storeCode: 'MK', sku: 'P1', quantityMilli: 24_000, reason: 'receive', ref: 'GRN-77' },
      Date.now(),
    );
    expect(
      (
        await push(a, [
          { seq: 3, kind: 'stock.movement', ref: 'GRN-78', payload: { reason: 'receive', lines: [{ sku: 'P1', quantityMilli: 5_000 }] } },
        ])
      ).body.applied,
    ).toBe(1);

    const expected = 100_000 - (3_000 + 2_500 + 4_000 - 1_000) - 6_000 + 24_000 + 5_000;
    const projection = (await db().pool.query('SELECT quantity_milli FROM stock_on_hand WHERE store_id = $1 AND sku = $2', [mk.id, 'P1']))
      .rows[0];
    expect(projection).toEqual({ quantity_milli: expected });
    const ledger = (
      await db().pool.query('SELECT sum(quantity_milli)::bigint AS total FROM stock_movement WHERE store_id = $1 AND sku = $2', [
        mk.id,
        'P1',
      ])
    ).rows[0];
    expect(ledger).toEqual({ total: expected });
    // The other store is untouched.
    expect(
      (await db().pool.query('SELECT quantity_milli FROM stock_on_hand WHERE store_id = $1 AND sku = $2', [shop.stores[1]!.id, 'P1']))
        .rows[0],
    ).toEqual({ quantity_milli: 100_000 });

    // Both registers, pulling the feed, end on the same number.
    for (const register of [a, b]) {
      const changes = (
        await call<{ changes: { entity: string; data: { storeCode: string; sku: string; onHandMilli: number } }[] }>(
          server.base,
          'GET',
          '/v1/changes?since=0&limit=1000',
          { token: register.token },
        )
      ).body.changes;
      const last = changes.filter((c) => c.entity === 'stock' && c.data.storeCode === 'MK' && c.data.sku === 'P1').at(-1);
      expect(last?.data.onHandMilli).toBe(expected);
    }
  });

  it('refuses an online order for a SKU or store it does not know, or an order number reused with other content', async () => {
    const shop = await createShop(db().pool, {});
    await expect(
      recordOnlineOrder(
        db().pool,
        shop.merchantId,
        { orderNo: 'W1', store: 'MK', lines: [{ sku: 'NOPE', quantity: 1, unitPrice: 100 }] },
        Date.now(),
      ),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      recordOnlineOrder(
        db().pool,
        shop.merchantId,
        { orderNo: 'W1', store: 'XX', lines: [{ sku: 'P1', quantity: 1, unitPrice: 100 }] },
        Date.now(),
      ),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      recordOnlineOrder(
        db().pool,
        shop.merchantId,
        { orderNo: 'W1', store: 'MK', lines: [{ sku: 'P1', quantity: 0, unitPrice: 100 }] },
        Date.now(),
      ),
    ).rejects.toMatchObject({ code: 'INVALID' });
    await recordOnlineOrder(
      db().pool,
      shop.merchantId,
      { orderNo: 'W1', store: 'MK', lines: [{ sku: 'P1', quantity: 1, unitPrice: 100 }] },
      Date.now(),
    );
    await expect(
      recordOnlineOrder(
        db().pool,
        shop.merchantId,
        { orderNo: 'W1', store: 'MK', lines: [{ sku: 'P1', quantity: 2, unitPrice: 100 }] },
        Date.now(),
      ),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});

describe('sales summary', () => {
  it('totals documents by store, channel and Hong Kong calendar day', async () => {
    const shop = await createShop(db().pool, { initialStock: 10 });
    const mk = await enrolRegister(db().pool, server.base, shop.stores[0]!);
    const tst = await enrolRegister(db().pool, server.base, shop.stores[1]!);
    // 1 July 2025, 10:00 and 10:01 HKT; then 23:30 HKT on 1 July, which is 15:30 UTC the same day,
    // and 00:30 HKT on 2 July, which is still 1 July in UTC.
    const lateNight = receipt(mk, 3, [{ sku: 'P1', quantity: 1 }], 'sale', Date.parse('2025-07-01T15:30:00Z'));
    const pastMidnight = receipt(mk, 4, [{ sku: 'P2', quantity: 2 }], 'sale', Date.parse('2025-07-01T16:30:00Z'));
    const refund = receipt(mk, 5, [{ sku: 'P1', quantity: -1 }], 'return', Date.parse('2025-07-01T16:40:00Z'));
    await push(mk, [
      saleMutation(mk, 1),
      saleMutation(mk, 2, [{ sku: 'P2', quantity: 3 }]),
      { seq: 3, kind: 'document.sale', ref: lateNight.receiptNo, payload: lateNight },
      { seq: 4, kind: 'document.sale', ref: pastMidnight.receiptNo, payload: pastMidnight },
      { seq: 5, kind: 'document.return', ref: refund.receiptNo, payload: refund },
    ]);
    await push(tst, [saleMutation(tst, 1, [{ sku: 'P3', quantity: 1, unitPrice: 4200 }])]);
    await recordOnlineOrder(
      db().pool,
      shop.merchantId,
      { orderNo: 'WEB-1', store: 'MK', completedAt: SALES_DAY, lines: [{ sku: 'P1', quantity: 2, unitPrice: 900, discountAmount: 100 }] },
      Date.now(),
    );

    expect(await salesSummary(db().pool, shop.merchantId)).toEqual([
      { storeCode: 'MK', channel: 'online', day: '2025-07-01', sales: 1, returns: 0, exchanges: 0, total: 1700 },
      { storeCode: 'MK', channel: 'register', day: '2025-07-01', sales: 3, returns: 0, exchanges: 0, total: 1000 + 3000 + 1000 },
      { storeCode: 'TST', channel: 'register', day: '2025-07-01', sales: 1, returns: 0, exchanges: 0, total: 4200 },
      { storeCode: 'MK', channel: 'register', day: '2025-07-02', sales: 1, returns: 1, exchanges: 0, total: 2000 - 1000 },
    ]);
    const secondDay = await salesSummary(db().pool, shop.merchantId, { from: Date.parse('2025-07-01T16:00:00Z') });
    expect(secondDay.map((r) => r.day)).toEqual(['2025-07-02']);
  });
});
