import type { i18n } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { PosErrorBody } from '../../shared/errors';
import { formatHKD } from '../../shared/money';

/**
 * The figures main sent with a refusal, as the words interpolate them: `kind` names the member's
 * account (積分 / 儲值額), `availableCents` is money, `availableUnits` points; `askedCents` and
 * `cartCents` (`lineCents`) are a cart (line) discount and the cart (line) it was more than.
 */
function interpolation(
  i18next: Pick<i18n, 't' | 'language'>,
  values: PosErrorBody['values'],
): { account: string; available: string; asked: string; cart: string; line: string } {
  if (!values) return { account: '', available: '', asked: '', cart: '', line: '' };
  const locale = i18next.language;
  const money = (value: unknown) => (typeof value === 'number' ? formatHKD(value, locale) : '');
  const cents = money(values.availableCents);
  const units = typeof values.availableUnits === 'number' ? values.availableUnits.toLocaleString('en-HK') : '';
  return {
    account: values.kind === 'points' || values.kind === 'credit' ? i18next.t(`storedValue.account.${values.kind}`) : '',
    available: values.kind === 'points' && units !== '' ? i18next.t('storedValue.pointsWorth', { points: units, value: cents }) : cents,
    asked: money(values.askedCents),
    cart: money(values.cartCents),
    line: money(values.lineCents),
  };
}

/**
 * Where a refusal is shown, when its words say where to go: ORDER_CLASH sends the cashier to
 * 網上訂單 (Shift+F5) to press 知道了 on the clash; inside that dialog the clash is on the screen
 * ('orders'), from its pickup form one Esc away ('order-pickup').
 */
export type RefusalPlace = 'till' | 'orders' | 'order-pickup';

const clashWords = { orders: 'orders.clashRefusedHere', 'order-pickup': 'orders.clashRefusedBack' } as const;

/**
 * Main's refusal in the cashier's language, from its stable code. Main's own message is English
 * and meant for logs and support: on an English screen it is added for BAD_REQUEST and CONFLICT,
 * where it says which rule was broken; a Chinese screen never shows it (issue 10: an English
 * refusal inside the Chinese payment screen).
 */
export function errorText(i18next: Pick<i18n, 't' | 'language'>, error: PosErrorBody | null, place: RefusalPlace = 'till'): string {
  if (!error) return '';
  if (error.code === 'ORDER_CLASH' && place !== 'till') return i18next.t(clashWords[place]);
  // only refusals with figures (stored value, a cart discount over the cart) carry values; their words interpolate them
  const words = error.values
    ? i18next.t(`errors.${error.code as 'INSUFFICIENT_BALANCE'}`, { ...error.values, ...interpolation(i18next, error.values) })
    : i18next.t(`errors.${error.code}`);
  const english = i18next.language.startsWith('en');
  return english && (error.code === 'BAD_REQUEST' || error.code === 'CONFLICT') && error.message ? `${words} (${error.message})` : words;
}

export function useErrorText(place: RefusalPlace = 'till'): (error: PosErrorBody | null) => string {
  const { i18n: instance } = useTranslation();
  return (error) => errorText(instance, error, place);
}
