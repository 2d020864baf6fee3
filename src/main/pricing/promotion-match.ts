/** Which promotions are in effect for a cart, and which lines a promotion is about. */
import type { ProductSet, Promotion } from './promotion-schema';
import type { CartLineInput, Member } from './types';

/**
 * Active, inside its window (startsAt <= now < endsAt, null ends open) and, for a member price,
 * a member is on the sale whose tier the promotion names (or it names none).
 */
export function isInEffect(promotion: Promotion, now: number, member: Member | null | undefined): boolean {
  if (!promotion.active) return false;
  if (promotion.startsAt !== null && now < promotion.startsAt) return false;
  if (promotion.endsAt !== null && now >= promotion.endsAt) return false;
  if (promotion.kind !== 'member_price') return true;
  if (!member) return false;
  const tiers = promotion.params.tiers;
  return tiers === undefined || (typeof member.tier === 'string' && tiers.includes(member.tier));
}

export type LineMatcher = (line: Pick<CartLineInput, 'sku' | 'productId' | 'categoryCode'>) => boolean;

/** Sets built once per pricing call, so a promotion naming thousands of SKUs still checks in O(1). */
export function productSetMatcher(set: ProductSet): LineMatcher {
  const skus = new Set(set.skus ?? []);
  const productIds = new Set(set.productIds ?? []);
  const categories = new Set(set.categoryCodes ?? []);
  return (line) =>
    skus.has(line.sku) || productIds.has(line.productId) || (line.categoryCode !== null && categories.has(line.categoryCode));
}

/** Ties between equal savings: the higher priority first, then the lower id. */
export function byPrecedence(a: Promotion, b: Promotion): number {
  return b.priority - a.priority || a.id - b.id;
}
