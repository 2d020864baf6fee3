/**
 * An audit row's details in people's words, in the UI language: `退款 HK$13.50 · 有收據`, not
 * `refund: -1350 · withoutReceipt: 0`. Each detail key main writes has a label
 * (auditAdmin.detailName) and a kind of value; a key added later without words still shows, as
 * `key: value`, so nothing recorded is hidden.
 */
import { useTranslation } from 'react-i18next';
import { formatHKD } from '../../../shared/money';
import { useLocale } from '../../hooks/use-locale';
import { useStoreTime } from '../../hooks/use-store-time';
import { useAdminText } from '../staff/admin-text';

type ValueKind = 'money' | 'refund' | 'quantity' | 'percent' | 'time' | 'duration' | 'flag' | 'word' | 'permissions' | 'receipt' | 'plain';

const valueKinds: Record<string, ValueKind> = {
  amount: 'money',
  price: 'money',
  float: 'money',
  expected: 'money',
  counted: 'money',
  overShort: 'money',
  net: 'money',
  total: 'money',
  from: 'money',
  to: 'money',
  unitPrice: 'money',
  refund: 'refund',
  quantityMilli: 'quantity',
  basisPoints: 'percent',
  limit: 'percent',
  discountLimitBasisPoints: 'percent',
  discountLimitBefore: 'percent',
  until: 'time',
  workedMs: 'duration',
  active: 'flag',
  pinSet: 'flag',
  deactivated: 'flag',
  action: 'word',
  moved: 'word',
  kind: 'word',
  added: 'permissions',
  removed: 'permissions',
  permissions: 'permissions',
  withoutReceipt: 'receipt',
};

export function useAuditDetail(): (detail: Record<string, unknown>) => string {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const storeTime = useStoreTime();
  const text = useAdminText();
  const label = (key: string) => t(`auditAdmin.detailName.${key}` as never, { defaultValue: key });
  const word = (value: string) => t(`auditAdmin.detailWord.${value}` as never, { defaultValue: value });
  const plain = (value: unknown): string =>
    value === null || value === undefined
      ? word('none')
      : Array.isArray(value)
        ? value.map(plain).join(' / ')
        : typeof value === 'object'
          ? JSON.stringify(value)
          : String(value);

  const describe = (key: string, value: unknown): string => {
    const kind = valueKinds[key] ?? 'plain';
    if (kind === 'receipt')
      return typeof value === 'number' && value > 0 ? t('auditAdmin.detailWord.withoutReceipt', { count: value }) : word('withReceipt');
    if (value === null || value === undefined) return `${label(key)} ${word('none')}`;
    switch (kind) {
      case 'money':
        return typeof value === 'number' ? `${label(key)} ${formatHKD(value, locale)}` : `${label(key)} ${plain(value)}`;
      case 'refund':
        return typeof value === 'number' ? `${label(key)} ${formatHKD(Math.abs(value), locale)}` : `${label(key)} ${plain(value)}`;
      case 'quantity':
        return typeof value === 'number' ? `${label(key)} ${value / 1000}` : `${label(key)} ${plain(value)}`;
      case 'percent':
        return typeof value === 'number' ? `${label(key)} ${value / 100}%` : `${label(key)} ${plain(value)}`;
      case 'time':
        return typeof value === 'number' ? `${label(key)} ${storeTime.dateTime(value)}` : `${label(key)} ${plain(value)}`;
      case 'duration': {
        if (typeof value !== 'number') return `${label(key)} ${plain(value)}`;
        const minutes = Math.round(value / 60_000);
        return `${label(key)} ${t('auditAdmin.detailWord.hoursMinutes', { hours: Math.floor(minutes / 60), minutes: minutes % 60 })}`;
      }
      case 'flag':
        return `${label(key)} ${word(value ? 'yes' : 'no')}`;
      case 'word':
        return `${label(key)} ${word(String(value))}`;
      case 'permissions':
        return `${label(key)} ${Array.isArray(value) ? (value.length === 0 ? word('none') : value.map((p) => text.permission(String(p))).join('、')) : plain(value)}`;
      case 'plain':
        return `${label(key)} ${plain(value)}`;
    }
  };

  return (detail) =>
    Object.entries(detail)
      .map(([key, value]) => describe(key, value))
      .join(' · ');
}
