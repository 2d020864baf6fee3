/**
 * 審計紀錄: the audit log over a date range, filtered by staff member and event, newest first; a
 * button that re-checks the whole hash chain and names the first altered row; and the exceptions
 * report (voids, no-sales, overrides, refunds, price changes, discounts over limit, wrong PINs)
 * per staff member for the same range. Main checks `audit.view` on every call.
 */
import { useTranslation } from 'react-i18next';
import { useLocale } from '../../hooks/use-locale';
import { localName } from '../../names';
import { useStoreTime } from '../../hooks/use-store-time';
import { DateField } from '../../components/date-field';
import { AdminSelect, ErrorLine, SectionHeader, TableHead } from '../section-parts';
import { useAdminText } from '../staff/admin-text';
import { createAuditStore } from '../stores/audit-store';
import { useSectionStore } from '../use-section-store';
import { useAuditDetail } from './audit-detail';

const countColumns = [
  'voids',
  'lineRemovals',
  'noSales',
  'overrides',
  'refunds',
  'priceOverrides',
  'discountsOverLimit',
  'failedPins',
  'lockouts',
] as const;

export function AuditSection() {
  const { t } = useTranslation();
  const storeTime = useStoreTime();
  const describeDetail = useAuditDetail();
  const { locale } = useLocale();
  const text = useAdminText();
  const audit = useSectionStore((api) => createAuditStore(api, { timeZone: storeTime.timeZone }));
  const { filter, staff, kinds, rows, exceptions, verification, error } = audit;
  const { from, to, staffId, kind } = filter;
  const name = (who: { nameZh: string; nameEn: string } | null) => (who ? localName(who, locale) : '—');

  const verdictKey = {
    altered: 'auditAdmin.verifyBad',
    'newest-rows-missing': 'auditAdmin.verifyMissing',
    'rows-missing-at-start': 'auditAdmin.verifyGap',
  } as const;
  return (
    <div className="audit-admin" data-testid="audit-admin">
      <SectionHeader title={t('auditAdmin.title')} hint={t('auditAdmin.hint')} />
      <ErrorLine>{error && text.failure(error)}</ErrorLine>
      <div className="audit-verify">
        <button type="button" className="admin-button" data-testid="audit-verify" onClick={() => void audit.verify()}>
          {t('auditAdmin.verify')}
        </button>
        {verification && (
          <span className={verification.ok ? 'audit-verdict tone-ok' : 'audit-verdict tone-bad'} role="status" data-testid="audit-verdict">
            {verification.ok
              ? t('auditAdmin.verifyOk', { rows: verification.rows })
              : t(verdictKey[verification.problem ?? 'altered'], { seq: verification.firstBadSeq })}
          </span>
        )}
      </div>

      <form className="admin-filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          {t('auditAdmin.from')}
          <DateField testId="audit-from" value={from} onChange={(value) => void audit.setFilter({ from: value })} required />
        </label>
        <label>
          {t('auditAdmin.to')}
          <DateField testId="audit-to" value={to} onChange={(value) => void audit.setFilter({ to: value })} required />
        </label>
        <AdminSelect
          label={t('auditAdmin.staff')}
          data-testid="audit-staff"
          value={staffId}
          onChange={(e) => void audit.setFilter({ staffId: e.target.value })}
        >
          <option value="">{t('auditAdmin.everyone')}</option>
          {staff.map((s) => (
            <option key={s.id} value={s.id}>
              {localName(s, locale)}
            </option>
          ))}
        </AdminSelect>
        <AdminSelect
          label={t('auditAdmin.kind')}
          data-testid="audit-kind"
          value={kind}
          onChange={(e) => void audit.setFilter({ kind: e.target.value })}
        >
          <option value="">{t('auditAdmin.everything')}</option>
          {kinds.map((k) => (
            <option key={k} value={k}>
              {text.auditKind(k)}
            </option>
          ))}
        </AdminSelect>
      </form>

      <h3 className="audit-subtitle">{t('auditAdmin.exceptionsTitle')}</h3>
      {exceptions.length === 0 ? (
        <p className="section-hint">{t('auditAdmin.exceptionsNone')}</p>
      ) : (
        <table className="admin-table exceptions-table" data-testid="exceptions-table">
          <TableHead
            columns={[t('auditAdmin.staff'), ...countColumns.map((c) => ({ text: t(`auditAdmin.count.${c}`), className: 'is-number' }))]}
          />
          <tbody>
            {exceptions.map((e) => (
              <tr key={e.staffId} data-testid={`exceptions-${e.staffId}`}>
                <td>{name(e)}</td>
                {countColumns.map((c) => (
                  <td key={c} className={e[c] > 0 ? 'is-number is-flagged' : 'is-number'}>
                    {e[c]}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h3 className="audit-subtitle">{t('auditAdmin.title')}</h3>
      {rows.length === 0 ? (
        <p className="section-hint">{t('auditAdmin.none')}</p>
      ) : (
        <table className="admin-table audit-table" data-testid="audit-table">
          <TableHead
            columns={[
              { text: '#', className: 'is-number' },
              t('auditAdmin.at'),
              t('auditAdmin.kind'),
              t('auditAdmin.staff'),
              t('auditAdmin.approver'),
              t('auditAdmin.subject'),
              t('auditAdmin.detail'),
            ]}
          />
          <tbody>
            {rows.map((row) => (
              <tr key={row.seq} data-testid={`audit-row-${row.seq}`} data-kind={row.kind}>
                <td className="is-number admin-key">{row.seq}</td>
                <td className="audit-time">{storeTime.dateTime(row.at)}</td>
                <td>{text.auditKind(row.kind)}</td>
                <td>{name(row.staff)}</td>
                <td>{name(row.approver)}</td>
                <td className="admin-key">{row.subject ?? ''}</td>
                <td className="audit-detail">{describeDetail(row.detail)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
