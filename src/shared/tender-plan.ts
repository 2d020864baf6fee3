/**
 * The tender plan: how the tenders a cashier entered pay a sale or a refund. Pure, and run on both
 * sides: the payment screen shows its figures and checks each tender as it is added, and main runs
 * `planTenders` again inside the completion transaction as the authority. One set of rules:
 *
 * - Only cash may exceed what is due; the excess is 找續 (change). A refund gives no change, and
 *   pays back only by the methods the refund rule allows.
 * - Cash rounding applies to the part cash settles, and only when cash settles it: HK$56.54 due is
 *   HK$56.50 in cash (rounding −HK$0.04), but HK$56.54 on a card.
 * - A card records its terminal's approval code and at most the last four digits; a wallet, FPS or
 *   Octopus records its reference; nothing may look like a card number.
 * - At most MAX_TENDERS tenders.
 */
import {
  APPROVAL_CODE_PATTERN,
  CARD_LAST4_PATTERN,
  MAX_TENDERS,
  REFERENCE_PATTERN,
  type PaymentMethod,
  type TenderInput,
} from './checkout-schemas';
import { looksLikeCardNumber } from './card-number';
import { fail, ok, type Result } from './errors';
import { cashRounding, formatHKD, type CashRounded, type CashRoundingStep, type Cents } from './money';

export { MAX_TENDERS };

export type TenderKind = PaymentMethod['kind'];

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

type TenderFields = Pick<TenderInput, 'reference' | 'approvalCode' | 'cardLast4'>;

/** What is wrong with a tender's approval code, last 4 or reference for its kind of method, or null. */
function fieldProblem(fields: TenderFields, kind: TenderKind, refund: boolean): TenderProblem | null {
  if (fields.reference !== undefined && looksLikeCardNumber(fields.reference)) return 'LOOKS_LIKE_CARD_NUMBER';
  if (kind === 'card') {
    if (fields.approvalCode === undefined) return refund ? null : 'APPROVAL_CODE_REQUIRED';
    if (!APPROVAL_CODE_PATTERN.test(fields.approvalCode)) return 'APPROVAL_CODE_INVALID';
    if (fields.cardLast4 !== undefined && !CARD_LAST4_PATTERN.test(fields.cardLast4)) return 'LAST4_INVALID';
  }
  if (kind === 'reference') {
    if (fields.reference === undefined) return refund ? null : 'REFERENCE_REQUIRED';
    if (!REFERENCE_PATTERN.test(fields.reference)) return 'REFERENCE_INVALID';
  }
  return null;
}

/** The part cash settles: `portion` = due − non-cash, and the `amount` cash pays for it after `adjustment`. */
interface CashPart extends CashRounded {
  portion: Cents;
}

/**
 * The one cash rule: the part cash settles is snapped to the step when cash pays it at all
 * (`cashPays`), else exact; a rest that would round to nothing (HK$0.04) is paid exactly, as a cash
 * tender cannot be HK$0.
 */
function cashPart(due: Cents, nonCash: Cents, step: CashRoundingStep, cashPays: boolean): CashPart {
  const portion = Math.max(0, due - nonCash);
  const rounded = cashPays ? cashRounding(portion, step) : { amount: portion, adjustment: 0 };
  return rounded.amount === 0 && portion > 0 ? { portion, amount: portion, adjustment: 0 } : { portion, ...rounded };
}

// ---------------------------------------------------------------------------------------------
// The plan: what main records, or why it refuses.

export interface PlannedPayment {
  method: string;
  /** Toward the document: positive for a sale, negative for a refund. */
  amount: Cents;
  tendered: Cents;
  change: Cents;
  reference: string | null;
  approvalCode: string | null;
  cardLast4: string | null;
}

export interface TenderPlan {
  payments: PlannedPayment[];
  /** Cash rounding recorded as its own amount: total + rounding = Σ payments. */
  rounding: Cents;
  change: Cents;
}

export interface TenderRules {
  methods: ReadonlyMap<string, PaymentMethod>;
  cashRoundingStep: CashRoundingStep;
  /** For refunds: the methods money may go back through (undefined: any active method). */
  refundMethods?: ReadonlySet<string>;
}

