/**
 * The payment screen (F12): tenders being added for one cart, until they cover what is due and
 * Enter completes the sale. For a cart whose total is negative (a return, an exchange for less)
 * the same screen pays money back. The arithmetic is the shared tender plan (src/shared/tender-plan.ts),
 * which main runs again as the authority.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { PosApi } from '../../shared/channels';
import type { Cart, CheckoutSettings, PaymentMethod, Receipt } from '../../shared/checkout-schemas';
import type { PosErrorBody } from '../../shared/errors';
import { parseCents, type Cents } from '../../shared/money';
import { centsToInput } from '../checkout/number-input';
import {
  paymentSummary,
  planEntries,
  tenderInputs,
  tenderProblem,
  type PaymentSummary,
  type TenderEntry,
  type TenderProblem,
} from '../../shared/tender-plan';
import type { FailureHandler } from './load-state';
import type { MemberView } from '../../shared/member-schemas';
import { storedValueKindOf, unitsForValue, valueOfUnits, type StoredValueKind } from '../../shared/stored-value';
import { GIFT_CARD_METHOD } from '../../shared/gift-card';

export type PaymentProblem = TenderProblem | 'NOT_COVERED' | 'CHOOSE_METHOD' | 'STORED_VALUE_NO_MEMBER' | 'STORED_VALUE_OVER_BALANCE';

/** The methods with a tender button (and F2…F8, in this order); points and store credit have the member's panel. */
export function tenderButtonMethods(methods: readonly PaymentMethod[]): PaymentMethod[] {
  return methods.filter((m) => m.kind !== 'stored-value');
}

export interface PaymentState {
  active: boolean;
  /** F12 was pressed and the screen waits for the cart the core acknowledged last (keys before F12 may still be on their way). */
  opening: boolean;
  cartId: number | null;
  total: Cents;
  /** The member on the sale: their points and store credit may pay (or take a refund back). */
  member: MemberView | null;
  methodCode: string | null;
  amountText: string;
  /** The amount field holds the suggested remaining amount, untouched: the pad's first key replaces it. */
  amountSuggested: boolean;
  reference: string;
  approvalCode: string;
  cardLast4: string;
  tenders: TenderEntry[];
  problem: PaymentProblem | null;
  /** Main refused the completion: its error, shown on the screen. */
  failure: PosErrorBody | null;
  completing: boolean;
  /** Opens the screen for this cart; cash is chosen and its amount filled in. */
  begin(cart: Cart): void;
  /**
   * Opens the screen on the cart `settled` answers once every intent already sent is answered
   * (cart store's `settled()`). A method chosen meanwhile is kept; Enter meanwhile waits for it.
   * False when there is nothing to pay (the last line was deleted) or the screen was left meanwhile;
   * false, changing nothing, while a sale is being completed (its answer must land on this screen).
   */
  open(settled: Promise<Cart | null>): Promise<boolean>;
  chooseMethod(code: string): void;
  setAmountText(text: string): void;
  setReference(text: string): void;
  setApprovalCode(text: string): void;
  setCardLast4(text: string): void;
  /** Adds the chosen method with the typed amount. False when refused (see `problem`). */
  addTender(): boolean;
  /** A tap on the amount still owed: the chosen method pays exactly that (with its fields as typed). */
  payRemaining(): boolean;
  /** A quick-cash note (cents), or 'exact': a cash tender added at once. */
  quickCash(note: Cents | 'exact'): boolean;
  removeTender(id: number): void;
  /** Enter: adds what is typed, or completes once the tenders cover the total. */
  enter(): Promise<Receipt | null>;
  complete(): Promise<Receipt | null>;
  /**
   * Esc: back to the cart; tenders not yet sent are dropped. False, and nothing changes, while the
   * sale is being completed: the core may already have closed the cart, so the till waits for its answer.
   */
  cancel(): boolean;
  /** Another staff member: nothing of this payment survives. */
  reset(): void;
  summary(): PaymentSummary;
  method(): PaymentMethod | null;
  /**
   * What the member's account may still pay on this sale, in cents of value (the balance the till
   * knows, less the tenders already added from it); main and the cloud decide the final word.
   */
  storedValueAvailable(kind: StoredValueKind): Cents;
  /** The account's units (points, or cents of credit) this sale's tenders leave on it. */
  storedValueUnitsLeft(kind: StoredValueKind): number;
  /** Why the last gift card could not pay (unknown, void, used up …), in main's code: the screen words it. */
  giftCardProblem: PosErrorBody | null;
  /**
   * A gift card scanned (or typed) on this screen: it pays what is left (or the amount typed, when
   * the cashier typed one), at most what the card holds. False when refused (see `giftCardProblem`).
   */
  giftCard(code: string): Promise<boolean>;
  /** A refund back to the gift card the returned sale was paid with (main finds the card). */
  refundToGiftCard(): boolean;
}

