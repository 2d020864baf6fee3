import { describe, expect, it } from 'vitest';
import { priceCart } from '../../../src/main/pricing/price-cart';
import type { TestProduct } from './cart-builders';
import { EGG_TART, ICED_LEMON_TEA, MILK_TEA, PINEAPPLE_BUN, YUENYEUNG, cart, line, promotion } from './cart-builders';

const drinks = { categoryCodes: ['DRINK'] };

describe('buy X get Y: the cheapest units of each group get the reward', () => {
  it('buy 2 get 1 free on 18, 18 and 16: the 16 is free', () => {
    const buy2get1 = promotion({
      id: 10,
      kind: 'buy_x_get_y',
      params: { target: drinks, buyQuantity: 2, getQuantity: 1, rewardBasisPoints: 10_000 },
    });
    const priced = priceCart(cart([line(1, ICED_LEMON_TEA), line(2, MILK_TEA), line(3, YUENYEUNG)], [buy2get1]));
    expect(priced.lines.map((l) => l.promotionAmount)).toEqual([1600, 0, 0]);
    expect(priced.total).toBe(3600);
  });

  it('ranks units high to low before grouping, so each reward goes to the dearest unit that can be the cheapest of its group', () => {
    const pricey = { productId: 50, sku: 'X-10', categoryCode: 'DRINK', unitPrice: 1000 };
    const cheap = { productId: 51, sku: 'X-5', categoryCode: 'DRINK', unitPrice: 500 };
    const buy2get1 = promotion({
      id: 11,
      kind: 'buy_x_get_y',
      params: { target: drinks, buyQuantity: 2, getQuantity: 1, rewardBasisPoints: 10_000 },
    });
    // Groups (10, 10, 10) and (5, 5, 5): one 10 and one 5 free. Mixing them would free two 5s.
    const priced = priceCart(cart([line(1, cheap, 3), line(2, pricey, 3)], [buy2get1]));
    expect(priced.lines.map((l) => l.promotionAmount)).toEqual([500, 1000]);
  });

  it('leaves a group alone when its units save more with their per-unit promotion', () => {
    // "2nd at 10 % off" saves 70 on two tarts; 9 折 saves 140 on the same two.
    const weakPair = promotion({
      id: 12,
      kind: 'buy_x_get_y',
      params: { target: { skus: [EGG_TART.sku] }, buyQuantity: 1, getQuantity: 1, rewardBasisPoints: 1000 },
    });
    const bakery = promotion({ id: 13, kind: 'percent', params: { target: { categoryCodes: ['BAKERY'] }, basisPoints: 1000 } });
    expect(priceCart(cart([line(1, EGG_TART, 2)], [weakPair, bakery])).lines[0]?.promotions).toMatchObject([{ id: 13, amount: 140 }]);
  });
});

describe('bundle', () => {
  it('takes the dearest qualifying units and splits the bundle price over them by price', () => {
    const anyTwoDrinks = promotion({ id: 20, kind: 'bundle', params: { target: drinks, quantity: 2, price: 3000 } });
    const priced = priceCart(cart([line(1, ICED_LEMON_TEA), line(2, MILK_TEA), line(3, YUENYEUNG)], [anyTwoDrinks]));
    // 18 + 18 → 30: the two HK$18 drinks, HK$3 off each; the HK$16 one pays full price.
    expect(priced.lines.map((l) => l.net)).toEqual([1600, 1500, 1500]);
    const mixed = priceCart(cart([line(1, ICED_LEMON_TEA), line(2, MILK_TEA)], [anyTwoDrinks]));
    // 18 + 16 = 34 → 30: HK$30 split 18:16 is 15.88 and 14.12.
    expect(mixed.lines.map((l) => l.net)).toEqual([1412, 1588]);
    expect(mixed.total).toBe(3000);
  });

  it('is never used when it costs more than the units it replaces', () => {
    const dearBundle = promotion({ kind: 'bundle', params: { target: { skus: [EGG_TART.sku] }, quantity: 3, price: 2500 } });
    expect(priceCart(cart([line(1, EGG_TART, 3)], [dearBundle])).total).toBe(2100);
  });
});

