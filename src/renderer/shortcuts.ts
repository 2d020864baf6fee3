/**
 * Every keyboard shortcut, in one table: the action bar prints `label` on its button and the key
 * handler resolves presses from the same rows, so a button and its key cannot drift apart.
 *
 * Checkout keys follow UX.md: F2 數量, F3 折扣, F4 掛單, F5 取單, F6 退貨, F8 會員 (⇧F8 takes the
 * member off the sale), F9 開錢箱 (⇧F9 禮品卡 gift cards), F12 收款. F7 logs out, F10 switches language, Esc
 * backs out of what is being typed. PIN digits, Backspace and Enter on a PIN pad are handled by
 * `pinKeyAction` in keys.ts; the payment screen's method keys by `paymentMethodKey`.
 */
import type { KeyPress } from './keys';

export type Screen = 'connection' | 'login' | 'checkout' | 'payment' | 'back-office';

export type ShortcutId =
  | 'retry-connection'
  | 'clear-pin'
  | 'clock-in'
  | 'clock-out'
  | 'clear-scan'
  | 'logout'
  | 'toggle-language'
  | 'lookup'
  | 'quantity'
  | 'price'
  | 'discount'
  | 'cart-discount'
  | 'suspend'
  | 'void'
  | 'no-sale'
  | 'member'
  | 'remove-member'
  | 'gift-card'
  | 'recall'
  | 'orders'
  | 'return'
  | 'remove-line'
  | 'line-up'
  | 'line-down'
  | 'pay'
  | 'back-office'
  | 'back-to-till'
  | 'back-office-retry'
  | 'payment-back'
  | 'payment-enter'
  | 'stock-quantity'
  | 'stock-post'
  | 'stock-back';

export interface Shortcut {
  id: ShortcutId;
  /** `KeyboardEvent.key` */
  key: string;
  shift?: boolean;
  /** What the button shows. */
  label: string;
  screens: readonly Screen[];
}

export const shortcuts: readonly Shortcut[] = [
  { id: 'retry-connection', key: 'Enter', label: 'Enter', screens: ['connection'] },
  { id: 'clear-pin', key: 'Escape', label: 'Esc', screens: ['login'] },
  { id: 'clock-in', key: 'F2', label: 'F2', screens: ['login'] },
  { id: 'clock-out', key: 'F3', label: 'F3', screens: ['login'] },
  { id: 'clear-scan', key: 'Escape', label: 'Esc', screens: ['checkout'] },
  { id: 'lookup', key: 'F1', label: 'F1', screens: ['checkout'] },
  { id: 'quantity', key: 'F2', label: 'F2', screens: ['checkout'] },
  { id: 'price', key: 'F2', shift: true, label: '⇧F2', screens: ['checkout'] },
  { id: 'discount', key: 'F3', label: 'F3', screens: ['checkout'] },
  { id: 'cart-discount', key: 'F3', shift: true, label: '⇧F3', screens: ['checkout'] },
  { id: 'suspend', key: 'F4', label: 'F4', screens: ['checkout'] },
  { id: 'recall', key: 'F5', label: 'F5', screens: ['checkout'] },
  { id: 'orders', key: 'F5', shift: true, label: '⇧F5', screens: ['checkout'] },
  { id: 'return', key: 'F6', label: 'F6', screens: ['checkout'] },
  { id: 'logout', key: 'F7', label: 'F7', screens: ['checkout', 'back-office'] },
  { id: 'toggle-language', key: 'F10', label: 'F10', screens: ['login', 'checkout', 'payment', 'back-office'] },
  { id: 'remove-line', key: 'Delete', label: 'Del', screens: ['checkout'] },
  { id: 'void', key: 'Delete', shift: true, label: '⇧Del', screens: ['checkout'] },
  { id: 'no-sale', key: 'F9', label: 'F9', screens: ['checkout'] },
  { id: 'member', key: 'F8', label: 'F8', screens: ['checkout'] },
  { id: 'remove-member', key: 'F8', shift: true, label: '⇧F8', screens: ['checkout'] },
  { id: 'gift-card', key: 'F9', shift: true, label: '⇧F9', screens: ['checkout'] },
  { id: 'line-up', key: 'ArrowUp', label: '↑', screens: ['checkout'] },
  { id: 'line-down', key: 'ArrowDown', label: '↓', screens: ['checkout'] },
  { id: 'pay', key: 'F12', label: 'F12', screens: ['checkout'] },
  { id: 'back-office', key: 'F11', label: 'F11', screens: ['checkout'] },
  { id: 'back-to-till', key: 'F11', label: 'F11', screens: ['back-office'] },
  { id: 'back-office-retry', key: 'F5', label: 'F5', screens: ['back-office'] },
  { id: 'payment-back', key: 'Escape', label: 'Esc', screens: ['payment'] },
  { id: 'payment-enter', key: 'Enter', label: 'Enter', screens: ['payment'] },
  // 存貨 (back office): in an open stock document
  { id: 'stock-quantity', key: 'F2', label: 'F2', screens: ['back-office'] },
  { id: 'stock-post', key: 'F12', label: 'F12', screens: ['back-office'] },
  { id: 'stock-back', key: 'Escape', label: 'Esc', screens: ['back-office'] },
];

export function resolveShortcut(screen: Screen, press: KeyPress): ShortcutId | null {
  if (press.ctrlKey || press.altKey || press.metaKey || press.repeat) return null;
  const shift = press.shiftKey === true;
  return shortcuts.find((s) => s.key === press.key && (s.shift ?? false) === shift && s.screens.includes(screen))?.id ?? null;
}

export function shortcutLabel(id: ShortcutId): string {
  const shortcut = shortcuts.find((s) => s.id === id);
  if (!shortcut) throw new Error(`No shortcut row for ${id}`);
  return shortcut.label;
}

/**
 * On the payment screen F2…F8 choose the tender buttons in order (F9 stays the drawer's). Answers
 * the index of the method, or null.
 */
export const PAYMENT_METHOD_KEYS = ['F2', 'F3', 'F4', 'F5', 'F6', 'F7', 'F8'] as const;

export function paymentMethodKey(press: KeyPress): number | null {
  if (press.ctrlKey || press.altKey || press.metaKey || press.repeat || press.shiftKey) return null;
  const index = (PAYMENT_METHOD_KEYS as readonly string[]).indexOf(press.key);
  return index < 0 ? null : index;
}

/** F1–F12 have browser meanings (F5 reloads, F12 opens tools): a till swallows them all. */
export function isFunctionKey(key: string): boolean {
  return /^F([1-9]|1[0-2])$/.test(key);
}
