/**
 * What the cloud checks in a register's document before it counts (issue 11, items 7 and 8): the
 * receipt number is in the pushing register's own series, and the arithmetic adds up the way the
 * register computes it. Pure (no database): a batch is checked in memory, set-based checks (SKUs,
 * duplicates) are the batch pipeline's (mutations.ts).
 *
 * The register's rules, and where they live:
 * - a sold line (quantity > 0): gross = unit price × quantity rounded once (lineAmount, money.ts);
 *   net = gross − promotions − discount (line and cart share), every part ≥ 0 (price-cart.ts);
 * - a returned line (quantity < 0): gross = net = its pro rata refund, no promotion nor discount,
 *   never more than the unit price × quantity it names (cart-service.ts addReturn; pro rata
 *   rounding may add a cent or two);
 * - subtotal = Σ gross, promotionTotal = Σ promotions, discountTotal = Σ discounts;
 *   total = Σ net + exclusive tax, which is never negative and lies within the recorded tax;
 * - payments sum to total + rounding; cash rounding is at most half of HK$1 (the largest step) and
 *   only with cash; only cash hands back change, change = tendered − amount, and a refund gives
 *   none (tender-plan.ts);
 * - a sale has only sold lines and a total ≥ 0; a return only returned lines and a total ≤ 0; an
 *   exchange both; payments carry the sign of the total, less what an order paid before pickup
 *   (`deposit`, order-pickup.ts): a swap to a cheaper item refunds the difference. Only a sale
 *   carries a `deposit`; that an order of the merchant has that much of its prepayment left is
 *   checked against the database (order-deposits.ts).
 */
import { paymentStoredValueKindOf } from '../../src/shared/stored-value';
import { hkd, lineAmount } from './money';
import { toMilli, type SaleDocument } from './schemas';

/** The largest cash rounding step a register can be set to is HK$1: never more than half of it. */
export const MAX_CASH_ROUNDING = 50;
/** A returned line's refund is a difference of two pro rata roundings of what was paid. */
const RETURN_ROUNDING_SLACK = 2;
/** Payment methods a register has built in that are not cash (payment-methods.ts). */
const BUILT_IN_NON_CASH = new Set(['card', 'octopus', 'fps', 'payme', 'alipayhk', 'wechatpay']);

export interface RegisterSeries {
  storeCode: string;
  registerCode: string;
}

/**
 * The register code in a receipt number `{store}-{register}-{seq}` of this register's store, or
 * null when it is not a number of this store at all (issue 11 item 7).
 */
export function receiptSeriesOf(receiptNo: string, storeCode: string): string | null {
  const prefix = `${storeCode}-`;
  if (!receiptNo.startsWith(prefix)) return null;
  const match = /^([A-Z0-9]{1,8})-\d+$/.exec(receiptNo.slice(prefix.length));
  return match ? (match[1] as string) : null;
}

/**
 * Could this payment be cash? `cash` is; the built-in cards and wallets are not, nor is anything
 * carrying a card approval code, card digits or a wallet reference. A store's own method without
 * any of those may be of the cash kind, which the cloud cannot see: it gets the benefit of the doubt.
 */
function mayBeCash(payment: SaleDocument['payments'][number]): boolean {
  if (payment.method === 'cash') return true;
  if (payment.storedValue || paymentStoredValueKindOf(payment.method)) return false;
  if (BUILT_IN_NON_CASH.has(payment.method)) return false;
  return payment.approvalCode === null && payment.cardLast4 === null && payment.reference === null;
}

const sum = <T>(items: readonly T[], pick: (item: T) => number): number => items.reduce((total, item) => total + pick(item), 0);

