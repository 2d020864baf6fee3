/**
 * Sales documents, from registers and from the online shop: immutable rows (sale, lines,
 * payments) and one stock movement per line, written together.
 */
import type { Queryable } from '../db/pool';
import { numberArray, textArray, timestampArray } from '../db/array-literal';
import { OnHandDeltas, insertMovements } from './stock';

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
  /** The member the document names (`document.member.code`): memberCodeIn(document). */
  memberCode: string | null;
  /** Its JSON text as the channel sent it, one line, where the request gave it (payload-bytes.ts); otherwise `document` is serialised. */
  documentJson?: Buffer;
  lines: SaleLineRecord[];
  payments: SalePaymentRecord[];
}

/*
 * The batch checks look up a set of keys with one index probe each: `unnest` of the keys, each
 * joined LATERAL to a lookup by the whole key (`LIMIT 1` keeps the planner from folding it into a
 * join of its own choosing). A plain `key = ANY($2)` let the planner, going by statistics taken
 * while the table was small, read every row of the merchant's prefix and filter: every batch of
 * 50 receipts read all the merchant's sales (issue 18).
 */

/** SKUs of `skus` that the merchant's catalogue does not have. */
export async function missingSkus(client: Queryable, merchantId: number, skus: string[]): Promise<string[]> {
  const wanted = [...new Set(skus)];
  if (wanted.length === 0) return [];
  const found = new Set(
    (
      await client.query<{ sku: string }>({
        name: 'batch-missing-skus',
        text: `SELECT p.sku FROM unnest($2::text[]) AS w(sku)
         CROSS JOIN LATERAL (SELECT sku FROM product WHERE merchant_id = $1 AND sku = w.sku LIMIT 1) p`,
        values: [merchantId, wanted],
      })
    ).rows.map((r) => r.sku),
  );
  return wanted.filter((sku) => !found.has(sku));
}

/** Of `receiptNos`, those the merchant's registers have already sent, with the register and seq each came as. */
export async function receivedRegisterReceipts(
  client: Queryable,
  merchantId: number,
  receiptNos: string[],
): Promise<Map<string, { registerId: string; registerSeq: number | null }>> {
  if (receiptNos.length === 0) return new Map();
  const rows = (
    await client.query<{ receipt_no: string; register_id: string; register_seq: number | null }>({
      name: 'batch-received-receipts',
      text: `SELECT s.receipt_no, s.register_id, s.register_seq FROM unnest($2::text[]) AS w(receipt_no)
       CROSS JOIN LATERAL (SELECT receipt_no, register_id, register_seq FROM sale
                           WHERE merchant_id = $1 AND channel = 'register' AND receipt_no = w.receipt_no LIMIT 1) s`,
      values: [merchantId, [...new Set(receiptNos)]],
    })
  ).rows;
  return new Map(rows.map((r) => [r.receipt_no, { registerId: r.register_id, registerSeq: r.register_seq }]));
}

