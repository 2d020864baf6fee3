import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocale } from '../hooks/use-locale';
import { shortcutLabel, type ShortcutId } from '../shortcuts';
import { keepFocus } from './keep-focus';

export function ActionBar({ children, dense = false }: { children: ReactNode; dense?: boolean }) {
  const { t } = useTranslation();
  return (
    <nav className={dense ? 'action-bar is-dense' : 'action-bar'} aria-label={t('action.bar')}>
      {children}
    </nav>
  );
}

interface ActionButtonProps {
  shortcut: ShortcutId;
  testId: string;
  onPress: () => void;
  disabled?: boolean;
  primary?: boolean;
  children: ReactNode;
}

/** A bar button with its key printed on it, from the shortcuts table. */
export function ActionButton({ shortcut, testId, onPress, disabled = false, primary = false, children }: ActionButtonProps) {
  return (
    <button
      type="button"
      className={primary ? 'action-button is-primary' : 'action-button'}
      data-testid={testId}
      onClick={onPress}
      onMouseDown={keepFocus}
      disabled={disabled}
    >
      <kbd className="action-key">{shortcutLabel(shortcut)}</kbd>
      <span className="action-label">{children}</span>
    </button>
  );
}

/** 中 / EN, with the language in use marked, so the cashier sees both what is on and what the key does. */
export function LanguageButton() {
  const { t } = useTranslation();
  const { locale, toggleLocale } = useLocale();
  return (
    <ActionButton shortcut="toggle-language" testId="lang-toggle" onPress={toggleLocale}>
      <span className="visually-hidden">{t('action.language')} </span>
      <span className={locale === 'zh-HK' ? 'lang-option lang-current' : 'lang-option'} lang="zh-HK">
        {t('language.zh-HK')}
      </span>
      <span className="lang-separator" aria-hidden="true">
        /
      </span>
      <span className={locale === 'en' ? 'lang-option lang-current' : 'lang-option'} lang="en">
        {t('language.en')}
      </span>
    </ActionButton>
  );
}
