import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { canRun, leavePayment, runCommand, type CheckoutCommand } from '../checkout/commands';
import { ActionBar, ActionButton, LanguageButton } from '../components/action-bar';
import { AppShell } from '../components/app-shell';
import { ApprovalPad } from '../components/approval-pad';
import { CartPanel } from '../components/cart-panel';
import { keepFocus } from '../components/keep-focus';
import { FavouritesGrid } from '../components/favourites-grid';
import { ReceiptPanel } from '../components/receipt-panel';
import { ScanField } from '../components/scan-field';
import { SearchResults } from '../components/search-results';
import { DialogHost } from '../dialogs/dialog-host';
import { PrintNotice } from '../printing/print-notice';
import { useKeyHandler } from '../hooks/use-key-handler';
import { useLocale } from '../hooks/use-locale';
import { useWedgeScanner } from '../hooks/use-wedge-scanner';
import { useHidScans } from '../scanner/hid-scan-events';
import { isTypingKey, pinKeyAction, type KeyPress } from '../keys';
import { routeScan } from '../scanner/scan-router';
import { isFunctionKey, paymentMethodKey, resolveShortcut, type ShortcutId } from '../shortcuts';
import type { PosStores } from '../stores/pos-stores';
import { tenderButtonMethods } from '../stores/payment-store';
import {
  useApproval,
  useCart,
  useCatalog,
  useCheckoutSettings,
  usePosStores,
  useReceipts,
  useRegister,
  useUi,
} from '../stores/stores-context';
import { PaymentActions, PaymentScreen } from './payment-screen';

const COMMAND_OF: Partial<Record<ShortcutId, CheckoutCommand>> = {
  lookup: 'lookup',
  quantity: 'quantity',
  price: 'price',
  discount: 'discount',
  'cart-discount': 'cart-discount',
  suspend: 'suspend',
  recall: 'recall',
  orders: 'orders',
  return: 'return',
  'remove-line': 'remove-line',
  void: 'void',
  'no-sale': 'no-sale',
  member: 'member',
  'remove-member': 'remove-member',
  'gift-card': 'gift-card',
  pay: 'pay',
};

function isTextField(target: EventTarget | null): target is HTMLInputElement | HTMLTextAreaElement {
  return target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement;
}

/**
 * 收銀: the screen after login (UX.md). Scan field and favourites or search results on the left,
 * the cart (or the last receipt, waiting for the next customer) on the right, the action bar with
 * every key. Payment replaces the work area; dialogs and the manager PIN pad open over it.
 */
export function CheckoutScreen() {
  const stores = usePosStores();
  const { toggleLocale } = useLocale();
  const scanInput = useRef<HTMLInputElement>(null);
  const view = useUi((s) => s.view);
  const dialog = useUi((s) => s.dialog);
  const approvalOpen = useApproval((s) => s.open);
  const scanner = useCheckoutSettings((s) => s.settings.scanner);

  useWedgeScanner({
    settings: scanner,
    onScan: (code) => routeScan(stores, code),
    onImeChange: (composing) => stores.cart.getState().setImeComposing(composing),
    fallbackTarget: () => {
      const ui = stores.ui.getState();
      return ui.view === 'cart' && ui.dialog === null && !stores.approval.getState().open ? scanInput.current : null;
    },
  });

  useHidScans((code) => routeScan(stores, code));

  // Back on the cart with nothing over it, the scan field has focus again.
  useEffect(() => {
    if (view === 'cart' && dialog === null && !approvalOpen) scanInput.current?.focus();
  }, [view, dialog, approvalOpen]);

  useKeyHandler((press, event) => handleKey(stores, press, event, { toggleLocale, scanInput: scanInput.current }));

  const backToCart = () => void leavePayment(stores);

  return (
    <>
      <AppShell actions={view === 'payment' ? <PaymentActions onBack={backToCart} /> : <CheckoutActions />}>
        {view === 'payment' ? <PaymentScreen /> : <CheckoutBody scanInput={scanInput} />}
      </AppShell>
      <DialogHost />
      <PrintNotice />
      <ApprovalPad />
    </>
  );
}

