import { describe, expect, it } from 'vitest';
import { keepUnchanged, sameValue } from '../../../src/shared/same-value';

describe('structural equality of wire data', () => {
  it('equal plain data in fresh copies is the same', () => {
    const line = { id: 1, name: '港式奶茶', promotions: [{ id: 2, amount: 900 }], discount: null, giftCard: { last4: '4242' } };
    expect(sameValue(line, JSON.parse(JSON.stringify(line)))).toBe(true);
    expect(sameValue([], [])).toBe(true);
    expect(sameValue(Number.NaN, Number.NaN)).toBe(true);
  });

  it('any difference of value, key, length or kind is not', () => {
    const base = { a: 1, b: [1, 2], c: { d: null } };
    const differing: unknown[] = [
      { a: 2, b: [1, 2], c: { d: null } },
      { a: 1, b: [1, 2, 3], c: { d: null } },
      { a: 1, b: [1, 2], c: { d: 0 } },
      { a: 1, b: [1, 2], c: { d: null }, e: 1 },
      { a: 1, b: [1, 2] },
      { a: 1, b: { 0: 1, 1: 2 }, c: { d: null } },
      { a: 1, b: [1, 2], c: { e: null } },
      null,
      [base],
    ];
    for (const other of differing) {
      expect(sameValue(base, other)).toBe(false);
      expect(sameValue(other, base)).toBe(false);
    }
    // a key present with undefined is not the same as a key absent
    expect(sameValue({ a: 1, b: undefined }, { a: 1, c: undefined })).toBe(false);
  });

  it('keepUnchanged keeps the earlier objects of equal items, and the earlier array when nothing changed', () => {
    const before = [
      { id: 1, q: 1 },
      { id: 2, q: 1 },
    ];
    const same = keepUnchanged(before, JSON.parse(JSON.stringify(before)) as typeof before, (l) => l.id);
    expect(same).toBe(before);
    const next = keepUnchanged(
      before,
      [
        { id: 1, q: 1 },
        { id: 2, q: 2 },
      ],
      (l) => l.id,
    );
    expect(next[0]).toBe(before[0]);
    expect(next[1]).toEqual({ id: 2, q: 2 });
  });
});