/** The member a document names, as `member.code`, whatever its channel: its purchases show in the member's history. */
export function memberCodeIn(document: unknown): string | null {
  const member = typeof document === 'object' && document !== null ? (document as { member?: unknown }).member : undefined;
  const code = typeof member === 'object' && member !== null ? (member as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : null;
}

const NEWLINE = Buffer.from('\n');

/** The documents' JSON, a line each (serialised JSON has no raw newline; storableJsonLine makes sure of the bytes kept). */
function documentLines(sales: readonly SaleRecord[]): Buffer {
  const parts: Buffer[] = [];
  for (const sale of sales) {
    if (parts.length > 0) parts.push(NEWLINE);
    parts.push(sale.documentJson ?? Buffer.from(JSON.stringify(sale.document)));
  }
  return Buffer.concat(parts);
}

/**
 * Writes the documents and their stock movements, a few statements for any number of them (one
 * INSERT each for the headers, the lines, the payments and the movements); returns each document's
 * sale id, in the order given, and the on-hand deltas. Documents of one call have distinct
 * (channel, receipt number): the caller has checked, the UNIQUE constraint stands behind it.
 */
export async function insertSales(
  client: Queryable,
  sales: readonly SaleRecord[],
  now: number,
): Promise<{ saleIds: number[]; deltas: OnHandDeltas }> {
  if (sales.length === 0) return { saleIds: [], deltas: new OnHandDeltas() };
  const col = <T>(pick: (sale: SaleRecord) => T): T[] => sales.map(pick);
  // 1. the headers
  const inserted = await client.query<{ id: number; channel: string; receipt_no: string }>({
    name: 'ingest-sales',
    text: `INSERT INTO sale (merchant_id, store_id, channel, register_id, register_seq, register_sale_id, kind, receipt_no, original_receipt_no,
                       completed_at, staff_name, subtotal, promotion_total, discount_total, tax_total, total, rounding, change_given, member_code, document, received_at)
     SELECT t.merchant_id, t.store_id, t.channel, t.register_id, t.register_seq, t.register_sale_id, t.kind, t.receipt_no, t.original_receipt_no,
            t.completed_at, t.staff_name, t.subtotal, t.promotion_total, t.discount_total, t.tax_total, t.total, t.rounding, t.change_given, t.member_code, d.document::json, $1
     FROM unnest($2::bigint[], $3::bigint[], $4::text[], $5::uuid[], $6::bigint[], $7::bigint[], $8::text[], $9::text[], $10::text[], $11::timestamptz[],
                 $12::text[], $13::bigint[], $14::bigint[], $15::bigint[], $16::bigint[], $17::bigint[], $18::bigint[], $19::bigint[], $21::text[])
            WITH ORDINALITY AS t(merchant_id, store_id, channel, register_id, register_seq, register_sale_id, kind, receipt_no, original_receipt_no,
                                 completed_at, staff_name, subtotal, promotion_total, discount_total, tax_total, total, rounding, change_given, member_code, ord)
     JOIN string_to_table($20, E'\n') WITH ORDINALITY AS d(document, ord) ON d.ord = t.ord
     RETURNING id, channel, receipt_no`,
    values: [
      new Date(now),
      numberArray(col((s) => s.merchantId)),
      numberArray(col((s) => s.storeId)),
      textArray(col((s) => s.channel)),
      textArray(col((s) => s.registerId)),
      numberArray(col((s) => s.registerSeq)),
      numberArray(col((s) => s.registerSaleId)),
      textArray(col((s) => s.kind)),
      textArray(col((s) => s.receiptNo)),
      textArray(col((s) => s.originalReceiptNo)),
      timestampArray(col((s) => s.completedAt)),
      textArray(col((s) => s.staffName)),
      numberArray(col((s) => s.subtotal)),
      numberArray(col((s) => s.promotionTotal)),
      numberArray(col((s) => s.discountTotal)),
      numberArray(col((s) => s.taxTotal)),
      numberArray(col((s) => s.total)),
      numberArray(col((s) => s.rounding)),
      numberArray(col((s) => s.changeGiven)),
      // The documents as one text, a line each, split by the server: no text[] whose every element
      // pg escapes again (each quote of each document: a tenth of the cloud's CPU per sale), no jsonb
      // array the server must parse whole and cut up again. Sent as bytes (a Buffer: pg's binary
      // format, which for text is its UTF-8), mostly as they came in the push's body.
      documentLines(sales),
      textArray(col((s) => s.memberCode)),
    ],
  });
  const idOf = new Map(inserted.rows.map((r) => [`${r.channel}\u0000${r.receipt_no}`, r.id]));
  const saleIds = sales.map((s) => idOf.get(`${s.channel}\u0000${s.receiptNo}`) as number);

  // 2. the lines, and 3. the payments, of every document at once
  const lines = sales.flatMap((sale, i) =>
    sale.lines.map((line, index) => ({ sale, saleId: saleIds[i] as number, position: index + 1, line })),
  );
  await client.query({
    name: 'ingest-sale-lines',
    text: `INSERT INTO sale_line (sale_id, position, sku, name_zh, name_en, quantity_milli, unit_price, gross, promotion_amount, discount_amount, net)
     SELECT * FROM unnest($1::bigint[], $2::int[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::bigint[], $8::bigint[], $9::bigint[], $10::bigint[], $11::bigint[])`,
    values: [
      numberArray(lines.map((l) => l.saleId)),
      numberArray(lines.map((l) => l.position)),
      textArray(lines.map((l) => l.line.sku)),
      textArray(lines.map((l) => l.line.nameZh)),
      textArray(lines.map((l) => l.line.nameEn)),
      numberArray(lines.map((l) => l.line.quantityMilli)),
      numberArray(lines.map((l) => l.line.unitPrice)),
      numberArray(lines.map((l) => l.line.gross)),
      numberArray(lines.map((l) => l.line.promotionAmount)),
      numberArray(lines.map((l) => l.line.discountAmount)),
      numberArray(lines.map((l) => l.line.net)),
    ],
  });
  const payments = sales.flatMap((sale, i) =>
    sale.payments.map((payment, index) => ({ saleId: saleIds[i] as number, position: index + 1, payment })),
  );
  if (payments.length > 0) {
    await client.query({
      name: 'ingest-sale-payments',
      text: `INSERT INTO sale_payment (sale_id, position, method, amount, tendered, change_given, reference, approval_code, card_last4)
       SELECT * FROM unnest($1::bigint[], $2::int[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[], $7::text[], $8::text[], $9::text[])`,
      values: [
        numberArray(payments.map((p) => p.saleId)),
        numberArray(payments.map((p) => p.position)),
        textArray(payments.map((p) => p.payment.method)),
        numberArray(payments.map((p) => p.payment.amount)),
        numberArray(payments.map((p) => p.payment.tendered)),
        numberArray(payments.map((p) => p.payment.changeGiven)),
        textArray(payments.map((p) => p.payment.reference)),
        textArray(payments.map((p) => p.payment.approvalCode)),
        textArray(payments.map((p) => p.payment.cardLast4)),
      ],
    });
  }
  // 4. one stock movement per line: what is sold leaves the store, what is returned comes back
  const deltas = await insertMovements(
    client,
    sales[0]?.merchantId as number,
    lines.map(({ sale, saleId, position, line }) => ({
      storeId: sale.storeId,
      storeCode: sale.storeCode,
      sku: line.sku,
      quantityMilli: -line.quantityMilli,
      reason: line.quantityMilli > 0 ? 'sale' : 'return',
      source: `sale:${saleId}`,
      line: position,
    })),
    now,
    { sourcesAreNew: true },
  );
  return { saleIds, deltas };
}

/** One document: insertSales of one. */
export async function insertSale(client: Queryable, sale: SaleRecord, now: number): Promise<{ saleId: number; deltas: OnHandDeltas }> {
  const { saleIds, deltas } = await insertSales(client, [sale], now);
  return { saleId: saleIds[0] as number, deltas };
}
