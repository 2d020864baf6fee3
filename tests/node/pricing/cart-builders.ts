/** Demo-shop products and small builders, so each test reads like the counter. */
import type { Promotion } from '../../../src/main/pricing/promotion-schema';
import type { CartLineInput, CartPricingInput } from '../../../src/main/pricing/types';

export interface TestProduct {
  productId: number;
  sku: string;
  categoryCode: string | null;
  unitPrice: number;
}

// SKUs, categories and prices as in assets/demo/store.json.
export const MILK_TEA: TestProduct = { productId: 1, sku: 'DRI-0001', categoryCode: 'DRINK', unitPrice: 1800 };
export const ICED_LEMON_TEA: TestProduct = { productId: 2, sku: 'DRI-0002', categoryCode: 'DRINK', unitPrice: 1600 };
export const YUENYEUNG: TestProduct = { productId: 3, sku: 'DRI-0003', categoryCode: 'DRINK', unitPrice: 1800 };
export const PINEAPPLE_BUN: TestProduct = { productId: 12, sku: 'BAK-0012', categoryCode: 'BAKERY', unitPrice: 850 };
export const EGG_TART: TestProduct = { productId: 13, sku: 'BAK-0013', categoryCode: 'BAKERY', unitPrice: 700 };
export const COCONUT_TART: TestProduct = { productId: 17, sku: 'BAK-0017', categoryCode: 'BAKERY', unitPrice: 750 };

/** 2026-11-27 10:00 Hong Kong time. */
export const NOW = Date.UTC(2026, 10, 27, 2, 0);

export function line(lineId: number, product: TestProduct, quantity = 1, extra: Partial<CartLineInput> = {}): CartLineInput {
  return {
    lineId,
    productId: product.productId,
    sku: product.sku,
    categoryCode: product.categoryCode,
    quantity,
    unitPrice: product.unitPrice,
    taxClass: 'none',
    ...extra,
  };
}

export function cart(lines: CartLineInput[], promotions: readonly Promotion[], extra: Partial<CartPricingInput> = {}): CartPricingInput {
  return { lines, promotions, taxClasses: { none: { rateBasisPoints: 0, inclusive: true } }, now: NOW, ...extra };
}

let nextId = 100;

/** A promotion with the boring fields filled in: always valid, active, priority 0. */
export function promotion<P extends Pick<Promotion, 'kind' | 'params'>>(
  definition: P & Partial<Omit<Promotion, 'kind' | 'params'>>,
): Promotion {
  const id = definition.id ?? nextId++;
  return {
    code: `P${id}`,
    nameZh: `優惠 ${id}`,
    nameEn: `Promotion ${id}`,
    priority: 0,
    startsAt: null,
    endsAt: null,
    active: true,
    ...definition,
    id,
  } as Promotion;
}
