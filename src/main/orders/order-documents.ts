/**
 * The order's paper, printed by the receipt printer's ESC/POS engine: the pick list (what to take
 * off the shelf, with a tick box per line) and the hand-over slip of a prepaid order, marked
 * 已預付 PREPAID. Labels Chinese first, English second, as on the receipt.
 */
import type { ReceiptBlock, ReceiptDocument } from '../../../drivers/escpos';
import { formatHKD } from '../../shared/money';
import { formatQuantity } from '../devices/receipt-document';
import type { TillOrder } from '../../shared/order-schemas';
import { formatDateTime } from '../../shared/store-time';

export const CHANNEL_LABEL: Record<TillOrder['channel'], string> = {
  online: '網店 Online shop',
  instagram: 'Instagram',
  whatsapp: 'WhatsApp',
  facebook: 'Facebook',
  phone: '電話 Phone',
  counter: '門市 Counter',
};

function head(order: TillOrder, title: string, meta: { storeName: string; printedAt: number; timeZone: string }): ReceiptBlock[] {
  return [
    { type: 'text', text: meta.storeName, align: 'center', bold: true },
    { type: 'text', text: title, align: 'center', bold: true, width: 2, height: 2 },
    { type: 'pair', left: '訂單 Order', right: order.orderNo, bold: true },
    { type: 'pair', left: '渠道 Channel', right: CHANNEL_LABEL[order.channel] },
    { type: 'pair', left: '客人 Customer', right: `${order.customerName} ${order.customerPhone ?? ''}`.trim() },
    ...(order.pickupOn ? [{ type: 'pair', left: '取貨日期 Pickup', right: order.pickupOn } as const] : []),
    { type: 'pair', left: '列印 Printed', right: formatDateTime(meta.printedAt, meta.timeZone) },
    { type: 'rule' },
  ];
}

export function pickListDocument(order: TillOrder, meta: { storeName: string; printedAt: number; timeZone: string }): ReceiptDocument {
  const blocks: ReceiptBlock[] = [...head(order, '執貨單 PICK LIST', meta)];
  for (const line of order.lines) {
    blocks.push({ type: 'pair', left: `[ ] ${line.nameZh}`, right: `x ${formatQuantity(line.quantityMilli / 1000)}`, bold: true });
    blocks.push({ type: 'text', text: `    ${line.nameEn}  ${line.sku}` });
  }
  blocks.push({ type: 'rule' });
  blocks.push({ type: 'pair', left: '件數 Items', right: formatQuantity(order.lines.reduce((n, l) => n + l.quantityMilli, 0) / 1000) });
  blocks.push({
    type: 'pair',
    left: order.due === 0 ? '已預付 PREPAID' : '取貨時付款 PAY AT PICKUP',
    right: formatHKD(order.due === 0 ? order.total : order.due),
    bold: true,
  });
  if (order.note) blocks.push({ type: 'text', text: `備註 Note: ${order.note}` });
  blocks.push({ type: 'barcode', data: order.orderNo, align: 'center', height: 50 }, { type: 'cut' });
  return { blocks };
}

/**
 * The lines still to collect after a partial pickup, for its slip or receipt: each with what is left.
 * Empty when the order is complete.
 */
export function stillToCollectBlocks(order: TillOrder): ReceiptBlock[] {
  const left = order.lines.filter((l) => l.quantityMilli - l.collectedMilli - l.releasedMilli > 0);
  if (left.length === 0) return [];
  return [
    { type: 'rule' },
    { type: 'text', text: '部分取貨 PARTLY COLLECTED', align: 'center', bold: true },
    { type: 'text', text: '餘下待取 Still to collect:' },
    ...left.map(
      (l): ReceiptBlock => ({
        type: 'pair',
        left: `${l.nameZh} ${l.nameEn}`,
        right: `x ${formatQuantity((l.quantityMilli - l.collectedMilli - l.releasedMilli) / 1000)}`,
      }),
    ),
  ];
}

export function handoverDocument(
  order: TillOrder,
  handover: {
    handoverNo: string;
    staffName: string;
    /** A partial pickup: only these parts were handed over, using `applied` of the prepayment. */
    collect?: readonly { line: number; quantityMilli: number }[];
    applied?: number;
  },
  meta: { storeName: string; printedAt: number; timeZone: string },
): ReceiptDocument {
  if (handover.collect)
    return partHandoverDocument(order, { ...handover, collect: handover.collect, applied: handover.applied ?? 0 }, meta);
  const blocks: ReceiptBlock[] = [
    ...head(order, '已預付 PREPAID', meta),
    { type: 'pair', left: '單號 No.', right: handover.handoverNo },
    { type: 'pair', left: '收銀員 Cashier', right: handover.staffName },
    { type: 'rule' },
  ];
  for (const line of order.lines) {
    blocks.push({ type: 'pair', left: line.nameZh, right: formatHKD(line.amount) });
    blocks.push({ type: 'text', text: `  ${line.nameEn}  ${formatQuantity(line.quantityMilli / 1000)} @ ${formatHKD(line.unitPrice)}` });
  }
  blocks.push(
    { type: 'rule' },
    { type: 'pair', left: '總計 TOTAL', right: formatHKD(order.total), bold: true },
    { type: 'pair', left: '已預付 Prepaid', right: formatHKD(order.paid), bold: true },
    { type: 'pair', left: '今次收款 Paid now', right: formatHKD(0) },
    { type: 'rule' },
    { type: 'text', text: '貨品已交收 Goods handed over', align: 'center', bold: true },
    { type: 'barcode', data: handover.handoverNo, align: 'center', height: 50 },
    { type: 'cut' },
  );
  return { blocks };
}

/** The slip of a prepaid order's partial pickup: what was handed over now, and what is still to collect. */
function partHandoverDocument(
  order: TillOrder,
  handover: { handoverNo: string; staffName: string; collect: readonly { line: number; quantityMilli: number }[]; applied: number },
  meta: { storeName: string; printedAt: number; timeZone: string },
): ReceiptDocument {
  const blocks: ReceiptBlock[] = [
    ...head(order, '已預付 PREPAID', meta),
    { type: 'pair', left: '單號 No.', right: handover.handoverNo },
    { type: 'pair', left: '收銀員 Cashier', right: handover.staffName },
    { type: 'rule' },
    { type: 'text', text: '今次取貨 Collected now:', bold: true },
  ];
  for (const part of handover.collect) {
    const line = order.lines.find((l) => l.line === part.line);
    if (!line) continue;
    blocks.push({ type: 'pair', left: line.nameZh, right: `x ${formatQuantity(part.quantityMilli / 1000)}` });
    blocks.push({ type: 'text', text: `  ${line.nameEn}  @ ${formatHKD(line.unitPrice)}` });
  }
  blocks.push(
    { type: 'rule' },
    { type: 'pair', left: '已預付 Prepaid used', right: formatHKD(handover.applied), bold: true },
    { type: 'pair', left: '今次收款 Paid now', right: formatHKD(0) },
    ...stillToCollectBlocks(order),
    { type: 'rule' },
    { type: 'text', text: '貨品已交收 Goods handed over', align: 'center', bold: true },
    { type: 'barcode', data: handover.handoverNo, align: 'center', height: 50 },
    { type: 'cut' },
  );
  return { blocks };
}
