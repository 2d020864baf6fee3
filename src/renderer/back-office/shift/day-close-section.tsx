/**
 * 日結 / Z 報表: closes the register's business day. It warns while sales are not yet synced or a
 * shift is still open (the Z refuses then), shows the Z it took, and lists past Zs, each printable
 * again as a copy (the stored Z, never recomputed).
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PosErrorBody } from '../../../shared/errors';
import type { DayStatus, ZReport, ZSummary } from '../../../shared/shift-schemas';
import { Money } from '../../components/money';
import { useErrorText } from '../../hooks/use-error-text';
import { findPosApi } from '../../pos';
import { ErrorLine, SectionHeader, TableHead } from '../section-parts';
import { usePosLoad } from '../use-pos-load';
import { DayTotalsView, OverShort } from './day-totals-view';
import { useStoreTime } from '../../hooks/use-store-time';

export function DayCloseSection() {
  const { t } = useTranslation();
  const storeTime = useStoreTime();
  const errorText = useErrorText();
  const [status, setStatus] = useState<DayStatus | null>(null);
  const [unsynced, setUnsynced] = useState(0);
  const [past, setPast] = useState<ZSummary[]>([]);
  const [shown, setShown] = useState<ZReport | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<PosErrorBody | null>(null);
  const [notice, setNotice] = useState('');

  const [version, setVersion] = useState(0);
  const reload = () => setVersion((v) => v + 1);

  usePosLoad(
    (api) => Promise.all([api['day:status']({}), api['day:list-z']({}), api['sync:status']({})]),
    ([s, list, sync]) => {
      if (s.ok) {
        setStatus(s.value);
        // sync:status knows what the cloud has acknowledged; the outbox count stands in without it
        setUnsynced(sync.ok ? sync.value.pendingSales : s.value.unsyncedSales);
      } else setError(s.error);
      if (list.ok) setPast(list.value);
    },
    version,
  );

  const api = findPosApi();
  if (!api || !status) return null;

  const closeDay = async () => {
    setConfirming(false);
    const answer = await api['day:close']({});
    if (answer.ok) {
      setShown(answer.value);
      setError(null);
      setNotice(t('dayClose.closed', { n: answer.value.totals.zNo ?? 0 }));
    } else setError(answer.error);
    reload();
  };

  const open = async (zNo: number, reprint: boolean) => {
    const answer = reprint ? await api['day:reprint-z']({ zNo }) : await api['day:z']({ zNo });
    if (answer.ok) {
      setShown(answer.value);
      setError(null);
      if (reprint) setNotice(t('dayClose.printed'));
    } else setError(answer.error);
    if (reprint) reload();
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
      {notice && <p className="section-hint" data-testid="day-notice">{notice}</p>}
      <div className="report-actions">
        {!confirming ? (
          <button type="button" className="admin-button is-primary" data-testid="day-close" disabled={status.openShifts > 0} onClick={() => setConfirming(true)}>
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
            columns={['Z', t('dayClose.closedAt'), { text: t('dayClose.documents'), className: 'num' }, { text: t('reports.net'), className: 'num' }, { text: t('shift.overShort'), className: 'num' }, '']}
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
                  <button type="button" className="admin-button" data-testid={`z-view-${z.zNo}`} onClick={() => void open(z.zNo, false)}>
                    {t('dayClose.view')}
                  </button>
                  <button type="button" className="admin-button" data-testid={`z-reprint-${z.zNo}`} onClick={() => void open(z.zNo, true)}>
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
