/**
 * Sales across stores by day, store and channel for a range of the merchant's days, with totals;
 * 匯出 CSV downloads the same rows (UTF-8 with a BOM for Excel). The catalogue's CSV is on the
 * products screen.
 */
import { useState, type FormEvent } from 'react';
import type { SalesReportRow } from '../../hq/contract';
import { addDays, formatIsoDate, parseDayFirstDate, storeDate } from '../../../src/shared/store-time';
import { useSession, useTr } from '../console-store';
import { ErrorLine, Money, PageHeader, useLoad } from '../parts';

export function ReportsPage() {
  const tr = useTr();
  const { merchant } = useSession();
  const [today] = useState(() => storeDate(Date.now(), merchant.timeZone));
  const [range, setRange] = useState({ from: addDays(today, -6), to: today });
  const [fromText, setFromText] = useState(formatIsoDate(range.from));
  const [toText, setToText] = useState(formatIsoDate(range.to));
  const [inputError, setInputError] = useState<string | null>(null);
  const query = `from=${range.from}&to=${range.to}`;
  const { data, error } = useLoad<{ rows: SalesReportRow[] }>(`/reports/sales?${query}`);
  const rows = data?.rows ?? [];

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
    setInputError(null);
    setRange({ from, to });
  };

  const sum = (pick: (r: SalesReportRow) => number) => rows.reduce((total, r) => total + pick(r), 0);
  return (
    <section className="hq-page">
      <PageHeader title={tr('銷售報表', 'Sales report')}>
        <a className="hq-button" href={`/hq/api/reports/sales.csv?${query}`} download data-testid="report-csv">
          {tr('匯出 CSV', 'Export CSV')}
        </a>
      </PageHeader>
      <form className="hq-row" onSubmit={submit} data-testid="report-range">
        <label>
          {tr('由', 'From')}
          <input value={fromText} onChange={(e) => setFromText(e.target.value)} data-testid="report-from" />
        </label>
        <label>
          {tr('至', 'To')}
          <input value={toText} onChange={(e) => setToText(e.target.value)} data-testid="report-to" />
        </label>
        <button type="submit" className="primary" data-testid="report-run">
          {tr('顯示', 'Show')}
        </button>
      </form>
      {inputError ? (
        <p className="hq-error" role="alert">
          {inputError}
        </p>
      ) : null}
      <ErrorLine error={error} />
      <table className="hq-table" data-testid="report-table">
        <thead>
          <tr>
            <th>{tr('日期', 'Day')}</th>
            <th>{tr('分店', 'Store')}</th>
            <th>{tr('渠道', 'Channel')}</th>
            <th className="num">{tr('銷售', 'Sales')}</th>
            <th className="num">{tr('退貨', 'Returns')}</th>
            <th className="num">{tr('換貨', 'Exchanges')}</th>
            <th className="num">{tr('淨額', 'Net')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={`${r.day}:${r.storeCode}:${r.channel}`}>
              <td>{formatIsoDate(r.day)}</td>
              <td>{r.storeCode}</td>
              <td>{r.channel === 'online' ? tr('網店', 'Online') : tr('門市收銀', 'Registers')}</td>
              <td className="num">{r.sales}</td>
              <td className="num">{r.returns}</td>
              <td className="num">{r.exchanges}</td>
              <td className="num">
                <Money cents={r.total} />
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr data-testid="report-total">
            <th colSpan={3}>{tr('合計', 'Total')}</th>
            <td className="num">{sum((r) => r.sales)}</td>
            <td className="num">{sum((r) => r.returns)}</td>
            <td className="num">{sum((r) => r.exchanges)}</td>
            <td className="num">
              <Money cents={sum((r) => r.total)} />
            </td>
          </tr>
        </tfoot>
      </table>
    </section>
  );
}
