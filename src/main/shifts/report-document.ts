/**
 * An X or Z report as a receipt document, printed by the same ESC/POS engine as receipts
 * (drivers/escpos). Labels are Chinese first, English second, as on the receipt.
 */
import type { ReceiptBlock, ReceiptDocument } from '../../../drivers/escpos';
import { formatHKD } from '../../shared/money';
import type { DayTotals, ShiftCash } from '../../shared/shift-schemas';
import { formatDateTime } from '../../shared/store-time';

const money = (cents: number) => formatHKD(cents, 'en');

const CHANNEL_NAMES = { shop: '門市 Shop', online: '網上訂單 Online pickup', social: '社交訂單 Social' } as const;

const pair = (left: string, right: string, bold = false): ReceiptBlock => ({ type: 'pair', left, right, ...(bold ? { bold } : {}) });

function shiftBlocks(s: ShiftCash, time: (ms: number) => string): ReceiptBlock[] {
  return [
    { type: 'text', text: `更 Shift #${s.shiftId} ${s.staffNameZh} ${s.staffNameEn}`, bold: true },
    pair(`${time(s.openedAt)} – ${s.closedAt === null ? '…' : time(s.closedAt)}`, ''),
    pair('備用金 Float', money(s.float)),
    pair('收現金 Cash in', money(s.cashTendered)),
    pair('找續 Change', money(-s.changeGiven)),
    pair('現金退款 Cash refunds', money(-s.cashRefunds)),
    pair('存入現金 Pay-ins', money(s.payIns)),
    pair('提取現金 Pay-outs', money(-s.payOuts)),
    pair('存入夾萬 Safe drops', money(-s.safeDrops)),
    pair('應有現金 Expected', money(s.expected), true),
    pair('點算 Counted', s.counted === null ? '—' : money(s.counted)),
    pair(s.overShort !== null && s.overShort > 0 ? '長款 Over' : '短款 Short', s.overShort === null ? '—' : money(s.overShort), true),
    ...(s.overShortReason ? [{ type: 'text', text: `原因 Reason: ${s.overShortReason}` } as const] : []),
    pair('開錢箱 No-sales', String(s.noSales)),
    { type: 'rule', char: '.' },
  ];
}

export function dayReportDocument(
  t: DayTotals,
  meta: { storeName: string; copy: boolean; printedAt: number; timeZone: string },
): ReceiptDocument {
  const time = (ms: number) => formatDateTime(ms, meta.timeZone);
  const title = t.zNo === null ? 'X 報表 X Report' : `Z 報表 Z Report #${t.zNo}`;
  const blocks: ReceiptBlock[] = [
    { type: 'text', text: meta.storeName, align: 'center', bold: true },
    { type: 'text', text: title, align: 'center', bold: true, width: 2, height: 2 },
    ...(meta.copy ? [{ type: 'text', text: '副本 COPY', align: 'center', bold: true } as const] : []),
    pair(`${t.storeCode}-${t.registerCode}`, time(meta.printedAt)),
    pair('營業日 Business day', `${time(t.openedAt)} – ${t.closedAt === null ? '…' : time(t.closedAt)}`),
    pair('收據 Receipts', t.firstReceipt ? `${t.firstReceipt} – ${t.lastReceipt ?? ''}` : '—'),
    { type: 'rule', char: '=' },
    pair('銷售總額 Gross', money(t.gross)),
    pair('優惠 Promotions', money(-t.promotions)),
    pair('折扣 Discounts', money(-t.discounts)),
    pair('退貨 Returns', money(-t.returns)),
    pair('淨銷售 Net', money(t.net), true),
    pair('現金調整 Rounding', money(t.rounding)),
    pair('稅項 Tax', money(t.tax)),
    pair(`作廢 Voids (${t.counts.voids})`, money(t.voidsValue)),
    { type: 'rule' },
    pair('交易 Sales', String(t.counts.sales)),
    pair('退貨單 Returns', String(t.counts.returns)),
    pair('換貨單 Exchanges', String(t.counts.exchanges)),
    pair('開錢箱 No-sales', String(t.counts.noSales)),
    { type: 'rule' },
    { type: 'text', text: '付款方式 Tenders', bold: true },
    ...t.tenders.map((p) => pair(`${p.nameZh} ${p.nameEn === p.nameZh ? '' : p.nameEn} ×${p.count}`, money(p.amount))),
    { type: 'rule' },
    { type: 'text', text: '類別 Categories', bold: true },
    ...t.categories.map((c) => pair(`${c.nameZh} ${c.nameEn}`, money(c.net))),
    { type: 'rule' },
    ...(t.channels.length > 0
      ? [
          { type: 'text', text: '渠道 Channels', bold: true } as const,
          ...t.channels.map((c) => pair(`${CHANNEL_NAMES[c.channel]} ×${c.documents}`, money(c.net))),
          { type: 'rule' } as const,
        ]
      : []),
    { type: 'text', text: '員工 Staff', bold: true },
    ...t.staff.map((s) => pair(`${s.nameZh} ${s.nameEn} ×${s.documents}`, money(s.net))),
    { type: 'rule' },
    { type: 'text', text: '現金 Cash', bold: true },
    ...t.shifts.flatMap((s) => shiftBlocks(s, time)),
    ...(t.outsideShifts.cashTendered || t.outsideShifts.changeGiven || t.outsideShifts.cashRefunds
      ? [
          { type: 'text', text: '更外現金 Cash outside shifts', bold: true } as const,
          pair('收現金 Cash in', money(t.outsideShifts.cashTendered)),
          pair('找續 Change', money(-t.outsideShifts.changeGiven)),
          pair('現金退款 Cash refunds', money(-t.outsideShifts.cashRefunds)),
        ]
      : []),
    pair('長款/短款 Over/short', money(t.overShort), true),
    { type: 'cut' },
  ];
  return { blocks };
}
