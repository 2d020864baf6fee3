/**
 * The back office: a menu of the sections the logged-in staff member may use on the left, the
 * chosen section on the right. F11 goes back to the till; the till's open cart is untouched.
 */
import { useTranslation } from 'react-i18next';
import { AppShell } from '../components/app-shell';
import { ActionBar, ActionButton, LanguageButton } from '../components/action-bar';
import { useKeyHandler } from '../hooks/use-key-handler';
import { useLocale } from '../hooks/use-locale';
import { resolveShortcut } from '../shortcuts';
import { usePosStores, useSession, useUi } from '../stores/stores-context';
import { backOfficeSections } from './sections';
import { staffCan } from './staff-can';

export function BackOfficeScreen() {
  const { t } = useTranslation();
  const stores = usePosStores();
  const { toggleLocale } = useLocale();
  const staff = useSession((s) => s.staff);
  const chosen = useUi((s) => s.section);
  const visible = backOfficeSections.filter((section) => staffCan(staff, section.requires));
  const current = visible.find((section) => section.id === chosen) ?? visible[0] ?? null;

  useKeyHandler((press) => {
    switch (resolveShortcut('back-office', press)) {
      case 'back-to-till':
        stores.ui.getState().closeBackOffice();
        return true;
      case 'toggle-language':
        toggleLocale();
        return true;
      case 'logout':
        void stores.session.getState().logout();
        return true;
      default:
        return false;
    }
  });

  return (
    <AppShell
      actions={
        <ActionBar>
          <span className="action-spacer" />
          <LanguageButton />
          <ActionButton shortcut="logout" testId="logout" onPress={() => void stores.session.getState().logout()}>
            {t('action.logout')}
          </ActionButton>
          <ActionButton shortcut="back-to-till" testId="back-to-till" primary onPress={() => stores.ui.getState().closeBackOffice()}>
            {t('action.backToTill')}
          </ActionButton>
        </ActionBar>
      }
    >
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
    </AppShell>
  );
}
