/**
 * Checks of what staff type into a cart, as typed errors: PosError with code BAD_REQUEST, an English
 * message (the UI translates by code) and field-level issues. The cart service calls these when the
 * cashier enters something; priceCart calls validateCartPricingInput and throws on a problem, so it
 * never prices nonsense. Limits per role, and an amount discount more than the line or the cart it
 * is taken from, are the cart service's job (src/main/checkout/discount-approval.ts): the engine
 * takes such a discount up to what is there (PricedLine.lineDiscountCapped), so a line or cart that
 * shrinks under its discount (fewer units, a lower price, an offer) is priced, never refused.
 */
import { PosError, type PosErrorBody } from '../../shared/errors';
import { FULL_BASIS_POINTS, formatHKD, type Cents } from '../../shared/money';
import { MAX_QUANTITY, MAX_QUANTITY_DECIMALS, MAX_UNIT_PRICE_CENTS } from './limits';
import { resolveTaxClass } from './tax';
import type { CartLineInput, CartPricingInput, Discount } from './types';

type Issue = NonNullable<PosErrorBody['issues']>[number];

function toError(issues: readonly Issue[]): PosError | null {
  if (issues.length === 0) return null;
  const [first] = issues as [Issue, ...Issue[]];
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return new PosError('BAD_REQUEST', `${first.message}${more}`, [...issues]);
}

function quantityIssues(quantity: number, path: string): Issue[] {
  const problem = (message: string) => [{ path, message }];
  if (typeof quantity !== 'number' || !Number.isFinite(quantity)) return problem('Quantity must be a finite number');
  if (quantity <= 0) return problem('Quantity must be more than 0');
  if (quantity > MAX_QUANTITY) return problem(`Quantity may be at most ${MAX_QUANTITY.toLocaleString('en')} on one line`);
  const scaled = quantity * 10 ** MAX_QUANTITY_DECIMALS;
  if (Math.abs(scaled - Math.round(scaled)) > 1e-6) return problem(`Quantity may have at most ${MAX_QUANTITY_DECIMALS} decimals`);
  return [];
}

function unitPriceIssues(cents: number, path: string, what: string): Issue[] {
  const problem = (message: string) => [{ path, message }];
  if (typeof cents !== 'number' || !Number.isInteger(cents)) return problem(`${what} must be a whole number of cents`);
  if (cents < 0) return problem(`${what} cannot be negative`);
  if (cents > MAX_UNIT_PRICE_CENTS) return problem(`${what} may be at most ${formatHKD(MAX_UNIT_PRICE_CENTS, 'en')}`);
  return [];
}

/** A discount's own soundness; whether it is more than what it is taken from is the cart service's. */
function discountIssues(discount: Discount, path: string): Issue[] {
  const problem = (message: string) => [{ path, message }];
  if (discount.kind === 'percent') {
    const bp = discount.basisPoints;
    if (typeof bp !== 'number' || !Number.isInteger(bp))
      return problem('A percent discount must be a whole number of basis points (0.01 %)');
    if (bp < 0) return problem('A discount cannot be negative');
    if (bp > FULL_BASIS_POINTS) return problem('A discount cannot be more than 100 %');
    return [];
  }
  if (discount.kind === 'amount') {
    const cents = discount.cents;
    if (typeof cents !== 'number' || !Number.isInteger(cents)) return problem('A discount amount must be a whole number of cents');
    if (cents < 0) return problem('A discount cannot be negative');
    return [];
  }
  return problem('A discount is either a percent or an amount');
}

function lineIssues(line: CartLineInput, path: string): Issue[] {
  const issues: Issue[] = [];
  if (!Number.isSafeInteger(line.lineId)) issues.push({ path: `${path}.lineId`, message: 'A line id must be an integer' });
  if (!Number.isSafeInteger(line.productId)) issues.push({ path: `${path}.productId`, message: 'A product id must be an integer' });
  const quantity = quantityIssues(line.quantity, `${path}.quantity`);
  const price = unitPriceIssues(line.unitPrice, `${path}.unitPrice`, 'Unit price');
  const override = line.priceOverride
    ? unitPriceIssues(line.priceOverride.unitPrice, `${path}.priceOverride.unitPrice`, 'Override price')
    : [];
  issues.push(...quantity, ...price, ...override);
  if (line.lineDiscount) issues.push(...discountIssues(line.lineDiscount, `${path}.lineDiscount`));
  return issues;
}

export function validateQuantity(quantity: number): PosError | null {
  return toError(quantityIssues(quantity, 'quantity'));
}

export function validateUnitPrice(cents: Cents): PosError | null {
  return toError(unitPriceIssues(cents, 'unitPrice', 'Unit price'));
}

export function validateCartLine(line: CartLineInput): PosError | null {
  return toError(lineIssues(line, 'line'));
}

/**
 * Everything priceCart needs to be sound. What depends on the cart as a whole (an amount discount
 * above what promotions leave) is not an error here: pricing caps it and says so, because a cart
 * that was valid must stay priceable when another item joins it and a promotion kicks in.
 */
export function validateCartPricingInput(input: CartPricingInput): PosError | null {
  const issues: Issue[] = [];
  if (!Number.isSafeInteger(input.now)) issues.push({ path: 'now', message: 'now must be a time in ms since the epoch' });
  const lineIds = new Set<number>();
  input.lines.forEach((line, index) => {
    const path = `lines.${index}`;
    issues.push(...lineIssues(line, path));
    if (lineIds.has(line.lineId)) issues.push({ path: `${path}.lineId`, message: `Line id ${line.lineId} appears twice in the cart` });
    lineIds.add(line.lineId);
    const taxClass = resolveTaxClass(input.taxClasses, line.taxClass);
    if (!taxClass) issues.push({ path: `${path}.taxClass`, message: `Unknown tax class "${line.taxClass}"` });
    else if (!Number.isInteger(taxClass.rateBasisPoints) || taxClass.rateBasisPoints < 0 || taxClass.rateBasisPoints > FULL_BASIS_POINTS) {
      issues.push({
        path: `${path}.taxClass`,
        message: `Tax class "${line.taxClass}" must have a rate from 0 to 100 % in whole basis points`,
      });
    }
  });
  if (input.cartDiscount) issues.push(...discountIssues(input.cartDiscount, 'cartDiscount'));
  const promotionIds = new Set<number>();
  input.promotions.forEach((promotion, index) => {
    if (promotionIds.has(promotion.id))
      issues.push({ path: `promotions.${index}.id`, message: `Promotion id ${promotion.id} appears twice` });
    promotionIds.add(promotion.id);
  });
  return toError(issues);
}
