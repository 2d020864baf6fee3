/**
 * The cart's prices: a pure function of its input (no database, no clock), deterministic, called by
 * the cart service after every change. Per line, in this order:
 *
 *   gross          = unit price × quantity (the override price when staff typed one), rounded once
 *   − promotions   = select-promotions.ts; a price-overridden line gets none (staff already set
 *                    the price, and a promotion on top would give the discount twice)
 *   − line discount= manual, on what the promotions left (percent of it, or an amount capped at it)
 *   − cart share   = the cart discount (percent of, or an amount capped at, the sum of the lines so
 *                    far), allocated over the lines by largest remainder in proportion to what each
 *                    has left, lines in lineId order; so returns and tax see each line's true net
 *   = net          ≥ 0
 *   + tax          = per line on net: inclusive classes extract it (reported, not added), exclusive
 *                    classes add it (tax.ts)
 *   = total
 *
 * Cart totals are sums of the lines, so total = subtotal − promotions − discounts + exclusive tax
 * holds to the cent, and nothing is ever negative. Cash rounding is not here: it belongs to the
 * cash tender (cashRounding in src/shared/money.ts).
 */
import { allocate, lineAmount, percentOf, type Cents } from '../../shared/money';
import { isInEffect } from './promotion-match';
import { selectPromotions } from './select-promotions';
import { lineTax, resolveTaxClass } from './tax';
import type { AppliedCartDiscount, CartLineInput, CartPricingInput, Discount, PricedCart, PricedLine, TaxClass } from './types';
import { validateCartPricingInput } from './validate';

/** A discount taken from `amount`, never more than it. */
function discountOn(amount: Cents, discount: Discount): { amount: Cents; capped: boolean } {
  if (discount.kind === 'percent') return { amount: percentOf(amount, discount.basisPoints), capped: false };
  return discount.cents > amount ? { amount, capped: true } : { amount: discount.cents, capped: false };
}

interface LineSoFar {
  line: CartLineInput;
  unitPrice: Cents;
  gross: Cents;
  promotions: PricedLine['promotions'];
  promotionAmount: Cents;
  lineDiscountAmount: Cents;
  lineDiscountCapped: boolean;
  /** After promotions and the line discount: the line's weight in the cart discount. */
  beforeCartDiscount: Cents;
}

function priceLineBeforeCartDiscount(line: CartLineInput, promotions: PricedLine['promotions']): LineSoFar {
  const unitPrice = line.priceOverride ? line.priceOverride.unitPrice : line.unitPrice;
  const gross = lineAmount(unitPrice, line.quantity);
  const promotionAmount = promotions.reduce((sum, p) => sum + p.amount, 0);
  const afterPromotions = gross - promotionAmount;
  const lineDiscount = line.lineDiscount ? discountOn(afterPromotions, line.lineDiscount) : { amount: 0, capped: false };
  return {
    line,
    unitPrice,
    gross,
    promotions,
    promotionAmount,
    lineDiscountAmount: lineDiscount.amount,
    lineDiscountCapped: lineDiscount.capped,
    beforeCartDiscount: afterPromotions - lineDiscount.amount,
  };
}

function finishLine(soFar: LineSoFar, cartDiscountAmount: Cents, taxClass: TaxClass): PricedLine {
  const net = soFar.beforeCartDiscount - cartDiscountAmount;
  const tax = lineTax(net, taxClass);
  return {
    lineId: soFar.line.lineId,
    quantity: soFar.line.quantity,
    listPrice: soFar.line.unitPrice,
    unitPrice: soFar.unitPrice,
    priceOverridden: Boolean(soFar.line.priceOverride),
    gross: soFar.gross,
    promotions: soFar.promotions,
    promotionAmount: soFar.promotionAmount,
    lineDiscountAmount: soFar.lineDiscountAmount,
    lineDiscountCapped: soFar.lineDiscountCapped,
    cartDiscountAmount,
    discountAmount: soFar.lineDiscountAmount + cartDiscountAmount,
    net,
    taxClass: soFar.line.taxClass,
    taxInclusive: taxClass.inclusive,
    tax,
    total: taxClass.inclusive ? net : net + tax,
  };
}

const sum = (lines: readonly PricedLine[], pick: (line: PricedLine) => Cents): Cents =>
  lines.reduce((total, line) => total + pick(line), 0);

/** Throws PosError BAD_REQUEST (validate.ts) when the input is not sound; otherwise always prices. */
export function priceCart(input: CartPricingInput): PricedCart {
  const invalid = validateCartPricingInput(input);
  if (invalid) throw invalid;

  // 1. promotions, on lines in lineId order (the canonical order every tie falls back to)
  const lines = [...input.lines].sort((a, b) => a.lineId - b.lineId);
  const inEffect = input.promotions.filter((p) => isInEffect(p, input.now, input.member));
  const promotions = selectPromotions(
    lines.filter((line) => !line.priceOverride),
    inEffect,
  );

  // 2. gross, promotions and line discounts
  const soFar = lines.map((line) => priceLineBeforeCartDiscount(line, promotions.get(line.lineId) ?? []));

  // 3. the cart discount, allocated over the lines
  const base = soFar.reduce((total, line) => total + line.beforeCartDiscount, 0);
  let cartDiscount: AppliedCartDiscount | null = null;
  let shares = soFar.map(() => 0);
  if (input.cartDiscount) {
    const taken = discountOn(base, input.cartDiscount);
    cartDiscount = { discount: input.cartDiscount, base, amount: taken.amount, capped: taken.capped };
    shares = allocate(
      taken.amount,
      soFar.map((line) => line.beforeCartDiscount),
    );
  }

  // 4. net and tax per line
  const priced = soFar.map((line, i) =>
    finishLine(line, shares[i] as Cents, resolveTaxClass(input.taxClasses, line.line.taxClass) as TaxClass),
  );
  const byId = new Map(priced.map((line) => [line.lineId, line]));

  const inclusiveTaxTotal = sum(priced, (l) => (l.taxInclusive ? l.tax : 0));
  const exclusiveTaxTotal = sum(priced, (l) => (l.taxInclusive ? 0 : l.tax));
  const lineDiscountTotal = sum(priced, (l) => l.lineDiscountAmount);
  const cartDiscountTotal = sum(priced, (l) => l.cartDiscountAmount);
  return {
    lines: input.lines.map((line) => byId.get(line.lineId) as PricedLine),
    subtotal: sum(priced, (l) => l.gross),
    promotionTotal: sum(priced, (l) => l.promotionAmount),
    lineDiscountTotal,
    cartDiscountTotal,
    discountTotal: lineDiscountTotal + cartDiscountTotal,
    cartDiscount,
    taxTotal: inclusiveTaxTotal + exclusiveTaxTotal,
    inclusiveTaxTotal,
    exclusiveTaxTotal,
    total: sum(priced, (l) => l.total),
  };
}
