/**
 * The mall export screen's simple controls, as edits of a template (cloud/hq/contract.ts
 * MallTemplate): granularity, the date format and which figures the detail records carry. The
 * template itself stays the one truth; the screen also shows it as JSON for anything else.
 */
import { mallFigures, type MallField, type MallFigure, type MallTemplate } from '../hq/contract';

export const dateFormats = ['yyyyMMdd', 'yyyy-MM-dd', 'dd/MM/yyyy', 'ddMMyyyy', 'yyyy/MM/dd'] as const;

const AMOUNT = new Set<MallFigure>(['grossSales', 'discounts', 'refunds', 'netSales']);
const LABELS: Record<MallFigure, string> = {
  grossSales: 'GROSS_SALES',
  discounts: 'DISCOUNT',
  refunds: 'REFUND',
  netSales: 'NET_SALES',
  transactions: 'TRANSACTION_COUNT',
  refundCount: 'REFUND_COUNT',
};

const blank: MallField = { source: 'text', label: '', text: '', align: 'left', pad: ' ', format: '' };

export function figuresOf(template: MallTemplate): MallFigure[] {
  return mallFigures.filter((f) => template.detail.some((d) => d.source === f));
}

export function withFigure(template: MallTemplate, figure: MallFigure, on: boolean): MallTemplate {
  if (!on) return { ...template, detail: template.detail.filter((d) => d.source !== figure) };
  if (template.detail.some((d) => d.source === figure)) return template;
  const field: MallField =
    template.format === 'fixed'
      ? {
          ...blank,
          source: figure,
          width: AMOUNT.has(figure) ? 12 : 6,
          align: 'right',
          pad: '0',
          format: AMOUNT.has(figure) ? 'cents' : '',
        }
      : { ...blank, source: figure, label: LABELS[figure], format: AMOUNT.has(figure) ? 'dollars' : '' };
  return { ...template, detail: [...template.detail, field] };
}

export function withDateFormat(template: MallTemplate, format: string): MallTemplate {
  const edit = (fields: MallField[]) =>
    fields.map((f) => (f.source === 'date' ? { ...f, format, ...(template.format === 'fixed' ? { width: format.length } : {}) } : f));
  return { ...template, header: edit(template.header), detail: edit(template.detail), trailer: edit(template.trailer) };
}

export function dateFormatOf(template: MallTemplate): string {
  return template.detail.find((f) => f.source === 'date')?.format || 'yyyyMMdd';
}

/** Hourly adds an hour column after the date (when there is none); daily removes it. */
export function withGranularity(template: MallTemplate, granularity: MallTemplate['granularity']): MallTemplate {
  if (granularity === 'daily') return { ...template, granularity, detail: template.detail.filter((d) => d.source !== 'hour') };
  if (template.detail.some((d) => d.source === 'hour')) return { ...template, granularity };
  const hour: MallField =
    template.format === 'fixed'
      ? { ...blank, source: 'hour', width: 2, format: 'HH' }
      : { ...blank, source: 'hour', label: 'HOUR', format: 'HH:mm' };
  const at = template.detail.findIndex((d) => d.source === 'date') + 1;
  return { ...template, granularity, detail: [...template.detail.slice(0, at), hour, ...template.detail.slice(at)] };
}
