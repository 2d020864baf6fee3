/**
 * The paper receipt as a driver ReceiptDocument: store header, bilingual item names, quantities,
 * prices, promotions and discounts, totals, tenders, change and cash rounding, the receipt number
 * as text, CODE128 and QR (a return scans either), and the footer. A reprint says 副本 COPY.
 * The document carries no widths: the encoder lays it out for the profile's 58 or 80 mm paper.
 */
import { maskGiftCard } from '../../shared/gift-card';
import type { Bitmap, ReceiptBlock, ReceiptDocument } from '../../../drivers/escpos';
import type { Receipt } from '../../shared/checkout-schemas';
import { formatHKD } from '../../shared/money';
import { DEFAULT_STORE_TIME_ZONE, formatDateTime } from '../../shared/store-time';

const KIND_TITLE: Record<Receipt['kind'], string> = {
  sale: '收據 RECEIPT',
  return: '退貨單 REFUND',
  exchange: '換貨單 EXCHANGE',
};

const TRAINING_TITLE: Record<Receipt['kind'], string> = {
  sale: '練習銷售 TRAINING SALE',
  return: '練習退貨 TRAINING REFUND',
  exchange: '練習換貨 TRAINING EXCHANGE',
};

export function formatQuantity(quantity: number): string {
  return Number.isInteger(quantity) ? String(quantity) : quantity.toFixed(3).replace(/0+$/, '');
}

function copyMark(copy: boolean): ReceiptBlock[] {
  return copy ? [{ type: 'text', text: '*** 副本 COPY ***', align: 'center', bold: true, width: 2, height: 1 }] : [];
}

/**
 * 練習模式: a training document says so at the top and the bottom, in double size, so nobody can
 * take it for a receipt (its number is TRN-…, a series of its own).
 */
export const TRAINING_MARK = '練習 TRAINING';
export const TRAINING_NOT_A_RECEIPT = '— NOT A RECEIPT 非收據 —';

function trainingMark(training: boolean | undefined): ReceiptBlock[] {
  return training
    ? [
        { type: 'text', text: TRAINING_MARK, align: 'center', bold: true, width: 2, height: 2 },
        { type: 'text', text: TRAINING_NOT_A_RECEIPT, align: 'center', bold: true },
      ]
    : [];
}

