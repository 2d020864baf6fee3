import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PosError } from '../../../src/shared/errors';
import { priceCart } from '../../../src/main/pricing/price-cart';
import { validateCartLine, validateCartPricingInput, validateQuantity, validateUnitPrice } from '../../../src/main/pricing/validate';
import type { CartLineInput } from '../../../src/main/pricing/types';
import { EGG_TART, MILK_TEA, cart, line } from './cart-builders';

function expectBadRequest(error: PosError | null, message: RegExp): void {
  expect(error).toBeInstanceOf(PosError);
  expect(error?.code).toBe('BAD_REQUEST');
  expect(error?.message).toMatch(message);
}

describe('validation: typed BAD_REQUEST errors with a clear message', () => {
  it('refuses quantities that are zero, negative, absurd, not a number or too precise', () => {
    expectBadRequest(validateQuantity(0), /more than 0/);
    expectBadRequest(validateQuantity(-1), /more than 0/);
    expectBadRequest(validateQuantity(1e12), /at most 10,000/);
    expectBadRequest(validateQuantity(10_000.001), /at most 10,000/);
    expectBadRequest(validateQuantity(Number.NaN), /finite number/);
    expectBadRequest(validateQuantity(Number.POSITIVE_INFINITY), /finite number/);
    expectBadRequest(validateQuantity(0.0005), /at most 3 decimals/);
    expectBadRequest(validateQuantity(1.2345), /at most 3 decimals/);
    for (const ok of [1, 0.001, 1.005, 0.455, 9999.999, 10_000]) expect(validateQuantity(ok)).toBeNull();
  });

  it('accepts every quantity of at most 3 decimals up to 10,000 and refuses finer ones', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 10_000_000 }), (milli) => validateQuantity(milli / 1000) === null));
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }).filter((n) => n % 10 !== 0),
        (tenThousandths) => validateQuantity(tenThousandths / 10_000) !== null,
      ),
    );
  });

  it('refuses unit prices that are negative, fractional or above HK$1,000,000', () => {
    expectBadRequest(validateUnitPrice(-1), /cannot be negative/);
    expectBadRequest(validateUnitPrice(12.5), /whole number of cents/);
    expectBadRequest(validateUnitPrice(100_000_001), /at most HK\$1,000,000\.00/);
    expect(validateUnitPrice(100_000_000)).toBeNull();
    expect(validateUnitPrice(0)).toBeNull();
  });

  it('refuses discounts above 100 %, negative or fractional ones', () => {
    const withDiscount = (extra: Partial<CartLineInput>) => validateCartLine(line(1, MILK_TEA, 1, extra));
    expectBadRequest(withDiscount({ lineDiscount: { kind: 'percent', basisPoints: 15_000 } }), /more than 100 %/);
    expectBadRequest(withDiscount({ lineDiscount: { kind: 'percent', basisPoints: -100 } }), /cannot be negative/);
    expectBadRequest(withDiscount({ lineDiscount: { kind: 'percent', basisPoints: 12.5 } }), /whole number of basis points/);
    expectBadRequest(withDiscount({ lineDiscount: { kind: 'amount', cents: -500 } }), /cannot be negative/);
    expectBadRequest(withDiscount({ lineDiscount: { kind: 'amount', cents: 12.5 } }), /whole number of cents/);
    expect(withDiscount({ lineDiscount: { kind: 'percent', basisPoints: 10_000 } })).toBeNull();
    expect(withDiscount({ lineDiscount: { kind: 'amount', cents: 1800 } })).toBeNull();
  });

  it('prices an amount line discount more than the line up to the line, said (the cart service refuses setting one)', () => {
    // two milk teas at an override of HK$10: HK$25 off the HK$20 line takes HK$20, capped
    const shrunk = line(1, MILK_TEA, 2, { priceOverride: { unitPrice: 1000 }, lineDiscount: { kind: 'amount', cents: 2500 } });
    expect(validateCartLine(shrunk)).toBeNull();
    expect(priceCart(cart([shrunk], [])).lines[0]).toMatchObject({
      gross: 2000,
      lineDiscountAmount: 2000,
      lineDiscountCapped: true,
      net: 0,
    });
  });

  it('reports every problem of a cart at once, by path', () => {
    const error = validateCartPricingInput(
      cart([line(1, MILK_TEA, 0), line(1, EGG_TART, 1, { unitPrice: -5, taxClass: 'vat' })], [], {
        cartDiscount: { kind: 'percent', basisPoints: 20_000 },
      }),
    );
    expect(error?.issues).toEqual([
      { path: 'lines.0.quantity', message: 'Quantity must be more than 0' },
      { path: 'lines.1.unitPrice', message: 'Unit price cannot be negative' },
      { path: 'lines.1.lineId', message: 'Line id 1 appears twice in the cart' },
      { path: 'lines.1.taxClass', message: 'Unknown tax class "vat"' },
      { path: 'cartDiscount', message: 'A discount cannot be more than 100 %' },
    ]);
    expect(error?.message).toBe('Quantity must be more than 0 (and 4 more)');
    expect(() => priceCart(cart([line(1, MILK_TEA, 1e12)], []))).toThrow(/at most 10,000/);
  });
});
