/** The reports screen as one CSV: a titled block per table, in the order the screen shows them. */
import type { SalesReport } from '../../../shared/shift-schemas';
import type { CsvCell } from './csv';

type Rows = CsvCell[][];

const milli = (q: number) => q / 1000;

export function salesReportRows(r: SalesReport): Rows {
  const blank: CsvCell[] = [];
  return [
    ['Suanpan sales report 銷售報表', `${r.from} – ${r.to}`],
    blank,
    ['總計 Totals'],
    ['documents', 'gross', 'promotions', 'discounts', 'returns', 'net', 'voids', 'voids value'],
    [
      r.totals.documents,
      { cents: r.totals.gross },
      { cents: r.totals.promotions },
      { cents: r.totals.discounts },
      { cents: r.totals.returns },
      { cents: r.totals.net },
      r.totals.voids,
      { cents: r.totals.voidsValue },
    ],
    blank,
    ['按時段 By hour'],
    ['hour', 'documents', 'net'],
    ...r.byHour.map((h): CsvCell[] => [`${String(h.hour).padStart(2, '0')}:00`, h.documents, { cents: h.net }]),
    blank,
    ['按日 By day'],
    ['date', 'documents', 'net'],
    ...r.byDay.map((d): CsvCell[] => [d.date, d.documents, { cents: d.net }]),
    blank,
    ['按貨品 By product'],
    ['sku', '名稱', 'name', 'category', 'sold', 'returned', 'net'],
    ...r.byProduct.map((p): CsvCell[] => [
      p.sku,
      p.nameZh,
      p.nameEn,
      p.categoryCode ?? '',
      milli(p.soldMilli),
      milli(p.returnedMilli),
      { cents: p.net },
    ]),
    blank,
    ['按類別 By category'],
    ['category', '名稱', 'name', 'quantity', 'net'],
    ...r.byCategory.map((c): CsvCell[] => [c.code ?? '', c.nameZh, c.nameEn, milli(c.soldMilli), { cents: c.net }]),
    blank,
    ['按員工 By staff'],
    ['staff', '名稱', 'name', 'documents', 'net'],
    ...r.byStaff.map((s): CsvCell[] => [s.staffId, s.nameZh, s.nameEn, s.documents, { cents: s.net }]),
    blank,
    ['按付款方式 By payment method'],
    ['method', '名稱', 'name', 'payments', 'amount'],
    ...r.byMethod.map((m): CsvCell[] => [m.method, m.nameZh, m.nameEn, m.payments, { cents: m.amount }]),
    blank,
    ['按渠道 By channel'],
    ['channel', 'documents', 'net'],
    ...r.byChannel.map((c): CsvCell[] => [c.channel, c.documents, { cents: c.net }]),
  ];
}