export function receiptDocument(receipt: Receipt, options: { logo?: Bitmap | null; timeZone?: string } = {}): ReceiptDocument {
  const blocks: ReceiptBlock[] = [
    ...trainingMark(receipt.training),
    ...copyMark(receipt.copy),
    ...(options.logo ? [{ type: 'image', bitmap: options.logo, align: 'center' } as const] : []),
    { type: 'text', text: receipt.store.nameZh, align: 'center', bold: true, width: 2, height: 2 },
    { type: 'text', text: receipt.store.nameEn, align: 'center', bold: true },
    { type: 'text', text: receipt.store.addressZh, align: 'center' },
    { type: 'text', text: receipt.store.addressEn, align: 'center' },
    { type: 'text', text: `電話 Tel ${receipt.store.phone}`, align: 'center' },
    { type: 'rule', char: '=' },
    { type: 'text', text: (receipt.training ? TRAINING_TITLE : KIND_TITLE)[receipt.kind], align: 'center', bold: true },
    { type: 'pair', left: '單號 No.', right: receipt.receiptNo },
    { type: 'pair', left: '日期 Date', right: formatDateTime(receipt.completedAt, options.timeZone ?? DEFAULT_STORE_TIME_ZONE) },
    { type: 'pair', left: `收銀機 Register`, right: receipt.registerName },
    { type: 'pair', left: '收銀員 Cashier', right: `${receipt.staff.nameZh} ${receipt.staff.nameEn}`.trim() },
  ];
  if (receipt.originalReceiptNo) blocks.push({ type: 'pair', left: '原單 Original', right: receipt.originalReceiptNo });
  if (receipt.order)
    blocks.push({
      type: 'pair',
      left: receipt.order.channel === 'online' ? '網上訂單 Online order' : '社交訂單 Social order',
      right: receipt.order.orderNo,
      bold: true,
    });
  blocks.push({ type: 'rule' });

  for (const line of receipt.lines) {
    blocks.push({ type: 'pair', left: line.nameZh, right: formatHKD(line.gross) });
    blocks.push({ type: 'text', text: `  ${line.nameEn}` });
    blocks.push({ type: 'text', text: `  ${formatQuantity(line.quantity)} @ ${formatHKD(line.unitPrice)}` });
    for (const promotion of line.promotions) {
      blocks.push({ type: 'pair', left: `  ${promotion.nameZh}`, right: formatHKD(-promotion.amount) });
      blocks.push({ type: 'text', text: `    ${promotion.nameEn}` });
    }
    if (line.discountAmount !== 0) blocks.push({ type: 'pair', left: '  折扣 Discount', right: formatHKD(-line.discountAmount) });
    // a gift card sold (or taken back): its last 4 and balance, never its code
    if (line.giftCard) {
      blocks.push({ type: 'text', text: `  禮品卡 Gift card ${maskGiftCard(line.giftCard.last4)}` });
      blocks.push({
        type: 'pair',
        left: line.quantity > 0 ? '  禮品卡結餘 Card balance' : '  禮品卡已作廢 Card void',
        right: formatHKD(line.giftCard.balanceAfter),
      });
    }
  }
  blocks.push({ type: 'rule' });

  blocks.push({ type: 'pair', left: '小計 Subtotal', right: formatHKD(receipt.subtotal) });
  if (receipt.promotionTotal !== 0) blocks.push({ type: 'pair', left: '優惠 Promotions', right: formatHKD(-receipt.promotionTotal) });
  if (receipt.discountTotal !== 0) blocks.push({ type: 'pair', left: '折扣 Discounts', right: formatHKD(-receipt.discountTotal) });
  if (receipt.taxTotal !== 0) blocks.push({ type: 'pair', left: '稅項 Tax', right: formatHKD(receipt.taxTotal) });
  blocks.push({ type: 'pair', left: '總計 TOTAL', right: formatHKD(receipt.total), bold: true, height: 2 });
  if (receipt.rounding !== 0) blocks.push({ type: 'pair', left: '現金找續調整 Rounding', right: formatHKD(receipt.rounding) });
  blocks.push({ type: 'rule' });

  for (const payment of receipt.payments) {
    const shown = payment.tendered > payment.amount ? payment.tendered : payment.amount;
    blocks.push({ type: 'pair', left: `${payment.nameZh} ${payment.nameEn}`, right: formatHKD(shown) });
    if (payment.cardLast4)
      blocks.push({
        type: 'text',
        text: `  **** ${payment.cardLast4}${payment.approvalCode ? `  授權 Auth ${payment.approvalCode}` : ''}`,
      });
    else if (payment.approvalCode) blocks.push({ type: 'text', text: `  授權 Auth ${payment.approvalCode}` });
    if (payment.storedValue?.card) {
      // a gift card: its last 4 and what is left on it (its hash is the payment's reference: never printed)
      blocks.push({ type: 'text', text: `  ${maskGiftCard(payment.storedValue.card.last4)}` });
      blocks.push({ type: 'pair', left: '  禮品卡結餘 Card balance', right: formatHKD(payment.storedValue.balanceAfter) });
    } else if (payment.reference) blocks.push({ type: 'text', text: `  參考 Ref ${payment.reference}` });
    if (payment.storedValue?.kind === 'points')
      blocks.push({ type: 'text', text: `  ${Math.abs(payment.storedValue.units).toLocaleString('en-HK')} 分 points` });
  }
  if (receipt.change !== 0) blocks.push({ type: 'pair', left: '找續 Change', right: formatHKD(receipt.change), bold: true });
  blocks.push({ type: 'rule' });
  if (receipt.member) {
    const m = receipt.member;
    const earned = m.pointsEarned > 0 ? `+${m.pointsEarned}` : String(m.pointsEarned);
    blocks.push(
      { type: 'text', text: `會員 Member ${m.name} ${m.maskedPhone}`.trimEnd() },
      { type: 'pair', left: '今次積分 Points earned', right: earned },
    );
    if (m.pointsRedeemed !== undefined)
      blocks.push({
        type: 'pair',
        left: m.pointsRedeemed < 0 ? '退回積分 Points paid back' : '已用積分 Points used',
        right: Math.abs(m.pointsRedeemed).toLocaleString('en-HK'),
      });
    blocks.push({ type: 'pair', left: '積分結餘 Points balance', right: m.pointsBalance.toLocaleString('en-HK') });
    if (m.storeCreditUsed !== undefined)
      blocks.push({
        type: 'pair',
        left: m.storeCreditUsed < 0 ? '退回儲值額 Credit paid back' : '已用儲值額 Credit used',
        right: formatHKD(Math.abs(m.storeCreditUsed)),
      });
    if (m.storeCreditBalance !== undefined)
      blocks.push({ type: 'pair', left: '儲值額結餘 Credit balance', right: formatHKD(m.storeCreditBalance) });
    blocks.push({ type: 'rule' });
  }

  blocks.push(
    { type: 'barcode', data: receipt.receiptNo, align: 'center', height: 60 },
    { type: 'qr', data: receipt.receiptNo, align: 'center', moduleSize: 5 },
    { type: 'text', text: '多謝惠顧 Thank you', align: 'center', bold: true },
    { type: 'text', text: '憑單據於 14 日內退換 Returns within 14 days with this receipt', align: 'center' },
    ...copyMark(receipt.copy),
    ...trainingMark(receipt.training),
    { type: 'cut' },
  );
  return { blocks };
}
