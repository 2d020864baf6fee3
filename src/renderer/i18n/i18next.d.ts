/** Types `t()` keys from the Chinese resources, so a misspelt key fails to compile. */
import 'i18next';
import type { Messages } from './zh-HK';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: Messages };
  }
}
