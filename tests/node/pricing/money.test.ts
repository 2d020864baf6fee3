import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allocate,
  cashRounding,
  formatHKD,
  inclusiveTaxOf,
  lineAmount,
  MAX_TYPED_CENTS,
  parseCents,
  percentOf,
  quantityInThousandths,
  roundCents,
  thousandthsOf,
  type CashRoundingMode,
  type CashRoundingStep,
} from '../../../src/shared/money';
import { Quantity } from '../../../src/shared/checkout-schemas';

const cents = fc.integer({ min: -1e12, max: 1e12 });
const steps = fc.constantFrom<CashRoundingStep>(0, 10, 50, 100);
const modes = fc.constantFrom<CashRoundingMode>('nearest', 'down', 'up');

describe('the one rounding rule: half away from zero', () => {
  it('rounds halves away from zero, symmetrically for refunds', () => {
    expect([0.5, 1.5, 2.5, -0.5, -2.5, 2.4999, -0.4].map(roundCents)).toEqual([1, 2, 3, -1, -3, 2, 0]);
    fc.assert(
      fc.property(fc.double({ min: -1e12, max: 1e12, noNaN: true }), (x) => {
        expect(Math.abs(roundCents(x) - x)).toBeLessThanOrEqual(0.5);
        expect(roundCents(-x)).toBe(-roundCents(x) + 0);
      }),
    );
  });

  it('refuses to round what is not a number', () => {
    expect(() => roundCents(Number.NaN)).toThrow(RangeError);
    expect(() => roundCents(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });

  it('prices a line once: whole units exactly, weighed items rounded to the cent', () => {
    expect(lineAmount(850, 3)).toBe(2550);
    expect(lineAmount(8550, 0.455)).toBe(3890); // 38.9025 → HK$38.90
    expect(lineAmount(1000, 1.005)).toBe(1005); // 1.005 is not exact in binary; thousandths are
    expect(lineAmount(3, 0.5)).toBe(2); // 1.5 cents → 2
    expect(lineAmount(100_000_000, 10_000)).toBe(1e12);
    expect(() => lineAmount(100, 0.0001)).toThrow(/3 decimals/);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e8 }),
        fc.integer({ min: 1, max: 10_000 }),
        (price, qty) => lineAmount(price, qty) === price * qty,
      ),
    );
  });

  it('takes a percentage exactly in basis points, even where a double would not be exact', () => {
    expect(percentOf(850, 1000)).toBe(85);
    expect(percentOf(855, 1000)).toBe(86); // 85.5 → 86
    expect(percentOf(-855, 1000)).toBe(-86);
    // Math.round(a * bp / 10000) says 999,899,995,002: the double product lost the last digits.
    expect(percentOf(999_999_995_001, 9_999)).toBe(999_899_995_001);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), fc.integer({ min: 0, max: 10_000 }), (amount, bp) => {
        const part = percentOf(amount, bp);
        expect(part).toBeGreaterThanOrEqual(0);
        expect(part).toBeLessThanOrEqual(amount);
        expect(Math.abs(part - (amount * bp) / 10_000)).toBeLessThanOrEqual(0.5 + 1e-3);
      }),
    );
    expect(percentOf(12_345, 10_000)).toBe(12_345);
  });

  it('extracts inclusive tax: HK$110.00 at 10 % holds HK$10.00', () => {
    expect(inclusiveTaxOf(11_000, 1000)).toBe(1000);
    expect(inclusiveTaxOf(1_000, 500)).toBe(48); // 47.619 → 48
    expect(inclusiveTaxOf(1_000, 0)).toBe(0);
  });

  it('leaves formatHKD as it was', () => {
    expect(formatHKD(123_450, 'en')).toBe('HK$1,234.50');
    expect(formatHKD(-900, 'en')).toBe('-HK$9.00');
  });
});

