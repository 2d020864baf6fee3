/**
 * Purchase orders end to end (issue 14), register and cloud for real: head office orders 12
 * products for MK01, the register pulls the order, receives against it (one line short, one over),
 * posts once; the cloud records ordered vs received per line, moves on-hand by what arrived, and
 * closes the order, which leaves the register's list of orders to receive. An order head office
 * cancels reaches the register the same way: listed as cancelled, not receivable, and a receipt
 * already opened against it cannot be posted.
 */
import { describe, expect, it } from 'vitest';
import { cancelPurchaseOrder, createPurchaseOrder, listPurchaseOrders } from '../../../cloud/domain/purchase-orders';
import type { PurchaseOrderSummary, StockDocumentView } from '../../../src/shared/stock-schemas';
import { call, createCloudShop, enrol, enrolmentCode, eventually, useSyncRig } from './helpers';

/** Twelve demo products (SKU, barcode), the first eleven drinks and a bun. */
const PRODUCTS = [
  ['DRI-0001', '4891234000012'],
  ['DRI-0002', '4891234000029'],
  ['DRI-0003', '4891234000036'],
  ['DRI-0004', '4891234000043'],
  ['DRI-0005', '4891234000050'],
  ['DRI-0006', '4891234000067'],
  ['DRI-0007', '4891234000074'],
  ['DRI-0008', '4891234000081'],
  ['DRI-0009', '4891234000098'],
  ['DRI-0010', '4891234000104'],
  ['DRI-0011', '4891234000111'],
  ['BAK-0012', '4891234000128'],
] as const;
const ORDERED = 6;
const SHORT = 'DRI-0003'; // 4 of 6 arrive
const OVER = 'DRI-0008'; // 8 of 6 arrive

const { database, server, openRegister } = useSyncRig();

