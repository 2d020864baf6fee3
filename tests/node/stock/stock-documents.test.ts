/**
 * Stock at the counter (issue 14), register side: receiving, adjustments with reasons and a blind
 * stocktake with a sale in the middle, each posted once with its movements and outbox rows in one
 * transaction; refusals typed; a long count travels as bounded outbox rows.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Cart } from '../../../src/shared/checkout-schemas';
import type {
  OnHandList,
  StockDocumentSummary,
  StockDocumentView,
  StockScanResult,
  VarianceReport,
} from '../../../src/shared/stock-schemas';
import { StockDocumentPayload } from '../../../src/shared/stock-schemas';
import { DEMO_CASHIER, DEMO_MANAGER } from '../helpers/demo-register';
import { useDemoRegisters } from '../helpers/register-session';

const TEA = '4891234000012'; // DRI-0001 港式奶茶 HK$18
const LEMON = '4891234000029'; // DRI-0002
const WATER = '4891234000050'; // DRI-0005

const openRegister = useDemoRegisters();

function onHand(list: OnHandList, sku: string): number {
  return list.rows.find((r) => r.sku === sku)?.onHandMilli ?? NaN;
}

function outboxRows(dataDir: string): { kind: string; ref: string; payload: string }[] {
  const db = new Database(join(dataDir, 'register.db'), { readonly: true });
  try {
    return db.prepare("SELECT kind, ref, payload FROM outbox WHERE kind = 'stock.document' ORDER BY seq").all() as never;
  } finally {
    db.close();
  }
}

describe('stock documents at the register', () => {
  it('receiving: quantity first then scan, posted once into on-hand and one outbox row', async () => {
    const { call, dataDir, reg } = await openRegister({ staff: DEMO_MANAGER });
    const doc = await call<StockDocumentView>('stock:open', { kind: 'receive', supplierRef: 'DN-778' });
    expect(doc.docNo).toBe('GRN-000001');
    await call<StockScanResult>('stock:scan', { documentId: doc.id, code: TEA, quantity: 12 });
    const second = await call<StockScanResult>('stock:scan', { documentId: doc.id, code: TEA });
    expect(second.line).toMatchObject({ sku: 'DRI-0001', quantityMilli: 13_000, scans: 2, expectedMilli: 0 });
    await call('stock:scan', { documentId: doc.id, code: WATER, quantity: 24, costCents: 350 });
    const posted = await call<StockDocumentSummary>('stock:post', { documentId: doc.id });
    expect(posted).toMatchObject({ status: 'posted', lineCount: 2, totalMilli: 37_000 });

    const list = await call<OnHandList>('stock:on-hand', { text: 'DRI-000' });
    expect(onHand(list, 'DRI-0001')).toBe(13_000);
    expect(onHand(list, 'DRI-0005')).toBe(24_000);
    const rows = outboxRows(dataDir);
    expect(rows).toHaveLength(1);
    const payload = StockDocumentPayload.parse(JSON.parse(rows[0]!.payload));
    expect(payload).toMatchObject({ kind: 'receive', part: 1, parts: 1, supplierRef: 'DN-778' });
    expect(payload.lines.find((l) => l.sku === 'DRI-0005')).toMatchObject({ quantityMilli: 24_000, costCents: 350 });

    // Posted twice (a second window): one post, one typed refusal; nothing written twice.
    const again = await reg.dispatch('stock:post', { documentId: doc.id });
    expect(again).toMatchObject({ ok: false, error: { code: 'STOCK_DOCUMENT_CLOSED' } });
    const scanAfter = await reg.dispatch('stock:scan', { documentId: doc.id, code: TEA });
    expect(scanAfter).toMatchObject({ ok: false, error: { code: 'STOCK_DOCUMENT_CLOSED' } });
    expect(outboxRows(dataDir)).toHaveLength(1);
  });

  it('refuses bad input with typed errors and writes nothing', async () => {
    const { reg, call } = await openRegister({ staff: DEMO_MANAGER });
    const doc = await call<StockDocumentView>('stock:open', { kind: 'receive' });
    expect(await reg.dispatch('stock:scan', { documentId: doc.id, code: '4891234000013' })).toMatchObject({
      ok: false,
      error: { code: 'BARCODE_INVALID' },
    });
    expect(await reg.dispatch('stock:scan', { documentId: doc.id, code: '4006381333931' })).toMatchObject({
      ok: false,
      error: { code: 'ITEM_NOT_FOUND' },
    });
    expect(await reg.dispatch('stock:scan', { documentId: doc.id, code: TEA, quantity: 1.2345 })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
    expect(await reg.dispatch('stock:post', { documentId: doc.id })).toMatchObject({ ok: false, error: { code: 'STOCK_DOCUMENT_EMPTY' } });
    expect(await reg.dispatch('stock:open', { kind: 'adjust', reasonCode: 'no-such' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await reg.dispatch('stock:open', { kind: 'transfer-out', toStoreCode: 'bad code!' })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
  });

  it('a cashier scans into a count but may neither see its variance nor post it, nor receive goods', async () => {
    const { reg, call } = await openRegister({ staff: DEMO_CASHIER });
    const count = await call<StockDocumentView>('stock:open', { kind: 'count', scope: { kind: 'scanned' } });
    expect(count.blind).toBe(true);
    const scanned = await call<StockScanResult>('stock:scan', { documentId: count.id, code: TEA });
    expect(scanned.line.expectedMilli).toBeNull(); // blind
    expect(await reg.dispatch('stock:variance', { documentId: count.id })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await reg.dispatch('stock:post', { documentId: count.id })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await reg.dispatch('stock:open', { kind: 'receive' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('adjustments take their sign from the reason; the per-reason report sums them', async () => {
    const { call } = await openRegister({ staff: DEMO_MANAGER });
    const receive = await call<StockDocumentView>('stock:open', { kind: 'receive' });
    await call('stock:scan', { documentId: receive.id, code: TEA, quantity: 10 });
    await call('stock:post', { documentId: receive.id });
    const damaged = await call<StockDocumentView>('stock:open', { kind: 'adjust', reasonCode: 'damaged', note: '跌爛' });
    const line = await call<StockScanResult>('stock:scan', { documentId: damaged.id, code: TEA, quantity: 2 });
    expect(line.line.quantityMilli).toBe(-2000);
    await call('stock:post', { documentId: damaged.id });
    expect(onHand(await call<OnHandList>('stock:on-hand', { text: 'DRI-0001' }), 'DRI-0001')).toBe(8000);
    const report = await call<{ reasonCode: string; quantityMilli: number; value: number }[]>('stock:reason-report', {
      from: 0,
      to: Date.now() + 60_000,
    });
    expect(report).toEqual([expect.objectContaining({ reasonCode: 'damaged', quantityMilli: -2000, value: -3600, documents: 1 })]);
  });

  it('a blind count with a sale in the middle: the variance nets the sale out by time, and posting sets on-hand to what is on the shelf', async () => {
    let now = Date.parse('2026-12-01T02:00:00Z');
    const clock = { now: () => (now += 1000) };
    const { call, reg, dataDir } = await openRegister({ staff: DEMO_MANAGER, clock });
    const receive = await call<StockDocumentView>('stock:open', { kind: 'receive' });
    await call('stock:scan', { documentId: receive.id, code: TEA, quantity: 10 });
    await call('stock:scan', { documentId: receive.id, code: LEMON, quantity: 5 });
    await call('stock:post', { documentId: receive.id });

    // The count covers the drinks; two people would scan into it, the shelf has 9 teas (one missing).
    const count = await call<StockDocumentView>('stock:open', { kind: 'count', scope: { kind: 'category', categoryCode: 'DRINK' } });
    await call('stock:scan', { documentId: count.id, code: TEA, quantity: 9 });
    // A sale of one tea after it was counted: the till never stops for a count.
    const cart = await call<Cart>('cart:scan', { code: TEA });
    await call('sale:complete', { cartId: cart.id, tenders: [{ method: 'cash', amount: 1800 }] });
    // Lemon tea was not scanned at all: in scope, so counted as none.
    const variance = await call<VarianceReport>('stock:variance', { documentId: count.id });
    expect(variance.lines.map((l) => [l.sku, l.expectedMilli, l.countedMilli, l.varianceMilli])).toEqual([
      ['DRI-0002', 5000, 0, -5000],
      ['DRI-0001', 10_000, 9000, -1000],
    ]);
    expect(variance).toMatchObject({ varianceLines: 2, shortMilli: -6000, overMilli: 0 });
    await call('stock:post', { documentId: count.id });
    const list = await call<OnHandList>('stock:on-hand', { text: 'DRI-000' });
    expect(onHand(list, 'DRI-0001')).toBe(8000); // 9 on the shelf at the count, 1 sold since
    expect(onHand(list, 'DRI-0002')).toBe(0);
    const payload = StockDocumentPayload.parse(JSON.parse(outboxRows(dataDir).at(-1)!.payload));
    // The cloud gets what was counted and when, never the variance.
    expect(payload.lines.map((l) => [l.sku, l.quantityMilli, typeof l.countedAt])).toEqual([
      ['DRI-0001', 9000, 'number'],
      ['DRI-0002', 0, 'number'],
    ]);
    expect(await reg.dispatch('stock:cancel', { documentId: count.id })).toMatchObject({
      ok: false,
      error: { code: 'STOCK_DOCUMENT_CLOSED' },
    });
  });

  it('a 2,500-line count posts as three outbox rows of at most 1,000 lines, each under the cloud’s body limit', async () => {
    const { call, dataDir, reg } = await openRegister({ staff: DEMO_MANAGER });
    const count = await call<StockDocumentView>('stock:open', { kind: 'count', scope: { kind: 'scanned' }, blind: false });
    const skus = new Database(join(dataDir, 'register.db'), { readonly: true });
    const codes = skus.prepare('SELECT sku FROM product WHERE active = 1 ORDER BY id LIMIT 2500').pluck().all() as string[];
    skus.close();
    for (const code of codes) await reg.dispatch('stock:scan', { documentId: count.id, code, quantity: 2 });
    const posted = await call<StockDocumentSummary>('stock:post', { documentId: count.id });
    expect(posted.lineCount).toBe(2500);
    const rows = outboxRows(dataDir);
    expect(rows.map((r) => r.ref)).toEqual(['CNT-000001#1', 'CNT-000001#2', 'CNT-000001#3']);
    const parts = rows.map((r) => StockDocumentPayload.parse(JSON.parse(r.payload)));
    expect(parts.map((p) => [p.part, p.parts, p.lines.length, p.lines[0]!.line])).toEqual([
      [1, 3, 1000, 1],
      [2, 3, 1000, 1001],
      [3, 3, 500, 2001],
    ]);
    for (const r of rows) expect(Buffer.byteLength(r.payload)).toBeLessThan(256 * 1024);
  }, 120_000);

  it('receiving a transfer pulled from the cloud: what arrived against what was sent, once', async () => {
    const first = await openRegister({ staff: DEMO_MANAGER });
    first.close();
    const sentId = '0b0c1d2e-3f40-4152-8a63-748596a7b8c9';
    const file = new Database(join(first.dataDir, 'register.db'));
    file
      .prepare(
        `INSERT INTO inbound_transfer (doc_id, doc_no, from_store_code, sent_at, complete, lines)
         VALUES (?, 'TRO-000007', 'TST', 1, 1, '[{"sku":"DRI-0001","quantityMilli":5000},{"sku":"DRI-0005","quantityMilli":2000}]')`,
      )
      .run(sentId);
    file.close();
    const { call, reg, dataDir } = await openRegister({ staff: DEMO_MANAGER, dataDir: first.dataDir });
    expect(await call<{ docNo: string; lineCount: number; totalMilli: number }[]>('stock:inbound', {})).toEqual([
      expect.objectContaining({ docNo: 'TRO-000007', fromStoreCode: 'TST', lineCount: 2, totalMilli: 7000, complete: true }),
    ]);
    const doc = await call<StockDocumentView>('stock:open', { kind: 'transfer-in', transferDocId: sentId });
    const line = await call<StockScanResult>('stock:scan', { documentId: doc.id, code: TEA, quantity: 4 });
    expect(line.line).toMatchObject({ quantityMilli: 4000, expectedMilli: 5000 });
    expect(await reg.dispatch('stock:open', { kind: 'transfer-in', transferDocId: sentId })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
    await call('stock:post', { documentId: doc.id });
    expect(onHand(await call<OnHandList>('stock:on-hand', { text: 'DRI-0001' }), 'DRI-0001')).toBe(4000);
    expect(await call('stock:inbound', {})).toEqual([]);
    const payload = StockDocumentPayload.parse(JSON.parse(outboxRows(dataDir).at(-1)!.payload));
    expect(payload).toMatchObject({ kind: 'transfer-in', transferDocId: sentId });
    expect(payload.lines.map((l) => [l.sku, l.quantityMilli])).toEqual([
      ['DRI-0001', 4000],
      ['DRI-0005', 0],
    ]);
  });
});
