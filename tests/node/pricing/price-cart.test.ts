import { describe, expect, it } from 'vitest';
import { PosError } from '../../../src/shared/errors';
import { demoPromotions } from '../../../src/main/pricing/demo-promotions';
import { priceCart } from '../../../src/main/pricing/price-cart';
import { COCONUT_TART, EGG_TART, ICED_LEMON_TEA, MILK_TEA, NOW, PINEAPPLE_BUN, cart, line, promotion } from './cart-builders';

const [milkTeaSecondHalf, eggTartBundle, bakeryTenOff] = demoPromotions as [
  (typeof demoPromotions)[number],
  (typeof demoPromotions)[number],
  (typeof demoPromotions)[number],
];

describe('demo promotions at the counter', () => {
  it('2 × 港式奶茶 at HK$18 with 第二杯半價 cost HK$27', () => {
    const priced = priceCart(cart([line(1, MILK_TEA, 2)], demoPromotions));
    expect(priced.lines[0]).toMatchObject({ gross: 3600, promotionAmount: 900, net: 2700, total: 2700 });
    expect(priced.lines[0]?.promotions).toEqual([
      {
        id: 1,
        code: 'MILKTEA-2ND-HALF',
        nameZh: '港式奶茶 第二杯半價',
        nameEn: 'HK Milk Tea: 2nd at half price',
        kind: 'buy_x_get_y',
        quantity: 2,
        amount: 900,
      },
    ]);
    expect(priced).toMatchObject({ subtotal: 3600, promotionTotal: 900, discountTotal: 0, total: 2700 });
  });

  it('gives the half price to the second cup when the cups are on separate lines, and none to a third', () => {
    const separate = priceCart(cart([line(1, MILK_TEA), line(2, MILK_TEA)], [milkTeaSecondHalf]));
    expect(separate.lines.map((l) => l.net)).toEqual([1800, 900]);
    expect(separate.lines[0]?.promotions).toEqual([]); // it paid full price as the first cup of the deal
    expect(priceCart(cart([line(1, MILK_TEA, 3)], [milkTeaSecondHalf])).total).toBe(4500);
  });

  it('3 蛋撻 at HK$7 with the bundle cost HK$18, and a 4th tart is priced normally', () => {
    expect(priceCart(cart([line(1, EGG_TART, 3)], [eggTartBundle])).lines[0]).toMatchObject({
      gross: 2100,
      promotionAmount: 300,
      net: 1800,
    });
    const four = priceCart(cart([line(1, EGG_TART, 4)], [eggTartBundle]));
    expect(four.lines[0]).toMatchObject({ gross: 2800, promotionAmount: 300, net: 2500 });
    expect(four.lines[0]?.promotions).toMatchObject([{ id: 2, quantity: 3, amount: 300 }]);
  });

  it('with all demo promotions the bundle beats 9 折 for three tarts and the 4th tart gets 9 折', () => {
    const priced = priceCart(cart([line(1, EGG_TART, 4)], demoPromotions));
    // Bundle saves HK$3.00 on three tarts; 9 折 would save HK$2.10 on them: the bundle wins.
    expect(priced.lines[0]?.promotions).toMatchObject([
      { id: 2, quantity: 3, amount: 300 },
      { id: 3, quantity: 1, amount: 70 },
    ]);
    expect(priced.total).toBe(1800 + 630);
  });

  it('9 折 on bakery takes 菠蘿包 from HK$8.50 to HK$7.65, and a half cent rounds away from zero', () => {
    expect(priceCart(cart([line(1, PINEAPPLE_BUN)], [bakeryTenOff])).lines[0]).toMatchObject({ gross: 850, promotionAmount: 85, net: 765 });
    // 10 % of HK$8.55 is 85.5 cents: the customer gets 86 off, HK$7.69.
    const odd = { ...PINEAPPLE_BUN, unitPrice: 855 };
    expect(priceCart(cart([line(1, odd)], [bakeryTenOff])).lines[0]).toMatchObject({ promotionAmount: 86, net: 769 });
    // Per line, not per unit: 3 × 85.5 = 256.5 → 257 off (per unit would give 3 × 86 = 258).
    expect(priceCart(cart([line(1, odd, 3)], [bakeryTenOff])).lines[0]).toMatchObject({ gross: 2565, promotionAmount: 257, net: 2308 });
    // Drinks are not bakery.
    expect(priceCart(cart([line(1, MILK_TEA)], [bakeryTenOff])).lines[0]?.promotionAmount).toBe(0);
  });
});