describe('purchase orders', () => {
  it(
    'a PO of 12 lines pulled, received with one short and one over, posted once: the cloud has ordered vs received and the order closed',
    { timeout: 180_000 },
    async () => {
      const pool = database().pool;
      const shop = await createCloudShop(pool, { skus: PRODUCTS.map(([sku]) => sku), initialStock: 10 });
      const { register } = await openRegister();
      await enrol(register, server.base, await enrolmentCode(pool, shop.store));

      const order = await createPurchaseOrder(
        pool,
        shop.merchantId,
        shop.store,
        { poNo: 'PO-1203', supplier: '維他奶 Vitasoy', lines: PRODUCTS.map(([sku]) => ({ sku, quantity: ORDERED, costCents: 450 })) },
        Date.now(),
      );
      await call(register, 'sync:now');
      const [pulled] = await eventually(
        () => call<PurchaseOrderSummary[]>(register, 'stock:purchase-orders'),
        (list) => list.length === 1,
        'the order pulled',
      );
      expect(pulled).toMatchObject({ poNo: 'PO-1203', supplier: '維他奶 Vitasoy', lineCount: 12, totalMilli: 12 * ORDERED * 1000 });

      // Receiving against it: every ordered line shows at once, expected = ordered, received 0.
      const doc = await call<StockDocumentView>(register, 'stock:open', { kind: 'receive', purchaseOrderId: order.poId });
      expect(doc.purchaseOrderNo).toBe('PO-1203');
      expect(doc.supplierRef).toBe('PO-1203');
      expect(doc.lines).toHaveLength(12);
      expect(doc.lines.every((l) => l.quantityMilli === 0 && l.expectedMilli === ORDERED * 1000)).toBe(true);
      // a second receipt of the same order is refused while this one is open
      const twice = await register.dispatch('stock:open', { kind: 'receive', purchaseOrderId: order.poId });
      expect(twice.ok ? null : twice.error.code).toBe('CONFLICT');

      for (const [sku, barcode] of PRODUCTS) {
        const quantity = sku === SHORT ? 4 : sku === OVER ? 8 : ORDERED;
        await call(register, 'stock:scan', { documentId: doc.id, code: barcode, quantity });
      }
      const scanned = await call<StockDocumentView>(register, 'stock:document', { documentId: doc.id });
      expect(scanned.lines.find((l) => l.sku === SHORT)).toMatchObject({ quantityMilli: 4000, expectedMilli: 6000 });
      expect(scanned.lines.find((l) => l.sku === OVER)).toMatchObject({ quantityMilli: 8000, expectedMilli: 6000 });
      expect(scanned.totalMilli).toBe(12 * ORDERED * 1000);

      await call(register, 'stock:post', { documentId: doc.id });
      const again = await register.dispatch('stock:post', { documentId: doc.id });
      expect(again.ok ? null : again.error.code).toBe('STOCK_DOCUMENT_CLOSED');
      expect(await call<PurchaseOrderSummary[]>(register, 'stock:purchase-orders')).toEqual([]);

      await call(register, 'sync:now');
      await eventually(
        async () => (await call<{ pending: number }>(register, 'sync:status')).pending,
        (n) => n === 0,
        'the receipt pushed',
      );

      // The cloud: the order received by that document, ordered vs received per line, on-hand moved by what arrived.
      const [report] = await listPurchaseOrders(pool, shop.merchantId);
      expect(report).toMatchObject({ poNo: 'PO-1203', status: 'received', receivedBy: doc.docNo });
      expect(report!.lines).toHaveLength(12);
      expect(report!.lines.find((l) => l.sku === SHORT)).toEqual({ sku: SHORT, orderedMilli: 6000, receivedMilli: 4000 });
      expect(report!.lines.find((l) => l.sku === OVER)).toEqual({ sku: OVER, orderedMilli: 6000, receivedMilli: 8000 });
      const lines = (
        await pool.query<{ sku: string; quantity_milli: string; expected_milli: string; movement_milli: string }>(
          `SELECT l.sku, l.quantity_milli, l.expected_milli, l.movement_milli FROM stock_document_line l
           JOIN stock_document d ON d.doc_id = l.doc_id WHERE d.po_id = $1 ORDER BY l.sku`,
          [order.poId],
        )
      ).rows;
      expect(lines).toHaveLength(12);
      expect(lines.every((l) => Number(l.expected_milli) === 6000)).toBe(true);
      const onHand = new Map(
        (
          await pool.query<{ sku: string; quantity_milli: string }>('SELECT sku, quantity_milli FROM stock_on_hand WHERE store_id = $1', [
            shop.store.id,
          ])
        ).rows.map((r) => [r.sku, Number(r.quantity_milli)]),
      );
      expect(onHand.get(SHORT)).toBe(14_000);
      expect(onHand.get(OVER)).toBe(18_000);
      expect(onHand.get('DRI-0001')).toBe(16_000);

      // The register's own picture: what arrived is on hand here too.
      const onHere = await eventually(
        async () => (await call<{ rows: { sku: string; onHandMilli: number }[] }>(register, 'stock:on-hand', { text: OVER })).rows,
        (rows) => rows.find((r) => r.sku === OVER)?.onHandMilli === 18_000,
        'the register sees 18',
      );
      expect(onHere.find((r) => r.sku === OVER)?.onHandMilli).toBe(18_000);
    },
  );

  it(
    'a cancelled PO reaches the register: listed as cancelled, not receivable, an open receipt against it not postable',
    { timeout: 180_000 },
    async () => {
      const pool = database().pool;
      const shop = await createCloudShop(pool, { skus: ['DRI-0001', 'DRI-0002'], initialStock: 10 });
      const { register } = await openRegister();
      await enrol(register, server.base, await enrolmentCode(pool, shop.store));
      const lines = [{ sku: 'DRI-0001', quantity: 6 }];
      const opened = await createPurchaseOrder(pool, shop.merchantId, shop.store, { poNo: 'PO-C1', lines }, Date.now());
      const never = await createPurchaseOrder(pool, shop.merchantId, shop.store, { poNo: 'PO-C2', lines }, Date.now());
      await call(register, 'sync:now');
      await eventually(
        () => call<PurchaseOrderSummary[]>(register, 'stock:purchase-orders'),
        (list) => list.length === 2,
        'both orders pulled',
      );
      const doc = await call<StockDocumentView>(register, 'stock:open', { kind: 'receive', purchaseOrderId: opened.poId });
      await call(register, 'stock:scan', { documentId: doc.id, code: '4891234000012', quantity: 6 });

      await cancelPurchaseOrder(pool, shop.merchantId, 'PO-C1', Date.now());
      await cancelPurchaseOrder(pool, shop.merchantId, 'PO-C2', Date.now());
      await call(register, 'sync:now');
      const listed = await eventually(
        () => call<PurchaseOrderSummary[]>(register, 'stock:purchase-orders'),
        (list) => list.every((o) => o.status === 'cancelled'),
        'both cancellations pulled',
      );
      expect(listed.map((o) => [o.poNo, o.status])).toEqual([
        ['PO-C1', 'cancelled'],
        ['PO-C2', 'cancelled'],
      ]);
      const receive = await register.dispatch('stock:open', { kind: 'receive', purchaseOrderId: never.poId });
      expect(receive.ok ? null : receive.error.code).toBe('CONFLICT');
      expect((await call<StockDocumentView>(register, 'stock:document', { documentId: doc.id })).purchaseOrderStatus).toBe('cancelled');
      const post = await register.dispatch('stock:post', { documentId: doc.id });
      expect(post.ok ? null : post.error.code).toBe('CONFLICT');
      await call(register, 'stock:cancel', { documentId: doc.id });
      expect((await listPurchaseOrders(pool, shop.merchantId)).map((o) => o.status)).toEqual(['cancelled', 'cancelled']);
    },
  );
});