function fieldMessage(problem: TenderProblem, method: PaymentMethod): string {
  switch (problem) {
    case 'LOOKS_LIKE_CARD_NUMBER':
      return 'That looks like a card number. Never enter card numbers: record the approval code and last four digits only.';
    case 'APPROVAL_CODE_REQUIRED':
      return 'Enter the card terminal’s approval code';
    case 'APPROVAL_CODE_INVALID':
      return 'An approval code is up to 12 letters and digits';
    case 'LAST4_INVALID':
      return 'The card’s last 4 are four digits';
    case 'REFERENCE_REQUIRED':
      return `Enter the ${method.nameEn} reference number`;
    default:
      return `The ${method.nameEn} reference is 1 to 64 letters, digits and symbols`;
  }
}

function tenderFieldsError(tender: TenderInput, method: PaymentMethod, refund: boolean): string | null {
  const problem = fieldProblem(tender, method.kind, refund);
  if (problem) return fieldMessage(problem, method);
  if (method.kind !== 'card' && (tender.approvalCode !== undefined || tender.cardLast4 !== undefined)) {
    return `${method.nameEn} takes no card approval code or card digits`;
  }
  if (method.kind !== 'cash' && tender.tendered !== undefined && tender.tendered !== tender.amount) {
    return `Only cash may be more than the amount due; ${method.nameEn} pays exactly its amount`;
  }
  if (tender.tendered !== undefined && tender.tendered < tender.amount) return 'Cash handed over is less than the amount it pays';
  if (refund && tender.tendered !== undefined && tender.tendered !== tender.amount) return 'A refund gives no change';
  return null;
}

/** Turns the tenders into the payments a document records, or refuses them (BAD_REQUEST, in English for the log). */
export function planTenders(total: Cents, tenders: readonly TenderInput[], rules: TenderRules): Result<TenderPlan> {
  if (tenders.length > MAX_TENDERS) return fail('BAD_REQUEST', `At most ${MAX_TENDERS} payments in one sale`);
  const refund = total < 0;
  const due = Math.abs(total);
  const resolved: { tender: TenderInput; method: PaymentMethod }[] = [];
  for (const tender of tenders) {
    const method = rules.methods.get(tender.method);
    if (!method) return fail('BAD_REQUEST', `Unknown or inactive payment method ${tender.method}`);
    if (refund && rules.refundMethods && !rules.refundMethods.has(tender.method)) {
      return fail('BAD_REQUEST', `This refund can go back only by ${[...rules.refundMethods].join(', ')}`);
    }
    const problem = tenderFieldsError(tender, method, refund);
    if (problem) return fail('BAD_REQUEST', problem);
    resolved.push({ tender, method });
  }

  const nonCash = resolved.filter((r) => r.method.kind !== 'cash').reduce((sum, r) => sum + r.tender.amount, 0);
  if (nonCash > due) {
    return fail(
      'BAD_REQUEST',
      `Card and wallet tenders (${formatHKD(nonCash, 'en')}) are more than the ${formatHKD(due, 'en')} due; only cash may exceed it`,
    );
  }
  const cashTenders = resolved.filter((r) => r.method.kind === 'cash');
  const cash = cashTenders.reduce((sum, r) => sum + r.tender.amount, 0);
  const rounded = cashPart(due, nonCash, rules.cashRoundingStep, cashTenders.length > 0);
  const cashPortion = rounded.portion;
  // The cashier may enter the exact or the rounded cash amount; the rounded one is recorded.
  if (cash !== rounded.amount && !(cashTenders.length > 0 && cash === cashPortion)) {
    const covered = nonCash + cash;
    return fail(
      'BAD_REQUEST',
      covered < due + rounded.adjustment
        ? `Tenders cover ${formatHKD(covered, 'en')} of ${formatHKD(due + rounded.adjustment, 'en')} due`
        : `Tenders of ${formatHKD(covered, 'en')} are more than the ${formatHKD(due + rounded.adjustment, 'en')} due; give the difference as change`,
    );
  }

  const sign = refund ? -1 : 1;
  let cashLeftToRecord = rounded.amount;
  const payments: PlannedPayment[] = [];
  for (const { tender, method } of resolved) {
    let amount = tender.amount;
    if (method.kind === 'cash') {
      // Spread the rounding onto the last cash tender so the payments sum to total + rounding.
      amount = cashTenders[cashTenders.length - 1]?.tender === tender ? cashLeftToRecord : Math.min(tender.amount, cashLeftToRecord);
      cashLeftToRecord -= amount;
    }
    // Cash handed over must cover the cash part as rounded, not only as typed (HK$42.65 → HK$42.70);
    // a refund hands back exactly what it records.
    if (method.kind === 'cash' && !refund && tender.tendered !== undefined && tender.tendered < amount) {
      return fail(
        'BAD_REQUEST',
        `Cash handed over (${formatHKD(tender.tendered, 'en')}) is less than the ${formatHKD(amount, 'en')} it pays after rounding`,
      );
    }
    const tendered = refund ? amount : (tender.tendered ?? amount);
    payments.push({
      method: tender.method,
      amount: sign * amount + 0,
      tendered: sign * tendered + 0,
      change: refund ? 0 : Math.max(0, tendered - amount),
      reference: tender.reference ?? null,
      approvalCode: tender.approvalCode ?? null,
      cardLast4: tender.cardLast4 ?? null,
    });
  }
  return ok({
    payments,
    rounding: sign * rounded.adjustment + 0,
    change: payments.reduce((sum, p) => sum + p.change, 0),
  });
}

