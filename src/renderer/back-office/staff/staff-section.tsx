/**
 * 員工: the staff list with role, lock and clock-in state; add a staff member, edit one (role, name,
 * a new PIN, deactivate), unlock an account locked by wrong PINs. Main checks `staff.manage` on
 * every call and refuses handing out a role with more than the editor holds.
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { StaffInput, StaffRecord } from '../../../shared/staff-schemas';
import { useLocale } from '../../hooks/use-locale';
import { localName } from '../../names';
import { useStoreTime } from '../../hooks/use-store-time';
import { ActionsCell, AdminInput, AdminSelect, ErrorLine, FormActions, SectionHeader, TableHead } from '../section-parts';
import { createStaffStore } from '../stores/staff-store';
import { useSectionStore } from '../use-section-store';
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
  const storeTime = useStoreTime();
  const { locale } = useLocale();
  const text = useAdminText();
  const staffStore = useSectionStore((api) => createStaffStore(api, { timeZone: storeTime.timeZone }));
  const { staff, roles, error, saved } = staffStore;
  const [draft, setDraft] = useState<Draft>(emptyDraft);
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
    if (await staffStore.save(input)) setDraft(emptyDraft);
  };

  const state = (s: StaffRecord) => {
    const parts = [s.active ? t('staffAdmin.active') : t('staffAdmin.inactive')];
    if (s.lockedUntil !== null) parts.push(t('staffAdmin.lockedUntil', { time: storeTime.dateTime(s.lockedUntil) }));
    else if (s.failedPins > 0) parts.push(t('staffAdmin.failedPins', { count: s.failedPins }));
    if (s.clockedInSince !== null) parts.push(t('staffAdmin.clockedInSince', { time: storeTime.dateTime(s.clockedInSince) }));
    return parts.join(' · ');
  };

  return (
    <div className="staff-admin" data-testid="staff-admin">
      <SectionHeader title={t('staffAdmin.title')} hint={t('staffAdmin.hint')} />
      <ErrorLine testId="staff-admin-error">{error && text.failure(error)}</ErrorLine>
      {saved && !error && (
        <p className="form-notice" role="status">
          {t('staffAdmin.saved')}
        </p>
      )}
      <table className="admin-table">
        <TableHead
          columns={[t('staffAdmin.code'), t('staffAdmin.nameZh'), t('staffAdmin.nameEn'), t('staffAdmin.role'), t('staffAdmin.state'), '']}
        />
        <tbody>
          {staff.map((s) => (
            <tr
              key={s.id}
              className={s.active ? (s.lockedUntil !== null ? 'is-locked' : undefined) : 'is-inactive'}
              data-testid={`staff-row-${s.id}`}
            >
              <td className="admin-key">{s.code}</td>
              <td>{s.nameZh}</td>
              <td>{s.nameEn}</td>
              <td>{roleName(s.role)}</td>
              <td>{state(s)}</td>
              <ActionsCell>
                {(s.lockedUntil !== null || s.failedPins > 0) && (
                  <button
                    type="button"
                    className="admin-button"
                    data-testid={`staff-unlock-${s.id}`}
                    onClick={() => void staffStore.unlock(s.id)}
                  >
                    {t('staffAdmin.unlock')}
                  </button>
                )}
                <button
                  type="button"
                  className="admin-button"
                  data-testid={`staff-edit-${s.id}`}
                  onClick={() =>
                    setDraft({ id: s.id, code: s.code, nameZh: s.nameZh, nameEn: s.nameEn, role: s.role, active: s.active, pin: '' })
                  }
                >
                  {t('staffAdmin.edit')}
                </button>
              </ActionsCell>
            </tr>
          ))}
        </tbody>
      </table>

      <form className="admin-card admin-form" data-testid="staff-form" onSubmit={(e) => void submit(e)}>
        <h3>{draft.id === undefined ? t('staffAdmin.add') : t('staffAdmin.editing', { name: localName(draft, locale) })}</h3>
        <AdminInput
          label={t('staffAdmin.code')}
          data-testid="staff-code"
          value={draft.code}
          maxLength={16}
          required
          onChange={(e) => setDraft({ ...draft, code: e.target.value })}
        />
        <AdminInput
          label={t('staffAdmin.nameZh')}
          data-testid="staff-name-zh"
          value={draft.nameZh}
          maxLength={40}
          required
          onChange={(e) => setDraft({ ...draft, nameZh: e.target.value })}
        />
        <AdminInput
          label={t('staffAdmin.nameEn')}
          data-testid="staff-name-en"
          value={draft.nameEn}
          maxLength={40}
          required
          onChange={(e) => setDraft({ ...draft, nameEn: e.target.value })}
        />
        <AdminSelect
          label={t('staffAdmin.role')}
          data-testid="staff-role"
          value={draft.role}
          onChange={(e) => setDraft({ ...draft, role: e.target.value })}
        >
          {roles.map((r) => (
            <option key={r.code} value={r.code}>
              {localName(r, locale)}
            </option>
          ))}
        </AdminSelect>
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
          <input
            type="checkbox"
            data-testid="staff-active"
            checked={draft.active}
            onChange={(e) => setDraft({ ...draft, active: e.target.checked })}
          />
          {t('staffAdmin.active')}
        </label>
        <FormActions
          saveLabel={t('staffAdmin.save')}
          saveTestId="staff-save"
          cancel={draft.id !== undefined ? { label: t('staffAdmin.cancel'), onCancel: () => setDraft(emptyDraft) } : null}
        />
      </form>

      <TimesheetPanel days={staffStore.sheetDays} sheets={staffStore.sheets} onDays={(days) => void staffStore.showTimesheet(days)} />
    </div>
  );
}
