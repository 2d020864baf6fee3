/** A completed document as the receipt (screen, paper, lookup) shows it. */
import { PosError } from '../../shared/errors';
import type { Receipt } from '../../shared/checkout-schemas';
import { ReceiptMember } from '../../shared/member-schemas';
import type { Db } from '../db/open';
import { findSaleByReceipt, returnedMilliByLine, saleLines, salePayments, type SaleRow } from './sale-repo';
import { prepared } from '../db/prepared';
import { movementsOf } from '../members/stored-value';
import { giftCardLinesOf } from '../members/gift-cards';
import type { PlannedPayment } from './tender-plan';

interface StoreRow {
  code: string;
  name_zh: string;
  name_en: string;
  address_zh: string;
  address_en: string;
  phone: string;
  register_name: string;
}

interface PromotionJson {
  id: number;
  nameZh: string;
  nameEn: string;
  amount: number;
}

export function loadReceipt(db: Db, receiptNo: string, copy: boolean): Receipt {
  const sale = findSaleByReceipt(db, receiptNo);
  if (!sale) throw new PosError('NOT_FOUND', `No receipt ${receiptNo} on this register`);
  return receiptOf(db, sale, copy);
}

/** The receipt's header: the store and this register, as they are now. */
export function receiptHeader(db: Db, staffId: number): Pick<Receipt, 'store' | 'registerName' | 'staff'> {
  const store = prepared<[], StoreRow>(
    db,
    'SELECT s.code, s.name_zh, s.name_en, s.address_zh, s.address_en, s.phone, r.name AS register_name FROM this_register r JOIN store s ON s.id = r.store_id',
  ).get() as StoreRow;
  const staff = prepared<{ id: number }, { name_zh: string; name_en: string }>(db, 'SELECT name_zh, name_en FROM staff WHERE id = :id').get(
    { id: staffId },
  );
  return {
    store: {
      code: store.code,
      nameZh: store.name_zh,
      nameEn: store.name_en,
      addressZh: store.address_zh,
      addressEn: store.address_en,
      phone: store.phone,
    },
    registerName: store.register_name,
    staff: { nameZh: staff?.name_zh ?? '', nameEn: staff?.name_en ?? '' },
  };
}

/** A stored promotion (sale_line.promotions JSON) as the receipt shows it. */
export const receiptPromotion = (p: PromotionJson): Receipt['lines'][number]['promotions'][number] => ({
  id: p.id,
  nameZh: p.nameZh,
  nameEn: p.nameEn,
  amount: p.amount,
});

/** A payment as the receipt shows it, named as its method is (by its code, should the method be gone). */
export function receiptPayment(p: PlannedPayment, method: { nameZh: string; nameEn: string } | undefined): Receipt['payments'][number] {
  return { ...p, nameZh: method?.nameZh ?? p.method, nameEn: method?.nameEn ?? p.method };
}

export function receiptOf(db: Db, sale: SaleRow, copy: boolean): Receipt {
  const methods = new Map(
    prepared<[], { code: string; nameZh: string; nameEn: string }>(
      db,
      'SELECT code, name_zh AS nameZh, name_en AS nameEn FROM payment_method',
    )
      .all()
      .map((m) => [m.code, m]),
  );
  const lines = saleLines(db, sale.id);
  const storedValue = movementsOf(db, sale.receipt_no);
  const giftCards = giftCardLinesOf(db, sale.receipt_no);
  const returned = returnedMilliByLine(db, sale.id);
  const originalSaleId = prepared<{ saleId: number }, number>(
    db,
    'SELECT o.sale_id FROM sale_line l JOIN sale_line o ON o.id = l.return_of_line_id WHERE l.sale_id = :saleId LIMIT 1',
  )
    .pluck()
    .get({ saleId: sale.id });
  const originalReceiptNo =
    originalSaleId === undefined
      ? null
      : (prepared<{ id: number }, string>(db, 'SELECT receipt_no FROM sale WHERE id = :id').pluck().get({ id: originalSaleId }) ?? null);
  return {
    saleId: sale.id,
    receiptNo: sale.receipt_no,
    kind: sale.kind,
    originalReceiptNo,
    completedAt: sale.completed_at,
    ...receiptHeader(db, sale.staff_id),
    lines: lines.map((l) => ({
      id: l.id,
      sku: l.sku,
      nameZh: l.name_zh,
      nameEn: l.name_en,
      quantity: l.quantity_milli / 1000,
      unitPrice: l.unit_price,
      gross: l.gross,
      promotions: (JSON.parse(l.promotions) as PromotionJson[]).map(receiptPromotion),
      discountAmount: l.discount_amount,
      net: l.net,
      returnableQuantity: l.quantity_milli > 0 ? (l.quantity_milli - (returned.get(l.id) ?? 0)) / 1000 : 0,
      ...(giftCards.has(l.position) ? { giftCard: giftCards.get(l.position) } : {}),
    })),
    subtotal: sale.subtotal,
    promotionTotal: sale.promotion_total,
    discountTotal: sale.discount_total,
    taxTotal: sale.tax_total,
    total: sale.total,
    rounding: sale.rounding,
    payments: salePayments(db, sale.id).map((p, index) => {
      const movement = storedValue.get(index + 1);
      return { ...receiptPayment(p, methods.get(p.method)), ...(movement ? { storedValue: movement } : {}) };
    }),
    change: sale.change_given,
    copy,
    reprintCount: sale.reprint_count,
    ...(sale.member === null ? {} : { member: ReceiptMember.parse(JSON.parse(sale.member)) }),
    ...(sale.order_no === null || sale.channel === 'shop' ? {} : { order: { orderNo: sale.order_no, channel: sale.channel } }),
  };
}
