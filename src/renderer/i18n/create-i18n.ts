/**
 * One i18next instance per app, zh-HK by default, English switchable. The cashier's choice is
 * remembered on this counter PC, so the next shift opens in the language the till was left in.
 */
import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { Locale } from '../../shared/schemas';
import { en } from './en';
import { zhHK } from './zh-HK';

export type { Locale };

export const DEFAULT_LOCALE: Locale = 'zh-HK';
export const LANGUAGE_STORAGE_KEY = 'suanpan.language';

export const resources = {
  'zh-HK': { translation: zhHK },
  en: { translation: en },
} as const;

/** The part of `localStorage` we use; tests pass a Map-backed one. */
export interface LanguageStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export function storedLocale(storage: LanguageStorage | null): Locale {
  let saved: string | null = null;
  try {
    saved = storage?.getItem(LANGUAGE_STORAGE_KEY) ?? null;
  } catch {
    // Storage can throw when the profile is read-only; the till still works in the default language.
  }
  const parsed = Locale.safeParse(saved);
  return parsed.success ? parsed.data : DEFAULT_LOCALE;
}

export function otherLocale(locale: string): Locale {
  return locale === 'en' ? 'zh-HK' : 'en';
}

/** i18next reports its language as a plain string; anything unexpected is treated as the default. */
export function asLocale(language: string | undefined): Locale {
  return language === 'en' ? 'en' : 'zh-HK';
}

export function createI18n(storage: LanguageStorage | null): i18n {
  const instance = i18next.createInstance();
  instance.use(initReactI18next);
  void instance.init({
    resources,
    lng: storedLocale(storage),
    fallbackLng: DEFAULT_LOCALE,
    supportedLngs: ['zh-HK', 'en'],
    // Resources are bundled, so init can finish synchronously and the first render has text.
    initAsync: false,
    // React escapes text itself; escaping here too would show `&amp;` in product names.
    interpolation: { escapeValue: false },
    react: { useSuspense: false },
  });
  instance.on('languageChanged', (language) => {
    try {
      storage?.setItem(LANGUAGE_STORAGE_KEY, asLocale(language));
    } catch {
      // Not remembering the choice is acceptable; failing the toggle is not.
    }
  });
  return instance;
}
