import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lineAmount } from '../../../src/shared/money';
import { priceCart } from '../../../src/main/pricing/price-cart';
import type { Promotion } from '../../../src/main/pricing/promotion-schema';
import type { CartLineInput, CartPricingInput, Discount, PricedCart } from '../../../src/main/pricing/types';
import { NOW } from './cart-builders';

const catalogue = [
  { productId: 1, sku: 'DRI-0001', categoryCode: 'DRINK' },
  { productId: 2, sku: 'DRI-0002', categoryCode: 'DRINK' },
  { productId: 12, sku: 'BAK-0012', categoryCode: 'BAKERY' },
  { productId: 13, sku: 'BAK-0013', categoryCode: 'BAKERY' },
  { productId: 30, sku: 'SNA-0001', categoryCode: 'SNACK' },
  { productId: 31, sku: 'MISC-01', categoryCode: null },
] as const;
const skus = catalogue.map((p) => p.sku);
const categories = ['DRINK', 'BAKERY', 'SNACK'];

const taxClasses = {
  none: { rateBasisPoints: 0, inclusive: true },
  vat: { rateBasisPoints: 1234, inclusive: true },
  gst: { rateBasisPoints: 875, inclusive: false },
  luxury: { rateBasisPoints: 10_000, inclusive: false },
};

/** true about one time in `n`. */
const rarely = (n: number) => fc.integer({ min: 1, max: n }).map((k) => k === 1);
/** `arbitrary` about one time in `n`, else undefined. */
const sometimes = <T>(arbitrary: fc.Arbitrary<T>, n: number) =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: n - 1 }, { arbitrary, weight: 1 });

const price = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 5_000 }), weight: 5 },
  { arbitrary: fc.integer({ min: 0, max: 100_000_000 }), weight: 1 },
);
const quantity = fc.oneof(
  { arbitrary: fc.integer({ min: 1, max: 8 }), weight: 6 },
  { arbitrary: fc.integer({ min: 1, max: 50_000 }).map((milli) => milli / 1000), weight: 2 },
  { arbitrary: fc.integer({ min: 1, max: 10_000 }), weight: 1 },
);

function discountUpTo(amount: number): fc.Arbitrary<Discount> {
  return fc.oneof(
    fc.integer({ min: 0, max: 10_000 }).map((basisPoints) => ({ kind: 'percent' as const, basisPoints })),
    fc.integer({ min: 0, max: amount }).map((cents) => ({ kind: 'amount' as const, cents })),
  );
}

const lineArbitrary = fc
  .record({
    product: fc.constantFrom(...catalogue),
    quantity,
    unitPrice: price,
    override: sometimes(price, 6),
    taxClass: fc.constantFrom(...Object.keys(taxClasses)),
    embeddedPrice: rarely(8),
    weighed: rarely(8),
  })
  .chain((l) => {
    const gross = lineAmount(l.override ?? l.unitPrice, l.quantity);
    return sometimes(discountUpTo(gross), 3).map((lineDiscount) => ({ ...l, lineDiscount }));
  });

function toLines(drafts: fc.Arbitrary<typeof lineArbitrary extends fc.Arbitrary<infer T> ? T[] : never>): fc.Arbitrary<CartLineInput[]> {
  return drafts.chain((ls) =>
    fc.uniqueArray(fc.integer({ min: 1, max: 1_000_000 }), { minLength: ls.length, maxLength: ls.length }).map((ids) =>
      ls.map((l, i) => ({
        lineId: ids[i] as number,
        productId: l.product.productId,
        sku: l.product.sku,
        categoryCode: l.product.categoryCode,
        quantity: l.quantity,
        unitPrice: l.unitPrice,
        ...(l.override === undefined ? {} : { priceOverride: { unitPrice: l.override } }),
        ...(l.lineDiscount === undefined ? {} : { lineDiscount: l.lineDiscount }),
        taxClass: l.taxClass,
        embeddedPrice: l.embeddedPrice,
        weighed: l.weighed,
      })),
    ),
  );
}

const target = fc
  .record({ skus: fc.subarray(skus, { minLength: 1 }), categoryCodes: fc.subarray(categories, { minLength: 1 }) }, { requiredKeys: [] })
  .filter((t) => (t.skus?.length ?? 0) + (t.categoryCodes?.length ?? 0) > 0);

const promotionArbitrary: fc.Arbitrary<Promotion> = fc
  .record({
    id: fc.integer({ min: 1, max: 50 }),
    priority: fc.integer({ min: -2, max: 2 }),
    active: rarely(8).map((inactive) => !inactive),
    startsAt: sometimes(fc.integer({ min: NOW - 1000, max: NOW + 1000 }), 5).map((at) => at ?? null),
    definition: fc.oneof(
      fc.record({ kind: fc.constant('percent' as const), params: fc.record({ target, basisPoints: fc.integer({ min: 1, max: 10_000 }) }) }),
      fc.record({
        kind: fc.constant('buy_x_get_y' as const),
        params: fc.record({
          target,
          buyQuantity: fc.integer({ min: 1, max: 4 }),
          getQuantity: fc.integer({ min: 1, max: 3 }),
          rewardBasisPoints: fc.integer({ min: 1, max: 10_000 }),
        }),
      }),
      fc.record({
        kind: fc.constant('bundle' as const),
        params: fc.record({ target, quantity: fc.integer({ min: 2, max: 5 }), price: fc.integer({ min: 0, max: 20_000 }) }),
      }),
      fc.record({
        kind: fc.constant('member_price' as const),
        params: fc.record({
          prices: fc.uniqueArray(fc.record({ sku: fc.constantFrom(...skus), unitPrice: price }), { selector: (p) => p.sku, minLength: 1 }),
        }),
      }),
    ),
  })
  .map(
    ({ id, priority, active, startsAt, definition }) =>
      ({
        id,
        code: `P${id}`,
        nameZh: `優惠${id}`,
        nameEn: `Promo ${id}`,
        priority,
        active,
        startsAt,
        endsAt: null,
        ...definition,
      }) as Promotion,
  );

