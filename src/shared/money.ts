/** Money is integer minor units (HKD cents) everywhere. Formatting happens only at the edges. */
export type Cents = number;

const formatters = new Map<string, Intl.NumberFormat>();

function numberFormat(locale: string): Intl.NumberFormat {
  let f = formatters.get(locale);
  if (!f) {
    f = new Intl.NumberFormat(locale === 'en' ? 'en-HK' : 'zh-HK', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    formatters.set(locale, f);
  }
  return f;
}

/** `HK$1,234.50`, `-HK$9.00`. The sign goes before the currency, as HK receipts print it. */
export function formatHKD(cents: Cents, locale = 'zh-HK'): string {
  const abs = numberFormat(locale).format(Math.abs(cents) / 100);
  return `${cents < 0 ? '-' : ''}HK$${abs}`;
}
