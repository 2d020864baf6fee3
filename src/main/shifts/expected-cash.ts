/**
 * What should be in the drawer. Pure, so the formula is tested on its own:
 *
 *   expected = float + cash handed over by customers − change given − cash refunds
 *              + pay-ins − pay-outs − safe drops
 *
 * Change is money leaving the drawer. (A well-known bug in other registers adds it as cash in; the
 * tests check this one does not.) Cash rounding is already inside what the customer handed over.
 */
import type { Cents } from '../../shared/money';

export interface DrawerFlows {
  float: Cents;
  cashTendered: Cents;
  changeGiven: Cents;
  cashRefunds: Cents;
  payIns: Cents;
  payOuts: Cents;
  safeDrops: Cents;
}

export function expectedCash(f: DrawerFlows): Cents {
  return f.float + f.cashTendered - f.changeGiven - f.cashRefunds + f.payIns - f.payOuts - f.safeDrops;
}