describe('equal savings: higher priority, then lower id', () => {
  const byCategory = (id: number, priority: number) =>
    promotion({ id, priority, kind: 'percent', params: { target: { categoryCodes: ['BAKERY'] }, basisPoints: 1000 } });

  it('between per-unit promotions', () => {
    const applied = (promotions: ReturnType<typeof byCategory>[]) =>
      priceCart(cart([line(1, PINEAPPLE_BUN)], promotions)).lines[0]?.promotions.map((p) => p.id);
    expect(applied([byCategory(31, 0), byCategory(30, 0)])).toEqual([30]);
    expect(applied([byCategory(30, 0), byCategory(31, 5)])).toEqual([31]);
    const bigger = promotion({
      id: 32,
      priority: -5,
      kind: 'percent',
      params: { target: { skus: [PINEAPPLE_BUN.sku] }, basisPoints: 1500 },
    });
    expect(applied([byCategory(30, 9), bigger])).toEqual([32]); // priority only breaks ties
  });

  it('between group promotions', () => {
    const pair = (id: number, priority: number) =>
      promotion({ id, priority, kind: 'bundle', params: { target: { skus: [EGG_TART.sku] }, quantity: 2, price: 1000 } });
    const applied = (promotions: ReturnType<typeof pair>[]) =>
      priceCart(cart([line(1, EGG_TART, 2)], promotions)).lines[0]?.promotions.map((p) => p.id);
    expect(applied([pair(41, 0), pair(40, 0)])).toEqual([40]);
    expect(applied([pair(40, 0), pair(41, 1)])).toEqual([41]);
  });
});

describe('the greedy choice, where it is not optimal (documented in select-promotions.ts)', () => {
  it('commits the single biggest group promotion first even when two smaller ones would save more together', () => {
    const products: TestProduct[] = ['A', 'B', 'C', 'D'].map((sku, i) => ({ productId: 60 + i, sku, categoryCode: null, unitPrice: 1000 }));
    const anyFour = promotion({ id: 70, kind: 'bundle', params: { target: { skus: ['A', 'B', 'C', 'D'] }, quantity: 4, price: 2000 } });
    const ab = promotion({ id: 71, kind: 'bundle', params: { target: { skus: ['A', 'B'] }, quantity: 2, price: 500 } });
    const cd = promotion({ id: 72, kind: 'bundle', params: { target: { skus: ['C', 'D'] }, quantity: 2, price: 500 } });
    const lines = products.map((p, i) => line(i + 1, p));
    expect(priceCart(cart(lines, [anyFour, ab, cd])).promotionTotal).toBe(2000); // the best would be 3000
    expect(priceCart(cart(lines, [ab, cd])).promotionTotal).toBe(3000);
  });

  it('plans the next group promotion on the units the first one left', () => {
    const anyTwoDrinks = promotion({ id: 80, kind: 'bundle', params: { target: drinks, quantity: 2, price: 2000 } });
    const milkTeaHalf = promotion({
      id: 81,
      kind: 'buy_x_get_y',
      params: { target: { skus: [MILK_TEA.sku] }, buyQuantity: 1, getQuantity: 1, rewardBasisPoints: 5000 },
    });
    // 2 milk teas + 2 lemon teas: the pair of milk teas saves 16 in the bundle vs 9 at half price,
    // so the bundle takes the two dearest (the milk teas), then the lemon teas make a second pair.
    const priced = priceCart(cart([line(1, MILK_TEA, 2), line(2, ICED_LEMON_TEA, 2)], [anyTwoDrinks, milkTeaHalf]));
    expect(priced.lines.map((l) => l.promotions.map((p) => [p.id, p.quantity, p.amount]))).toEqual([[[80, 2, 1600]], [[80, 2, 1200]]]);
    expect(priced.total).toBe(4000);
  });
});
