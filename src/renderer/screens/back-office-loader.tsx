/**
 * The back office is a chunk of its own, loaded when it is first opened: the till's page then
 * parses and runs less before the login screen shows (register-start). Should that chunk fail to
 * load, or a section fail while it renders, the till must not go blank: this screen says so, F11
 * goes back to the till (its open cart untouched) and F5 tries again. React.lazy keeps a failed
 * import for good, so trying again makes a new one.
 */
import { Component, lazy, Suspense, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ActionBar, ActionButton, LanguageButton } from '../components/action-bar';
import { AppShell } from '../components/app-shell';
import { useKeyHandler } from '../hooks/use-key-handler';
import { useLocale } from '../hooks/use-locale';
import { resolveShortcut } from '../shortcuts';
import { usePosStores } from '../stores/stores-context';

const importBackOffice = () => import('../back-office/back-office-screen').then((m) => ({ default: m.BackOfficeScreen }));
let BackOfficeScreen = lazy(importBackOffice);

export function BackOffice() {
  const [attempt, setAttempt] = useState(0);
  const retry = () => {
    BackOfficeScreen = lazy(importBackOffice);
    setAttempt((n) => n + 1);
  };
  return (
    <BackOfficeBoundary key={attempt} onRetry={retry}>
      <Suspense fallback={null}>
        <BackOfficeScreen />
      </Suspense>
    </BackOfficeBoundary>
  );
}

interface BoundaryProps {
  onRetry: () => void;
  children: ReactNode;
}

class BackOfficeBoundary extends Component<BoundaryProps, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override componentDidCatch(error: unknown): void {
    console.error('the back office failed to load or render', error);
  }

  override render(): ReactNode {
    return this.state.failed ? <BackOfficeUnavailable onRetry={this.props.onRetry} /> : this.props.children;
  }
}

function BackOfficeUnavailable({ onRetry }: { onRetry: () => void }) {
  const { t } = useTranslation();
  const stores = usePosStores();
  const { toggleLocale } = useLocale();
  const backToTill = () => stores.ui.getState().closeBackOffice();

  useKeyHandler((press) => {
    switch (resolveShortcut('back-office', press)) {
      case 'back-to-till':
        backToTill();
        return true;
      case 'back-office-retry':
        onRetry();
        return true;
      case 'toggle-language':
        toggleLocale();
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
          <ActionButton shortcut="back-office-retry" testId="back-office-retry" onPress={onRetry}>
            {t('backOffice.retry')}
          </ActionButton>
          <ActionButton shortcut="back-to-till" testId="back-to-till" primary onPress={backToTill}>
            {t('action.backToTill')}
          </ActionButton>
        </ActionBar>
      }
    >
      <div className="back-office-unavailable" role="alert" data-testid="back-office-unavailable">
        <h1 className="back-office-unavailable-title">{t('backOffice.unavailableTitle')}</h1>
        <p>{t('backOffice.unavailableBody')}</p>
        <p>{t('backOffice.unavailableHint')}</p>
      </div>
    </AppShell>
  );
}
