/**
 * 日結 / Z 報表: closes the register's business day. It warns while sales are not yet synced or a
 * shift is still open (the Z refuses then), shows the Z it took, and lists past Zs, each printable
 * again as a copy (the stored Z, never recomputed).
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Money } from '../../components/money';
import { useErrorText } from '../../hooks/use-error-text';
import { ErrorLine, SectionHeader, TableHead } from '../section-parts';
import { createDayCloseStore } from '../stores/day-close-store';
import { useSectionStore } from '../use-section-store';
import { DayTotalsView, OverShort } from './day-totals-view';
import { useStoreTime } from '../../hooks/use-store-time';

export function DayCloseSection() {
  const { t } = useTranslation();
  const storeTime = useStoreTime();
  const errorText = useErrorText();
  const day = useSectionStore(createDayCloseStore);
  const { status, unsynced, past, shown, error, notice } = day;
  const [confirming, setConfirming] = useState(false);

  if (!status) return null;

  const closeDay = () => {
    setConfirming(false);
    return day.closeDay();
  };

  return (
    <div className="day-close-section" data-testid="day-close-section">
      <SectionHeader title={t('dayClose.title')} hint={t('dayClose.hint', { n: status.nextZNo })} />
      {unsynced > 0 && (
        <p className="day-warning" role="status" data-testid="day-unsynced">
          {t('dayClose.unsynced', { count: unsynced })}
        </p>
      )}
      {status.openShifts > 0 && (
        <p className="day-warning" role="status" data-testid="day-open-shift">
          {t('dayClose.shiftOpen')}
        </p>
      )}
      <ErrorLine testId="day-error">{error && errorText(error)}</ErrorLine>
      {notice && (
        <p className="section-hint" data-testid="day-notice">
          {notice.kind === 'closed' ? t('dayClose.closed', { n: notice.zNo }) : t('dayClose.printed')}
        </p>
      )}
      <div className="report-actions">
        {!confirming ? (
          <button
            type="button"
            className="admin-button is-primary"
            data-testid="day-close"
            disabled={status.openShifts > 0}
            onClick={() => setConfirming(true)}
          >
            {t('dayClose.close', { n: status.nextZNo })}
          </button>
        ) : (
          <>
            <span className="day-confirm">{t('dayClose.confirm', { count: status.documentsToday })}</span>
            <button type="button" className="admin-button is-primary" data-testid="day-close-confirm" onClick={() => void closeDay()}>
              {t('dayClose.confirmYes')}
            </button>
            <button type="button" className="admin-button" onClick={() => setConfirming(false)}>
              {t('dayClose.cancel')}
            </button>
          </>
        )}
      </div>

      {shown && <DayTotalsView totals={shown.totals} copy={shown.copy} testId="z-report-view" />}

      <h3 className="report-heading">{t('dayClose.past')}</h3>
      {past.length === 0 ? (
        <p className="section-hint">{t('dayClose.none')}</p>
      ) : (
        <table className="admin-table report-table" data-testid="z-list">
          <TableHead
            columns={[
              'Z',
              t('dayClose.closedAt'),
              { text: t('dayClose.documents'), className: 'num' },
              { text: t('reports.net'), className: 'num' },
              { text: t('shift.overShort'), className: 'num' },
              '',
            ]}
          />
          <tbody>
            {past.map((z) => (
              <tr key={z.zNo} data-testid={`z-row-${z.zNo}`}>
                <td>#{z.zNo}</td>
                <td>{storeTime.dateTime(z.closedAt)}</td>
                <td className="num">{z.documents}</td>
                <td className="num">
                  <Money cents={z.net} />
                </td>
                <td className="num">
                  <OverShort cents={z.overShort} />
                </td>
                <td className="admin-actions">
                  <button
                    type="button"
                    className="admin-button"
                    data-testid={`z-view-${z.zNo}`}
                    onClick={() => void day.openZ(z.zNo, false)}
                  >
                    {t('dayClose.view')}
                  </button>
                  <button
                    type="button"
                    className="admin-button"
                    data-testid={`z-reprint-${z.zNo}`}
                    onClick={() => void day.openZ(z.zNo, true)}
                  >
                    {t('dayClose.reprint')}
                    {z.reprintCount > 0 && ` (${z.reprintCount})`}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
