/**
 * What each checkout key or button does, in one place for the key handler and the action bar.
 * Plain functions of the stores, so they are tested without a browser.
 */
import type { Cart } from '../../shared/checkout-schemas';
import type { PosStores } from '../stores/pos-stores';
import type { Dialog } from '../stores/ui-store';

export type CheckoutCommand =
  | 'quantity'
  | 'discount'
  | 'cart-discount'
  | 'price'
  | 'suspend'
  | 'recall'
  | 'orders'
  | 'return'
  | 'lookup'
  | 'remove-line'
  | 'void'
  | 'no-sale'
  | 'member'
  | 'remove-member'
  | 'gift-card'
  | 'pay';

/** Whether the command can run now (the bar greys out the rest). */
export function canRun(stores: PosStores, command: CheckoutCommand): boolean {
  const cart = stores.cart.getState().cart;
  const lines = cart?.lines.length ?? 0;
  const selected = stores.cart.getState().selectedLine();
  switch (command) {
    case 'quantity':
      return selected !== null && selected.returnOf === null;
    case 'discount':
    case 'price':
      return selected !== null && selected.returnOf === null;
    case 'remove-line':
      return selected !== null;
    case 'cart-discount':
    case 'suspend':
    case 'void':
      return cart !== null && lines > 0;
    case 'pay':
      // A scan still on its way counts: F12 right after it pays for it.
      return (cart !== null && lines > 0) || stores.cart.getState().pending();
    case 'recall':
    case 'orders':
    case 'return':
    case 'lookup':
    case 'no-sale':
    case 'member':
    case 'gift-card':
      return true;
    case 'remove-member':
      return (cart?.member ?? null) !== null;
  }
}

export function runCommand(stores: PosStores, command: CheckoutCommand): void {
  if (!canRun(stores, command)) return;
  const ui = stores.ui.getState();
  const cart = stores.cart.getState();
  const lineId = cart.selectedLineId;
  const open = (dialog: Dialog) => ui.open(dialog);
  switch (command) {
    case 'quantity':
      if (lineId !== null) open({ kind: 'quantity', lineId });
      return;
    case 'discount':
      if (lineId !== null) open({ kind: 'discount', lineId });
      return;
    case 'cart-discount':
      open({ kind: 'discount', lineId: null });
      return;
    case 'price':
      if (lineId !== null) open({ kind: 'price', lineId });
      return;
    case 'suspend':
      open({ kind: 'suspend' });
      return;
    case 'recall':
      void stores.suspended.getState().load();
      open({ kind: 'recall' });
      return;
    case 'orders':
      // The queue opened afresh: what it said last time is old news (the social order form, going
      // back to the queue, keeps its 'created' notice; a scan's collect sets its own).
      stores.orders.getState().clearMessage();
      open({ kind: 'orders' });
      return;
    case 'return':
      stores.returns.getState().start();
      open({ kind: 'returns' });
      return;
    case 'lookup':
      stores.receipts.getState().clearFound();
      open({ kind: 'lookup' });
      return;
    case 'remove-line':
      if (lineId !== null) void cart.removeLine(lineId);
      return;
    case 'void':
      open({ kind: 'void' });
      return;
    case 'no-sale':
      open({ kind: 'no-sale' });
      return;
    case 'member':
      stores.member.getState().clear();
      open({ kind: 'member' });
      return;
    case 'remove-member':
      void stores.member.getState().detach();
      return;
    case 'gift-card':
      stores.giftCard.getState().reset();
      open({ kind: 'gift-card' });
      return;
    case 'pay': {
      // Keys pressed before F12 (Del, a scan) may still be on their way to the core: the screen
      // switches now, so later keys are the payment's, and shows the cart once they are answered.
      const payment = stores.payment.getState();
      ui.showPayment();
      void payment.open(readyToPay(stores)).then((opened) => {
        if (!opened && !stores.payment.getState().active && stores.ui.getState().view === 'payment') stores.ui.getState().showCart();
      });
      return;
    }
  }
}

/**
 * The cart to pay once every key before F12 is answered. A discount now more than whoever gave it
 * may give (a promotion a scan started) is approved first, a manager's PIN asked when the cashier's
 * limit does not cover it; backed out of or refused: null, and the till stays on the cart.
 */
async function readyToPay(stores: PosStores): Promise<Cart | null> {
  const cart = stores.cart.getState();
  const settled = await cart.settled();
  if (!settled?.discountsToApprove) return settled;
  const approved = await cart.approveDiscounts();
  return approved.ok ? stores.cart.getState().cart : null;
}

/**
 * Esc or 返回 on the payment screen: back to the cart, unless the sale is being completed. Its
 * answer (the receipt, then the next cart) must find the payment screen still open, or the till
 * would show a cart the core has already closed. True when the till left the payment screen.
 */
export function leavePayment(stores: PosStores): boolean {
  if (!stores.payment.getState().cancel()) return false;
  stores.ui.getState().showCart();
  return true;
}
