import { describe, expect, it } from 'vitest';
import {
  applyPadKey,
  centsToInput,
  formatBasisPoints,
  formatQuantity,
  parseDiscount,
  parsePercent,
  parseQuantity,
} from '../../../src/renderer/checkout/number-input';
import { parseCents } from '../../../src/shared/money';

describe('what the cashier types', () => {
  it('reads money exactly, to the cent', () => {
    expect(parseCents('56.5')).toBe(5650);
    expect(parseCents('56.54')).toBe(5654);
    expect(parseCents('0.1')).toBe(10);
    expect(parseCents('.5')).toBe(50);
    expect(parseCents('100')).toBe(10000);
    expect(parseCents('HK$1,234.50')).toBe(123450);
    expect(parseCents(' 20 ')).toBe(2000);
  });

  it('refuses what is not an amount', () => {
    for (const text of ['', '.', '1.234', '-5', '1e3', 'abc', '5.5.5', '１００']) expect(parseCents(text), text).toBeNull();
  });

  it('reads quantities: whole units, or kg to the gram for weighed items', () => {
    expect(parseQuantity('3', { decimals: false })).toBe(3);
    expect(parseQuantity('1.5', { decimals: false })).toBeNull();
    expect(parseQuantity('0.455', { decimals: true })).toBe(0.455);
    expect(parseQuantity('1.0005', { decimals: true })).toBeNull();
    expect(parseQuantity('0', { decimals: false })).toBeNull();
    expect(parseQuantity('10000', { decimals: false })).toBe(10_000);
    expect(parseQuantity('10001', { decimals: false })).toBeNull();
    expect(parseQuantity('1000000000000', { decimals: false })).toBeNull();
  });

  it('reads percentages as basis points, more than 0 and at most 100', () => {
    expect(parsePercent('10')).toBe(1000);
    expect(parsePercent('12.5')).toBe(1250);
    expect(parsePercent('12.5%')).toBe(1250);
    expect(parsePercent('100')).toBe(10_000);
    expect(parsePercent('100.01')).toBeNull();
    expect(parsePercent('0')).toBeNull();
  });

  it('builds the discount main expects', () => {
    expect(parseDiscount('percent', '20')).toEqual({ kind: 'percent', basisPoints: 2000 });
    expect(parseDiscount('amount', '5')).toEqual({ kind: 'amount', cents: 500 });
    expect(parseDiscount('amount', '0')).toBeNull();
    expect(parseDiscount('percent', '150')).toBeNull();
  });

  it('shows amounts and quantities as they would be typed back', () => {
    expect(centsToInput(5650)).toBe('56.50');
    expect(centsToInput(5600)).toBe('56');
    expect(centsToInput(5)).toBe('0.05');
    expect(formatQuantity(2)).toBe('2');
    expect(formatQuantity(0.455)).toBe('0.455');
    expect(formatQuantity(-1)).toBe('-1');
    expect(formatBasisPoints(1250)).toBe('12.5%');
  });

  it('the number pad edits the same text: one point, limited decimals, backspace, clear', () => {
    const press = (keys: string[], decimals = 2) => keys.reduce((text, key) => applyPadKey(text, key, decimals), '');
    expect(press(['1', '2', '.', '5', '0', '9'])).toBe('12.50');
    expect(press(['.', '5'])).toBe('0.5');
    expect(press(['1', '.', '.', '2'])).toBe('1.2');
    expect(press(['0', '7'])).toBe('7');
    expect(press(['1', '.', '5'], 0)).toBe('15');
    expect(press(['1', '2', 'backspace'])).toBe('1');
    expect(press(['1', '2', 'clear'])).toBe('');
  });
});
