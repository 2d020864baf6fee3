/**
 * Sales across stores for a range of the merchant's days: totals, then one cut at a time (day,
 * hour, store, register, channel, category, product, staff, payment method) as a chart and a
 * table. The figures are the registers' Z figures added up (cloud/domain/report-breakdown.ts).
 * 匯出 CSV downloads the cut on screen (UTF-8 with a BOM for Excel); 列印 / PDF prints the page,
 * which the browser saves as PDF.
 */
import { useState, type FormEvent } from 'react';
import { reportDimensions, type ReportDimension, type ReportRow, type SalesBreakdown, type StoreItem } from '../../hq/contract';
import { formatHKD } from '../../../src/shared/money';
import { addDays, formatIsoDate, parseDayFirstDate, storeDate } from '../../../src/shared/store-time';
import { BarChart, ColumnChart, type ChartBar } from '../chart';
import { useLang, useSession, useTr } from '../console-store';
import type { Tr } from '../i18n';
import { SelectField, TabRow, storeChoices } from '../controls';
import { ErrorLine, InputError, Money, PageHeader, quantityText, useLoad } from '../parts';

function dimensionName(tr: Tr, by: ReportDimension): string {
  const names: Record<ReportDimension, [string, string]> = {
    day: ['按日', 'By day'],
    hour: ['按小時', 'By hour'],
    store: ['分店', 'Store'],
    register: ['收銀機', 'Register'],
    channel: ['渠道', 'Channel'],
    category: ['類別', 'Category'],
    product: ['貨品', 'Product'],
    staff: ['員工', 'Staff'],
    method: ['付款方式', 'Payment'],
  };
  return tr(...names[by]);
}

function countName(tr: Tr, by: ReportDimension): string {
  return by === 'method' ? tr('筆數', 'Payments') : tr('單據', 'Documents');
}

