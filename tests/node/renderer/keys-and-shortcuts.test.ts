import { describe, expect, it } from 'vitest';
import { isTypingKey, pinKeyAction, type KeyPress } from '../../../src/renderer/keys';
import { localName } from '../../../src/renderer/names';
import { isFunctionKey, paymentMethodKey, resolveShortcut, shortcutLabel, shortcuts } from '../../../src/renderer/shortcuts';

const press = (key: string, extra: Partial<KeyPress> = {}): KeyPress => ({
  key,
  ctrlKey: false,
  altKey: false,
  metaKey: false,
  repeat: false,
  ...extra,
});

describe('PIN pad keyboard', () => {
  it('digits from the top row or the keypad type the PIN', () => {
    for (const digit of '0123456789') expect(pinKeyAction(press(digit))).toEqual({ type: 'digit', digit });
  });

  it('Backspace deletes and Enter logs in', () => {
    expect(pinKeyAction(press('Backspace'))).toEqual({ type: 'delete' });
    expect(pinKeyAction(press('Delete'))).toEqual({ type: 'delete' });
    expect(pinKeyAction(press('Enter'))).toEqual({ type: 'submit' });
  });

  it('ignores letters, held keys and modified keys', () => {
    expect(pinKeyAction(press('a'))).toBeNull();
    expect(pinKeyAction(press('5', { repeat: true }))).toBeNull();
    expect(pinKeyAction(press('5', { ctrlKey: true }))).toBeNull();
    expect(pinKeyAction(press('F10'))).toBeNull();
  });
});

describe('scanner keys', () => {
  it('characters a scanner types count as typing, named keys do not', () => {
    expect(isTypingKey(press('4'))).toBe(true);
    expect(isTypingKey(press('A'))).toBe(true);
    expect(isTypingKey(press('-'))).toBe(true);
    expect(isTypingKey(press('Enter'))).toBe(false);
    expect(isTypingKey(press('F7'))).toBe(false);
    expect(isTypingKey(press(' '))).toBe(false);
    expect(isTypingKey(press('c', { ctrlKey: true }))).toBe(false);
  });
});

describe('shortcuts table', () => {
  it('no key means two things on one screen', () => {
    const seen = new Set<string>();
    for (const shortcut of shortcuts) {
      for (const screen of shortcut.screens) {
        const slot = `${screen}:${shortcut.shift ? 'Shift+' : ''}${shortcut.key}`;
        expect(seen.has(slot), slot).toBe(false);
        seen.add(slot);
      }
    }
  });

  it('resolves keys per screen', () => {
    expect(resolveShortcut('checkout', press('Escape'))).toBe('clear-scan');
    expect(resolveShortcut('login', press('Escape'))).toBe('clear-pin');
    expect(resolveShortcut('checkout', press('F7'))).toBe('logout');
    expect(resolveShortcut('login', press('F7'))).toBeNull();
    expect(resolveShortcut('login', press('F10'))).toBe('toggle-language');
    expect(resolveShortcut('connection', press('Enter'))).toBe('retry-connection');
    expect(resolveShortcut('checkout', press('F10', { altKey: true }))).toBeNull();
    expect(resolveShortcut('payment', press('Escape'))).toBe('payment-back');
    expect(resolveShortcut('payment', press('Enter'))).toBe('payment-enter');
  });

  it('the checkout keys are the ones UX.md draws', () => {
    const keyOf = (key: string, extra: Partial<KeyPress> = {}) => resolveShortcut('checkout', press(key, extra));
    expect(keyOf('F2')).toBe('quantity');
    expect(keyOf('F3')).toBe('discount');
    expect(keyOf('F3', { shiftKey: true })).toBe('cart-discount');
    expect(keyOf('F2', { shiftKey: true })).toBe('price');
    expect(keyOf('F4')).toBe('suspend');
    expect(keyOf('F5')).toBe('recall');
    expect(keyOf('F6')).toBe('return');
    expect(keyOf('F12')).toBe('pay');
    expect(keyOf('Delete')).toBe('remove-line');
    expect(keyOf('Delete', { shiftKey: true })).toBe('void');
    expect(keyOf('F1')).toBe('lookup');
  });

  it('F8 is 會員 and ⇧F8 takes the member off, on the checkout only; F9 is 開錢箱 (No Sale) and ⇧F9 禮品卡, on the checkout only', () => {
    expect(resolveShortcut('checkout', press('F8'))).toBe('member');
    expect(resolveShortcut('checkout', press('F8', { shiftKey: true }))).toBe('remove-member');
    expect(shortcuts.filter((s) => s.key === 'F8').every((s) => s.screens.join() === 'checkout')).toBe(true);
    expect(shortcuts.filter((s) => s.key === 'F9')).toEqual([
      { id: 'no-sale', key: 'F9', label: 'F9', screens: ['checkout'] },
      { id: 'gift-card', key: 'F9', shift: true, label: '⇧F9', screens: ['checkout'] },
    ]);
    expect(resolveShortcut('checkout', press('F9'))).toBe('no-sale');
    expect(resolveShortcut('checkout', press('F9', { shiftKey: true }))).toBe('gift-card');
    expect(resolveShortcut('payment', press('F9', { shiftKey: true }))).toBeNull();
  });

  it('on the payment screen F2… choose the tender buttons in order, never F9', () => {
    expect(paymentMethodKey(press('F2'))).toBe(0);
    expect(paymentMethodKey(press('F8'))).toBe(6);
    expect(paymentMethodKey(press('F9'))).toBeNull();
    expect(paymentMethodKey(press('F2', { shiftKey: true }))).toBeNull();
  });

  it('every function key is swallowed, so F5 never reloads the till', () => {
    for (let n = 1; n <= 12; n++) expect(isFunctionKey(`F${n}`)).toBe(true);
    expect(isFunctionKey('F13')).toBe(false);
    expect(isFunctionKey('Enter')).toBe(false);
  });

  it('buttons print the key from the table', () => {
    expect(shortcutLabel('logout')).toBe('F7');
    expect(shortcutLabel('clear-scan')).toBe('Esc');
    expect(shortcutLabel('cart-discount')).toBe('⇧F3');
  });
});

describe('bilingual names', () => {
  it('shows the name for the current language, falling back when one is blank', () => {
    expect(localName({ nameZh: '蛋撻', nameEn: 'Egg Tart' }, 'zh-HK')).toBe('蛋撻');
    expect(localName({ nameZh: '蛋撻', nameEn: 'Egg Tart' }, 'en')).toBe('Egg Tart');
    expect(localName({ nameZh: '蛋撻', nameEn: ' ' }, 'en')).toBe('蛋撻');
  });
});
