/**
 * What the cashier types into a quantity, discount or amount field, read exactly: strings of digits
 * become integers (cents, thousandths, basis points) without passing through a float, so "0.1" + "0.2"
 * troubles never reach a till. Every parser answers null for anything it does not accept.
 */
import type { Discount } from '../../shared/checkout-schemas';
import { FULL_BASIS_POINTS, parseCents, parseDecimal, type Cents } from '../../shared/money';

export const MAX_QUANTITY = 10_000;

/** Units, or kg to the gram for weighed items: more than 0, at most 3 decimals, at most 10,000. */
export function parseQuantity(text: string, options: { decimals: boolean }): number | null {
  const thousandths = parseDecimal(text, options.decimals ? 3 : 0);
  if (thousandths === null) return null;
  const quantity = options.decimals ? thousandths / 1000 : thousandths;
  return quantity > 0 && quantity <= MAX_QUANTITY ? quantity : null;
}

/** `12.5` (%) → 1250 basis points; 0 < x ≤ 100. */
export function parsePercent(text: string): number | null {
  const basisPoints = parseDecimal(text.replace(/%\s*$/, ''), 2);
  return basisPoints !== null && basisPoints > 0 && basisPoints <= FULL_BASIS_POINTS ? basisPoints : null;
}

export type DiscountKind = Discount['kind'];

/** The discount the cashier typed, or null when it is not one. An amount is capped by main at what the line has left. */
export function parseDiscount(kind: DiscountKind, text: string): Discount | null {
  if (kind === 'percent') {
    const basisPoints = parsePercent(text);
    return basisPoints === null ? null : { kind: 'percent', basisPoints };
  }
  const cents = parseCents(text);
  return cents === null || cents <= 0 ? null : { kind: 'amount', cents };
}

/** Cents as the cashier would type them back: 5650 → "56.50", 5600 → "56". For pre-filled fields. */
export function centsToInput(cents: Cents): string {
  const abs = Math.abs(cents);
  const whole = Math.floor(abs / 100);
  const fraction = abs % 100;
  return `${cents < 0 ? '-' : ''}${whole}${fraction === 0 ? '' : `.${String(fraction).padStart(2, '0')}`}`;
}

/** 1.5 → "1.5", 0.455 → "0.455", 2 → "2": quantities are shown as typed, never with trailing zeros. */
export function formatQuantity(quantity: number): string {
  return String(Math.round(quantity * 1000) / 1000);
}

/** A discount as a short label: "10%", "HK$5.00" is left to the money formatter. */
export function formatBasisPoints(basisPoints: number): string {
  return `${Math.round(basisPoints) / 100}%`;
}

/**
 * Applies a key from the on-screen numeric pad to the text in a field: digits, one decimal point
 * when `decimals` > 0, backspace and clear. The pad and the keyboard edit the same text.
 */
export function applyPadKey(text: string, key: string, decimals: number): string {
  if (key === 'clear') return '';
  if (key === 'backspace') return text.slice(0, -1);
  if (key === '.') return decimals === 0 || text.includes('.') ? text : text === '' ? '0.' : `${text}.`;
  if (!/^\d$/.test(key)) return text;
  const point = text.indexOf('.');
  if (point >= 0 && text.length - point - 1 >= decimals) return text;
  if (text === '0') return key;
  return text.length >= 12 ? text : text + key;
}