export function ReportsPage() {
  const tr = useTr();
  const lang = useLang();
  const { merchant } = useSession();
  const [today] = useState(() => storeDate(Date.now(), merchant.timeZone));
  const [range, setRange] = useState({ from: addDays(today, -6), to: today, store: '' });
  const [fromText, setFromText] = useState(formatIsoDate(range.from));
  const [toText, setToText] = useState(formatIsoDate(range.to));
  const [store, setStore] = useState('');
  const [by, setBy] = useState<ReportDimension>('day');
  const [inputError, setInputError] = useState<string | null>(null);
  const stores = useLoad<{ stores: StoreItem[] }>('/stores').data?.stores ?? [];
  const query = `from=${range.from}&to=${range.to}${range.store ? `&store=${range.store}` : ''}`;
  const { data, error, loading } = useLoad<SalesBreakdown>(`/reports/breakdown?${query}`);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const from = parseDayFirstDate(fromText);
    const to = parseDayFirstDate(toText);
    if (from === null || to === null) {
      setInputError(tr('日期格式為 日/月/年，例如 01/12/2026', 'Dates are day/month/year, e.g. 01/12/2026'));
      return;
    }
    if (from > to) {
      setInputError(tr('開始日期不可遲於結束日期', 'The first day is after the last'));
      return;
    }
    if (Date.parse(to) - Date.parse(from) > 365 * 86_400_000) {
      setInputError(tr('最多一次 366 日', 'At most 366 days at a time'));
      return;
    }
    setInputError(null);
    setRange({ from, to, store });
  };

  const rows = data?.by[by] ?? [];
  const label = (r: ReportRow) =>
    by === 'day'
      ? formatIsoDate(r.key)
      : by === 'hour'
        ? `${r.key}:00`
        : by === 'store' || by === 'register'
          ? `${r.key} ${lang === 'en' ? r.nameEn : r.nameZh}`
          : (lang === 'en' ? r.nameEn : r.nameZh) || '—';
  const bars: ChartBar[] = rows.map((r) => ({
    key: r.key,
    label: by === 'day' ? r.key.slice(5).replace('-', '/') : by === 'hour' ? r.key : label(r),
    value: r.amount,
  }));
  const money = (cents: number) => formatHKD(cents, lang);
  const total = rows.reduce((sum, r) => sum + r.amount, 0);
  const withQuantity = by === 'category' || by === 'product';
  const chartTitle = `${dimensionName(tr, by)} · ${by === 'method' ? tr('金額', 'Amount') : tr('淨額', 'Net')}`;

  return (
    <section className="hq-page hq-report">
      <PageHeader title={tr('銷售報表', 'Sales report')}>
        <a className="hq-button" href={`/hq/api/reports/breakdown.csv?${query}&by=${by}`} download data-testid="report-csv">
          {tr('匯出 CSV', 'Export CSV')}
        </a>
        <button type="button" onClick={() => window.print()} data-testid="report-print">
          {tr('列印 / PDF', 'Print / PDF')}
        </button>
      </PageHeader>
      <form className="hq-row" onSubmit={submit} data-testid="report-range">
        <label>
          {tr('由', 'From')}
          <input value={fromText} onChange={(e) => setFromText(e.target.value)} data-testid="report-from" size={10} />
        </label>
        <label>
          {tr('至', 'To')}
          <input value={toText} onChange={(e) => setToText(e.target.value)} data-testid="report-to" size={10} />
        </label>
        <SelectField
          label={tr('分店', 'Store')}
          value={store}
          onChange={setStore}
          blank={tr('所有分店', 'All stores')}
          choices={storeChoices(stores, lang)}
          testId="report-store"
        />
        <button type="submit" className="primary" data-testid="report-run">
          {tr('顯示', 'Show')}
        </button>
      </form>
      <p className="hq-muted hq-print-only">
        {formatIsoDate(range.from)} – {formatIsoDate(range.to)} ·{' '}
        {stores.find((s) => String(s.id) === range.store)?.code ?? tr('所有分店', 'All stores')}
      </p>
      <InputError text={inputError} />
      <ErrorLine error={error} />
      <div className="hq-cards" data-testid="report-totals">
        <div className="hq-card">
          <span className="hq-card-label">{tr('淨銷售額', 'Net sales')}</span>
          <strong className="hq-card-figure" data-testid="report-net">
            <Money cents={data?.totals.net ?? 0} />
          </strong>
        </div>
        <div className="hq-card">
          <span className="hq-card-label">{tr('單據', 'Documents')}</span>
          <strong className="hq-card-figure" data-testid="report-documents">
            {data?.totals.documents ?? 0}
          </strong>
        </div>
        <div className="hq-card">
          <span className="hq-card-label">{tr('退貨', 'Returns')}</span>
          <strong className="hq-card-figure" data-testid="report-returns">
            <Money cents={data?.totals.returnsValue ?? 0} />
          </strong>
        </div>
        <div className="hq-card">
          <span className="hq-card-label">{tr('優惠及折扣', 'Promotions & discounts')}</span>
          <strong className="hq-card-figure">
            <Money cents={(data?.totals.promotions ?? 0) + (data?.totals.discounts ?? 0)} />
          </strong>
        </div>
      </div>
      <TabRow
        label={tr('分析方式', 'Cut by')}
        tabs={reportDimensions.map((d) => [d, dimensionName(tr, d)] as const)}
        current={by}
        onPick={setBy}
        testId="report-by"
      />
      {by === 'day' || by === 'hour' ? (
        <ColumnChart bars={bars} format={money} title={chartTitle} testId="report-chart" />
      ) : (
        <BarChart bars={bars} format={money} title={chartTitle} testId="report-chart" />
      )}
      {by === 'product' && data && data.productsTotal > data.productsShown ? (
        <p className="hq-muted">
          {tr(
            `顯示銷售額最高的 ${data.productsShown} 項（共 ${data.productsTotal} 項，CSV 包括全部）`,
            `The best ${data.productsShown} of ${data.productsTotal} products (the CSV has all)`,
          )}
        </p>
      ) : null}
      <table className="hq-table" data-testid="report-table" aria-busy={loading}>
        <thead>
          <tr>
            <th>{dimensionName(tr, by)}</th>
            <th className="num">{countName(tr, by)}</th>
            {withQuantity ? <th className="num">{tr('數量', 'Quantity')}</th> : null}
            <th className="num">{by === 'method' ? tr('金額', 'Amount') : tr('淨額', 'Net')}</th>
            <th className="num">{tr('佔比', 'Share')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key} data-testid={`report-row-${r.key}`}>
              <td>{label(r)}</td>
              <td className="num">{r.count}</td>
              {withQuantity ? <td className="num">{r.quantityMilli === null ? '' : quantityText(r.quantityMilli)}</td> : null}
              <td className="num">
                <Money cents={r.amount} />
              </td>
              <td className="num">{total !== 0 ? `${((r.amount / total) * 100).toFixed(1)}%` : '—'}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr data-testid="report-total">
            <th>{tr('合計', 'Total')}</th>
            <td className="num">{rows.reduce((sum, r) => sum + r.count, 0)}</td>
            {withQuantity ? <td className="num" /> : null}
            <td className="num">
              <Money cents={total} />
            </td>
            <td className="num" />
          </tr>
        </tfoot>
      </table>
    </section>
  );
}