function CheckoutBody({ scanInput }: { scanInput: React.RefObject<HTMLInputElement | null> }) {
  const searching = useCatalog((s) => s.query.trim() !== '');
  const showReceipt = useReceipts((s) => s.last !== null);
  const cartEmpty = useCart((s) => (s.cart?.lines.length ?? 0) === 0);
  return (
    <div className="checkout-screen">
      <div className="work-column">
        <ScanField inputRef={scanInput} extra={<MemberButton />} />
        {searching ? <SearchResults /> : <FavouritesGrid extra={<GiftCardButton />} />}
      </div>
      {showReceipt && cartEmpty ? <ReceiptPanel /> : <CartPanel />}
    </div>
  );
}

/** F8 會員 beside the scan field (the action bar has no room left at 1024 px): a member is found like an item. */
function MemberButton() {
  const { t } = useTranslation();
  const stores = usePosStores();
  return (
    <button
      type="button"
      className="scan-submit"
      data-testid="action-member"
      onMouseDown={keepFocus}
      onClick={() => runCommand(stores, 'member')}
    >
      {t('action.member')}
      <kbd className="scan-submit-key">F8</kbd>
    </button>
  );
}

/** ⇧F9 禮品卡 at the favourites' heading (the scan row keeps its room at 1024 px): sell a card, or look one up (a card scanned anywhere opens it too). */
function GiftCardButton() {
  const { t } = useTranslation();
  const stores = usePosStores();
  return (
    <button
      type="button"
      className="plain-button favourites-action"
      data-testid="action-gift-card"
      onMouseDown={keepFocus}
      onClick={() => runCommand(stores, 'gift-card')}
    >
      {t('giftCard.title')}
      <kbd className="action-key">⇧F9</kbd>
    </button>
  );
}

function CheckoutActions() {
  const { t } = useTranslation();
  const stores = usePosStores();
  // Re-render when what enables the buttons changes.
  useCart((s) => s.cart);
  useCart((s) => s.selectedLineId);
  const button = (command: CheckoutCommand, shortcut: ShortcutId, testId: string, label: string, primary = false) => (
    <ActionButton
      shortcut={shortcut}
      testId={testId}
      disabled={!canRun(stores, command)}
      primary={primary}
      onPress={() => runCommand(stores, command)}
    >
      {label}
    </ActionButton>
  );
  return (
    <ActionBar dense>
      {button('quantity', 'quantity', 'action-quantity', t('action.quantity'))}
      {button('discount', 'discount', 'action-discount', t('action.discount'))}
      {button('suspend', 'suspend', 'action-suspend', t('action.suspend'))}
      {button('recall', 'recall', 'action-recall', t('action.recall'))}
      <OrdersButton />
      {button('return', 'return', 'action-return', t('action.return'))}
      {button('lookup', 'lookup', 'action-lookup', t('action.lookup'))}
      {button('remove-line', 'remove-line', 'action-remove-line', t('action.removeLine'))}
      {button('no-sale', 'no-sale', 'action-no-sale', t('action.noSale'))}
      <span className="action-spacer" />
      <LanguageButton />
      <ActionButton shortcut="back-office" testId="action-back-office" onPress={() => stores.ui.getState().openBackOffice()}>
        {t('action.backOffice')}
      </ActionButton>
      <ActionButton shortcut="logout" testId="logout" onPress={() => void stores.session.getState().logout()}>
        {t('action.logout')}
      </ActionButton>
      {button('pay', 'pay', 'action-pay', t('action.pay'), true)}
    </ActionBar>
  );
}

