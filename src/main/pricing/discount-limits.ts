/**
 * Manual discounts as a share of what they are taken from, in basis points, for the cart service to
 * compare with the staff member's limit (checkout.discountLimitBasisPoints). Rounded up, so a
 * discount a hair over the limit never rounds down under it.
 */
import { FULL_BASIS_POINTS, lineAmount, type BasisPoints, type Cents } from '../../shared/money';
import type { CartLineInput, PricedCart } from './types';

function ceilShare(part: Cents, whole: Cents): BasisPoints {
  if (part <= 0) return 0;
  if (whole <= 0) return FULL_BASIS_POINTS;
  const numerator = BigInt(part) * BigInt(FULL_BASIS_POINTS);
  const denominator = BigInt(whole);
  return Number((numerator + denominator - 1n) / denominator);
}

/**
 * The line discount against the line's gross at the price it is charged, before promotions: the
 * check then does not change when another item joins the cart and a promotion kicks in.
 */
export function discountPercentOfGross(
  line: Pick<CartLineInput, 'quantity' | 'unitPrice' | 'priceOverride' | 'lineDiscount'>,
): BasisPoints {
  const discount = line.lineDiscount;
  if (!discount) return 0;
  if (discount.kind === 'percent') return discount.basisPoints;
  const gross = lineAmount(line.priceOverride ? line.priceOverride.unitPrice : line.unitPrice, line.quantity);
  return ceilShare(discount.cents, gross);
}

/** How far a price override is below the catalogue price (0 when it is at or above it). */
export function priceOverridePercent(line: Pick<CartLineInput, 'unitPrice' | 'priceOverride'>): BasisPoints {
  if (!line.priceOverride) return 0;
  return ceilShare(line.unitPrice - line.priceOverride.unitPrice, line.unitPrice);
}

/** The cart discount against what it applied to (lines after promotions and line discounts). */
export function cartDiscountPercent(cart: Pick<PricedCart, 'cartDiscount'>): BasisPoints {
  const applied = cart.cartDiscount;
  if (!applied) return 0;
  if (applied.discount.kind === 'percent') return applied.discount.basisPoints;
  return ceilShare(applied.discount.cents, applied.base);
}
