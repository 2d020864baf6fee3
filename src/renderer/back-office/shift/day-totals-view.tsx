/** An X or Z report on screen: the same figures the printed paper carries. */
import { useTranslation } from 'react-i18next';
import type { DayTotals, ShiftCash } from '../../../shared/shift-schemas';
import { Money } from '../../components/money';
import { useLocale } from '../../hooks/use-locale';
import { localName } from '../../names';
import { MoneyTable } from '../money-table';
import { useStoreTime } from '../../hooks/use-store-time';

export function OverShort({ cents, testId }: { cents: number | null; testId?: string }) {
  const { t } = useTranslation();
  if (cents === null) return <span>—</span>;
  const word = cents > 0 ? t('shift.over') : cents < 0 ? t('shift.short') : t('shift.balanced');
  return (
    <span className={cents === 0 ? 'over-short is-even' : 'over-short is-off'} data-testid={testId} data-cents={cents}>
      {word} <Money cents={cents} />
    </span>
  );
}

function ShiftColumn({ shift }: { shift: ShiftCash }) {
  const storeTime = useStoreTime();
  const { locale } = useLocale();
  return (
    <th scope="col">
      #{shift.shiftId} {localName({ nameZh: shift.staffNameZh, nameEn: shift.staffNameEn }, locale)}
      <div className="report-sub">
        {storeTime.dateTime(shift.openedAt)} – {shift.closedAt === null ? '…' : storeTime.dateTime(shift.closedAt)}
      </div>
    </th>
  );
}

