/**
 * The open cart as main keeps it (main owns it, in SQLite: a crash loses nothing). Every change is
 * an intent sent to main, which answers the whole priced cart (the intents a cashier repeats line by
 * line name the cart held, and get what changed since: src/shared/cart-patch.ts); the store shows
 * the newest answer.
 * A scanner can fire the next code before the last answer is back, so an answer older than one
 * already shown is dropped. The core may have handled those intents in another order than they
 * were sent (one waited for a permission check): once every intent is answered, a cart that
 * dropped an answer is read again from the core, so the screen ends on the core's cart.
 *
 * Intents are ordered: `version` numbers the answer shown (the intents sent before it are in it),
 * and `settled()` waits until every intent already sent has its answer, so what acts on the whole
 * cart (the payment screen) never starts from a cart older than a key already pressed (issue 10:
 * Del then F12 opened payment on the total before the delete). A key whose change reaches the cart
 * only after a lookup (a member card, a typed SKU, a quick-add) is counted from the key itself
 * (`intent`), not from the request that follows the lookup.
 *
 * Actions answer an Outcome so the dialog that asked can show a refusal in place. Actions over the
 * cashier's limit go through the manager override (approval store) and come back here approved.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { PosApi } from '../../shared/channels';
import type { Cart, CartLine, Discount } from '../../shared/checkout-schemas';
import type { PosErrorBody, Result } from '../../shared/errors';
import { ScanCode } from '../../shared/schemas';
import type { ApprovalReason, ApprovedCall } from './approval-store';
import type { FailureHandler, LoadState } from './load-state';
import { done, type Outcome } from './outcome';
import { keepUnchanged } from '../../shared/same-value';
import { RecentCarts, applyCartPatch, isCartPatch, type CartAnswer } from '../../shared/cart-patch';

export type ScanProblemKind = 'ITEM_NOT_FOUND' | 'BARCODE_INVALID' | 'FORBIDDEN' | 'FAILED' | 'SCAN_WHILE_PAYING';

export interface ScanProblem {
  kind: ScanProblemKind;
  /** The code it is about, for 找不到貨品：<code> and for the quick-add form. */
  code: string;
}

export interface QuickAddDraft {
  code: string;
  nameZh: string;
  nameEn: string;
  price: number;
  categoryCode: string | null;
}

export interface CartState {
  cart: Cart | null;
  /** Which intent's answer `cart` is (they are numbered as sent); 0 before the first. */
  version: number;
  loadState: LoadState;
  /** The line F2, F3 and Del act on: the newest changed line, or one picked with the arrows or a tap. */
  selectedLineId: number | null;
  scanProblem: ScanProblem | null;
  /** Counts problems, so the same miss twice still beeps and re-shows. */
  problemCount: number;
  /** A Chinese input method is eating keystrokes: scans cannot arrive. */
  imeComposing: boolean;
  load(): Promise<Outcome>;
  /** Whether an intent sent is still waiting for its answer. */
  pending(): boolean;
  /** The cart once every intent sent so far is answered (the newest answer; a refused one changed nothing). */
  settled(): Promise<Cart | null>;
  /**
   * Counts `work` as an intent in flight from now until it ends: a key whose cart change follows a
   * lookup (a member card, a typed SKU) is called before its first await, so `settled()` waits for it.
   */
  intent<T>(work: () => Promise<T>): Promise<T>;
  scan(code: string): Promise<Outcome>;
  addProduct(productId: number, quantity?: number): Promise<Outcome>;
  setQuantity(lineId: number, quantity: number): Promise<Outcome>;
  removeLine(lineId: number): Promise<Outcome>;
  setLineDiscount(lineId: number, discount: Discount | null): Promise<Outcome>;
  setCartDiscount(discount: Discount | null): Promise<Outcome>;
  /** Before payment, when the cart says `discountsToApprove`: settled on the cashier, or a manager's PIN is asked. */
  approveDiscounts(): Promise<Outcome>;
  setPrice(lineId: number, unitPrice: number | null): Promise<Outcome>;
  suspend(label: string): Promise<Outcome>;
  recall(cartId: number): Promise<Outcome>;
  voidCart(reason: string): Promise<Outcome>;
  /** Puts a member on the sale (member prices apply at once), or takes them off (null). */
  setMember(code: string | null): Promise<Outcome>;
  /** Sells a gift card as a line, loaded with `value` cents (activated when the sale completes). */
  addGiftCard(code: string, value: number): Promise<Outcome>;
  addReturn(receiptNo: string, lines: { saleLineId: number; quantity: number }[]): Promise<Outcome>;
  addReturnWithoutReceipt(code: string, quantity: number, unitPrice?: number): Promise<Outcome>;
  /** Adds an unknown item to the catalogue (manager, or a manager's PIN) and puts one in the cart. */
  quickAdd(draft: QuickAddDraft): Promise<Outcome>;
  selectLine(lineId: number): void;
  moveSelection(delta: 1 | -1): void;
  selectedLine(): CartLine | null;
  reportScanProblem(kind: ScanProblemKind, code: string): void;
  clearScanProblem(): void;
  setImeComposing(composing: boolean): void;
  /** The sale was completed: main has closed this cart; show the next one. */
  completed(): Promise<void>;
  reset(): void;
}