describe('allocate: largest remainder', () => {
  it('spreads HK$5.00 over HK$18.00 and HK$7.00 as HK$3.60 and HK$1.40', () => {
    expect(allocate(500, [1800, 700])).toEqual([360, 140]);
  });

  it('gives the odd cent to the largest remainder, then to the earlier weight', () => {
    expect(allocate(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocate(10, [3, 3, 4])).toEqual([3, 3, 4]);
    expect(allocate(2, [1, 2, 3])).toEqual([0, 1, 1]); // exact 1/3, 2/3, 1: floors 0, 0, 1; the odd cent to the 2/3
    expect(allocate(-100, [1, 1, 1])).toEqual([-34, -33, -33]);
    expect(allocate(7, [0, 0])).toEqual([4, 3]); // all-zero weights split evenly
    expect(allocate(0, [])).toEqual([]);
    expect(() => allocate(1, [])).toThrow(RangeError);
    expect(() => allocate(1, [-1, 2])).toThrow(RangeError);
  });

  it('sums exactly, never goes negative, and stays within a cent of the exact share', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e12 }),
        fc.array(fc.integer({ min: 0, max: 1e12 }), { minLength: 1, maxLength: 30 }),
        (total, weights) => {
          const shares = allocate(total, weights);
          expect(shares).toHaveLength(weights.length);
          expect(shares.reduce((a, b) => a + b, 0)).toBe(total);
          const weightSum = weights.reduce((a, b) => a + b, 0);
          shares.forEach((share, i) => {
            expect(share).toBeGreaterThanOrEqual(0);
            expect(Number.isInteger(share)).toBe(true);
            if (weightSum > 0) expect(Math.abs(share - (total * (weights[i] as number)) / weightSum)).toBeLessThan(1 + 1e-3);
          });
          expect(allocate(-total, weights)).toEqual(shares.map((s) => -s + 0));
        },
      ),
    );
  });
});

describe('cash rounding', () => {
  it('rounds to HK$0.10 by default, a half step away from zero', () => {
    expect(cashRounding(5654, 10)).toEqual({ amount: 5650, adjustment: -4 });
    expect(cashRounding(5655, 10)).toEqual({ amount: 5660, adjustment: 5 });
    expect(cashRounding(5656, 10)).toEqual({ amount: 5660, adjustment: 4 });
    expect(cashRounding(-5655, 10)).toEqual({ amount: -5660, adjustment: -5 });
  });

  it('supports none, HK$0.50, HK$1 and the down and up modes', () => {
    expect(cashRounding(5654, 0)).toEqual({ amount: 5654, adjustment: 0 });
    expect(cashRounding(5625, 50)).toEqual({ amount: 5650, adjustment: 25 });
    expect(cashRounding(5650, 100)).toEqual({ amount: 5700, adjustment: 50 });
    expect(cashRounding(5649, 100)).toEqual({ amount: 5600, adjustment: -49 });
    expect(cashRounding(5659, 10, 'down')).toEqual({ amount: 5650, adjustment: -9 });
    expect(cashRounding(5651, 10, 'up')).toEqual({ amount: 5660, adjustment: 9 });
    expect(cashRounding(5650, 10, 'up')).toEqual({ amount: 5650, adjustment: 0 });
    expect(() => cashRounding(100, 20 as CashRoundingStep)).toThrow(RangeError);
  });

  it('lands on the step, within half a step, and records adjustment = rounded − amount', () => {
    fc.assert(
      fc.property(cents, steps, modes, (amount, step, mode) => {
        const { amount: rounded, adjustment } = cashRounding(amount, step, mode);
        expect(adjustment).toBe(rounded - amount);
        if (step === 0) {
          expect(adjustment).toBe(0);
          return;
        }
        expect(Math.abs(rounded) % step).toBe(0);
        if (mode === 'nearest') expect(Math.abs(adjustment)).toBeLessThanOrEqual(step / 2);
        else expect(Math.abs(adjustment)).toBeLessThan(step);
        if (mode === 'down') expect(Math.abs(rounded)).toBeLessThanOrEqual(Math.abs(amount));
        if (mode === 'up') expect(Math.abs(rounded)).toBeGreaterThanOrEqual(Math.abs(amount));
        expect(cashRounding(-amount, step, mode)).toEqual({ amount: -rounded + 0, adjustment: -adjustment + 0 });
      }),
    );
  });
});

