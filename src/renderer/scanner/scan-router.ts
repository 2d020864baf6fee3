/**
 * Where a scanned code goes, whatever has focus: into the cart, unless the screen is asking for
 * something a scan answers (a receipt number in 退貨 or 查單, the item of a return without
 * receipt), or a member card (`MBR:` + code), which puts that member on the sale, or a gift card
 * (`GC:` + its number): on the payment screen it pays, at the till 禮品卡 opens on it. A scan never lands in a quantity, discount or tender field. Enter in the scan field
 * while such a dialog is open is routed the same way.
 */
import type { PosStores } from '../stores/pos-stores';
import { ReceiptNo } from '../../shared/checkout-schemas';
import { memberCodeFromScan } from '../../shared/member-schemas';
import { ORDER_SCAN_PREFIX } from '../../shared/order-schemas';
import { isGiftCardScan } from '../../shared/gift-card';

export function routeScan(stores: PosStores, code: string): void {
  const cart = stores.cart.getState();
  const ui = stores.ui.getState();
  // A gift card (GC:…) while taking money: it pays, whatever has focus on the payment screen.
  if (isGiftCardScan(code) && ui.view === 'payment' && !stores.approval.getState().open) {
    void stores.payment.getState().giftCard(code);
    return;
  }
  // The manager is typing a PIN, or the cashier is taking money: finish that first.
  if (stores.approval.getState().open || ui.view === 'payment') {
    cart.reportScanProblem('SCAN_WHILE_PAYING', code);
    return;
  }
  // A member card (MBR:…): the member goes onto the sale, whatever has focus (F8's panel, if open, closes).
  if (memberCodeFromScan(code) !== null) {
    if (ui.dialog?.kind === 'quick-add' || ui.dialog?.kind === 'member-enrol') return; // finish that form first
    if (ui.dialog !== null && ui.dialog.kind !== 'member') ui.close();
    void stores.member
      .getState()
      .scanned(code)
      .then((outcome) => {
        if (outcome.ok && stores.ui.getState().dialog?.kind === 'member') stores.ui.getState().close();
      });
    return;
  }
  // A gift card (GC:…) at the till: 禮品卡 opens on it (sell an issued card, see a sold one's balance).
  if (isGiftCardScan(code)) {
    if (ui.dialog?.kind === 'quick-add' || ui.dialog?.kind === 'member-enrol') return; // finish that form first
    if (ui.dialog?.kind !== 'gift-card') ui.open({ kind: 'gift-card' });
    void stores.giftCard.getState().lookup(code);
    return;
  }
  // The order code on the customer's phone (`ORD:…`): collect it, from any screen of the till.
  if (code.toUpperCase().startsWith(ORDER_SCAN_PREFIX)) {
    if (ui.dialog?.kind !== 'orders') ui.open({ kind: 'orders' });
    void stores.orders.getState().collect(code);
    return;
  }
  switch (ui.dialog?.kind) {
    case 'returns': {
      const returns = stores.returns.getState();
      const returnsItem = returns.mode === 'no-receipt';
      void returns.scanned(code).then((outcome) => {
        // The scanned item is in the cart as a return: the dialog's job is done.
        if (returnsItem && outcome.ok && stores.ui.getState().dialog?.kind === 'returns') stores.ui.getState().close();
      });
      return;
    }
    case 'lookup':
      void stores.receipts.getState().find(code);
      return;
    case 'quick-add':
      return; // the form is already about an unknown code; a second one waits
    case 'orders':
      // In the queue, a scan is an order's number printed as a plain barcode.
      void stores.orders.getState().collect(code);
      return;
    case 'social-order':
      return; // the form's own item field takes typed codes
    case 'order-pickup':
      // A scan here is the item the customer takes instead of a swapped-out line.
      stores.orders.getState().scannedSwapIn(code);
      return;
    case undefined:
      // The barcode on a receipt: show that sale (reprint, or start a return from it).
      if (ReceiptNo.safeParse(code).success) {
        ui.open({ kind: 'lookup' });
        void stores.receipts.getState().find(code);
        return;
      }
      break;
    default:
      // A dialog about a line (quantity, discount) or the cart: the scan wins, as at any till.
      ui.close();
  }
  void cart.scan(code);
}
