/**
 * The rule for manual discounts: a discount's share of what it is taken from may not exceed the
 * limit (role's discountLimitBasisPoints) of whoever gave or approved it, as the cart is now, not as
 * it was when the discount was set. An amount discount's share grows when the cart shrinks under it
 * (fewer units, a lower price, a line removed under a cart discount), so the cart service settles
 * this after every such change and the sale service checks it once more when the sale is written.
 */
import { formatHKD, percentOf, type BasisPoints, type Cents } from '../../shared/money';
import type { PricedCart } from '../pricing/types';
import type { CartLineRow, CartRow } from './cart-repo';

/** A manual discount on the cart as priced: what it takes, of what, and who gave or approved it. */
export interface GivenDiscount {
  /** null: the cart discount. */
  lineId: number | null;
  sku: string | null;
  amount: Cents;
  base: Cents;
  /** null: not settled yet (set in this change, or by a register before this rule). */
  approvedBy: number | null;
}

/** The cart as the cart service prices it (its PricedCartState, which imports this module). */
export function givenDiscounts({ cart, lines, priced }: { cart: CartRow; lines: CartLineRow[]; priced: PricedCart }): GivenDiscount[] {
  const rows = new Map(lines.map((l) => [l.id, l]));
  const given = priced.lines.flatMap((p): GivenDiscount[] => {
    const row = rows.get(p.lineId);
    if (!row || row.discount_kind === null) return [];
    const base = p.gross - p.promotionAmount;
    return [{ lineId: p.lineId, sku: row.sku, amount: p.lineDiscountAmount, base, approvedBy: row.discount_approved_by }];
  });
  // priced.cartDiscount is null on an order's cart: the order's prices stand, no cart discount applies
  if (priced.cartDiscount)
    given.push({
      lineId: null,
      sku: null,
      amount: priced.cartDiscount.amount,
      base: priced.cartDiscount.base,
      approvedBy: cart.discount_approved_by,
    });
  return given;
}

/** True when someone with `limit` may give `discount` (the same comparison as when it is set). */
export function withinLimit(limit: BasisPoints, discount: GivenDiscount): boolean {
  return discount.amount <= percentOf(discount.base, limit);
}

/** A share in basis points, rounded up, so an approver's limit must cover the whole discount. */
export function shareOf(part: Cents, whole: Cents): BasisPoints {
  return whole <= 0 ? 10_000 : Math.min(10_000, Math.ceil((part * 10_000) / whole));
}

/** "The discount on DRI-0005 (HK$8.00 of HK$16.00)", for refusals. */
export function describeDiscount(discount: GivenDiscount): string {
  const what = discount.lineId === null ? 'The cart discount' : `The discount on ${discount.sku}`;
  return `${what} (${formatHKD(discount.amount, 'en')} of ${formatHKD(discount.base, 'en')})`;
}
