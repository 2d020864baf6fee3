import { useTranslation } from 'react-i18next';
import { asLocale, otherLocale, type Locale } from '../i18n/create-i18n';

/** The current language and a switch to the other one; components re-render when it changes. */
export function useLocale(): { locale: Locale; toggleLocale: () => void } {
  const { i18n } = useTranslation();
  const locale = asLocale(i18n.language);
  return { locale, toggleLocale: () => void i18n.changeLanguage(otherLocale(locale)) };
}
