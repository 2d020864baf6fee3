/** SQL for completed documents: sales, returns and exchanges, their lines and payments. */
import type { Db } from '../db/open';
import { prepared } from '../db/prepared';
import type { PlannedPayment } from './tender-plan';

export interface SaleRow {
  id: number;
  register_seq: number;
  receipt_no: string;
  kind: 'sale' | 'return' | 'exchange';
  cart_id: number;
  staff_id: number;
  subtotal: number;
  promotion_total: number;
  discount_total: number;
  tax_total: number;
  total: number;
  rounding: number;
  change_given: number;
  discount_approved_by: number | null;
  completed_at: number;
  reprint_count: number;
  /** JSON ReceiptMember, or null */
  member: string | null;
  channel: 'shop' | 'online' | 'social';
  order_no: string | null;
}

export interface SaleLineRow {
  id: number;
  sale_id: number;
  position: number;
  product_id: number;
  sku: string;
  name_zh: string;
  name_en: string;
  category_code: string | null;
  tax_class: string;
  quantity_milli: number;
  list_price: number;
  unit_price: number;
  gross: number;
  promotions: string;
  promotion_amount: number;
  discount_amount: number;
  net: number;
  tax: number;
  price_approved_by: number | null;
  discount_approved_by: number | null;
  return_of_line_id: number | null;
  return_approved_by: number | null;
}

/** `{store}-{register}-{seq}`, e.g. MK01-01-000001: unique across the merchant once the register is enrolled. */
export function receiptNumber(storeCode: string, registerCode: string, registerSeq: number): string {
  return `${receiptSeries(storeCode, registerCode)}${String(registerSeq).padStart(6, '0')}`;
}

/** What every receipt number of one register starts with. */
export function receiptSeries(storeCode: string, registerCode: string): string {
  return `${storeCode}-${registerCode}-`;
}

/** By its number, or by the number printed before enrolment renumbered it (src/main/sync/renumber.ts). */
export function findSaleByReceipt(db: Db, receiptNo: string): SaleRow | undefined {
  return prepared<{ receiptNo: string }, SaleRow>(
    db,
    'SELECT * FROM sale WHERE receipt_no = :receiptNo OR printed_receipt_no = :receiptNo',
  ).get({ receiptNo });
}

export function findSaleByCart(db: Db, cartId: number): SaleRow | undefined {
  return prepared<{ cartId: number }, SaleRow>(db, 'SELECT * FROM sale WHERE cart_id = :cartId').get({ cartId });
}

export function saleLines(db: Db, saleId: number): SaleLineRow[] {
  return prepared<{ saleId: number }, SaleLineRow>(db, 'SELECT * FROM sale_line WHERE sale_id = :saleId ORDER BY position').all({ saleId });
}

/** A document's payments, in the shape the tender plan wrote them. */
export function salePayments(db: Db, saleId: number): PlannedPayment[] {
  return prepared<{ saleId: number }, PlannedPayment>(
    db,
    `SELECT method, amount, tendered, change_given AS change, reference, approval_code AS approvalCode, card_last4 AS cardLast4
     FROM payment WHERE sale_id = :saleId ORDER BY position`,
  ).all({ saleId });
}

/** How much of a sold line later documents have returned, in thousandths (positive). */
export function returnedMilli(db: Db, saleLineId: number): number {
  return (
    prepared<{ saleLineId: number }, number>(
      db,
      'SELECT coalesce(-sum(quantity_milli), 0) FROM sale_line WHERE return_of_line_id = :saleLineId',
    )
      .pluck()
      .get({ saleLineId }) ?? 0
  );
}

/** For each line of a sale, how much later documents have returned (thousandths, positive). */
export function returnedMilliByLine(db: Db, saleId: number): Map<number, number> {
  const rows = prepared<{ saleId: number }, { line_id: number; returned: number }>(
    db,
    `SELECT r.return_of_line_id AS line_id, -sum(r.quantity_milli) AS returned
     FROM sale_line r JOIN sale_line o ON o.id = r.return_of_line_id
     WHERE o.sale_id = :saleId GROUP BY r.return_of_line_id`,
  ).all({ saleId });
  return new Map(rows.map((row) => [row.line_id, row.returned]));
}

/** The sold line with its receipt, for a return. */
export function findSoldLine(db: Db, saleLineId: number): (SaleLineRow & { receipt_no: string }) | undefined {
  return prepared<{ saleLineId: number }, SaleLineRow & { receipt_no: string }>(
    db,
    'SELECT l.*, s.receipt_no FROM sale_line l JOIN sale s ON s.id = l.sale_id WHERE l.id = :saleLineId AND l.quantity_milli > 0',
  ).get({ saleLineId });
}

export function nextRegisterSeq(db: Db): number {
  // After a restore the floor keeps numbers the lost database printed from being reused (backup/sequence-floor.ts).
  return (
    (prepared(
      db,
      `SELECT max(coalesce(max(register_seq), 0),
                  coalesce((SELECT CAST(value AS INTEGER) FROM setting WHERE key = 'sequence.receiptFloor'), 0)) + 1 FROM sale`,
    )
      .pluck()
      .get() as number) ?? 1
  );
}

export function incrementReprint(db: Db, saleId: number): void {
  prepared(db, 'UPDATE sale SET reprint_count = reprint_count + 1 WHERE id = :saleId').run({ saleId });
}
