/**
 * 審計紀錄: the audit log over a date range, filtered by staff member and event, newest first; a
 * button that re-checks the whole hash chain and names the first altered row; and the exceptions
 * report (voids, no-sales, overrides, refunds, price changes, discounts over limit, wrong PINs)
 * per staff member for the same range. Main checks `audit.view` on every call.
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PosErrorBody } from '../../../shared/errors';
import type { StaffSummary } from '../../../shared/schemas';
import type { AuditEntryView, AuditVerification, ExceptionCounts } from '../../../shared/staff-schemas';
import { useLocale } from '../../hooks/use-locale';
import { localName } from '../../names';
import { findPosApi } from '../../pos';
import { formatDateTime } from '../../server-clock';
import { useAdminText } from '../staff/admin-text';
import { DAY_MS, dateInput, dayRange } from '../staff/date-range';

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

  const fetchLog = useCallback(() => {
    if (!api) return Promise.resolve(null);
    const range = dayRange(from, to);
    return Promise.all([
      api['audit:list']({ ...range, ...(staffId ? { staffId: Number(staffId) } : {}), ...(kind ? { kinds: [kind] } : {}), limit: 500 }),
      api['audit:exceptions'](range),
    ]);
  }, [api, from, to, staffId, kind]);

  useEffect(() => {
    if (!api) return;
    void api['staff:list-for-login']({}).then((r) => r.ok && setStaff(r.value));
    void api['audit:kinds']({}).then((r) => r.ok && setKinds(r.value));
  }, [api]);

  // Filters apply as they change.
  useEffect(() => {
    void fetchLog().then((answers) => {
      if (!answers) return;
      const [list, report] = answers;
      if (list.ok) setRows(list.value);
      if (report.ok) setExceptions(report.value);
      setError(!list.ok ? list.error : !report.ok ? report.error : null);
    });
  }, [fetchLog]);

  if (!api) return null;
  const name = (who: { nameZh: string; nameEn: string } | null) => (who ? localName(who, locale) : '—');

  const verify = async () => {
    const result = await api['audit:verify']({});
    if (result.ok) setVerification(result.value);
    else setError(result.error);
  };

  return (
    <div className="audit-admin" data-testid="audit-admin">
      <h2 className="panel-title">{t('auditAdmin.title')}</h2>
      <p className="section-hint">{t('auditAdmin.hint')}</p>
      {error && (
        <p className="form-error" role="alert">
          {text.failure(error)}
        </p>
      )}
      <div className="audit-verify">
        <button type="button" className="admin-button" data-testid="audit-verify" onClick={() => void verify()}>
          {t('auditAdmin.verify')}
        </button>
        {verification && (
          <span className={verification.ok ? 'audit-verdict tone-ok' : 'audit-verdict tone-bad'} role="status" data-testid="audit-verdict">
            {verification.ok ? t('auditAdmin.verifyOk', { rows: verification.rows }) : t('auditAdmin.verifyBad', { seq: verification.firstBadSeq })}
          </span>
        )}
      </div>

      <form className="audit-filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          {t('auditAdmin.from')}
          <input type="date" data-testid="audit-from" value={from} onChange={(e) => setFrom(e.target.value)} required />
        </label>
        <label>
          {t('auditAdmin.to')}
          <input type="date" data-testid="audit-to" value={to} onChange={(e) => setTo(e.target.value)} required />
        </label>
        <label>
          {t('auditAdmin.staff')}
          <select data-testid="audit-staff" value={staffId} onChange={(e) => setStaffId(e.target.value)}>
            <option value="">{t('auditAdmin.everyone')}</option>
            {staff.map((s) => (
              <option key={s.id} value={s.id}>
                {localName(s, locale)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('auditAdmin.kind')}
          <select data-testid="audit-kind" value={kind} onChange={(e) => setKind(e.target.value)}>
            <option value="">{t('auditAdmin.everything')}</option>
            {kinds.map((k) => (
              <option key={k} value={k}>
                {text.auditKind(k)}
              </option>
            ))}
          </select>
        </label>
      </form>

      <h3 className="audit-subtitle">{t('auditAdmin.exceptionsTitle')}</h3>
      {exceptions.length === 0 ? (
        <p className="section-hint">{t('auditAdmin.exceptionsNone')}</p>
      ) : (
        <table className="admin-table exceptions-table" data-testid="exceptions-table">
          <thead>
            <tr>
              <th>{t('auditAdmin.staff')}</th>
              {countColumns.map((c) => (
                <th key={c} className="is-number">
                  {t(`auditAdmin.count.${c}`)}
                </th>
              ))}
            </tr>
          </thead>
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
          <thead>
            <tr>
              <th className="is-number">#</th>
              <th>{t('auditAdmin.at')}</th>
              <th>{t('auditAdmin.kind')}</th>
              <th>{t('auditAdmin.staff')}</th>
              <th>{t('auditAdmin.approver')}</th>
              <th>{t('auditAdmin.subject')}</th>
              <th>{t('auditAdmin.detail')}</th>
            </tr>
          </thead>
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
