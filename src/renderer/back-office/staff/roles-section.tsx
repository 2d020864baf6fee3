/**
 * 職位及權限: the permission matrix, one column per role and one row per permission, ticked and
 * saved one box at a time, with each role's discount limit; custom roles are added, renamed and
 * deleted below. Main checks `roles.manage`, refuses changes to permissions the editor does not
 * hold, and applies every change from the next call on.
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { permissions } from '../../../shared/permissions';
import { useLocale } from '../../hooks/use-locale';
import { localName } from '../../names';
import { AdminInput, ErrorLine, FormActions, SectionHeader } from '../section-parts';
import { createRolesStore } from '../stores/roles-store';
import { useSectionStore } from '../use-section-store';
import { useAdminText } from './admin-text';

interface NameDraft {
  code: string;
  nameZh: string;
  nameEn: string;
  renaming: boolean;
}

const emptyName: NameDraft = { code: '', nameZh: '', nameEn: '', renaming: false };

export function RolesSection() {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const text = useAdminText();
  const rolesStore = useSectionStore(createRolesStore);
  const { roles, limits, error } = rolesStore;
  const [draft, setDraft] = useState<NameDraft>(emptyName);

  const submitName = async (event: FormEvent) => {
    event.preventDefault();
    if (await rolesStore.saveName(draft)) setDraft(emptyName);
  };

  return (
    <div className="roles-admin" data-testid="roles-admin">
      <SectionHeader title={t('rolesAdmin.title')} hint={t('rolesAdmin.hint')} />
      <ErrorLine testId="roles-admin-error">{error && text.failure(error)}</ErrorLine>
      <div className="matrix-scroll">
        <table className="admin-table permission-matrix" data-testid="permission-matrix">
          <thead>
            <tr>
              <th>{t('rolesAdmin.permission')}</th>
              {roles.map((role) => (
                <th key={role.code} className="matrix-role" data-testid={`matrix-role-${role.code}`}>
                  <span className="matrix-role-name">{localName(role, locale)}</span>
                  <span className="matrix-role-meta">
                    {role.builtIn ? t('rolesAdmin.builtIn') : role.code} · {t('rolesAdmin.staffCount', { count: role.staffCount })}
                  </span>
                  <span className="matrix-role-actions">
                    <button
                      type="button"
                      className="admin-button is-small"
                      data-testid={`role-rename-${role.code}`}
                      onClick={() => setDraft({ code: role.code, nameZh: role.nameZh, nameEn: role.nameEn, renaming: true })}
                    >
                      {t('rolesAdmin.rename')}
                    </button>
                    {!role.builtIn && (
                      <button
                        type="button"
                        className="admin-button is-small"
                        data-testid={`role-delete-${role.code}`}
                        onClick={() => void rolesStore.remove(role.code)}
                      >
                        {t('rolesAdmin.delete')}
                      </button>
                    )}
                  </span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {permissions.map((permission) => (
              <tr key={permission}>
                <th scope="row" className="matrix-permission">
                  {text.permission(permission)}
                </th>
                {roles.map((role) => (
                  <td key={role.code} className="matrix-cell">
                    <label className="matrix-hit">
                      <input
                        type="checkbox"
                        aria-label={`${localName(role, locale)}: ${text.permission(permission)}`}
                        data-testid={`perm-${role.code}-${permission}`}
                        checked={role.permissions.includes(permission)}
                        onChange={(e) => void rolesStore.setPermission(role, permission, e.target.checked)}
                      />
                    </label>
                  </td>
                ))}
              </tr>
            ))}
            <tr>
              <th scope="row" className="matrix-permission">
                {t('rolesAdmin.discountLimit')}
              </th>
              {roles.map((role) => (
                <td key={role.code} className="matrix-cell">
                  <input
                    className="matrix-limit"
                    inputMode="decimal"
                    data-testid={`limit-${role.code}`}
                    value={limits[role.code] ?? ''}
                    onChange={(e) => rolesStore.typeLimit(role.code, e.target.value)}
                    onBlur={() => void rolesStore.saveLimit(role)}
                    onKeyDown={(e) => {
                      if (e.key === 'Enter') void rolesStore.saveLimit(role);
                    }}
                  />
                </td>
              ))}
            </tr>
          </tbody>
        </table>
      </div>

      <form className="admin-card admin-form" data-testid="role-form" onSubmit={(e) => void submitName(e)}>
        <h3>{draft.renaming ? `${t('rolesAdmin.rename')} ${draft.code}` : t('rolesAdmin.add')}</h3>
        <label>
          {t('rolesAdmin.code')}
          <input
            data-testid="role-code"
            value={draft.code}
            required
            disabled={draft.renaming}
            pattern="[a-z][a-z0-9\-]{1,31}"
            onChange={(e) => setDraft({ ...draft, code: e.target.value.toLowerCase() })}
          />
        </label>
        <AdminInput
          label={t('rolesAdmin.nameZh')}
          data-testid="role-name-zh"
          value={draft.nameZh}
          maxLength={40}
          required
          onChange={(e) => setDraft({ ...draft, nameZh: e.target.value })}
        />
        <AdminInput
          label={t('rolesAdmin.nameEn')}
          data-testid="role-name-en"
          value={draft.nameEn}
          maxLength={40}
          required
          onChange={(e) => setDraft({ ...draft, nameEn: e.target.value })}
        />
        <FormActions
          saveLabel={t('rolesAdmin.save')}
          saveTestId="role-save"
          cancel={draft.renaming ? { label: t('rolesAdmin.cancel'), onCancel: () => setDraft(emptyName) } : null}
        />
      </form>
    </div>
  );
}