describe('member price', () => {
  const lemonTeaMemberPrice = promotion({
    id: 40,
    kind: 'member_price',
    params: { prices: [{ sku: ICED_LEMON_TEA.sku, unitPrice: 1400 }] },
  });
  const goldOnly = promotion({
    id: 41,
    kind: 'member_price',
    params: { prices: [{ sku: ICED_LEMON_TEA.sku, unitPrice: 1200 }], tiers: ['gold'] },
  });

  it('applies only when a member is on the sale', () => {
    expect(priceCart(cart([line(1, ICED_LEMON_TEA, 2)], [lemonTeaMemberPrice])).total).toBe(3200);
    expect(priceCart(cart([line(1, ICED_LEMON_TEA, 2)], [lemonTeaMemberPrice], { member: null })).total).toBe(3200);
    const member = priceCart(cart([line(1, ICED_LEMON_TEA, 2)], [lemonTeaMemberPrice], { member: { id: 7 } }));
    expect(member.lines[0]).toMatchObject({ gross: 3200, promotionAmount: 400, net: 2800 });
    expect(member.lines[0]?.promotions).toMatchObject([{ id: 40, kind: 'member_price', quantity: 2, amount: 400 }]);
  });

  it('a tiered member price needs that tier', () => {
    const promotions = [lemonTeaMemberPrice, goldOnly];
    expect(priceCart(cart([line(1, ICED_LEMON_TEA)], promotions, { member: { id: 7, tier: 'silver' } })).total).toBe(1400);
    expect(priceCart(cart([line(1, ICED_LEMON_TEA)], promotions, { member: { id: 7, tier: 'gold' } })).total).toBe(1200);
    expect(priceCart(cart([line(1, ICED_LEMON_TEA)], promotions, { member: { id: 7 } })).total).toBe(1400);
  });

  it('a member price above the shelf price never raises it', () => {
    const higher = promotion({ kind: 'member_price', params: { prices: [{ sku: ICED_LEMON_TEA.sku, unitPrice: 2000 }] } });
    expect(priceCart(cart([line(1, ICED_LEMON_TEA)], [higher], { member: { id: 7 } })).lines[0]).toMatchObject({
      promotions: [],
      net: 1600,
    });
  });
});

describe('manual discounts and overrides', () => {
  it('allocates a HK$5 cart discount over lines of HK$18 and HK$7 as HK$3.60 and HK$1.40', () => {
    const priced = priceCart(cart([line(1, MILK_TEA), line(2, EGG_TART)], [], { cartDiscount: { kind: 'amount', cents: 500 } }));
    expect(priced.lines.map((l) => l.cartDiscountAmount)).toEqual([360, 140]);
    expect(priced.lines.map((l) => l.net)).toEqual([1440, 560]);
    expect(priced).toMatchObject({ subtotal: 2500, cartDiscountTotal: 500, discountTotal: 500, total: 2000 });
    expect(priced.cartDiscount).toEqual({ discount: { kind: 'amount', cents: 500 }, base: 2500, amount: 500, capped: false });
  });

  it('applies a line discount after the promotion, to what the promotion left', () => {
    const priced = priceCart(cart([line(1, MILK_TEA, 2, { lineDiscount: { kind: 'percent', basisPoints: 1000 } })], demoPromotions));
    expect(priced.lines[0]).toMatchObject({ gross: 3600, promotionAmount: 900, lineDiscountAmount: 270, discountAmount: 270, net: 2430 });
  });

  it('caps an amount discount at what the promotion left, and says so', () => {
    // Valid when entered (HK$20 of a HK$21 line), the bundle then leaves HK$18.
    const priced = priceCart(cart([line(1, EGG_TART, 3, { lineDiscount: { kind: 'amount', cents: 2000 } })], [eggTartBundle]));
    expect(priced.lines[0]).toMatchObject({ promotionAmount: 300, lineDiscountAmount: 1800, lineDiscountCapped: true, net: 0, total: 0 });
  });

  it('caps a cart amount discount at the cart, and says so', () => {
    const priced = priceCart(cart([line(1, MILK_TEA)], [], { cartDiscount: { kind: 'amount', cents: 5000 } }));
    expect(priced.cartDiscount).toMatchObject({ base: 1800, amount: 1800, capped: true });
    expect(priced.total).toBe(0);
  });

  it('gives a price-overridden line no promotion', () => {
    const priced = priceCart(cart([line(1, MILK_TEA, 2, { priceOverride: { unitPrice: 1500 } })], demoPromotions));
    expect(priced.lines[0]).toMatchObject({
      listPrice: 1800,
      unitPrice: 1500,
      priceOverridden: true,
      gross: 3000,
      promotions: [],
      net: 3000,
    });
  });

  it('refuses a line discount of 150 % with BAD_REQUEST', () => {
    const input = cart([line(1, MILK_TEA, 1, { lineDiscount: { kind: 'percent', basisPoints: 15_000 } })], []);
    expect(() => priceCart(input)).toThrow(PosError);
    expect(() => priceCart(input)).toThrow(/more than 100 %/);
    try {
      priceCart(input);
    } catch (error) {
      expect((error as PosError).code).toBe('BAD_REQUEST');
      expect((error as PosError).issues).toEqual([{ path: 'lines.0.lineDiscount', message: 'A discount cannot be more than 100 %' }]);
    }
  });
});