const cartArbitrary: fc.Arbitrary<CartPricingInput> = fc.record({
  lines: toLines(fc.array(lineArbitrary, { maxLength: 12 })),
  promotions: fc.uniqueArray(promotionArbitrary, { selector: (p) => p.id, maxLength: 6 }),
  cartDiscount: sometimes(discountUpTo(50_000), 3).map((d) => d ?? null),
  member: fc.option(fc.record({ id: fc.integer({ min: 1, max: 9 }) }), { nil: null }),
  taxClasses: fc.constant(taxClasses),
  now: fc.constant(NOW),
});

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

/** The same cart with its lines and promotions in another order. */
function shuffled(input: CartPricingInput, lineKeys: number[], promotionKeys: number[]): CartPricingInput {
  const reorder = <T>(items: readonly T[], keys: number[]) =>
    items
      .map((item, i) => ({ item, key: keys[i % keys.length] ?? 0, i }))
      .sort((a, b) => a.key - b.key || b.i - a.i)
      .map((e) => e.item);
  return { ...input, lines: reorder(input.lines, lineKeys), promotions: reorder(input.promotions, promotionKeys) };
}

const byLineId = (priced: PricedCart) => [...priced.lines].sort((a, b) => a.lineId - b.lineId);

describe('pricing properties', () => {
  it('total = Σ line totals = subtotal − promotions − discounts + exclusive tax, each line adding up too', () => {
    fc.assert(
      fc.property(cartArbitrary, (input) => {
        const priced = priceCart(input);
        expect(priced.total).toBe(sum(priced.lines.map((l) => l.total)));
        expect(priced.total).toBe(priced.subtotal - priced.promotionTotal - priced.discountTotal + priced.exclusiveTaxTotal);
        expect(priced.subtotal).toBe(sum(priced.lines.map((l) => l.gross)));
        expect(priced.taxTotal).toBe(priced.inclusiveTaxTotal + priced.exclusiveTaxTotal);
        for (const l of priced.lines) {
          expect(l.net).toBe(l.gross - l.promotionAmount - l.lineDiscountAmount - l.cartDiscountAmount);
          expect(l.promotionAmount).toBe(sum(l.promotions.map((p) => p.amount)));
          expect(l.total).toBe(l.taxInclusive ? l.net : l.net + l.tax);
          if (l.taxInclusive) expect(l.tax).toBeLessThanOrEqual(l.net);
        }
        expect(priced.cartDiscountTotal).toBe(priced.cartDiscount?.amount ?? 0);
      }),
      { numRuns: 300 },
    );
  });

  it('never gives a negative line or total, whatever the discounts', () => {
    fc.assert(
      fc.property(cartArbitrary, (input) => {
        const priced = priceCart(input);
        expect(priced.total).toBeGreaterThanOrEqual(0);
        for (const l of priced.lines) {
          for (const value of [l.gross, l.promotionAmount, l.lineDiscountAmount, l.cartDiscountAmount, l.net, l.tax, l.total]) {
            expect(Number.isSafeInteger(value)).toBe(true);
            expect(value).toBeGreaterThanOrEqual(0);
          }
          for (const p of l.promotions) expect(p.amount).toBeGreaterThan(0);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same answer for the same cart in any line and promotion order', () => {
    fc.assert(
      fc.property(
        cartArbitrary,
        fc.array(fc.integer(), { minLength: 1 }),
        fc.array(fc.integer(), { minLength: 1 }),
        (input, lineKeys, promotionKeys) => {
          const a = priceCart(input);
          const b = priceCart(shuffled(input, lineKeys, promotionKeys));
          expect(byLineId(b)).toEqual(byLineId(a));
          expect({ ...b, lines: [] }).toEqual({ ...a, lines: [] });
          expect(b.lines.map((l) => l.lineId)).toEqual(shuffled(input, lineKeys, promotionKeys).lines.map((l) => l.lineId));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('promotions never increase a price: no line and no cart costs more with them than without', () => {
    fc.assert(
      fc.property(cartArbitrary, (input) => {
        const withoutCartDiscount = { ...input, cartDiscount: null };
        const promoted = priceCart(withoutCartDiscount);
        const plain = priceCart({ ...withoutCartDiscount, promotions: [] });
        expect(promoted.total).toBeLessThanOrEqual(plain.total);
        const plainById = new Map(plain.lines.map((l) => [l.lineId, l]));
        for (const l of promoted.lines) {
          expect(l.promotionAmount).toBeLessThanOrEqual(l.gross);
          expect(l.total).toBeLessThanOrEqual(plainById.get(l.lineId)?.total ?? Number.NaN);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('allocates the cart discount exactly, never more than what it applies to', () => {
    fc.assert(
      fc.property(cartArbitrary, (input) => {
        const priced = priceCart(input);
        const applied = priced.cartDiscount;
        if (!applied) return;
        expect(sum(priced.lines.map((l) => l.cartDiscountAmount))).toBe(applied.amount);
        expect(applied.amount).toBeLessThanOrEqual(applied.base);
        expect(applied.base).toBe(sum(priced.lines.map((l) => l.gross - l.promotionAmount - l.lineDiscountAmount)));
      }),
      { numRuns: 300 },
    );
  });
});