describe('allocate on amounts beyond a double', () => {
  it('gives the same shares through BigInt as exact arithmetic', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e12 }),
        fc.array(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), { minLength: 1, maxLength: 8 }),
        (total, weights) => {
          const shares = allocate(total, weights);
          const sumW = weights.reduce((a, w) => a + BigInt(w), 0n);
          if (sumW === 0n) return;
          const exact = weights.map((w) => (BigInt(total) * BigInt(w) * 2n + sumW) / (2n * sumW)); // nearest, for a bound
          expect(shares.reduce((a, b) => a + b, 0)).toBe(total);
          shares.forEach((s, i) => expect(Math.abs(s - Number(exact[i]))).toBeLessThanOrEqual(1));
        },
      ),
    );
    expect(allocate(3, [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, 1])).toEqual([2, 1, 0]);
  });
});

describe('products and ratios agree with exact integer arithmetic over the whole range', () => {
  /** round(a × b ÷ d) half away from zero, in BigInt: the reference. */
  const reference = (a: number, b: number, d: number) => {
    const p = BigInt(a) * BigInt(b);
    const m = p < 0n ? -p : p;
    const q = m / BigInt(d) + ((m % BigInt(d)) * 2n >= BigInt(d) ? 1n : 0n);
    return Number(p < 0n ? -q : q) + 0;
  };

  it('percentOf, lineAmount and inclusiveTaxOf', () => {
    fc.assert(
      fc.property(
        cents,
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 1e8 }),
        fc.integer({ min: 1, max: 10_000_000 }),
        (amount, bp, unitPrice, milli) => {
          expect(percentOf(amount, bp)).toBe(reference(amount, bp, 10_000));
          expect(inclusiveTaxOf(amount, bp)).toBe(reference(amount, bp, 10_000 + bp));
          expect(lineAmount(unitPrice, milli / 1000)).toBe(reference(unitPrice, milli, 1000));
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('typed amounts: one parseCents for the till and the back office', () => {
  it('reads what a label or a cashier writes, exactly, to the cent', () => {
    expect(parseCents('35.5')).toBe(3550);
    expect(parseCents('$8')).toBe(800);
    expect(parseCents('hk$ 1,000')).toBe(100000);
    expect(parseCents('5.')).toBe(500);
    expect(parseCents('0.29')).toBe(29); // 0.29 * 100 = 28.999999999999996 as a double
    expect(parseCents('0')).toBe(0);
    expect(parseCents('9,999,999.99')).toBe(MAX_TYPED_CENTS);
  });

  it('refuses signs, exponents, a third decimal, full-width digits, and a barcode in an amount field', () => {
    for (const text of ['-1', '+1', '1e2', '0.005', '１', '10,000,000', '4891234000012', 'HK$', '$.', ' '])
      expect(parseCents(text), text).toBeNull();
  });
});

describe('quantities: never rounded, refused beyond 3 decimals', () => {
  it('reads kg to the gram exactly, including decimals a double cannot hold', () => {
    expect(quantityInThousandths(1.005)).toBe(1005);
    expect(quantityInThousandths(0.455)).toBe(455);
    expect(thousandthsOf(10_000)).toBe(10_000_000);
  });

  it('refuses a fourth decimal instead of rounding it (0.4555 kg is not 0.456 kg), at the wire and in the core', () => {
    expect(thousandthsOf(0.4555)).toBeNull();
    expect(thousandthsOf(Number.NaN)).toBeNull();
    expect(() => quantityInThousandths(0.4555)).toThrow(RangeError);
    expect(Quantity.safeParse(0.4555).success).toBe(false);
    expect(Quantity.safeParse(1.005).success).toBe(true);
  });
});
