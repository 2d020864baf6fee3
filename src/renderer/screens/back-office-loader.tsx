/**
 * The back office is a chunk of its own, loaded when it is first opened: the till's page then
 * parses and runs less before the login screen shows (register-start). Should that chunk fail to
 * load, or a section fail while it renders, the till must not go blank: this screen says so, F11
 * goes back to the till (its open cart untouched) and F5 tries again. React.lazy keeps a failed
 * import for good, so trying again makes a new one.
 */
import { Component, lazy, Suspense, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ActionButton } from '../components/action-bar';
import { BackOfficeFrame } from '../components/back-office-frame';

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
  return (
    <BackOfficeFrame
      actions={
        <ActionButton shortcut="back-office-retry" testId="back-office-retry" onPress={onRetry}>
          {t('backOffice.retry')}
        </ActionButton>
      }
      onShortcut={(shortcut) => {
        if (shortcut !== 'back-office-retry') return false;
        onRetry();
        return true;
      }}
    >
      <div className="back-office-unavailable" role="alert" data-testid="back-office-unavailable">
        <h1 className="back-office-unavailable-title">{t('backOffice.unavailableTitle')}</h1>
        <p>{t('backOffice.unavailableBody')}</p>
        <p>{t('backOffice.unavailableHint')}</p>
      </div>
    </BackOfficeFrame>
  );
}
