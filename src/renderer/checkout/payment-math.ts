/**
 * The payment screen's arithmetic, for display and for building `sale:complete`'s tenders. Main
 * plans the tenders again and is the authority (src/main/checkout/tender-plan.ts); this mirrors its
 * rules so the cashier sees the same figures before pressing Enter:
 *
 * - Only cash may exceed what is due; the excess is 找續 (change). A refund gives no change.
 * - Cash rounding applies to the part cash pays, and only when cash pays it: HK$56.54 due is
 *   HK$56.50 in cash (rounding −HK$0.04), but HK$56.54 on a card.
 * - A cash tender records `amount` (what it pays toward the sale) and `tendered` (the notes handed
 *   over) when they differ.
 */
import type { PaymentMethod, TenderInput } from '../../shared/checkout-schemas';
import { cashRounding, type CashRoundingStep, type Cents } from '../../shared/money';
import { looksLikeCardNumber } from '../../shared/card-number';

export type TenderKind = PaymentMethod['kind'];

/** One tender as the cashier added it. */
export interface TenderEntry {
  id: number;
  method: PaymentMethod;
  /** Non-cash: what it pays. Cash: the notes handed over (or, for a refund, the cash given back). */
  amount: Cents;
  reference?: string;
  approvalCode?: string;
  cardLast4?: string;
}

export interface PaymentSummary {
  /** The cart total is negative: tenders pay money back. */
  refund: boolean;
  /** What the sale asks for, as a positive amount (the refund's size for a refund). */
  due: Cents;
  nonCash: Cents;
  cash: Cents;
  /** The part left for cash, unrounded: due − non-cash tenders. */
  cashPortion: Cents;
  /** Cash rounding on that part when cash pays it (e.g. −4), else 0. */
  rounding: Cents;
  /** What is still to pay with the next tender of `nextKind`. */
  remaining: Cents;
  /** 找續: cash handed over beyond what cash pays. Never for a refund. */
  change: Cents;
  covered: boolean;
}

/** How much the tenders pay and what is left, as the next tender of `nextKind` would see it. */
export function paymentSummary(total: Cents, tenders: readonly TenderEntry[], step: CashRoundingStep, nextKind: TenderKind | null): PaymentSummary {
  const refund = total < 0;
  const due = Math.abs(total);
  const nonCash = tenders.filter((t) => t.method.kind !== 'cash').reduce((sum, t) => sum + t.amount, 0);
  const cash = tenders.filter((t) => t.method.kind === 'cash').reduce((sum, t) => sum + t.amount, 0);
  const cashPortion = Math.max(0, due - nonCash);
  // Rounding shows as soon as cash is (or is about to be) part of the payment.
  const cashPays = cash > 0 || (nextKind === 'cash' && cashPortion > 0);
  const rounded = cashPays ? cashRounding(cashPortion, step) : { amount: cashPortion, adjustment: 0 };
  const cashTarget = cashTargetOf(rounded.amount, cashPortion);
  const covered = cash > 0 ? cash >= cashTarget : nonCash >= due;
  const remaining = covered
    ? 0
    : nextKind === 'cash' || (nextKind === null && cash > 0)
      ? Math.max(0, cashTarget - cash)
      : Math.max(0, due - nonCash - cash);
  return {
    refund,
    due,
    nonCash,
    cash,
    cashPortion,
    rounding: cashPays ? rounded.adjustment : 0,
    remaining,
    change: !refund && covered && cash > 0 ? cash - cashTarget : 0,
    covered,
  };
}

/** A rest small enough to round to nothing (HK$0.04) is still paid exactly: a tender cannot be HK$0. */
function cashTargetOf(roundedAmount: Cents, cashPortion: Cents): Cents {
  return roundedAmount > 0 ? roundedAmount : cashPortion;
}

export type TenderProblem =
  | 'AMOUNT_INVALID'
  | 'ALREADY_COVERED'
  | 'NON_CASH_OVER_DUE'
  | 'REFUND_OVER_DUE'
  | 'APPROVAL_CODE_REQUIRED'
  | 'APPROVAL_CODE_INVALID'
  | 'LAST4_INVALID'
  | 'REFERENCE_REQUIRED'
  | 'REFERENCE_INVALID'
  | 'LOOKS_LIKE_CARD_NUMBER'
  | 'TOO_MANY_TENDERS';

export const MAX_TENDERS = 10;

/** Why this tender may not be added, or null when it may. */
export function tenderProblem(total: Cents, tenders: readonly TenderEntry[], step: CashRoundingStep, entry: Omit<TenderEntry, 'id'>): TenderProblem | null {
  const kind = entry.method.kind;
  const before = paymentSummary(total, tenders, step, kind);
  if (tenders.length >= MAX_TENDERS) return 'TOO_MANY_TENDERS';
  if (before.covered) return 'ALREADY_COVERED';
  if (!Number.isSafeInteger(entry.amount) || entry.amount <= 0) return 'AMOUNT_INVALID';
  if (kind !== 'cash' && entry.amount > before.due - before.nonCash - before.cash) return 'NON_CASH_OVER_DUE';
  if (kind === 'cash' && before.refund && entry.amount > before.remaining) return 'REFUND_OVER_DUE';
  if (kind === 'card') {
    if (entry.approvalCode === undefined) return before.refund ? null : 'APPROVAL_CODE_REQUIRED';
    if (!/^[A-Za-z0-9]{1,12}$/.test(entry.approvalCode)) return 'APPROVAL_CODE_INVALID';
    if (entry.cardLast4 !== undefined && !/^\d{4}$/.test(entry.cardLast4)) return 'LAST4_INVALID';
  }
  if (kind === 'reference') {
    if (entry.reference === undefined) return before.refund ? null : 'REFERENCE_REQUIRED';
    if (looksLikeCardNumber(entry.reference)) return 'LOOKS_LIKE_CARD_NUMBER';
    if (!/^[\x20-\x7e]{1,64}$/.test(entry.reference)) return 'REFERENCE_INVALID';
  }
  return null;
}

/**
 * `sale:complete`'s tenders. Cash pays the rounded rest in the order it was handed over; notes beyond
 * that are `tendered` on the cash tender they came with, so main computes the same change.
 */
export function tenderInputs(total: Cents, tenders: readonly TenderEntry[], step: CashRoundingStep): TenderInput[] {
  const summary = paymentSummary(total, tenders, step, null);
  let cashLeft = summary.refund ? summary.cash : cashTargetOf(cashRounding(summary.cashPortion, step).amount, summary.cashPortion);
  const inputs: TenderInput[] = [];
  let lastCash: TenderInput | null = null;
  for (const entry of tenders) {
    if (entry.method.kind !== 'cash') {
      inputs.push({
        method: entry.method.code,
        amount: entry.amount,
        ...(entry.reference !== undefined ? { reference: entry.reference } : {}),
        ...(entry.approvalCode !== undefined ? { approvalCode: entry.approvalCode } : {}),
        ...(entry.cardLast4 !== undefined ? { cardLast4: entry.cardLast4 } : {}),
      });
      continue;
    }
    const pays = Math.min(entry.amount, cashLeft);
    cashLeft -= pays;
    if (pays > 0) {
      lastCash = { method: entry.method.code, amount: pays, ...(entry.amount > pays ? { tendered: entry.amount } : {}) };
      inputs.push(lastCash);
    } else if (lastCash) {
      // Notes handed over after the rest was already paid: more change on the same tender.
      lastCash.tendered = (lastCash.tendered ?? lastCash.amount) + entry.amount;
    }
  }
  return inputs;
}
