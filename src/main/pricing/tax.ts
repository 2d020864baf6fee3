/**
 * Tax per line, rounded per line (half away from zero, src/shared/money.ts). Per line rather than
 * on the cart total so that each receipt line carries its own tax and a return of any line refunds
 * exactly the tax that line was charged; the cart's tax is the sum of its lines.
 */
import { inclusiveTaxOf, percentOf, type Cents } from '../../shared/money';
import type { TaxClass } from './types';

/** Hong Kong has no sales tax: every product's default class. */
export const NO_TAX: TaxClass = { rateBasisPoints: 0, inclusive: true };

export function resolveTaxClass(classes: Readonly<Record<string, TaxClass>>, code: string): TaxClass | undefined {
  if (Object.hasOwn(classes, code)) return classes[code];
  return code === 'none' ? NO_TAX : undefined;
}

/** Inclusive: the tax inside `net` (extracted for reporting). Exclusive: the tax to add on top. */
export function lineTax(net: Cents, taxClass: TaxClass): Cents {
  return taxClass.inclusive ? inclusiveTaxOf(net, taxClass.rateBasisPoints) : percentOf(net, taxClass.rateBasisPoints);
}
