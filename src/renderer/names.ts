/** Staff, stores and products carry both names; the screen shows the one for the current language. */
import type { Locale } from '../shared/schemas';

export interface Bilingual {
  nameZh: string;
  nameEn: string;
}

/** Falls back to the other name when one is blank, so a half-translated catalogue still reads. */
export function localName(item: Bilingual, locale: Locale): string {
  const [first, second] = locale === 'en' ? [item.nameEn, item.nameZh] : [item.nameZh, item.nameEn];
  return first.trim() !== '' ? first : second;
}