function lineProblem(line: SaleDocument['lines'][number], position: number): string | null {
  const at = `line ${position} (${line.sku})`;
  if (line.giftCard) {
    // one card per line, loaded with its unit price (a return takes that load back)
    if (Math.abs(line.quantity) !== 1) return `${at}: a gift card line is one card`;
    if (line.giftCard.value !== line.unitPrice)
      return `${at}: the card's load ${hkd(line.giftCard.value)} is not its price ${hkd(line.unitPrice)}`;
  }
  if (line.unitPrice < 0) return `${at}: unit price ${hkd(line.unitPrice)} is negative`;
  if (line.quantity > 0) {
    const expectedGross = lineAmount(line.unitPrice, toMilli(line.quantity));
    if (line.gross !== expectedGross)
      return `${at}: gross ${hkd(line.gross)} is not ${line.quantity} × ${hkd(line.unitPrice)} = ${hkd(expectedGross)}`;
    if (line.promotions.some((p) => p.amount < 0)) return `${at}: a promotion amount is negative`;
    if (line.discountAmount < 0) return `${at}: discount ${hkd(line.discountAmount)} is negative`;
    const expectedNet = line.gross - sum(line.promotions, (p) => p.amount) - line.discountAmount;
    if (line.net !== expectedNet) return `${at}: net ${hkd(line.net)} is not gross − promotions − discount = ${hkd(expectedNet)}`;
    if (line.net < 0) return `${at}: promotions and discounts take more than the line's gross`;
    return null;
  }
  if (line.promotions.length > 0 || line.discountAmount !== 0) return `${at}: a returned line carries no promotion nor discount`;
  if (line.gross !== line.net) return `${at}: a returned line's gross ${hkd(line.gross)} must equal its net ${hkd(line.net)}`;
  if (line.net > 0) return `${at}: a returned line refunds, its net ${hkd(line.net)} must not be positive`;
  const ceiling = lineAmount(line.unitPrice, -toMilli(line.quantity)) + RETURN_ROUNDING_SLACK;
  if (-line.net > ceiling) return `${at}: refunds ${hkd(-line.net)}, more than ${-line.quantity} × ${hkd(line.unitPrice)}`;
  return null;
}

function kindProblem(doc: SaleDocument): string | null {
  const sold = doc.lines.filter((l) => l.quantity > 0).length;
  const returned = doc.lines.length - sold;
  if (doc.kind === 'sale' && returned > 0) return `A sale has only sold lines; ${returned} line(s) have a negative quantity`;
  if (doc.kind === 'return' && sold > 0) return `A return has only returned lines; ${sold} line(s) have a positive quantity`;
  if (doc.kind === 'exchange' && (sold === 0 || returned === 0)) return 'An exchange both returns and sells';
  if (doc.kind === 'sale' && doc.total < 0) return `A sale's total ${hkd(doc.total)} is negative`;
  if (doc.kind === 'return' && doc.total > 0) return `A return's total ${hkd(doc.total)} is positive`;
  return null;
}

function totalsProblem(doc: SaleDocument): string | null {
  const subtotal = sum(doc.lines, (l) => l.gross);
  if (doc.subtotal !== subtotal) return `subtotal ${hkd(doc.subtotal)} is not the lines' gross ${hkd(subtotal)}`;
  const promotions = sum(doc.lines, (l) => sum(l.promotions, (p) => p.amount));
  if (doc.promotionTotal !== promotions) return `promotion total ${hkd(doc.promotionTotal)} is not the lines' ${hkd(promotions)}`;
  const discounts = sum(doc.lines, (l) => l.discountAmount);
  if (doc.discountTotal !== discounts) return `discount total ${hkd(doc.discountTotal)} is not the lines' ${hkd(discounts)}`;
  const net = sum(doc.lines, (l) => l.net);
  const exclusiveTax = doc.total - net;
  if (exclusiveTax < 0) return `total ${hkd(doc.total)} is less than the lines' net ${hkd(net)}`;
  // Tax added on top comes from sold lines and is part of the recorded tax; a returned line's tax
  // (never more than what it refunds) may take some of that record back.
  const soldNet = sum(doc.lines, (l) => (l.quantity > 0 ? l.net : 0));
  const returnedNet = -sum(doc.lines, (l) => (l.quantity < 0 ? l.net : 0));
  if (exclusiveTax > Math.min(soldNet, Math.max(0, doc.taxTotal) + returnedNet)) {
    return `total ${hkd(doc.total)} is more than the lines' net ${hkd(net)} plus the recorded tax ${hkd(doc.taxTotal)}`;
  }
  return null;
}

/**
 * A points or store-credit payment names its movement: the kind its method carries, on the
 * document's member, spent by a sale (units < 0) or paid back by a refund (units > 0). How many
 * units the value is worth is the cloud's own arithmetic when it posts (member-mutations.ts).
 */