/** 網上訂單 (⇧F5) with a badge counting new orders (and a warning mark for a clash found after sync). */
function OrdersButton() {
  const { t } = useTranslation();
  const stores = usePosStores();
  const figures = useRegister((s) => s.status?.orders);
  const fresh = figures?.new ?? 0;
  const conflicts = figures?.conflicts ?? 0;
  return (
    <ActionButton
      shortcut="orders"
      testId="action-orders"
      disabled={!canRun(stores, 'orders')}
      onPress={() => runCommand(stores, 'orders')}
    >
      {t('action.orders')}
      {fresh > 0 && (
        <span className="action-badge" data-testid="orders-badge" aria-label={t('orders.newCount', { count: fresh })}>
          {fresh}
        </span>
      )}
      {conflicts > 0 && (
        <span
          className="action-badge is-warning"
          data-testid="orders-conflict-badge"
          aria-label={t('orders.conflicts', { count: conflicts })}
        >
          !
        </span>
      )}
    </ActionButton>
  );
}

/** Every key on the checkout, in priority order: the PIN pad, the payment screen, a dialog, the cart. */
function handleKey(
  stores: PosStores,
  press: KeyPress,
  event: KeyboardEvent,
  ctx: { toggleLocale: () => void; scanInput: HTMLInputElement | null },
): boolean {
  const ui = stores.ui.getState();
  const approval = stores.approval.getState();
  if (approval.open) {
    if (press.key === 'Escape') {
      approval.cancel();
      return true;
    }
    const action = pinKeyAction(press);
    if (!action) return isFunctionKey(press.key);
    if (action.type === 'digit') approval.pressDigit(action.digit);
    else if (action.type === 'delete') approval.deleteDigit();
    else void approval.submit();
    return true;
  }

  if (ui.view === 'payment') {
    const payment = stores.payment.getState();
    const shortcut = resolveShortcut('payment', press);
    if (shortcut === 'payment-back') {
      leavePayment(stores);
      return true;
    }
    if (shortcut === 'payment-enter') {
      void payment.enter();
      return true;
    }
    if (shortcut === 'toggle-language') {
      ctx.toggleLocale();
      return true;
    }
    const index = paymentMethodKey(press);
    const method = index === null ? undefined : tenderButtonMethods(stores.settings.getState().methods)[index];
    if (method) {
      payment.chooseMethod(method.code);
      return true;
    }
    return isFunctionKey(press.key);
  }

  if (ui.dialog) {
    if (press.key === 'Escape' && !press.repeat) {
      ui.close();
      return true;
    }
    // F8 會員's own keys: F2 enrols a new member, ⇧F8 takes the member off the sale.
    if (ui.dialog.kind === 'member' && !press.repeat) {
      const shortcut = resolveShortcut('checkout', press);
      if (shortcut === 'quantity') {
        stores.member.getState().startEnrol(stores.member.getState().query);
        ui.open({ kind: 'member-enrol' });
        return true;
      }
      if (shortcut === 'remove-member') {
        void stores.member.getState().detach();
        return true;
      }
    }
    return isFunctionKey(press.key);
  }

  const shortcut = resolveShortcut('checkout', press);
  const editingText = isTextField(event.target) && event.target.value !== '';
  const catalog = stores.catalog.getState();
  const cart = stores.cart.getState();
  switch (shortcut) {
    case 'clear-scan':
      catalog.clearQuery();
      cart.clearScanProblem();
      ctx.scanInput?.focus();
      return true;
    case 'line-up':
    case 'line-down': {
      const delta = shortcut === 'line-up' ? -1 : 1;
      if (catalog.results.length > 0 && catalog.query.trim() !== '') catalog.moveHighlight(delta);
      else cart.moveSelection(delta);
      return true;
    }
    case 'logout':
      void stores.session.getState().logout();
      return true;
    case 'back-office':
      stores.ui.getState().openBackOffice();
      return true;
    case 'toggle-language':
      ctx.toggleLocale();
      return true;
    case 'remove-line':
      // Delete inside typed text deletes a character, as everywhere else.
      if (editingText) return false;
      break;
    default:
      break;
  }
  const command = shortcut ? COMMAND_OF[shortcut] : undefined;
  if (command) {
    runCommand(stores, command);
    return true;
  }
  // A key typed with focus on no field goes to the scan field.
  const input = ctx.scanInput;
  if (input && !isTextField(event.target) && isTypingKey(press)) input.focus();
  return isFunctionKey(press.key);
}
