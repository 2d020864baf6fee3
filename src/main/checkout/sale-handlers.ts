/** Channel handlers for completing and finding sales, and the checkout settings the till prices by. */
import type { Receipt } from '../../shared/checkout-schemas';
import type { Handlers } from '../api/router';
import type { Db } from '../db/open';
import { checkoutSettings } from './checkout-settings';
import type { SaleService } from './sale-service';

type SaleChannel = 'settings:checkout' | 'sale:complete' | 'sale:find' | 'sale:reprint';

export interface SaleHandlerDeps {
  db: Db;
  sales: SaleService;
  /** A reprint was counted on the sale: the printer prints it as a 副本 COPY. */
  receiptReprinted: (receipt: Receipt) => void;
}

export function createSaleHandlers({ db, sales, receiptReprinted }: SaleHandlerDeps): Pick<Handlers, SaleChannel> {
  return {
    'settings:checkout': (_req, { staff }) => checkoutSettings(db, staff.role),
    'sale:complete': (req, { staff }) => sales.completeChecked(staff, req.cartId, req.tenders),
    'sale:find': (req) => sales.find(req.receiptNo),
    'sale:reprint': (req) => {
      const receipt = sales.reprint(req.receiptNo);
      receiptReprinted(receipt);
      return receipt;
    },
  };
}