// ---------------------------------------------------------------------------------------------
// The payment screen: tenders as the cashier adds them, what is left, and the tenders to send.

/** One tender as the cashier added it. */
export interface TenderEntry {
  id: number;
  method: PaymentMethod;
  /** Non-cash: what it pays. Cash: the notes handed over (or, for a refund, the cash given back). */
  amount: Cents;
  reference?: string;
  approvalCode?: string;
  cardLast4?: string;
  /** A gift card tender: the card's last 4, for the screen (its reference is the card's hash, never shown). */
  giftCardLast4?: string;
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
export function paymentSummary(
  total: Cents,
  tenders: readonly TenderEntry[],
  step: CashRoundingStep,
  nextKind: TenderKind | null,
): PaymentSummary {
  const refund = total < 0;
  const due = Math.abs(total);
  const nonCash = tenders.filter((t) => t.method.kind !== 'cash').reduce((sum, t) => sum + t.amount, 0);
  const cash = tenders.filter((t) => t.method.kind === 'cash').reduce((sum, t) => sum + t.amount, 0);
  // Rounding shows as soon as cash is (or is about to be) part of the payment.
  const part = cashPart(due, nonCash, step, cash > 0 || (nextKind === 'cash' && due > nonCash));
  const target = part.amount;
  const covered = cash > 0 ? cash >= target : nonCash >= due;
  const remaining = covered
    ? 0
    : nextKind === 'cash' || (nextKind === null && cash > 0)
      ? Math.max(0, target - cash)
      : Math.max(0, due - nonCash - cash);
  return {
    refund,
    due,
    nonCash,
    cash,
    cashPortion: part.portion,
    rounding: part.adjustment,
    remaining,
    change: !refund && covered && cash > 0 ? cash - target : 0,
    covered,
  };
}

/** Why this tender may not be added, or null when it may. */
export function tenderProblem(
  total: Cents,
  tenders: readonly TenderEntry[],
  step: CashRoundingStep,
  entry: Omit<TenderEntry, 'id'>,
): TenderProblem | null {
  const kind = entry.method.kind;
  const before = paymentSummary(total, tenders, step, kind);
  if (tenders.length >= MAX_TENDERS) return 'TOO_MANY_TENDERS';
  if (before.covered) return 'ALREADY_COVERED';
  if (!Number.isSafeInteger(entry.amount) || entry.amount <= 0) return 'AMOUNT_INVALID';
  if (kind !== 'cash' && entry.amount > before.due - before.nonCash - before.cash) return 'NON_CASH_OVER_DUE';
  if (kind === 'cash' && before.refund && entry.amount > before.remaining) return 'REFUND_OVER_DUE';
  return fieldProblem(kind === 'card' ? { ...entry, reference: undefined } : entry, kind, before.refund);
}

/**
 * `sale:complete`'s tenders. Cash pays the rounded rest in the order it was handed over; notes beyond
 * that are `tendered` on the cash tender they came with, so the plan computes the same change.
 */
export function tenderInputs(total: Cents, tenders: readonly TenderEntry[], step: CashRoundingStep): TenderInput[] {
  const summary = paymentSummary(total, tenders, step, null);
  let cashLeft = summary.refund ? summary.cash : cashPart(summary.due, summary.nonCash, step, true).amount;
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

/** The screen's tenders planned as main will plan them: the same refusal before a round trip. */
export function planEntries(
  total: Cents,
  tenders: readonly TenderEntry[],
  step: CashRoundingStep,
  methods: readonly PaymentMethod[],
): Result<TenderPlan> {
  return planTenders(total, tenderInputs(total, tenders, step), {
    methods: new Map(methods.map((m) => [m.code, m])),
    cashRoundingStep: step,
  });
}
