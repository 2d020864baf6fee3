/**
 * The rule of discount-approval.ts, on carts priced by the real engine: how a manual discount's
 * share is measured against an approver's limit (what it is taken from, rounded up), and the
 * refusal of an amount cart discount more than the cart. (Moved here from the tests of
 * src/main/pricing/discount-limits.ts, which measured differently and was used by nothing.) The
 * same rules through the real register core are in discount-limits.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { PosError } from '../../../src/shared/errors';
import { priceCart } from '../../../src/main/pricing/price-cart';
import type { CartLineInput, CartPricingInput, Promotion } from '../../../src/main/pricing/types';
import { givenDiscounts, refuseCartDiscountOverCart, shareOf, withinLimit } from '../../../src/main/checkout/discount-approval';
import { EGG_TART, ICED_LEMON_TEA, MILK_TEA, cart, line, promotion } from '../pricing/cart-builders';

/** The discounts of a cart as the cart service sees them (no approver yet), with each one's share. */
function shares(input: CartPricingInput) {
  const priced = priceCart(input);
  const lines = input.lines.map((l: CartLineInput) => ({
    id: l.lineId,
    sku: l.sku,
    discount_kind: l.lineDiscount?.kind ?? null,
    discount_approved_by: null,
  }));
  return givenDiscounts({ cart: { discount_approved_by: null }, lines, priced }).map((d) => ({
    ...d,
    basisPoints: shareOf(d.amount, d.base),
  }));
}

const lemonTeaMemberPrice: Promotion = promotion({
  kind: 'member_price',
  params: { prices: [{ sku: ICED_LEMON_TEA.sku, unitPrice: 1200 }] },
});

describe('a discount’s share of what it is taken from (basis points, rounded up)', () => {
  it('rounds up, so a limit must cover the whole discount; nothing taken is 0 %, something from nothing 100 %', () => {
    expect(shareOf(180, 1800)).toBe(1000);
    expect(shareOf(181, 1800)).toBe(1006); // 10.056 % → 10.06 %
    expect(shareOf(1800, 5400)).toBe(3334); // a third, rounded up
    expect(shareOf(0, 1800)).toBe(0);
    expect(shareOf(0, 0)).toBe(0);
    expect(shareOf(100, 0)).toBe(10_000);
    expect(shareOf(5000, 1800)).toBe(10_000);
  });

  it('measures a line discount, percent or amount, against the line as its promotions leave it', () => {
    expect(shares(cart([line(1, MILK_TEA, 2, { lineDiscount: { kind: 'percent', basisPoints: 1250 } })], []))).toEqual([
      { lineId: 1, sku: MILK_TEA.sku, amount: 450, base: 3600, approvedBy: null, basisPoints: 1250 },
    ]);
    expect(shares(cart([line(1, MILK_TEA, 1, { lineDiscount: { kind: 'amount', cents: 181 } })], []))[0]?.basisPoints).toBe(1006);
    // HK$2 off a lemon tea: 12.5 % of HK$16, but 16.67 % of the HK$12 a member pays for it
    const twoOff = [line(1, ICED_LEMON_TEA, 1, { lineDiscount: { kind: 'amount', cents: 200 } })];
    expect(shares(cart(twoOff, [lemonTeaMemberPrice]))[0]).toMatchObject({ amount: 200, base: 1600, basisPoints: 1250 });
    expect(shares(cart(twoOff, [lemonTeaMemberPrice], { member: { id: 7 } }))[0]).toMatchObject({
      amount: 200,
      base: 1200,
      basisPoints: 1667,
    });
  });

  it('a line without a manual discount gives none; a price override is the price charged, not a discount', () => {
    expect(shares(cart([line(1, MILK_TEA)], []))).toEqual([]);
    expect(shares(cart([line(1, MILK_TEA, 1, { priceOverride: { unitPrice: 1000 } })], []))).toEqual([]);
    // HK$1 off a line charged HK$10 after an override: 10 % of what it is taken from
    expect(
      shares(cart([line(1, MILK_TEA, 1, { priceOverride: { unitPrice: 1000 }, lineDiscount: { kind: 'amount', cents: 100 } })], []))[0],
    ).toMatchObject({ base: 1000, basisPoints: 1000 });
  });

  it('measures the cart discount against the lines after their promotions and discounts', () => {
    const amount = shares(cart([line(1, MILK_TEA), line(2, EGG_TART)], [], { cartDiscount: { kind: 'amount', cents: 500 } }));
    expect(amount).toEqual([{ lineId: null, sku: null, amount: 500, base: 2500, approvedBy: null, basisPoints: 2000 }]);
    const percent = shares(cart([line(1, MILK_TEA)], [], { cartDiscount: { kind: 'percent', basisPoints: 750 } }));
    expect(percent).toMatchObject([{ amount: 135, base: 1800, basisPoints: 750 }]);
    const afterLine = shares(
      cart([line(1, MILK_TEA, 1, { lineDiscount: { kind: 'amount', cents: 300 } })], [], { cartDiscount: { kind: 'amount', cents: 300 } }),
    );
    expect(afterLine).toMatchObject([
      { lineId: 1, amount: 300, base: 1800 },
      { lineId: null, amount: 300, base: 1500, basisPoints: 2000 },
    ]);
  });

  it('a limit covers a discount when its amount is at most the limit’s share of the same base', () => {
    expect(withinLimit(1000, { amount: 180, base: 1800 })).toBe(true);
    expect(withinLimit(1000, { amount: 181, base: 1800 })).toBe(false);
    expect(withinLimit(0, { amount: 0, base: 0 })).toBe(true);
    expect(withinLimit(10_000, { amount: 1800, base: 1800 })).toBe(true);
  });
});

describe('an amount cart discount more than the cart', () => {
  const pricedDiscount = (cents: number) =>
    priceCart(cart([line(1, MILK_TEA), line(2, EGG_TART)], [], { cartDiscount: { kind: 'amount', cents } })).cartDiscount;

  it('is refused with both figures when it is set; up to the cart, or as a percent, it stands', () => {
    let refused: unknown;
    try {
      refuseCartDiscountOverCart(pricedDiscount(2600));
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(PosError);
    expect(refused).toMatchObject({ code: 'DISCOUNT_MORE_THAN_CART', values: { askedCents: 2600, cartCents: 2500 } });
    expect(() => refuseCartDiscountOverCart(pricedDiscount(2500))).not.toThrow();
    expect(() => refuseCartDiscountOverCart(null)).not.toThrow();
    const percent = priceCart(cart([line(1, MILK_TEA)], [], { cartDiscount: { kind: 'percent', basisPoints: 10_000 } }));
    expect(() => refuseCartDiscountOverCart(percent.cartDiscount)).not.toThrow();
  });
});