describe('which lines group promotions skip', () => {
  it('an embedded-price line (deli label) gets percent promotions but never counts as units', () => {
    const labelled = line(1, EGG_TART, 3, { embeddedPrice: true });
    expect(priceCart(cart([labelled], [eggTartBundle])).lines[0]?.promotions).toEqual([]);
    expect(priceCart(cart([labelled], [bakeryTenOff])).lines[0]?.promotionAmount).toBe(210);
  });

  it('a weighed line never counts as units, even at exactly 3.000 kg', () => {
    const weighed = line(1, EGG_TART, 3, { weighed: true });
    expect(priceCart(cart([weighed], [eggTartBundle])).lines[0]?.promotions).toEqual([]);
    expect(priceCart(cart([line(1, EGG_TART, 2.5)], demoPromotions)).lines[0]).toMatchObject({
      gross: 1750,
      promotions: [{ id: 3, quantity: 2.5, amount: 175 }],
    });
  });
});

describe('validity', () => {
  it('skips inactive promotions and those outside their window (ends are exclusive)', () => {
    const day = 86_400_000;
    const lines = [line(1, PINEAPPLE_BUN)];
    const at = (over: { active?: boolean; startsAt?: number | null; endsAt?: number | null }) =>
      priceCart(cart(lines, [{ ...bakeryTenOff, ...over }])).total;
    expect(at({ active: false })).toBe(850);
    expect(at({ startsAt: NOW + 1 })).toBe(850);
    expect(at({ startsAt: NOW })).toBe(765);
    expect(at({ endsAt: NOW })).toBe(850);
    expect(at({ startsAt: NOW - day, endsAt: NOW + 1 })).toBe(765);
  });
});

describe('tax', () => {
  const taxClasses = {
    none: { rateBasisPoints: 0, inclusive: true },
    vat: { rateBasisPoints: 1000, inclusive: true },
    gst: { rateBasisPoints: 1000, inclusive: false },
  };

  it('extracts inclusive tax for reporting without adding it, and adds exclusive tax', () => {
    const priced = priceCart(
      cart(
        [
          line(1, { ...MILK_TEA, unitPrice: 1100 }, 1, { taxClass: 'vat' }),
          line(2, { ...EGG_TART, unitPrice: 1000 }, 1, { taxClass: 'gst' }),
        ],
        [],
        { taxClasses },
      ),
    );
    expect(priced.lines.map((l) => [l.net, l.tax, l.total])).toEqual([
      [1100, 100, 1100],
      [1000, 100, 1100],
    ]);
    expect(priced).toMatchObject({ subtotal: 2100, inclusiveTaxTotal: 100, exclusiveTaxTotal: 100, taxTotal: 200, total: 2200 });
  });

  it('rounds tax per line: two HK$0.05 lines at 10 % exclusive carry 1 cent each', () => {
    const tiny = { ...COCONUT_TART, unitPrice: 5 };
    const priced = priceCart(cart([line(1, tiny, 1, { taxClass: 'gst' }), line(2, tiny, 1, { taxClass: 'gst' })], [], { taxClasses }));
    expect(priced.lines.map((l) => l.tax)).toEqual([1, 1]);
    expect(priced.total).toBe(12);
  });

  it('computes tax on what the customer pays, after promotions and the cart discount', () => {
    const priced = priceCart(
      cart([line(1, { ...MILK_TEA, unitPrice: 1000 }, 2, { taxClass: 'gst' })], [milkTeaSecondHalf], {
        taxClasses,
        cartDiscount: { kind: 'amount', cents: 500 },
      }),
    );
    expect(priced.lines[0]).toMatchObject({ gross: 2000, promotionAmount: 500, cartDiscountAmount: 500, net: 1000, tax: 100, total: 1100 });
  });

  it("treats 'none' as 0 % without a table entry and refuses an unknown class", () => {
    expect(priceCart(cart([line(1, MILK_TEA)], [], { taxClasses: {} })).taxTotal).toBe(0);
    expect(() => priceCart(cart([line(1, MILK_TEA, 1, { taxClass: 'constructor' })], []))).toThrow(/Unknown tax class "constructor"/);
  });
});
