/**
 * 審計紀錄: the audit log over a date range, filtered by staff member and event, newest first; a
 * button that re-checks the whole hash chain and names the first altered row; and the exceptions
 * report (voids, no-sales, overrides, refunds, price changes, discounts over limit, wrong PINs)
 * per staff member for the same range. Main checks `audit.view` on every call.
 */
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PosApi } from '../../../shared/channels';
import type { PosErrorBody } from '../../../shared/errors';
import type { StaffSummary } from '../../../shared/schemas';
import type { AuditEntryView, AuditVerification, ExceptionCounts } from '../../../shared/staff-schemas';
import { useLocale } from '../../hooks/use-locale';
import { localName } from '../../names';
import { findPosApi } from '../../pos';
import { formatDateTime } from '../../server-clock';
import { AdminInput, AdminSelect, ErrorLine, SectionHeader, TableHead } from '../section-parts';
import { useAdminText } from '../staff/admin-text';
import { DAY_MS, dateInput, dayRange } from '../staff/date-range';
import { usePosLoad } from '../use-pos-load';

const countColumns = ['voids', 'lineRemovals', 'noSales', 'overrides', 'refunds', 'priceOverrides', 'discountsOverLimit', 'failedPins', 'lockouts'] as const;

function describeDetail(detail: Record<string, unknown>): string {
  return Object.entries(detail)
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' · ');
}

export function AuditSection() {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const text = useAdminText();
  const api = findPosApi();
  const [from, setFrom] = useState(() => dateInput(Date.now() - 6 * DAY_MS));
  const [to, setTo] = useState(() => dateInput(Date.now()));
  const [staffId, setStaffId] = useState('');
  const [kind, setKind] = useState('');
  const [staff, setStaff] = useState<StaffSummary[]>([]);
  const [kinds, setKinds] = useState<string[]>([]);
  const [rows, setRows] = useState<AuditEntryView[]>([]);
  const [exceptions, setExceptions] = useState<ExceptionCounts[]>([]);
  const [verification, setVerification] = useState<AuditVerification | null>(null);
  const [error, setError] = useState<PosErrorBody | null>(null);

  const fetchLog = useCallback(
    (pos: PosApi) => {
      const range = dayRange(from, to);
      return Promise.all([
        pos['audit:list']({ ...range, ...(staffId ? { staffId: Number(staffId) } : {}), ...(kind ? { kinds: [kind] } : {}), limit: 500 }),
        pos['audit:exceptions'](range),
      ]);
    },
    [from, to, staffId, kind],
  );

  usePosLoad(
    (pos) => Promise.all([pos['staff:list-for-login']({}), pos['audit:kinds']({})]),
    ([staffList, kindList]) => {
      if (staffList.ok) setStaff(staffList.value);
      if (kindList.ok) setKinds(kindList.value);
    },
  );

  // Filters apply as they change.
  usePosLoad(
    fetchLog,
    ([list, report]) => {
      if (list.ok) setRows(list.value);
      if (report.ok) setExceptions(report.value);
      setError(!list.ok ? list.error : !report.ok ? report.error : null);
    },
    fetchLog,
  );

  if (!api) return null;
  const name = (who: { nameZh: string; nameEn: string } | null) => (who ? localName(who, locale) : '—');

  const verify = async () => {
    const result = await api['audit:verify']({});
    if (result.ok) setVerification(result.value);
    else setError(result.error);
  };

  const verdictKey = { altered: 'auditAdmin.verifyBad', 'newest-rows-missing': 'auditAdmin.verifyMissing', 'rows-missing-at-start': 'auditAdmin.verifyGap' } as const;
  return (
    <div className="audit-admin" data-testid="audit-admin">
      <SectionHeader title={t('auditAdmin.title')} hint={t('auditAdmin.hint')} />
      <ErrorLine>{error && text.failure(error)}</ErrorLine>
      <div className="audit-verify">
        <button type="button" className="admin-button" data-testid="audit-verify" onClick={() => void verify()}>
          {t('auditAdmin.verify')}
        </button>
        {verification && (
          <span className={verification.ok ? 'audit-verdict tone-ok' : 'audit-verdict tone-bad'} role="status" data-testid="audit-verdict">
            {verification.ok ? t('auditAdmin.verifyOk', { rows: verification.rows }) : t(verdictKey[verification.problem ?? 'altered'], { seq: verification.firstBadSeq })}
          </span>
        )}
      </div>

      <form className="admin-filters" onSubmit={(e) => e.preventDefault()}>
        <AdminInput label={t('auditAdmin.from')} type="date" data-testid="audit-from" value={from} onChange={(e) => setFrom(e.target.value)} required />
        <AdminInput label={t('auditAdmin.to')} type="date" data-testid="audit-to" value={to} onChange={(e) => setTo(e.target.value)} required />
        <AdminSelect label={t('auditAdmin.staff')} data-testid="audit-staff" value={staffId} onChange={(e) => setStaffId(e.target.value)}>
          <option value="">{t('auditAdmin.everyone')}</option>
          {staff.map((s) => (
            <option key={s.id} value={s.id}>
              {localName(s, locale)}
            </option>
          ))}
        </AdminSelect>
        <AdminSelect label={t('auditAdmin.kind')} data-testid="audit-kind" value={kind} onChange={(e) => setKind(e.target.value)}>
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
          <TableHead columns={[t('auditAdmin.staff'), ...countColumns.map((c) => ({ text: t(`auditAdmin.count.${c}`), className: 'is-number' }))]} />
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
            columns={[{ text: '#', className: 'is-number' }, t('auditAdmin.at'), t('auditAdmin.kind'), t('auditAdmin.staff'), t('auditAdmin.approver'), t('auditAdmin.subject'), t('auditAdmin.detail')]}
          />
          <tbody>
            {rows.map((row) => (
              <tr key={row.seq} data-testid={`audit-row-${row.seq}`} data-kind={row.kind}>
                <td className="is-number admin-key">{row.seq}</td>
                <td className="audit-time">{formatDateTime(row.at)}</td>
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
