import { z } from 'zod';
import type { Db } from '../db/open';
import { readSetting } from '../settings/settings-repo';
import { prepared } from '../db/prepared';
import { CheckoutSettings } from '../../shared/checkout-schemas';
import type { Role } from '../../shared/permissions';
import type { TaxClass } from '../pricing/types';

const TaxClasses = z.record(z.string(), z.object({ rateBasisPoints: z.number().int().min(0).max(10_000), inclusive: z.boolean() }));
const RefundRule = z.enum(['original-or-cash', 'cash-only', 'any']);

export type RefundRule = z.infer<typeof RefundRule>;

/** The role's manual discount limit (basis points), kept on the role row (migration 0008). */
export function discountLimit(db: Db, role: Role): number {
  return prepared<{ role: Role }, number>(db, 'SELECT discount_limit_bp FROM role WHERE code = :role').pluck().get({ role }) ?? 0;
}

/** The cash rounding step in cents (0, 10, 50 or 100); completing a sale needs only this. */
export function cashRoundingStep(db: Db): CheckoutSettings['cashRoundingStep'] {
  return readSetting(db, 'checkout.cashRoundingStep', CheckoutSettings.shape.cashRoundingStep, 10);
}

export function checkoutSettings(db: Db, role: Role): CheckoutSettings {
  return {
    cashRoundingStep: cashRoundingStep(db),
    quickCash: readSetting(db, 'checkout.quickCash', CheckoutSettings.shape.quickCash, [2000, 5000, 10000, 50000, 100000]),
    discountLimitBasisPoints: discountLimit(db, role),
    scanner: readSetting(db, 'scanner.wedge', CheckoutSettings.shape.scanner, {
      maxInterKeyMs: 35,
      minLength: 6,
      suffix: 'Enter',
      repeatAddsUnit: true,
      repeatWindowMs: 800,
    }),
  };
}

export function taxClasses(db: Db): Record<string, TaxClass> {
  return readSetting(db, 'tax.classes', TaxClasses, { none: { rateBasisPoints: 0, inclusive: true } });
}

export function refundRule(db: Db): RefundRule {
  return readSetting(db, 'checkout.refundMethods', RefundRule, 'original-or-cash');
}
