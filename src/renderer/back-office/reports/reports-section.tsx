/**
 * 報表: a date range and store/register filters; sales by hour and by day as charts; tables by
 * product (top sellers first), category, staff, payment method and channel; discounts, returns and
 * voids. CSV export (UTF-8 with BOM for Excel) and PDF through the browser's print (a print
 * stylesheet leaves only the report; Electron can do the same with webContents.printToPDF).
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatHKD } from '../../../shared/money';
import type { SalesReportRequest } from '../../../shared/shift-schemas';
import { Money } from '../../components/money';
import { useErrorText } from '../../hooks/use-error-text';
import { useLocale } from '../../hooks/use-locale';
import { localName } from '../../names';
import { DateField } from '../../components/date-field';
import { MoneyTable } from '../money-table';
import { ErrorLine, SectionHeader, TableHead } from '../section-parts';
import { createReportsStore } from '../stores/reports-store';
import { useSectionStore } from '../use-section-store';
import { BarChart } from './bar-chart';
import { toCsv } from './csv';
import { downloadText } from './download';
import { salesReportRows } from './report-csv';

const TOP_SELLERS = 10;
const PRODUCT_ROWS = 100;

const quantity = (milli: number) => (milli / 1000).toLocaleString('en-HK', { maximumFractionDigits: 3 });

function Figure({ label, cents, count, testId }: { label: string; cents?: number; count?: number; testId: string }) {
  return (
    <div className="admin-panel report-figure" data-testid={testId}>
      <span className="report-figure-label">{label}</span>
      <span className="report-figure-value">{cents !== undefined ? <Money cents={cents} /> : count}</span>
    </div>
  );
}

export function ReportsSection() {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const errorText = useErrorText();
  const reports = useSectionStore(createReportsStore);
  const { report, error } = reports;
  // The form's filter, run on submit; the last seven days at first.
  const [filter, setFilter] = useState<SalesReportRequest>(reports.asked);

  const money = (cents: number) => formatHKD(cents, locale);
  const set = (patch: Partial<SalesReportRequest>) => setFilter((f) => ({ ...f, ...patch }));
  const exportCsv = () => report && downloadText(`suanpan-sales-${report.from}-${report.to}.csv`, toCsv(salesReportRows(report)));

  return (
    <div className="reports-section" data-testid="reports-section">
      <SectionHeader title={t('reports.title')} />
      <form
        className="report-filters"
        onSubmit={(e) => {
          e.preventDefault();
          void reports.run(filter);
        }}
      >
        <label className="field">
          <span className="field-label">{t('reports.from')}</span>
          <DateField className="field-input" testId="report-from" value={filter.from} onChange={(from) => set({ from })} />
        </label>
        <label className="field">
          <span className="field-label">{t('reports.to')}</span>
          <DateField className="field-input" testId="report-to" value={filter.to} onChange={(to) => set({ to })} />
        </label>
        <label className="field">
          <span className="field-label">{t('reports.store')}</span>
          <select
            className="field-input"
            data-testid="report-store"
            value={filter.storeCode ?? ''}
            onChange={(e) => setFilter(({ storeCode: _s, ...rest }) => (e.target.value ? { ...rest, storeCode: e.target.value } : rest))}
          >
            <option value="">{t('reports.all')}</option>
            {report?.stores.map((s) => (
              <option key={s.code} value={s.code}>
                {s.code} {localName(s, locale)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">{t('reports.register')}</span>
          <select
            className="field-input"
            data-testid="report-register"
            value={filter.registerCode ?? ''}
            onChange={(e) =>
              setFilter(({ registerCode: _r, ...rest }) => (e.target.value ? { ...rest, registerCode: e.target.value } : rest))
            }
          >
            <option value="">{t('reports.all')}</option>
            {report?.registers.map((r) => (
              <option key={r.code} value={r.code}>
                {r.code} {r.name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="admin-button is-primary" data-testid="report-run">
          {t('reports.run')}
        </button>
        <span className="report-exports">
          <button type="button" className="admin-button" data-testid="report-csv" disabled={!report} onClick={exportCsv}>
            {t('reports.csv')}
          </button>
          <button type="button" className="admin-button" data-testid="report-pdf" disabled={!report} onClick={() => window.print()}>
            {t('reports.pdf')}
          </button>
        </span>
      </form>
      <ErrorLine testId="report-error">{error && errorText(error)}</ErrorLine>
      {report && (
        <div className="report-printable" data-testid="report-body">
          <h3 className="print-only">
            {t('reports.title')} {report.from} – {report.to}
          </h3>
          <div className="report-figures">
            <Figure label={t('reports.documents')} count={report.totals.documents} testId="report-documents" />
            <Figure label={t('reports.gross')} cents={report.totals.gross} testId="report-gross" />
            <Figure label={t('reports.promotions')} cents={-report.totals.promotions} testId="report-promotions" />
            <Figure label={t('reports.discounts')} cents={-report.totals.discounts} testId="report-discounts" />
            <Figure label={t('reports.returns')} cents={-report.totals.returns} testId="report-returns" />
            <Figure label={t('reports.net')} cents={report.totals.net} testId="report-net" />
            <Figure label={`${t('reports.voids')} (${report.totals.voids})`} cents={report.totals.voidsValue} testId="report-voids" />
          </div>
          <div className="report-charts">
            <BarChart
              title={t('reports.byHour')}
              testId="chart-hour"
              bars={report.byHour.map((h) => ({ label: String(h.hour).padStart(2, '0'), value: h.net }))}
              format={money}
              labelEvery={2}
            />
            <BarChart
              title={t('reports.byDay')}
              testId="chart-day"
              bars={report.byDay.map((d) => ({ label: d.date.slice(5), value: d.net }))}
              format={money}
              labelEvery={Math.max(1, Math.ceil(report.byDay.length / 12))}
            />
          </div>

          <div className="report-tables">
            <section>
              <h4 className="report-heading">{t('reports.topSellers')}</h4>
              <ol className="top-sellers" data-testid="top-sellers">
                {report.byProduct.slice(0, TOP_SELLERS).map((p) => (
                  <li key={p.productId}>
                    <span className="top-seller-name">{localName(p, locale)}</span>
                    <span className="report-sub">×{quantity(p.soldMilli)}</span>
                    <Money cents={p.net} />
                  </li>
                ))}
              </ol>
            </section>
            <section>
              <h4 className="report-heading">{t('reports.byMethod')}</h4>
              <MoneyTable
                testId="report-by-method"
                rows={report.byMethod.map((m) => ({ key: m.method, label: localName(m, locale), count: m.payments, cents: m.amount }))}
              />
              <h4 className="report-heading">{t('reports.byChannel')}</h4>
              <MoneyTable
                testId="report-by-channel"
                rows={report.byChannel.map((c) => ({
                  key: c.channel,
                  label: t(`reports.channel.${c.channel}`),
                  count: c.documents,
                  cents: c.net,
                }))}
              />
            </section>
            <section>
              <h4 className="report-heading">{t('reports.byCategory')}</h4>
              <MoneyTable
                testId="report-by-category"
                rows={report.byCategory.map((c) => ({ key: c.code ?? '-', label: localName(c, locale), cents: c.net }))}
              />
              <h4 className="report-heading">{t('reports.byStaff')}</h4>
              <MoneyTable
                testId="report-by-staff"
                rows={report.byStaff.map((s) => ({ key: s.staffId, label: localName(s, locale), count: s.documents, cents: s.net }))}
              />
            </section>
          </div>

          <h4 className="report-heading">{t('reports.byProduct')}</h4>
          <table className="admin-table report-table" data-testid="report-by-product">
            <TableHead
              columns={[
                'SKU',
                t('reports.product'),
                { text: t('reports.sold'), className: 'num' },
                { text: t('reports.returned'), className: 'num' },
                { text: t('reports.net'), className: 'num' },
              ]}
            />
            <tbody>
              {report.byProduct.slice(0, PRODUCT_ROWS).map((p) => (
                <tr key={p.productId}>
                  <td className="admin-key">{p.sku}</td>
                  <td>{localName(p, locale)}</td>
                  <td className="num">{quantity(p.soldMilli)}</td>
                  <td className="num">{p.returnedMilli ? quantity(p.returnedMilli) : ''}</td>
                  <td className="num">
                    <Money cents={p.net} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {report.byProduct.length > PRODUCT_ROWS && (
            <p className="section-hint">{t('reports.moreInCsv', { count: report.byProduct.length - PRODUCT_ROWS })}</p>
          )}
        </div>
      )}
    </div>
  );
}
