/**
 * Turns the tenders a cashier entered into the payments a document records, or refuses them.
 * Pure: main calls it inside the completion transaction.
 *
 * Rules (issue 3): only cash may exceed what is due (the excess is change); cash rounding applies to
 * the part cash settles, and only to it; a card records its terminal's approval code and at most the
 * last four digits; a wallet, FPS or Octopus records its reference. For a refund (a negative total)
 * the same tenders pay money back: no change, and only methods the refund rule allows.
 */
import { PosError } from '../../shared/errors';
import { cashRounding, formatHKD, type CashRoundingStep, type Cents } from '../../shared/money';
import type { PaymentMethod, TenderInput } from '../../shared/checkout-schemas';
import { looksLikeCardNumber } from '../../shared/card-number';

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

function checkTenderFields(tender: TenderInput, method: PaymentMethod, refund: boolean): void {
  if (tender.reference !== undefined && looksLikeCardNumber(tender.reference)) {
    throw new PosError('BAD_REQUEST', 'That looks like a card number. Never enter card numbers: record the approval code and last four digits only.');
  }
  if (method.kind !== 'card' && (tender.approvalCode !== undefined || tender.cardLast4 !== undefined)) {
    throw new PosError('BAD_REQUEST', `${method.nameEn} takes no card approval code or card digits`);
  }
  if (method.kind === 'card' && !refund && tender.approvalCode === undefined) {
    throw new PosError('BAD_REQUEST', 'Enter the card terminal’s approval code');
  }
  if (method.kind === 'reference' && !refund && tender.reference === undefined) {
    throw new PosError('BAD_REQUEST', `Enter the ${method.nameEn} reference number`);
  }
  if (method.kind !== 'cash' && tender.tendered !== undefined && tender.tendered !== tender.amount) {
    throw new PosError('BAD_REQUEST', `Only cash may be more than the amount due; ${method.nameEn} pays exactly its amount`);
  }
  if (tender.tendered !== undefined && tender.tendered < tender.amount) {
    throw new PosError('BAD_REQUEST', 'Cash handed over is less than the amount it pays');
  }
  if (refund && tender.tendered !== undefined && tender.tendered !== tender.amount) {
    throw new PosError('BAD_REQUEST', 'A refund gives no change');
  }
}

export function planTenders(total: Cents, tenders: readonly TenderInput[], rules: TenderRules): TenderPlan {
  const refund = total < 0;
  const due = Math.abs(total);
  const resolved = tenders.map((tender) => {
    const method = rules.methods.get(tender.method);
    if (!method) throw new PosError('BAD_REQUEST', `Unknown or inactive payment method ${tender.method}`);
    if (refund && rules.refundMethods && !rules.refundMethods.has(tender.method)) {
      throw new PosError('BAD_REQUEST', `This refund can go back only by ${[...rules.refundMethods].join(', ')}`);
    }
    checkTenderFields(tender, method, refund);
    return { tender, method };
  });

  const nonCash = resolved.filter((r) => r.method.kind !== 'cash').reduce((sum, r) => sum + r.tender.amount, 0);
  if (nonCash > due) {
    throw new PosError('BAD_REQUEST', `Card and wallet tenders (${formatHKD(nonCash, 'en')}) are more than the ${formatHKD(due, 'en')} due; only cash may exceed it`);
  }
  const cashTenders = resolved.filter((r) => r.method.kind === 'cash');
  const cash = cashTenders.reduce((sum, r) => sum + r.tender.amount, 0);
  const cashPortion = due - nonCash;
  const rounded = cashTenders.length > 0 ? cashRounding(cashPortion, rules.cashRoundingStep) : { amount: cashPortion, adjustment: 0 };
  // The cashier may enter the exact or the rounded cash amount; the rounded one is recorded.
  if (cash !== rounded.amount && !(cashTenders.length > 0 && cash === cashPortion)) {
    const covered = nonCash + cash;
    throw new PosError(
      'BAD_REQUEST',
      covered < due + rounded.adjustment
        ? `Tenders cover ${formatHKD(covered, 'en')} of ${formatHKD(due + rounded.adjustment, 'en')} due`
        : `Tenders of ${formatHKD(covered, 'en')} are more than the ${formatHKD(due + rounded.adjustment, 'en')} due; give the difference as change`,
    );
  }

  const sign = refund ? -1 : 1;
  let cashLeftToRecord = rounded.amount;
  const payments = resolved.map(({ tender, method }): PlannedPayment => {
    let amount = tender.amount;
    if (method.kind === 'cash') {
      // Spread the rounding onto the last cash tender so the payments sum to total + rounding.
      amount = cashTenders[cashTenders.length - 1]?.tender === tender ? cashLeftToRecord : Math.min(tender.amount, cashLeftToRecord);
      cashLeftToRecord -= amount;
    }
    // Cash handed over must cover the cash part as rounded, not only as typed (HK$42.65 → HK$42.70);
    // a refund hands back exactly what it records.
    if (method.kind === 'cash' && !refund && tender.tendered !== undefined && tender.tendered < amount) {
      throw new PosError('BAD_REQUEST', `Cash handed over (${formatHKD(tender.tendered, 'en')}) is less than the ${formatHKD(amount, 'en')} it pays after rounding`);
    }
    const tendered = refund ? amount : (tender.tendered ?? amount);
    return {
      method: tender.method,
      amount: sign * amount + 0,
      tendered: sign * tendered + 0,
      change: refund ? 0 : Math.max(0, tendered - amount),
      reference: tender.reference ?? null,
      approvalCode: tender.approvalCode ?? null,
      cardLast4: tender.cardLast4 ?? null,
    };
  });
  return {
    payments,
    rounding: sign * rounded.adjustment + 0,
    change: payments.reduce((sum, p) => sum + p.change, 0),
  };
}
