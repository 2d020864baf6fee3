import type { i18n } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { PosErrorBody } from '../../shared/errors';

/**
 * Main's refusal in the cashier's language, from its stable code. Main's own message is English
 * and meant for logs and support: on an English screen it is added for BAD_REQUEST and CONFLICT,
 * where it says which rule was broken; a Chinese screen never shows it (issue 10: an English
 * refusal inside the Chinese payment screen).
 */
export function errorText(i18next: Pick<i18n, 't' | 'language'>, error: PosErrorBody | null): string {
  if (!error) return '';
  const words = i18next.t(`errors.${error.code}`);
  const english = i18next.language.startsWith('en');
  return english && (error.code === 'BAD_REQUEST' || error.code === 'CONFLICT') && error.message ? `${words} (${error.message})` : words;
}

export function useErrorText(): (error: PosErrorBody | null) => string {
  const { i18n: instance } = useTranslation();
  return (error) => errorText(instance, error);
}
