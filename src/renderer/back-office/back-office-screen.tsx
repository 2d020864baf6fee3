/**
 * The back office: a menu of the sections the logged-in staff member may use on the left, the
 * chosen section on the right, in the back office's frame (F11 back to the till).
 */
import { useTranslation } from 'react-i18next';
import { BackOfficeFrame } from '../components/back-office-frame';
import { usePosStores, useSession, useUi } from '../stores/stores-context';
import { backOfficeSections } from './sections';
import { staffCan } from './staff-can';

export function BackOfficeScreen() {
  const { t } = useTranslation();
  const stores = usePosStores();
  const staff = useSession((s) => s.staff);
  const chosen = useUi((s) => s.section);
  const visible = backOfficeSections.filter((section) => staffCan(staff, section.requires));
  const current = visible.find((section) => section.id === chosen) ?? visible[0] ?? null;

  return (
    <BackOfficeFrame>
      <div className="back-office" data-testid="back-office">
        <nav className="back-office-menu" aria-label={t('backOffice.sections')}>
          {visible.map((section) => (
            <button
              key={section.id}
              type="button"
              className={section === current ? 'back-office-tab is-current' : 'back-office-tab'}
              aria-current={section === current ? 'page' : undefined}
              data-testid={`back-office-tab-${section.id}`}
              onClick={() => stores.ui.getState().openBackOffice(section.id)}
            >
              {t(section.titleKey as never)}
            </button>
          ))}
        </nav>
        <section className="back-office-section" data-testid={current ? `back-office-section-${current.id}` : 'back-office-empty'}>
          {current ? <current.Component /> : <p className="back-office-empty">{t('backOffice.noAccess')}</p>}
        </section>
      </div>
    </BackOfficeFrame>
  );
}
