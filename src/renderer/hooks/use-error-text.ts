import { useTranslation } from 'react-i18next';
import type { PosErrorBody } from '../../shared/errors';

/**
 * Main's refusal in the cashier's language. Main's own message is English and meant for logs and
 * support; it is added only for BAD_REQUEST and CONFLICT, where it says which rule was broken.
 */
export function useErrorText(): (error: PosErrorBody | null) => string {
  const { t } = useTranslation();
  return (error) => {
    if (!error) return '';
    const words = t(`errors.${error.code}`);
    return (error.code === 'BAD_REQUEST' || error.code === 'CONFLICT') && error.message ? `${words}（${error.message}）` : words;
  };
}