function storedValueProblem(doc: SaleDocument, p: SaleDocument['payments'][number]): string | null {
  const kind = paymentStoredValueKindOf(p.method);
  if (kind === null) return p.storedValue ? 'only points, store credit and gift cards carry a stored-value movement' : null;
  if (!p.storedValue) return `a ${kind} payment without its stored-value movement`;
  if (p.storedValue.kind !== kind) return `a ${p.method} payment moves ${p.storedValue.kind}`;
  if (kind === 'gift') {
    if (!p.storedValue.card) return 'a gift card payment names its card';
  } else if (!doc.member) return `${kind} pay only with a member on the document`;
  if (p.amount === 0 || Math.sign(p.storedValue.units) !== -Math.sign(p.amount))
    return `${hkd(p.amount)} of ${kind} must move the account the other way (units ${p.storedValue.units})`;
  return null;
}

function paymentsProblem(doc: SaleDocument): string | null {
  const paid = sum(doc.payments, (p) => p.amount);
  if (paid !== doc.total + doc.rounding)
    return `payments of ${hkd(paid)} are not the total ${hkd(doc.total)} plus rounding ${hkd(doc.rounding)}`;
  if (Math.abs(doc.rounding) > MAX_CASH_ROUNDING) return `cash rounding of ${hkd(doc.rounding)} is more than half of HK$1`;
  if (doc.rounding !== 0 && !doc.payments.some(mayBeCash)) return `cash rounding of ${hkd(doc.rounding)} without a cash payment`;
  // What an order paid before pickup (method `deposit`) is money taken earlier: the counter's own
  // payments carry the sign of what is left, so a swap to a cheaper item pays the difference back.
  const deposit = sum(
    doc.payments.filter((p) => p.method === 'deposit'),
    (p) => p.amount,
  );
  // Only a sale collects an order (a register's order cart takes no returns): a return or an
  // exchange paying with, or back to, a prepayment has no order whose money it could be.
  if (doc.payments.some((p) => p.method === 'deposit') && doc.kind !== 'sale')
    return `a ${doc.kind} carries a paid-before-pickup (deposit) payment: only a sale collecting an order does`;
  const refund = doc.total - deposit < 0;
  // one movement per key: a key on two payments would post only the first of them
  const keys = new Map<string, number>();
  for (const [index, p] of doc.payments.entries()) {
    const at = `payment ${index + 1} (${p.method})`;
    if (p.method === 'deposit') {
      if (p.amount < 0 || p.change !== 0 || p.tendered !== p.amount) return `${at}: paid before pickup is a positive amount, no change`;
      continue;
    }
    if (refund ? p.amount > 0 : p.amount < 0) return `${at}: ${hkd(p.amount)} has the wrong sign for a total of ${hkd(doc.total)}`;
    if (p.change < 0) return `${at}: change ${hkd(p.change)} is negative`;
    if (refund && (p.change !== 0 || p.tendered !== p.amount)) return `${at}: a refund hands back exactly its amount, with no change`;
    if (!refund && p.change !== p.tendered - p.amount)
      return `${at}: change ${hkd(p.change)} is not tendered ${hkd(p.tendered)} − amount ${hkd(p.amount)}`;
    if (p.change !== 0 && !mayBeCash(p)) return `${at}: only cash gives change`;
    const stored = storedValueProblem(doc, p);
    if (stored) return `${at}: ${stored}`;
    if (p.storedValue) {
      const first = keys.get(p.storedValue.key);
      if (first !== undefined) return `${at}: its stored-value key ${p.storedValue.key} is also payment ${first}'s`;
      keys.set(p.storedValue.key, index + 1);
    }
  }
  const change = sum(doc.payments, (p) => p.change);
  if (doc.change !== change) return `change ${hkd(doc.change)} is not the payments' ${hkd(change)}`;
  return null;
}

/** The first thing in the document that does not add up the way the register computes it, or null. */
export function documentArithmeticProblem(doc: SaleDocument): string | null {
  for (const [index, line] of doc.lines.entries()) {
    const problem = lineProblem(line, index + 1);
    if (problem) return problem;
  }
  return kindProblem(doc) ?? totalsProblem(doc) ?? paymentsProblem(doc);
}
