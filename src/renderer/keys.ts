/** What a physical key means on each screen. Pure, so the mapping is tested without a browser. */

export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  altKey: boolean;
  metaKey: boolean;
  /** Optional so hand-made presses in tests can leave it out. */
  shiftKey?: boolean;
  repeat: boolean;
}

export type PinKeyAction = { type: 'digit'; digit: string } | { type: 'delete' } | { type: 'submit' };

/**
 * Digits (top row or numeric keypad, which both report `key` '0'–'9'), Backspace and Enter drive
 * the PIN pad. A held key does not repeat: a PIN digit typed twice by a sticky key is a wrong PIN.
 */
export function pinKeyAction(press: KeyPress): PinKeyAction | null {
  if (press.ctrlKey || press.altKey || press.metaKey || press.repeat) return null;
  if (/^[0-9]$/.test(press.key)) return { type: 'digit', digit: press.key };
  if (press.key === 'Backspace' || press.key === 'Delete') return { type: 'delete' };
  if (press.key === 'Enter') return { type: 'submit' };
  return null;
}

/**
 * A key that types a character into a text field: when one arrives while focus is on no field,
 * the checkout moves focus to the scan field so the character lands there.
 */
export function isTypingKey(press: KeyPress): boolean {
  if (press.ctrlKey || press.altKey || press.metaKey) return false;
  // Named keys (Enter, F10, ArrowLeft) are longer than one code point; characters are not.
  return [...press.key].length === 1 && press.key !== ' ';
}
