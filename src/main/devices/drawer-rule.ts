/**
 * When a completed sale opens the cash drawer. 'cash' (the default): any cash tender (a cash
 * refund too); 'change-due': only when change is handed back; 'always'; 'never'.
 */
import { DrawerRule } from '../../shared/hardware-schemas';

export const drawerRules = DrawerRule.options;
export type { DrawerRule };

export interface TenderedSale {
  readonly payments: readonly { readonly method: string; readonly amount: number }[];
  readonly change: number;
}

export function saleOpensDrawer(rule: DrawerRule, sale: TenderedSale): boolean {
  switch (rule) {
    case 'always':
      return true;
    case 'never':
      return false;
    case 'change-due':
      return sale.change > 0;
    case 'cash':
      return sale.payments.some((p) => p.method === 'cash' && p.amount !== 0);
  }
}
