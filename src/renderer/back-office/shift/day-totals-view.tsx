/** An X or Z report on screen: the same figures the printed paper carries. */
import { useTranslation } from 'react-i18next';
import type { DayTotals, ShiftCash } from '../../../shared/shift-schemas';
import { Money } from '../../components/money';
import { useLocale } from '../../hooks/use-locale';
import { localName } from '../../names';
import { hkDateTime } from './when';

function Row({ label, cents, testId, strong = false }: { label: string; cents: number; testId?: string; strong?: boolean }) {
  return (
    <tr className={strong ? 'is-strong' : undefined}>
      <th scope="row">{label}</th>
      <td className="num">
        <Money cents={cents} {...(testId ? { testId } : {})} />
      </td>
    </tr>
  );
}

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
  const { locale } = useLocale();
  return (
    <th scope="col">
      #{shift.shiftId} {localName({ nameZh: shift.staffNameZh, nameEn: shift.staffNameEn }, locale)}
      <div className="report-sub">
        {hkDateTime(shift.openedAt)} – {shift.closedAt === null ? '…' : hkDateTime(shift.closedAt)}
      </div>
    </th>
  );
}

export function DayTotalsView({ totals, copy = false, testId }: { totals: DayTotals; copy?: boolean; testId: string }) {
  const { t } = useTranslation();
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
    <article className="day-report" data-testid={testId}>
      <header className="day-report-head">
        <h3 className="day-report-title">
          {totals.zNo === null ? t('dayClose.xTitle') : t('dayClose.zTitle', { n: totals.zNo })}
          {copy && <span className="copy-badge">{t('dayClose.copy')}</span>}
        </h3>
        <p className="report-sub">
          {totals.storeCode}-{totals.registerCode} · {t('dayClose.businessDay')} {hkDateTime(totals.openedAt)} – {totals.closedAt === null ? '…' : hkDateTime(totals.closedAt)}
          {totals.firstReceipt && ` · ${totals.firstReceipt} – ${totals.lastReceipt ?? ''}`}
        </p>
      </header>
      <div className="day-report-grid">
        <table className="admin-table report-table">
          <tbody>
            <Row label={t('reports.gross')} cents={totals.gross} testId={`${testId}-gross`} />
            <Row label={t('reports.promotions')} cents={-totals.promotions} />
            <Row label={t('reports.discounts')} cents={-totals.discounts} />
            <Row label={t('reports.returns')} cents={-totals.returns} testId={`${testId}-returns`} />
            <Row label={t('reports.net')} cents={totals.net} testId={`${testId}-net`} strong />
            <Row label={t('dayClose.rounding')} cents={totals.rounding} />
            <Row label={t('dayClose.tax')} cents={totals.tax} />
            <Row label={`${t('reports.voids')} (${totals.counts.voids})`} cents={totals.voidsValue} />
          </tbody>
        </table>
        <table className="admin-table report-table">
          <tbody>
            <tr>
              <th scope="row">{t('dayClose.sales')}</th>
              <td className="num" data-testid={`${testId}-count-sales`}>{totals.counts.sales}</td>
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
              <td className="num" data-testid={`${testId}-count-no-sales`}>{totals.counts.noSales}</td>
            </tr>
          </tbody>
        </table>
      </div>

      <h4 className="report-heading">{t('reports.byMethod')}</h4>
      <table className="admin-table report-table" data-testid={`${testId}-tenders`}>
        <tbody>
          {totals.tenders.map((p) => (
            <tr key={p.method} data-testid={`${testId}-tender-${p.method}`}>
              <th scope="row">
                {localName(p, locale)} <span className="report-sub">×{p.count}</span>
              </th>
              <td className="num">
                <Money cents={p.amount} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <div className="day-report-grid">
        <div>
          <h4 className="report-heading">{t('reports.byCategory')}</h4>
          <table className="admin-table report-table">
            <tbody>
              {totals.categories.map((c) => (
                <tr key={c.code ?? '-'}>
                  <th scope="row">{localName(c, locale)}</th>
                  <td className="num">
                    <Money cents={c.net} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div>
          <h4 className="report-heading">{t('reports.byStaff')}</h4>
          <table className="admin-table report-table">
            <tbody>
              {totals.staff.map((s) => (
                <tr key={s.staffId}>
                  <th scope="row">
                    {localName(s, locale)} <span className="report-sub">×{s.documents}</span>
                  </th>
                  <td className="num">
                    <Money cents={s.net} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
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
          {t('dayClose.outsideShifts')} <Money cents={totals.outsideShifts.cashTendered - totals.outsideShifts.changeGiven - totals.outsideShifts.cashRefunds} />
        </p>
      )}
      <p className="day-report-over-short">
        {t('dayClose.totalOverShort')} <OverShort cents={totals.overShort} testId={`${testId}-over-short`} />
      </p>
    </article>
  );
}
