import { useTranslation } from 'react-i18next';
import type { StaffSummary } from '../../shared/schemas';
import { useLocale } from '../hooks/use-locale';
import { localName } from '../names';
import { usePosStores, useSession } from '../stores/stores-context';
import { keepFocus } from './keep-focus';

/** The staff list as big name buttons: the cashier taps their own name, then types the PIN. */
export function StaffPicker() {
  const { t } = useTranslation();
  const { session } = usePosStores();
  const staffList = useSession((s) => s.staffList);
  const listState = useSession((s) => s.staffListState);
  const selectedStaffId = useSession((s) => s.selectedStaffId);

  return (
    <section className="staff-picker" aria-labelledby="staff-picker-title">
      <h2 id="staff-picker-title" className="panel-title">
        {t('login.chooseStaff')}
      </h2>
      {listState === 'failed' ? (
        <div className="panel-message">
          <p>{t('login.staffListFailed')}</p>
          <button type="button" className="plain-button" onClick={() => void session.getState().loadStaffList()}>
            {t('login.reloadStaff')}
          </button>
        </div>
      ) : staffList.length === 0 ? (
        <p className="panel-message">{listState === 'ready' ? t('login.noStaff') : t('login.loadingStaff')}</p>
      ) : (
        <ul className="staff-grid">
          {staffList.map((staff) => (
            <li key={staff.id}>
              <StaffButton
                staff={staff}
                selected={staff.id === selectedStaffId}
                onChoose={() => session.getState().selectStaff(staff.id)}
              />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function StaffButton({ staff, selected, onChoose }: { staff: StaffSummary; selected: boolean; onChoose: () => void }) {
  const { locale } = useLocale();
  return (
    <button
      type="button"
      className={selected ? 'staff-button is-selected' : 'staff-button'}
      aria-pressed={selected}
      data-testid={`login-staff-${staff.id}`}
      onClick={onChoose}
      onMouseDown={keepFocus}
    >
      <span className="staff-button-name">{localName(staff, locale)}</span>
      <span className="staff-button-role">{localName({ nameZh: staff.roleNameZh, nameEn: staff.roleNameEn }, locale)}</span>
    </button>
  );
}
