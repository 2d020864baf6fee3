/**
 * The rules for manual discounts (the one owner; the cart service applies them, the sale service
 * checks them once more when the sale is written):
 *
 * - A discount's share of what it is taken from may not exceed the limit (role's
 *   discountLimitBasisPoints) of whoever gave or approved it, as the cart is now, not as it was
 *   when the discount was set. A line discount is measured against what the line's promotions
 *   leave (what it is taken from), a cart discount against the lines after their promotions and
 *   discounts. An amount discount's share grows when what it is taken from shrinks (fewer units, a
 *   lower price, a line removed under a cart discount, a member whose prices lower the cart), so
 *   the cart service settles this after every such change.
 * - An amount cart discount may not be set above the cart it is taken from, nor an amount line
 *   discount above what the line's promotions leave. A later change that shrinks the cart (the
 *   line) under it does not lose the discount: it applies up to the cart (the line), and the till,
 *   the receipt and the document all show what applies (the till also what was asked).
 */
import { PosError } from '../../shared/errors';
import { FULL_BASIS_POINTS, formatHKD, percentOf, type BasisPoints, type Cents } from '../../shared/money';
import type { AppliedCartDiscount, Discount, PricedCart, PricedLine } from '../pricing/types';
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
export function givenDiscounts({
  cart,
  lines,
  priced,
}: {
  cart: Pick<CartRow, 'discount_approved_by'>;
  lines: readonly Pick<CartLineRow, 'id' | 'sku' | 'discount_kind' | 'discount_approved_by'>[];
  priced: Pick<PricedCart, 'lines' | 'cartDiscount'>;
}): GivenDiscount[] {
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
export function withinLimit(limit: BasisPoints, discount: Pick<GivenDiscount, 'amount' | 'base'>): boolean {
  return discount.amount <= percentOf(discount.base, limit);
}

/**
 * The first discount more than whoever gave or approved it may give now (`limitOf` their id; null:
 * nobody yet, the discount not settled), or undefined. A sale refuses such a cart, so the cart says
 * so (Cart.discountsToApprove) and the till has it approved before payment.
 */
export function firstOverLimit(
  given: readonly GivenDiscount[],
  limitOf: (approvedBy: number | null) => BasisPoints,
): GivenDiscount | undefined {
  return given.find((discount) => !withinLimit(limitOf(discount.approvedBy), discount));
}

/**
 * A share in basis points, rounded up, so an approver's limit must cover the whole discount.
 * Nothing taken is 0 %; something taken from nothing is 100 %.
 */
export function shareOf(part: Cents, whole: Cents): BasisPoints {
  if (part <= 0) return 0;
  return whole <= 0 ? FULL_BASIS_POINTS : Math.min(FULL_BASIS_POINTS, Math.ceil((part * FULL_BASIS_POINTS) / whole));
}

/** "The discount on DRI-0005 (HK$8.00 of HK$16.00)", for refusals. */
export function describeDiscount(discount: GivenDiscount): string {
  const what = discount.lineId === null ? 'The cart discount' : `The discount on ${discount.sku}`;
  return `${what} (${formatHKD(discount.amount, 'en')} of ${formatHKD(discount.base, 'en')})`;
}

/**
 * When an amount cart discount is set: refused (DISCOUNT_MORE_THAN_CART, with both figures) when
 * it is more than the cart it is taken from, rather than quietly taking less.
 */
export function refuseCartDiscountOverCart(applied: AppliedCartDiscount | null): void {
  if (!applied || applied.discount.kind !== 'amount' || applied.discount.cents <= applied.base) return;
  const asked = applied.discount.cents;
  throw new PosError(
    'DISCOUNT_MORE_THAN_CART',
    `A cart discount of ${formatHKD(asked, 'en')} is more than the cart's ${formatHKD(applied.base, 'en')}`,
    undefined,
    { askedCents: asked, cartCents: applied.base },
  );
}

/**
 * When an amount line discount is set: refused (DISCOUNT_MORE_THAN_LINE, with both figures) when it
 * is more than what the line's promotions leave (`line` as priced now), rather than quietly taking less.
 */
export function refuseLineDiscountOverLine(line: PricedLine, discount: Discount | null): void {
  const lineCents = line.gross - line.promotionAmount;
  if (discount?.kind !== 'amount' || discount.cents <= lineCents) return;
  throw new PosError(
    'DISCOUNT_MORE_THAN_LINE',
    `A line discount of ${formatHKD(discount.cents, 'en')} is more than the line's ${formatHKD(lineCents, 'en')} after its promotions`,
    undefined,
    { askedCents: discount.cents, lineCents },
  );
}
