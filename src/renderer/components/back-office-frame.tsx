/**
 * The back office's frame, whatever it shows: the app shell with its action bar (language, log out,
 * back to the till) and their keys. F11 goes back to the till; the till's open cart is untouched.
 * A screen adds its own buttons (`actions`, before log out) and keys (`onShortcut`).
 */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useKeyHandler } from '../hooks/use-key-handler';
import { useLocale } from '../hooks/use-locale';
import { resolveShortcut, type ShortcutId } from '../shortcuts';
import { usePosStores } from '../stores/stores-context';
import { ActionBar, ActionButton, LanguageButton } from './action-bar';
import { AppShell } from './app-shell';

interface BackOfficeFrameProps {
  actions?: ReactNode;
  /** A back-office key the frame does not handle: true when the screen used it. */
  onShortcut?: (shortcut: ShortcutId | null) => boolean;
  children: ReactNode;
}

export function BackOfficeFrame({ actions, onShortcut, children }: BackOfficeFrameProps) {
  const { t } = useTranslation();
  const stores = usePosStores();
  const { toggleLocale } = useLocale();
  const backToTill = () => stores.ui.getState().closeBackOffice();
  const logout = () => void stores.session.getState().logout();

  useKeyHandler((press) => {
    const shortcut = resolveShortcut('back-office', press);
    switch (shortcut) {
      case 'back-to-till':
        backToTill();
        return true;
      case 'toggle-language':
        toggleLocale();
        return true;
      case 'logout':
        logout();
        return true;
      default:
        return onShortcut?.(shortcut) ?? false;
    }
  });

  return (
    <AppShell
      actions={
        <ActionBar>
          <span className="action-spacer" />
          <LanguageButton />
          {actions}
          <ActionButton shortcut="logout" testId="logout" onPress={logout}>
            {t('action.logout')}
          </ActionButton>
          <ActionButton shortcut="back-to-till" testId="back-to-till" primary onPress={backToTill}>
            {t('action.backToTill')}
          </ActionButton>
        </ActionBar>
      }
    >
      {children}
    </AppShell>
  );
}
