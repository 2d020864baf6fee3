/**
 * 工時: clocked time per staff member over a date range, from the clock in / out buttons on the
 * login screen; a shift still open counts up to now.
 */
import { useTranslation } from 'react-i18next';
import type { Timesheet } from '../../../shared/staff-schemas';
import { useLocale } from '../../hooks/use-locale';
import { localName } from '../../names';
import { useStoreTime } from '../../hooks/use-store-time';
import { DateField } from '../../components/date-field';
import type { DayInputs } from '../stores/staff-store';

function hoursAndMinutes(ms: number): { hours: number; minutes: number } {
  const minutes = Math.floor(ms / 60_000);
  return { hours: Math.floor(minutes / 60), minutes: minutes % 60 };
}

/** The timesheet the staff store holds, over the days chosen here. */
export function TimesheetPanel({ days, sheets, onDays }: { days: DayInputs; sheets: Timesheet[]; onDays: (days: DayInputs) => void }) {
  const { t } = useTranslation();
  const storeTime = useStoreTime();
  const { locale } = useLocale();
  const { from, to } = days;

  return (
    <section className="timesheet" data-testid="timesheet">
      <h3 className="audit-subtitle">{t('staffAdmin.timesheetTitle')}</h3>
      <div className="admin-filters">
        <label>
          {t('auditAdmin.from')}
          <DateField value={from} onChange={(value) => onDays({ from: value, to })} required />
        </label>
        <label>
          {t('auditAdmin.to')}
          <DateField value={to} onChange={(value) => onDays({ from, to: value })} required />
        </label>
      </div>
      {sheets.length === 0 ? (
        <p className="section-hint">{t('staffAdmin.timesheetNone')}</p>
      ) : (
        <table className="admin-table audit-table">
          <thead>
            <tr>
              <th>{t('auditAdmin.staff')}</th>
              <th>{t('staffAdmin.periods')}</th>
              <th className="is-number">{t('staffAdmin.worked')}</th>
            </tr>
          </thead>
          <tbody>
            {sheets.map((sheet) => (
              <tr key={sheet.staffId} data-testid={`timesheet-${sheet.staffId}`}>
                <td>{localName(sheet, locale)}</td>
                <td className="audit-detail">
                  {sheet.periods
                    .map((p) => `${storeTime.dateTime(p.in)} – ${p.out === null ? t('staffAdmin.stillIn') : storeTime.dateTime(p.out)}`)
                    .join(' · ')}
                </td>
                <td className="is-number">{t('staffAdmin.hoursMinutes', hoursAndMinutes(sheet.workedMs))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
