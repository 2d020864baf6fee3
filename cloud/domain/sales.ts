/**
 * Sales documents, from registers and from the online shop: immutable rows (sale, lines,
 * payments) and one stock movement per line, written together.
 */
import type { Queryable } from '../db/pool';
import { insertMovements, type OnHandDeltas } from './stock';

export interface SaleLineRecord {
  sku: string;
  nameZh: string;
  nameEn: string;
  quantityMilli: number;
  unitPrice: number;
  gross: number;
  promotionAmount: number;
  discountAmount: number;
  net: number;
}

export interface SalePaymentRecord {
  method: string;
  amount: number;
  tendered: number;
  changeGiven: number;
  reference: string | null;
  approvalCode: string | null;
  cardLast4: string | null;
}

export interface SaleRecord {
  merchantId: number;
  storeId: number;
  storeCode: string;
  channel: 'register' | 'online';
  registerId: string | null;
  registerSeq: number | null;
  registerSaleId: number | null;
  kind: 'sale' | 'return' | 'exchange';
  receiptNo: string;
  originalReceiptNo: string | null;
  completedAt: number;
  staffName: string;
  subtotal: number;
  promotionTotal: number;
  discountTotal: number;
  taxTotal: number;
  total: number;
  rounding: number;
  changeGiven: number;
  /** The document as the channel sent it, kept whole. */
  document: unknown;
  lines: SaleLineRecord[];
  payments: SalePaymentRecord[];
}

/** SKUs of `skus` that the merchant's catalogue does not have. */
export async function missingSkus(client: Queryable, merchantId: number, skus: string[]): Promise<string[]> {
  const wanted = [...new Set(skus)];
  const found = new Set(
    (await client.query<{ sku: string }>('SELECT sku FROM product WHERE merchant_id = $1 AND sku = ANY($2::text[])', [merchantId, wanted])).rows.map((r) => r.sku),
  );
  return wanted.filter((sku) => !found.has(sku));
}

/** Writes the document and its stock movements; returns the sale id and the on-hand deltas. */
export async function insertSale(client: Queryable, sale: SaleRecord, now: number): Promise<{ saleId: number; deltas: OnHandDeltas }> {
  // 1. the header
  const saleId = (
    await client.query<{ id: number }>(
      `INSERT INTO sale (merchant_id, store_id, channel, register_id, register_seq, register_sale_id, kind, receipt_no, original_receipt_no,
                         completed_at, staff_name, subtotal, promotion_total, discount_total, tax_total, total, rounding, change_given, document, received_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19::jsonb, $20)
       RETURNING id`,
      [
        sale.merchantId,
        sale.storeId,
        sale.channel,
        sale.registerId,
        sale.registerSeq,
        sale.registerSaleId,
        sale.kind,
        sale.receiptNo,
        sale.originalReceiptNo,
        new Date(sale.completedAt),
        sale.staffName,
        sale.subtotal,
        sale.promotionTotal,
        sale.discountTotal,
        sale.taxTotal,
        sale.total,
        sale.rounding,
        sale.changeGiven,
        JSON.stringify(sale.document),
        new Date(now),
      ],
    )
  ).rows[0]?.id as number;
  // 2. the lines
  const lines = sale.lines;
  await client.query(
    `INSERT INTO sale_line (sale_id, position, sku, name_zh, name_en, quantity_milli, unit_price, gross, promotion_amount, discount_amount, net)
     SELECT $1, t.ord, t.sku, t.name_zh, t.name_en, t.quantity_milli, t.unit_price, t.gross, t.promotion_amount, t.discount_amount, t.net
     FROM unnest($2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[], $9::bigint[], $10::bigint[])
       WITH ORDINALITY AS t(sku, name_zh, name_en, quantity_milli, unit_price, gross, promotion_amount, discount_amount, net, ord)`,
    [
      saleId,
      lines.map((l) => l.sku),
      lines.map((l) => l.nameZh),
      lines.map((l) => l.nameEn),
      lines.map((l) => l.quantityMilli),
      lines.map((l) => l.unitPrice),
      lines.map((l) => l.gross),
      lines.map((l) => l.promotionAmount),
      lines.map((l) => l.discountAmount),
      lines.map((l) => l.net),
    ],
  );
  // 3. the payments
  const payments = sale.payments;
  if (payments.length > 0) {
    await client.query(
      `INSERT INTO sale_payment (sale_id, position, method, amount, tendered, change_given, reference, approval_code, card_last4)
       SELECT $1, t.ord, t.method, t.amount, t.tendered, t.change_given, t.reference, t.approval_code, t.card_last4
       FROM unnest($2::text[], $3::bigint[], $4::bigint[], $5::bigint[], $6::text[], $7::text[], $8::text[])
         WITH ORDINALITY AS t(method, amount, tendered, change_given, reference, approval_code, card_last4, ord)`,
      [
        saleId,
        payments.map((p) => p.method),
        payments.map((p) => p.amount),
        payments.map((p) => p.tendered),
        payments.map((p) => p.changeGiven),
        payments.map((p) => p.reference),
        payments.map((p) => p.approvalCode),
        payments.map((p) => p.cardLast4),
      ],
    );
  }
  // 4. one stock movement per line: what is sold leaves the store, what is returned comes back
  const deltas = await insertMovements(
    client,
    sale.merchantId,
    lines.map((line, index) => ({
      storeId: sale.storeId,
      storeCode: sale.storeCode,
      sku: line.sku,
      quantityMilli: -line.quantityMilli,
      reason: line.quantityMilli > 0 ? 'sale' : 'return',
      source: `sale:${saleId}`,
      line: index + 1,
    })),
    now,
  );
  return { saleId, deltas };
}
