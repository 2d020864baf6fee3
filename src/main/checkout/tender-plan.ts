/**
 * Main's side of the tender plan (src/shared/tender-plan.ts, which the payment screen runs too):
 * the same pure plan, its refusal thrown as a PosError inside the completion transaction.
 */
import { PosError } from '../../shared/errors';
import type { TenderInput } from '../../shared/checkout-schemas';
import type { Cents } from '../../shared/money';
import { planTenders as planSharedTenders, type TenderPlan, type TenderRules } from '../../shared/tender-plan';

export type { PlannedPayment, TenderPlan, TenderRules } from '../../shared/tender-plan';

export function planTenders(total: Cents, tenders: readonly TenderInput[], rules: TenderRules): TenderPlan {
  const plan = planSharedTenders(total, tenders, rules);
  if (!plan.ok) throw new PosError(plan.error.code, plan.error.message);
  return plan.value;
}
