/**
 * 員工: the staff list with role, lock and clock-in state; add a staff member, edit one (role, name,
 * a new PIN, deactivate), unlock an account locked by wrong PINs. Main checks `staff.manage` on
 * every call and refuses handing out a role with more than the editor holds.
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { PosErrorBody } from '../../../shared/errors';
import type { RoleInfo, StaffInput, StaffRecord } from '../../../shared/staff-schemas';
import { useLocale } from '../../hooks/use-locale';
import { localName } from '../../names';
import { findPosApi } from '../../pos';
import { formatDateTime } from '../../server-clock';
import { useAdminText } from './admin-text';
import { TimesheetPanel } from './timesheet-panel';

interface Draft {
  id?: number;
  code: string;
  nameZh: string;
  nameEn: string;
  role: string;
  active: boolean;
  pin: string;
}

const emptyDraft: Draft = { code: '', nameZh: '', nameEn: '', role: 'cashier', active: true, pin: '' };

export function StaffSection() {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const text = useAdminText();
  const [staff, setStaff] = useState<StaffRecord[]>([]);
  const [roles, setRoles] = useState<RoleInfo[]>([]);
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [error, setError] = useState<PosErrorBody | null>(null);
  const [notice, setNotice] = useState('');
  const api = findPosApi();

  const fetchAll = useCallback(() => (api ? Promise.all([api['staff:list']({}), api['roles:list']({})]) : Promise.resolve(null)), [api]);
  const apply = useCallback((answers: Awaited<ReturnType<typeof fetchAll>>) => {
    if (!answers) return;
    const [list, roleList] = answers;
    if (list.ok) setStaff(list.value);
    else setError(list.error);
    if (roleList.ok) setRoles(roleList.value);
  }, []);
  const [refreshKey, setRefreshKey] = useState(0);
  const reload = async () => {
    apply(await fetchAll());
    setRefreshKey((k) => k + 1);
  };

  useEffect(() => {
    void fetchAll().then(apply);
  }, [fetchAll, apply]);

  if (!api) return null;
  const roleName = (code: string) => {
    const role = roles.find((r) => r.code === code);
    return role ? localName(role, locale) : code;
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const input: StaffInput = {
      ...(draft.id === undefined ? {} : { id: draft.id }),
      code: draft.code.trim(),
      nameZh: draft.nameZh.trim(),
      nameEn: draft.nameEn.trim(),
      role: draft.role,
      active: draft.active,
      ...(draft.pin === '' ? {} : { pin: draft.pin }),
    };
    const result = await api['staff:save'](input);
    if (!result.ok) {
      setError(result.error);
      setNotice('');
      return;
    }
    setError(null);
    setNotice(t('staffAdmin.saved'));
    setDraft(emptyDraft);
    await reload();
  };

  const unlock = async (id: number) => {
    const result = await api['staff:unlock']({ staffId: id });
    if (result.ok) await reload();
    else setError(result.error);
  };

  const state = (s: StaffRecord) => {
    const parts = [s.active ? t('staffAdmin.active') : t('staffAdmin.inactive')];
    if (s.lockedUntil !== null) parts.push(t('staffAdmin.lockedUntil', { time: formatDateTime(s.lockedUntil) }));
    else if (s.failedPins > 0) parts.push(t('staffAdmin.failedPins', { count: s.failedPins }));
    if (s.clockedInSince !== null) parts.push(t('staffAdmin.clockedInSince', { time: formatDateTime(s.clockedInSince) }));
    return parts.join(' · ');
  };

  return (
    <div className="staff-admin" data-testid="staff-admin">
      <h2 className="panel-title">{t('staffAdmin.title')}</h2>
      <p className="section-hint">{t('staffAdmin.hint')}</p>
      {error && (
        <p className="form-error" role="alert" data-testid="staff-admin-error">
          {text.failure(error)}
        </p>
      )}
      {notice && !error && (
        <p className="form-notice" role="status">
          {notice}
        </p>
      )}
      <table className="admin-table">
        <thead>
          <tr>
            <th>{t('staffAdmin.code')}</th>
            <th>{t('staffAdmin.nameZh')}</th>
            <th>{t('staffAdmin.nameEn')}</th>
            <th>{t('staffAdmin.role')}</th>
            <th>{t('staffAdmin.state')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {staff.map((s) => (
            <tr key={s.id} className={s.active ? (s.lockedUntil !== null ? 'is-locked' : undefined) : 'is-inactive'} data-testid={`staff-row-${s.id}`}>
              <td className="admin-key">{s.code}</td>
              <td>{s.nameZh}</td>
              <td>{s.nameEn}</td>
              <td>{roleName(s.role)}</td>
              <td>{state(s)}</td>
              <td>
                <div className="admin-actions">
                  {(s.lockedUntil !== null || s.failedPins > 0) && (
                    <button type="button" className="admin-button" data-testid={`staff-unlock-${s.id}`} onClick={() => void unlock(s.id)}>
                      {t('staffAdmin.unlock')}
                    </button>
                  )}
                  <button
                    type="button"
                    className="admin-button"
                    data-testid={`staff-edit-${s.id}`}
                    onClick={() => setDraft({ id: s.id, code: s.code, nameZh: s.nameZh, nameEn: s.nameEn, role: s.role, active: s.active, pin: '' })}
                  >
                    {t('staffAdmin.edit')}
                  </button>
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <form className="admin-form" data-testid="staff-form" onSubmit={(e) => void submit(e)}>
        <h3>{draft.id === undefined ? t('staffAdmin.add') : t('staffAdmin.editing', { name: localName(draft, locale) })}</h3>
        <label>
          {t('staffAdmin.code')}
          <input data-testid="staff-code" value={draft.code} maxLength={16} required onChange={(e) => setDraft({ ...draft, code: e.target.value })} />
        </label>
        <label>
          {t('staffAdmin.nameZh')}
          <input data-testid="staff-name-zh" value={draft.nameZh} maxLength={40} required onChange={(e) => setDraft({ ...draft, nameZh: e.target.value })} />
        </label>
        <label>
          {t('staffAdmin.nameEn')}
          <input data-testid="staff-name-en" value={draft.nameEn} maxLength={40} required onChange={(e) => setDraft({ ...draft, nameEn: e.target.value })} />
        </label>
        <label>
          {t('staffAdmin.role')}
          <select data-testid="staff-role" value={draft.role} onChange={(e) => setDraft({ ...draft, role: e.target.value })}>
            {roles.map((r) => (
              <option key={r.code} value={r.code}>
                {localName(r, locale)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {draft.id === undefined ? t('staffAdmin.pin') : t('staffAdmin.newPin')}
          <input
            data-testid="staff-pin"
            type="password"
            inputMode="numeric"
            autoComplete="off"
            pattern="[0-9]{4,8}"
            required={draft.id === undefined}
            value={draft.pin}
            onChange={(e) => setDraft({ ...draft, pin: e.target.value.replace(/\D/g, '').slice(0, 8) })}
          />
        </label>
        <label className="admin-toggle">
          <input type="checkbox" data-testid="staff-active" checked={draft.active} onChange={(e) => setDraft({ ...draft, active: e.target.checked })} />
          {t('staffAdmin.active')}
        </label>
        <div className="admin-form-actions">
          {draft.id !== undefined && (
            <button type="button" className="admin-button" onClick={() => setDraft(emptyDraft)}>
              {t('staffAdmin.cancel')}
            </button>
          )}
          <button type="submit" className="admin-button is-primary" data-testid="staff-save">
            {t('staffAdmin.save')}
          </button>
        </div>
      </form>

      <TimesheetPanel refreshKey={refreshKey} />
    </div>
  );
}