export interface PaymentStoreOptions {
  onFailure?: FailureHandler;
  /** The current settings and methods (from the checkout settings store). */
  config: () => { settings: CheckoutSettings; methods: PaymentMethod[] };
  onCompleted?: (receipt: Receipt) => void;
}

type PaymentData = Omit<
  PaymentState,
  { [K in keyof PaymentState]: PaymentState[K] extends (...args: never[]) => unknown ? K : never }[keyof PaymentState]
>;

const idle: PaymentData = {
  active: false,
  opening: false,
  cartId: null,
  total: 0,
  member: null,
  methodCode: null,
  amountText: '',
  amountSuggested: false,
  reference: '',
  approvalCode: '',
  cardLast4: '',
  tenders: [],
  problem: null,
  failure: null,
  completing: false,
  giftCardProblem: null,
};

export function createPaymentStore(api: PosApi, options: PaymentStoreOptions): StoreApi<PaymentState> {
  const onFailure = options.onFailure ?? (() => {});
  const onCompleted = options.onCompleted ?? (() => {});
  let nextId = 1;
  /** The latest `open`, for Enter pressed before it finished, and to tell a stale one from it. */
  let opened: Promise<boolean> = Promise.resolve(true);
  let openings = 0;

  return createStore<PaymentState>()((set, get) => {
    const step = () => options.config().settings.cashRoundingStep;
    const methodOf = (code: string | null) => options.config().methods.find((m) => m.code === code) ?? null;

    /** The account's units (points, or cents of credit) left after `tenders` take theirs. */
    const unitsLeft = (kind: StoredValueKind, tenders: readonly TenderEntry[]): number => {
      const { member } = get();
      if (!member) return 0;
      const balance = kind === 'points' ? member.points : member.storeCredit;
      const used = tenders
        .filter((t) => storedValueKindOf(t.method.code) === kind)
        .reduce((sum, t) => sum + unitsForValue(kind, t.amount, member.pointsPerDollar), 0);
      return Math.max(0, balance - used);
    };

    /** What the member's account may still pay, given `tenders` (a refund pays back without a limit here). */
    const available = (kind: StoredValueKind, tenders: readonly TenderEntry[]): Cents => {
      const { member, total } = get();
      if (!member) return 0;
      if (total < 0) return Number.MAX_SAFE_INTEGER;
      return valueOfUnits(kind, unitsLeft(kind, tenders), member.pointsPerDollar);
    };

    /** The amount field's default: what is left for the chosen method (for points or credit, no more than the account holds). */
    const defaultAmount = (tenders: readonly TenderEntry[], method: PaymentMethod | null) => {
      const { remaining } = paymentSummary(get().total, tenders, step(), method?.kind ?? null);
      const kind = method ? storedValueKindOf(method.code) : null;
      const amount = kind ? Math.min(remaining, available(kind, tenders)) : remaining;
      return amount > 0 ? centsToInput(amount) : '';
    };

    const add = (
      method: PaymentMethod,
      amount: Cents | null,
      fields: Pick<TenderEntry, 'reference' | 'approvalCode' | 'cardLast4' | 'giftCardLast4'>,
    ): boolean => {
      const { total, tenders } = get();
      if (amount === null) {
        set({ problem: 'AMOUNT_INVALID' });
        return false;
      }
      const entry = { method, amount, ...fields };
      const kind = storedValueKindOf(method.code);
      if (kind && !get().member) {
        set({ problem: 'STORED_VALUE_NO_MEMBER' });
        return false;
      }
      if (kind && amount > available(kind, tenders)) {
        set({ problem: 'STORED_VALUE_OVER_BALANCE' });
        return false;
      }
      const problem = tenderProblem(total, tenders, step(), entry);
      if (problem) {
        set({ problem });
        return false;
      }
      const next = [...tenders, { id: nextId++, ...entry }];
      // After a non-cash tender, the rest is most often cash: offer it.
      const cash = options.config().methods.find((m) => m.kind === 'cash') ?? method;
      const nextMethod = method.kind === 'cash' ? method : cash;
      set({
        tenders: next,
        methodCode: nextMethod.code,
        amountText: defaultAmount(next, nextMethod),
        amountSuggested: true,
        reference: '',
        approvalCode: '',
        cardLast4: '',
        problem: null,
        failure: null,
        giftCardProblem: null,
      });
      return true;
    };

    return {
      ...idle,

      begin(cart) {
        const methods = options.config().methods;
        const first = methods.find((m) => m.kind === 'cash') ?? methods[0] ?? null;
        // A customer order's cart owes its total less what was paid before pickup.
        set({
          ...idle,
          active: true,
          cartId: cart.id,
          total: cart.total - (cart.order?.paid ?? 0),
          member: cart.member,
          methodCode: first?.code ?? null,
        });
        set({ amountText: defaultAmount([], first), amountSuggested: true });
      },

      open(settled) {
        if (get().completing) return Promise.resolve(false);
        const opening = ++openings;
        set({ ...idle, active: true, opening: true });
        opened = settled.then((cart) => {
          if (opening !== openings || !get().opening) return false; // left, reset or opened again meanwhile
          if (!cart || cart.lines.length === 0) {
            set(idle);
            return false;
          }
          const chosen = get().methodCode;
          get().begin(cart);
          if (chosen !== null && chosen !== get().methodCode) get().chooseMethod(chosen);
          return true;
        });
        return opened;
      },

      chooseMethod(code) {
        const method = methodOf(code);
        if (!method) return;
        set({
          methodCode: code,
          amountText: defaultAmount(get().tenders, method),
          amountSuggested: true,
          reference: '',
          approvalCode: '',
          cardLast4: '',
          problem: null,
        });
      },

      setAmountText: (amountText) => set({ amountText, amountSuggested: false, problem: null }),
      setReference: (reference) => set({ reference, problem: null }),
      setApprovalCode: (approvalCode) => set({ approvalCode, problem: null }),
      setCardLast4: (cardLast4) => set({ cardLast4, problem: null }),

      addTender() {
        const { methodCode, amountText, reference, approvalCode, cardLast4 } = get();
        const method = methodOf(methodCode);
        if (!method) {
          set({ problem: 'CHOOSE_METHOD' });
          return false;
        }
        const trimmed = { reference: reference.trim(), approvalCode: approvalCode.trim(), cardLast4: cardLast4.trim() };
        return add(method, parseCents(amountText), {
          ...(method.kind === 'reference' && trimmed.reference !== '' ? { reference: trimmed.reference } : {}),
          ...(method.kind === 'card' && trimmed.approvalCode !== '' ? { approvalCode: trimmed.approvalCode } : {}),
          ...(method.kind === 'card' && trimmed.cardLast4 !== '' ? { cardLast4: trimmed.cardLast4 } : {}),
        });
      },

      payRemaining() {
        const remaining = get().summary().remaining;
        if (remaining <= 0) return false;
        set({ amountText: centsToInput(remaining), amountSuggested: true });
        return get().addTender();
      },

      quickCash(note) {
        const cash = options.config().methods.find((m) => m.kind === 'cash');
        if (!cash) return false;
        const amount = note === 'exact' ? paymentSummary(get().total, get().tenders, step(), 'cash').remaining : note;
        return add(cash, amount, {});
      },

      removeTender(id) {
        const tenders = get().tenders.filter((t) => t.id !== id);
        set({
          tenders,
          amountText: defaultAmount(tenders, methodOf(get().methodCode)),
          amountSuggested: true,
          problem: null,
          failure: null,
        });
      },

      async enter() {
        if (get().opening && !(await opened)) return null;
        if (get().summary().covered) return get().complete();
        if (get().amountText.trim() === '' && get().tenders.length > 0) {
          set({ problem: 'NOT_COVERED' });
          return null;
        }
        // When the amount just typed covers the sale, the change shows and the next Enter completes.
        get().addTender();
        return null;
      },

      async complete() {
        if (get().opening && !(await opened)) return null;
        const { active, cartId, total, tenders, completing } = get();
        if (!active || cartId === null || completing) return null;
        if (!get().summary().covered) {
          set({ problem: 'NOT_COVERED' });
          return null;
        }
        // The plan main will run: a refusal shows at once, with main's words, and nothing is sent.
        const planned = planEntries(total, tenders, step(), options.config().methods);
        if (!planned.ok) {
          set({ failure: planned.error, problem: null });
          onFailure(planned.error);
          return null;
        }
        set({ completing: true, failure: null, problem: null });
        const result = await api['sale:complete']({ cartId, tenders: tenderInputs(total, tenders, step()) });
        if (!get().active || get().cartId !== cartId) return null; // reset while main was completing
        if (!result.ok) {
          set({ completing: false, failure: result.error });
          onFailure(result.error);
          return null;
        }
        set(idle);
        onCompleted(result.value);
        return result.value;
      },

      cancel() {
        if (get().completing) return false;
        set(idle);
        return true;
      },

      reset() {
        set(idle);
      },

      summary() {
        const { total, tenders, methodCode } = get();
        return paymentSummary(total, tenders, step(), methodOf(methodCode)?.kind ?? null);
      },

      method: () => methodOf(get().methodCode),

      storedValueAvailable: (kind) => available(kind, get().tenders),

      storedValueUnitsLeft: (kind) => unitsLeft(kind, get().tenders),

      async giftCard(code) {
        const method = methodOf(GIFT_CARD_METHOD);
        if (!get().active || !method) return false;
        const found = await api['gift:find']({ code });
        if (!found.ok) {
          set({ giftCardProblem: found.error, problem: null });
          return false;
        }
        const card = found.value;
        if (card.status !== 'active') {
          const reason = card.status === 'void' ? 'GIFT_CARD_VOID' : 'GIFT_CARD_NOT_SOLD';
          set({ giftCardProblem: { code: reason, message: reason }, problem: null });
          return false;
        }
        const { tenders, amountText, amountSuggested } = get();
        const left = card.balance - tenders.filter((t) => t.reference === card.id).reduce((sum, t) => sum + t.amount, 0);
        if (left <= 0) {
          set({ giftCardProblem: { code: 'GIFT_CARD_USED_UP', message: 'GIFT_CARD_USED_UP' }, problem: null });
          return false;
        }
        const remaining = paymentSummary(get().total, tenders, step(), method.kind).remaining;
        const typed = amountSuggested ? null : parseCents(amountText);
        const amount = Math.min(left, typed !== null && typed > 0 ? typed : remaining);
        const added = add(method, amount, { reference: card.id, giftCardLast4: card.last4 });
        set({ giftCardProblem: null });
        return added;
      },

      refundToGiftCard() {
        const method = methodOf(GIFT_CARD_METHOD);
        if (!method || get().total >= 0) return false;
        const remaining = paymentSummary(get().total, get().tenders, step(), method.kind).remaining;
        const typed = get().amountSuggested ? null : parseCents(get().amountText);
        const amount = typed !== null && typed > 0 ? Math.min(typed, remaining) : remaining;
        return amount > 0 && add(method, amount, {});
      },
    };
  });
}
