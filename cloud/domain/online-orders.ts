/**
 * Orders from the online shop: sales of channel `online`, taking stock from the store that fulfils
 * them, on the same ledger as the registers. Recording an order twice (the shop's webhook retried)
 * records it once; the same order number with different content is refused.
 */
import { AdminError } from '../errors';
import type { Pool } from '../db/pool';
import { sqlState, withTransaction } from '../db/tx';
import { appendChanges } from './change-log';
import { parseOrThrow } from './catalogue';
import { canonicalJson } from './canonical-json';
import { resolveStore } from './merchants';
import { lineAmount } from './money';
import { insertSale, memberCodeIn, missingSkus } from './sales';
import { OnlineOrderInput, toMilli } from './schemas';
import { applyOnHand } from './stock';

export interface RecordedOrder {
  saleId: number;
  orderNo: string;
  total: number;
  created: boolean;
}

export async function recordOnlineOrder(pool: Pool, merchantId: number, input: unknown, now: number): Promise<RecordedOrder> {
  const order = parseOrThrow(OnlineOrderInput, input, 'online order');
  const document = JSON.parse(JSON.stringify(order)) as unknown;
  const existing = async (): Promise<RecordedOrder | null> => {
    const row = (
      await pool.query<{ id: number; total: number; document: unknown }>(
        "SELECT id, total, document FROM sale WHERE merchant_id = $1 AND channel = 'online' AND receipt_no = $2",
        [merchantId, order.orderNo],
      )
    ).rows[0];
    if (!row) return null;
    if (canonicalJson(row.document) !== canonicalJson(document))
      throw new AdminError('CONFLICT', `Online order ${order.orderNo} was already recorded with different content`);
    return { saleId: row.id, orderNo: order.orderNo, total: row.total, created: false };
  };
  const before = await existing();
  if (before) return before;

  const lines = order.lines.map((l) => {
    const sign = Math.sign(l.quantity);
    const gross = lineAmount(l.unitPrice, toMilli(l.quantity));
    return {
      sku: l.sku,
      nameZh: l.nameZh ?? '',
      nameEn: l.nameEn ?? '',
      quantityMilli: toMilli(l.quantity),
      unitPrice: l.unitPrice,
      gross,
      promotionAmount: 0,
      discountAmount: l.discountAmount,
      net: gross - sign * l.discountAmount,
    };
  });
  const total = lines.reduce((sum, l) => sum + l.net, 0);
  const payments = (order.payments ?? [{ method: 'online', amount: total }]).map((p) => ({
    method: p.method,
    amount: p.amount,
    tendered: p.amount,
    changeGiven: 0,
    reference: 'reference' in p ? (p.reference ?? null) : null,
    approvalCode: null,
    cardLast4: null,
  }));
  const paid = payments.reduce((sum, p) => sum + p.amount, 0);
  if (paid !== total) throw new AdminError('INVALID', `Payments add up to ${paid} cents but the order's total is ${total}`);

  try {
    return await withTransaction(pool, async (client) => {
      // 1. the fulfilling store and the SKUs, from this merchant
      const store = await resolveStore(client, order.store, merchantId);
      const missing = await missingSkus(
        client,
        merchantId,
        lines.map((l) => l.sku),
      );
      if (missing.length > 0) throw new AdminError('NOT_FOUND', `Not in the catalogue: ${missing.join(', ')}`);
      // 2. the document and its movements; 3. on-hand; 4. the change log
      const { saleId, deltas } = await insertSale(
        client,
        {
          merchantId,
          storeId: store.id,
          storeCode: store.code,
          channel: 'online',
          registerId: null,
          registerSeq: null,
          registerSaleId: null,
          kind: order.kind,
          receiptNo: order.orderNo,
          originalReceiptNo: null,
          completedAt: order.completedAt ?? now,
          staffName: '',
          subtotal: lines.reduce((sum, l) => sum + l.gross, 0),
          promotionTotal: 0,
          discountTotal: lines.reduce((sum, l) => sum + l.discountAmount, 0),
          taxTotal: 0,
          total,
          rounding: 0,
          changeGiven: 0,
          memberCode: memberCodeIn(document),
          document,
          lines,
          payments,
        },
        now,
      );
      await appendChanges(client, merchantId, await applyOnHand(client, merchantId, deltas, now), now);
      return { saleId, orderNo: order.orderNo, total, created: true };
    });
  } catch (error) {
    // The same order recorded concurrently: the other one won; answer as a replay.
    if (sqlState(error) === '23505') {
      const after = await existing();
      if (after) return after;
    }
    throw error;
  }
}