export interface CartStoreOptions {
  onFailure?: FailureHandler;
  /** Every scan miss, for the error tone. */
  onMiss?: () => void;
  withApproval?: <T>(reason: ApprovalReason, call: ApprovedCall<T>) => Promise<Result<T>>;
}

/** The line to highlight: the one main says changed last, else the newest. */
function defaultSelection(cart: Cart): number | null {
  if (cart.lastLineId !== null && cart.lines.some((l) => l.id === cart.lastLineId)) return cart.lastLineId;
  return cart.lines.at(-1)?.id ?? null;
}

const scanProblemOf: Partial<Record<PosErrorBody['code'], ScanProblemKind>> = {
  ITEM_NOT_FOUND: 'ITEM_NOT_FOUND',
  NOT_FOUND: 'ITEM_NOT_FOUND',
  BARCODE_INVALID: 'BARCODE_INVALID',
  BAD_REQUEST: 'BARCODE_INVALID',
  FORBIDDEN: 'FORBIDDEN',
};

export function createCartStore(api: PosApi, options: CartStoreOptions = {}): StoreApi<CartState> {
  const onFailure = options.onFailure ?? (() => {});
  const onMiss = options.onMiss ?? (() => {});
  const withApproval = options.withApproval ?? (<T>(_reason: ApprovalReason, call: ApprovedCall<T>) => call());
  let sent = 0;
  let shown = 0;
  /** Intents sent and not yet answered (a suspended cart's follow-up load included), and who waits for none. */
  let inFlight = 0;
  let whenSettled: (() => void)[] = [];
  /** An answer came back after a newer one was shown; intents before `floor` belong to a cart reset since. */
  let superseded = false;
  let floor = 0;
  /** The carts last received, by revision: the newest is named to the core, which may answer a patch of it. */
  const received = new RecentCarts(8);
  /** What an intent that changes lines sends along: the revision of the newest cart received. */
  const known = (): { known?: string } => {
    const revision = received.newest()?.revision;
    return revision === undefined ? {} : { known: revision };
  };
  /** The whole cart an answer stands for; null when it patches a cart no longer held (the caller reads the cart again). */
  const wholeCart = (answer: CartAnswer): Cart | null => {
    if (!isCartPatch(answer)) {
      received.remember(answer);
      return answer;
    }
    const base = received.get(answer.patchOf);
    const cart = base ? applyCartPatch(base, answer) : null;
    if (cart) received.remember(cart);
    return cart;
  };

  return createStore<CartState>()((set, get) => {
    const show = (answer: Cart, seq: number) => {
      if (seq < shown) {
        if (seq > floor) superseded = true;
        return;
      }
      shown = seq;
      set((s) => {
        // Every answer is a fresh copy of the whole cart: the lines that did not change keep their
        // objects, so a scan into a 300-line cart changes two rows' props, not 300.
        const next = s.cart?.id === answer.id ? { ...answer, lines: keepUnchanged(s.cart.lines, answer.lines, (l) => l.id) } : answer;
        const keep =
          s.cart?.id === next.id &&
          s.selectedLineId !== null &&
          next.lastLineId === s.cart.lastLineId &&
          next.lines.some((l) => l.id === s.selectedLineId);
        return { cart: next, version: seq, loadState: 'ready', selectedLineId: keep ? s.selectedLineId : defaultSelection(next) };
      });
    };

    /** Counts an intent in flight from before its request is sent until its answer (and any follow-up) is shown. */
    const tracked = async <T>(work: () => Promise<T>): Promise<T> => {
      inFlight++;
      try {
        return await work();
      } finally {
        inFlight--;
        if (inFlight === 0 && superseded) {
          // Which answer is the core's latest is unknown: ask it (whoever waits, waits for that too).
          superseded = false;
          void load();
        } else if (inFlight === 0) {
          const waiting = whenSettled;
          whenSettled = [];
          for (const resume of waiting) resume();
        }
      }
    };

    /** Sends one cart intent and shows its answer; a cart that is no longer open (suspended) is replaced by the open one. */
    const send = (request: () => Promise<Result<CartAnswer>>): Promise<Outcome> => tracked(() => sendNow(request));

    const sendNow = async (request: () => Promise<Result<CartAnswer>>): Promise<Outcome> => {
      const seq = ++sent;
      const result = await request();
      if (!result.ok) {
        onFailure(result.error);
        return { ok: false, error: result.error, ...(result.error.code === 'APPROVAL_REQUIRED' ? { cancelled: true } : {}) };
      }
      return showAnswer(result.value, seq);
    };

    /**
     * Shows an intent's answer. A patch of a cart no longer held, or a cart no longer open
     * (suspended), is replaced by the open cart read again.
     */
    const showAnswer = (answer: CartAnswer, seq: number): Promise<Outcome> | Outcome => {
      const cart = wholeCart(answer);
      if (cart === null || cart.status !== 'open') return load();
      show(cart, seq);
      return done;
    };

    const approved = (reason: ApprovalReason, call: ApprovedCall<CartAnswer>) => send(() => withApproval(reason, call));

    const problem = (kind: ScanProblemKind, code: string) => {
      set((s) => ({ scanProblem: { kind, code }, problemCount: s.problemCount + 1 }));
      onMiss();
    };

    const load = (): Promise<Outcome> => tracked(loadNow);

    const loadNow = async (): Promise<Outcome> => {
      const seq = ++sent;
      if (get().cart === null) set({ loadState: 'loading' });
      const result = await api['cart:get']({});
      if (!result.ok) {
        if (get().cart === null) set({ loadState: 'failed' });
        onFailure(result.error);
        return { ok: false, error: result.error };
      }
      received.remember(result.value);
      show(result.value, seq);
      return done;
    };

    const scanNow = async (raw: string): Promise<Outcome> => {
      // Checked here too so a misread gets its answer without a round trip; main checks again.
      const parsed = ScanCode.safeParse(raw);
      if (!parsed.success) {
        problem('BARCODE_INVALID', raw.trim());
        return { ok: false, error: { code: 'BARCODE_INVALID', message: parsed.error.message } };
      }
      const code = parsed.data;
      const seq = ++sent;
      const result = await api['cart:scan']({ code, ...known() });
      if (result.ok) {
        set({ scanProblem: null });
        return showAnswer(result.value, seq);
      }
      const kind = scanProblemOf[result.error.code];
      problem(kind ?? 'FAILED', code);
      if (!kind) onFailure(result.error);
      return { ok: false, error: result.error };
    };

    return {
      cart: null,
      version: 0,
      loadState: 'idle',
      selectedLineId: null,
      scanProblem: null,
      problemCount: 0,
      imeComposing: false,

      load,

      pending: () => inFlight > 0,

      settled() {
        if (inFlight === 0) return Promise.resolve(get().cart);
        return new Promise((resolve) => whenSettled.push(() => resolve(get().cart)));
      },

      intent: tracked,

      scan: (raw) => tracked(() => scanNow(raw)),
      addProduct(productId, quantity) {
        set({ scanProblem: null });
        return send(() => api['cart:add-product']({ productId, ...(quantity === undefined ? {} : { quantity }), ...known() }));
      },

      // Fewer units, or a line gone from under a cart discount, can take an amount discount over its
      // limit: main then asks for a manager as it does when the discount is set.
      setQuantity: (lineId, quantity) =>
        approved('discount', (approval) => api['cart:set-quantity']({ lineId, quantity, ...(approval ? { approval } : {}), ...known() })),

      removeLine: (lineId) =>
        approved('cart-discount', (approval) => api['cart:remove-line']({ lineId, ...(approval ? { approval } : {}), ...known() })),

      setLineDiscount: (lineId, discount) =>
        approved('discount', (approval) => api['cart:set-line-discount']({ lineId, discount, ...(approval ? { approval } : {}) })),

      setCartDiscount: (discount) =>
        approved('cart-discount', (approval) => api['cart:set-cart-discount']({ discount, ...(approval ? { approval } : {}) })),

      approveDiscounts: () => approved('discount', (approval) => api['cart:approve-discounts'](approval ? { approval } : {})),

      setPrice: (lineId, unitPrice) =>
        approved('price', (approval) => api['cart:set-price']({ lineId, unitPrice, ...(approval ? { approval } : {}) })),

      suspend: (label) => send(() => api['cart:suspend']({ label })),

      recall: (cartId) => send(() => api['cart:recall']({ cartId })),

      voidCart: (reason) => send(() => api['cart:void']({ reason })),

      // Member prices can take an amount discount over its limit too: the same manager PIN as a quantity change.
      setMember: (code) => approved('discount', (approval) => api['cart:set-member']({ code, ...(approval ? { approval } : {}) })),

      addGiftCard: (code, value) => send(() => api['cart:add-gift-card']({ code, value })),

      addReturn: (receiptNo, lines) => send(() => api['cart:add-return']({ receiptNo, lines })),

      addReturnWithoutReceipt: (code, quantity, unitPrice) =>
        approved('return-without-receipt', (approval) =>
          api['cart:add-return-without-receipt']({
            code,
            quantity,
            ...(unitPrice === undefined ? {} : { unitPrice }),
            ...(approval ? { approval } : {}),
          }),
        ),

      // Counted from the form's submit: the line is added only once the catalogue has the product.
      quickAdd: (draft) =>
        tracked(async () => {
          const result = await withApproval('quick-add', (approval) =>
            api['catalog:quick-add']({ ...draft, ...(approval ? { approval } : {}) }),
          );
          if (!result.ok) {
            onFailure(result.error);
            return { ok: false, error: result.error, ...(result.error.code === 'APPROVAL_REQUIRED' ? { cancelled: true } : {}) };
          }
          set({ scanProblem: null });
          return get().addProduct(result.value.id);
        }),

      selectLine(lineId) {
        if (get().cart?.lines.some((l) => l.id === lineId)) set({ selectedLineId: lineId });
      },

      moveSelection(delta) {
        const { cart, selectedLineId } = get();
        if (!cart || cart.lines.length === 0) return;
        const index = cart.lines.findIndex((l) => l.id === selectedLineId);
        const next = index < 0 ? cart.lines.length - 1 : Math.min(cart.lines.length - 1, Math.max(0, index + delta));
        set({ selectedLineId: cart.lines[next]?.id ?? null });
      },

      selectedLine() {
        const { cart, selectedLineId } = get();
        return cart?.lines.find((l) => l.id === selectedLineId) ?? null;
      },

      reportScanProblem: problem,

      clearScanProblem() {
        if (get().scanProblem !== null) set({ scanProblem: null });
      },

      setImeComposing(imeComposing) {
        if (get().imeComposing !== imeComposing) set({ imeComposing });
      },

      async completed() {
        set({ scanProblem: null });
        await load();
      },

      reset() {
        shown = ++sent;
        floor = shown;
        superseded = false;
        received.clear();
        set({
          cart: null,
          version: shown,
          loadState: 'idle',
          selectedLineId: null,
          scanProblem: null,
          problemCount: 0,
          imeComposing: false,
        });
      },
    };
  });
}