export function DayTotalsView({ totals, copy = false, testId }: { totals: DayTotals; copy?: boolean; testId: string }) {
  const { t } = useTranslation();
  const storeTime = useStoreTime();
  const { locale } = useLocale();
  const cashRows: { key: keyof ShiftCash; label: string; sign: 1 | -1 }[] = [
    { key: 'float', label: t('shift.float'), sign: 1 },
    { key: 'cashTendered', label: t('shift.cashTendered'), sign: 1 },
    { key: 'changeGiven', label: t('shift.changeGiven'), sign: -1 },
    { key: 'cashRefunds', label: t('shift.cashRefunds'), sign: -1 },
    { key: 'payIns', label: t('shift.kind.pay-in'), sign: 1 },
    { key: 'payOuts', label: t('shift.kind.pay-out'), sign: -1 },
    { key: 'safeDrops', label: t('shift.kind.safe-drop'), sign: -1 },
    { key: 'expected', label: t('shift.expected'), sign: 1 },
  ];
  return (
    <article className="admin-panel day-report" data-testid={testId}>
      <header className="day-report-head">
        <h3 className="day-report-title">
          {totals.zNo === null ? t('dayClose.xTitle') : t('dayClose.zTitle', { n: totals.zNo })}
          {copy && <span className="copy-badge">{t('dayClose.copy')}</span>}
        </h3>
        <p className="report-sub">
          {totals.storeCode}-{totals.registerCode} · {t('dayClose.businessDay')} {storeTime.dateTime(totals.openedAt)} –{' '}
          {totals.closedAt === null ? '…' : storeTime.dateTime(totals.closedAt)}
          {totals.firstReceipt && ` · ${totals.firstReceipt} – ${totals.lastReceipt ?? ''}`}
        </p>
      </header>
      <div className="day-report-grid">
        <MoneyTable
          rows={[
            { key: 'gross', label: t('reports.gross'), cents: totals.gross, moneyTestId: `${testId}-gross` },
            { key: 'promotions', label: t('reports.promotions'), cents: -totals.promotions },
            { key: 'discounts', label: t('reports.discounts'), cents: -totals.discounts },
            { key: 'returns', label: t('reports.returns'), cents: -totals.returns, moneyTestId: `${testId}-returns` },
            { key: 'net', label: t('reports.net'), cents: totals.net, moneyTestId: `${testId}-net`, strong: true },
            { key: 'rounding', label: t('dayClose.rounding'), cents: totals.rounding },
            { key: 'tax', label: t('dayClose.tax'), cents: totals.tax },
            { key: 'voids', label: `${t('reports.voids')} (${totals.counts.voids})`, cents: totals.voidsValue },
          ]}
        />
        <table className="admin-table report-table">
          <tbody>
            <tr>
              <th scope="row">{t('dayClose.sales')}</th>
              <td className="num" data-testid={`${testId}-count-sales`}>
                {totals.counts.sales}
              </td>
            </tr>
            <tr>
              <th scope="row">{t('dayClose.returnDocs')}</th>
              <td className="num">{totals.counts.returns}</td>
            </tr>
            <tr>
              <th scope="row">{t('dayClose.exchanges')}</th>
              <td className="num">{totals.counts.exchanges}</td>
            </tr>
            <tr>
              <th scope="row">{t('dayClose.noSales')}</th>
              <td className="num" data-testid={`${testId}-count-no-sales`}>
                {totals.counts.noSales}
              </td>
            </tr>
          </tbody>
        </table>
      </div>

      <h4 className="report-heading">{t('reports.byMethod')}</h4>
      <MoneyTable
        testId={`${testId}-tenders`}
        rows={totals.tenders.map((p) => ({
          key: p.method,
          testId: `${testId}-tender-${p.method}`,
          label: localName(p, locale),
          count: p.count,
          cents: p.amount,
        }))}
      />

      <div className="day-report-grid">
        <div>
          <h4 className="report-heading">{t('reports.byCategory')}</h4>
          <MoneyTable rows={totals.categories.map((c) => ({ key: c.code ?? '-', label: localName(c, locale), cents: c.net }))} />
        </div>
        <div>
          <h4 className="report-heading">{t('reports.byStaff')}</h4>
          <MoneyTable rows={totals.staff.map((s) => ({ key: s.staffId, label: localName(s, locale), count: s.documents, cents: s.net }))} />
        </div>
      </div>

      <h4 className="report-heading">{t('dayClose.cash')}</h4>
      {totals.shifts.length === 0 ? (
        <p className="section-hint">{t('dayClose.noShifts')}</p>
      ) : (
        <div className="report-scroll">
          <table className="admin-table report-table" data-testid={`${testId}-cash`}>
            <thead>
              <tr>
                <th />
                {totals.shifts.map((s) => (
                  <ShiftColumn key={s.shiftId} shift={s} />
                ))}
              </tr>
            </thead>
            <tbody>
              {cashRows.map((row) => (
                <tr key={row.key} className={row.key === 'expected' ? 'is-strong' : undefined}>
                  <th scope="row">{row.label}</th>
                  {totals.shifts.map((s) => (
                    <td key={s.shiftId} className="num">
                      <Money cents={row.sign * (s[row.key] as number)} />
                    </td>
                  ))}
                </tr>
              ))}
              <tr>
                <th scope="row">{t('shift.counted')}</th>
                {totals.shifts.map((s) => (
                  <td key={s.shiftId} className="num">
                    {s.counted === null ? '—' : <Money cents={s.counted} />}
                  </td>
                ))}
              </tr>
              <tr className="is-strong">
                <th scope="row">{t('shift.overShort')}</th>
                {totals.shifts.map((s) => (
                  <td key={s.shiftId} className="num">
                    <OverShort cents={s.overShort} />
                    {s.overShortReason && <div className="report-sub">{s.overShortReason}</div>}
                  </td>
                ))}
              </tr>
              <tr>
                <th scope="row">{t('dayClose.noSales')}</th>
                {totals.shifts.map((s) => (
                  <td key={s.shiftId} className="num">
                    {s.noSales}
                  </td>
                ))}
              </tr>
            </tbody>
          </table>
        </div>
      )}
      {(totals.outsideShifts.cashTendered !== 0 || totals.outsideShifts.cashRefunds !== 0) && (
        <p className="section-hint" data-testid={`${testId}-outside-shifts`}>
          {t('dayClose.outsideShifts')}{' '}
          <Money cents={totals.outsideShifts.cashTendered - totals.outsideShifts.changeGiven - totals.outsideShifts.cashRefunds} />
        </p>
      )}
      <p className="day-report-over-short">
        {t('dayClose.totalOverShort')} <OverShort cents={totals.overShort} testId={`${testId}-over-short`} />
      </p>
    </article>
  );
}
