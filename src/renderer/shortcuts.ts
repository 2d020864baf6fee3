/**
 * Every keyboard shortcut, in one table: the action bar prints `label` on its button and the key
 * handler resolves presses from the same rows, so a button and its key cannot drift apart.
 *
 * Keys are chosen around the checkout layout in UX.md, which will claim F2–F6, F8, F9 and F12:
 * F7 logs out, F10 switches language, Esc clears what is being typed. PIN digits, Backspace and
 * Enter on the login pad are handled by `pinKeyAction` in keys.ts.
 */
import type { KeyPress } from './keys';

export type Screen = 'connection' | 'login' | 'price-check';

export type ShortcutId = 'retry-connection' | 'clear-pin' | 'clear-scan' | 'logout' | 'toggle-language';

export interface Shortcut {
  id: ShortcutId;
  /** `KeyboardEvent.key` */
  key: string;
  /** What the button shows. */
  label: string;
  screens: readonly Screen[];
}

export const shortcuts: readonly Shortcut[] = [
  { id: 'retry-connection', key: 'Enter', label: 'Enter', screens: ['connection'] },
  { id: 'clear-pin', key: 'Escape', label: 'Esc', screens: ['login'] },
  { id: 'clear-scan', key: 'Escape', label: 'Esc', screens: ['price-check'] },
  { id: 'logout', key: 'F7', label: 'F7', screens: ['price-check'] },
  { id: 'toggle-language', key: 'F10', label: 'F10', screens: ['login', 'price-check'] },
];

export function resolveShortcut(screen: Screen, press: KeyPress): ShortcutId | null {
  if (press.ctrlKey || press.altKey || press.metaKey || press.repeat) return null;
  return shortcuts.find((s) => s.key === press.key && s.screens.includes(screen))?.id ?? null;
}

export function shortcutLabel(id: ShortcutId): string {
  const shortcut = shortcuts.find((s) => s.id === id);
  if (!shortcut) throw new Error(`No shortcut row for ${id}`);
  return shortcut.label;
}
