/**
 * Builds the renderer's stores around one PosApi and connects them: who is logged in follows
 * main's status, a new staff member gets a fresh checkout (favourites, settings, their open cart),
 * a completed sale shows its receipt beside the next cart, and any call that finds the core gone or
 * the session ended sends the till to the right screen.
 */
import type { StoreApi } from 'zustand/vanilla';
import type { PosApi } from '../../shared/channels';
import type { PosErrorBody } from '../../shared/errors';
import { FPS_METHOD_CODE } from '../../shared/fps-qr';
import { parseCents } from '../../shared/money';
import { createApprovalStore, type ApprovalState } from './approval-store';
import { createCartStore, type CartState } from './cart-store';
import { createCatalogStore, type CatalogState } from './catalog-store';
import { createCheckoutSettingsStore, type CheckoutSettingsState } from './checkout-settings-store';
import { createMemberStore, type MemberState } from './member-store';
import { createGiftCardStore, type GiftCardState } from './gift-card-store';
import { createPaymentStore, type PaymentState } from './payment-store';
import { createReceiptStore, type ReceiptState } from './receipt-store';
import { createRegisterStore, type RegisterState, type RegisterStoreOptions } from './register-store';
import { createReturnsStore, type ReturnsState } from './returns-store';
import { createSessionStore, type SessionState } from './session-store';
import { createSuspendedStore, type SuspendedState } from './suspended-store';
import { createUiStore, type UiState } from './ui-store';
import { createOrdersStore, type OrdersState } from './orders-store';

export interface PosStores {
  /** The register's API, for the back-office sections' stores (made per visit, see useSectionStore). */
  api: PosApi;
  register: StoreApi<RegisterState>;
  session: StoreApi<SessionState>;
  settings: StoreApi<CheckoutSettingsState>;
  catalog: StoreApi<CatalogState>;
  cart: StoreApi<CartState>;
  approval: StoreApi<ApprovalState>;
  payment: StoreApi<PaymentState>;
  receipts: StoreApi<ReceiptState>;
  returns: StoreApi<ReturnsState>;
  suspended: StoreApi<SuspendedState>;
  member: StoreApi<MemberState>;
  giftCard: StoreApi<GiftCardState>;
  orders: StoreApi<OrdersState>;
  ui: StoreApi<UiState>;
}

export interface PosStoresOptions extends RegisterStoreOptions {
  onMiss?: () => void;
  /** For tests: the search debounce timer. */
  catalogTimers?: { setTimer: (callback: () => void, ms: number) => unknown; clearTimer: (handle: unknown) => void };
}

export function createPosStores(api: PosApi, options: PosStoresOptions = {}): PosStores {
  const onFailure = (error: PosErrorBody) => {
    if (error.code === 'DISCONNECTED') register.getState().connectionLost();
    else if (error.code === 'NOT_LOGGED_IN') session.getState().staffChanged(null);
  };
  const register = createRegisterStore(api, options);
  const session = createSessionStore(api, { onFailure });
  const settings = createCheckoutSettingsStore(api, { onFailure });
  const catalog = createCatalogStore(api, { onFailure, ...(options.catalogTimers ?? {}) });
  const approval = createApprovalStore(api, { onFailure, currentStaff: () => session.getState().staff });
  const cart = createCartStore(api, {
    onFailure,
    ...(options.onMiss ? { onMiss: options.onMiss } : {}),
    withApproval: (reason, call) => approval.getState().withApproval(reason, call),
  });
  const receipts = createReceiptStore(api, { onFailure });
  const ui = createUiStore();
  const payment = createPaymentStore(api, {
    onFailure,
    config: () => settings.getState(),
    onCompleted: (receipt) => {
      receipts.getState().showCompleted(receipt);
      ui.getState().showCart();
      void cart.getState().completed();
    },
  });
  const returns = createReturnsStore(api, { onFailure, cart: () => cart.getState() });
  const suspended = createSuspendedStore(api, { onFailure });
  const member = createMemberStore(api, {
    onFailure,
    cart: () => cart.getState(),
    // a scanned card not found: the member panel opens to say why
    onOpen: () => {
      if (ui.getState().dialog?.kind !== 'member') ui.getState().open({ kind: 'member' });
    },
  });
  const giftCard = createGiftCardStore(api, { onFailure, cart: () => cart.getState() });
  // An order that opens in the cart: the till shows it at once, ready to take payment.
  const orders = createOrdersStore(api, {
    onFailure,
    onCart: () => {
      void cart.getState().load();
      ui.getState().close();
    },
  });

  const startCheckout = () => {
    void catalog.getState().loadFavourites();
    void settings.getState().load();
    void cart.getState().load();
  };

  register.subscribe((state, previous) => {
    if (state.status && state.status !== previous.status) session.getState().staffChanged(state.status.staff);
    // New orders pulled, or a clash found: the open queue reads itself again.
    const figures = (s: typeof state) => `${s.status?.orders?.new ?? 0}/${s.status?.orders?.conflicts ?? 0}/${s.status?.sync.pending ?? 0}`;
    if (ui.getState().dialog?.kind === 'orders' && figures(state) !== figures(previous)) void orders.getState().load();
    // 練習模式 switched on or off: the till's cart (and its last receipt) belong to the other mode.
    const training = (s: typeof state) => s.status?.training?.on === true;
    if (previous.status !== null && state.status !== null && training(state) !== training(previous) && session.getState().staff) {
      receipts.getState().reset();
      void cart.getState().load();
    }
    // What failed while the core was away comes back with it (not at start-up: login loads it all).
    if (state.connection === 'connected' && previous.connection === 'unreachable' && session.getState().staff) {
      if (catalog.getState().favouritesState === 'failed') void catalog.getState().loadFavourites();
      if (settings.getState().loadState === 'failed') void settings.getState().load();
      void cart.getState().load();
    }
  });

  session.subscribe((state, previous) => {
    if (state.staff?.id === previous.staff?.id) return;
    approval.getState().cancel();
    for (const store of [catalog, cart, settings, payment, receipts, returns, member, giftCard, orders, ui]) store.getState().reset();
    if (state.staff) startCheckout();
  });

  // The payment screen opened: the pole display and the customer screen show what to pay (issue 4b).
  ui.subscribe((state, previous) => {
    if (state.view === 'payment' && previous.view !== 'payment') void api['customer:show-total']({});
  });

  // 轉數快 FPS chosen on the payment screen: the customer screen shows the FPS QR for that tender's
  // amount (issue 15); another method, or no amount, goes back to the total.
  let fpsShown: string | null = null;
  payment.subscribe((state) => {
    const amount = state.active && state.methodCode === FPS_METHOD_CODE ? parseCents(state.amountText) : null;
    const key = amount !== null && amount > 0 ? `${state.cartId}:${amount}` : null;
    if (key === fpsShown) return;
    const wasShown = fpsShown !== null;
    fpsShown = key;
    if (amount !== null && amount > 0) void api['customer:show-fps']({ amount });
    else if (wasShown && state.active) void api['customer:show-total']({});
  });

  // The next customer's first line closes the last receipt.
  cart.subscribe((state, previous) => {
    if (state.cart !== previous.cart && (state.cart?.lines.length ?? 0) > 0) receipts.getState().dismissLast();
  });

  return { api, register, session, settings, catalog, cart, approval, payment, receipts, returns, suspended, member, giftCard, orders, ui };
}
