/**
 * Checks of what staff type into a cart, as typed errors: PosError with code BAD_REQUEST, an English
 * message (the UI translates by code) and field-level issues. The cart service calls these when the
 * cashier enters something; priceCart calls validateCartPricingInput and throws on a problem, so it
 * never prices nonsense. Limits per role, and an amount cart discount more than the cart, are the
 * cart service's job (src/main/checkout/discount-approval.ts).
 */
import { PosError, type PosErrorBody } from '../../shared/errors';
import { FULL_BASIS_POINTS, formatHKD, lineAmount, type Cents } from '../../shared/money';
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

/** `appliesTo` is the amount the discount is taken from; null skips the amount-above check. */
function discountIssues(discount: Discount, appliesTo: Cents | null, path: string, whose: string): Issue[] {
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
    if (appliesTo !== null && cents > appliesTo) {
      return problem(`A discount of ${formatHKD(cents, 'en')} is more than ${whose} amount of ${formatHKD(appliesTo, 'en')}`);
    }
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
  if (line.lineDiscount) {
    // The amount check needs a line amount, so only once quantity and prices are sound.
    const chargedUnitPrice = line.priceOverride ? line.priceOverride.unitPrice : line.unitPrice;
    const gross = quantity.length + price.length + override.length === 0 ? lineAmount(chargedUnitPrice, line.quantity) : null;
    issues.push(...discountIssues(line.lineDiscount, gross, `${path}.lineDiscount`, "the line's"));
  }
  return issues;
}

export function validateQuantity(quantity: number): PosError | null {
  return toError(quantityIssues(quantity, 'quantity'));
}

export function validateUnitPrice(cents: Cents): PosError | null {
  return toError(unitPriceIssues(cents, 'unitPrice', 'Unit price'));
}

/** A line discount, against the line's gross at the price it is charged (before promotions). */
export function validateLineDiscount(discount: Discount, lineGross: Cents): PosError | null {
  return toError(discountIssues(discount, lineGross, 'lineDiscount', "the line's"));
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
  if (input.cartDiscount) issues.push(...discountIssues(input.cartDiscount, null, 'cartDiscount', "the cart's"));
  const promotionIds = new Set<number>();
  input.promotions.forEach((promotion, index) => {
    if (promotionIds.has(promotion.id))
      issues.push({ path: `promotions.${index}.id`, message: `Promotion id ${promotion.id} appears twice` });
    promotionIds.add(promotion.id);
  });
  return toError(issues);
}
