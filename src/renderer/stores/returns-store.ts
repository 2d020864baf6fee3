/**
 * 退貨 (F6). With a receipt: find the sale by its number (typed or scanned), choose lines and how
 * many of each (never more than can still be returned), and add them to the open cart as negative
 * lines, so an exchange is the returned lines plus new scans in one cart. Without a receipt: an
 * item, a quantity and optionally the amount paid; main asks for a manager's PIN.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { PosApi } from '../../shared/channels';
import { ReceiptNo, type Receipt } from '../../shared/checkout-schemas';
import type { PosErrorBody } from '../../shared/errors';
import { ScanCode } from '../../shared/schemas';
import { parseCents } from '../../shared/money';
import { parseQuantity } from '../checkout/number-input';
import type { CartState } from './cart-store';
import type { FailureHandler } from './load-state';
import { done, refused, type Outcome } from './outcome';
import { normaliseReceiptNo } from './receipt-store';

export type ReturnsMode = 'receipt' | 'no-receipt';

export type ReturnsProblem =
  | 'RECEIPT_NO_INVALID'
  | 'NOTHING_CHOSEN'
  | 'QUANTITY_INVALID'
  | 'OVER_RETURNABLE'
  | 'CODE_INVALID'
  | 'AMOUNT_INVALID';

export interface ReturnsState {
  mode: ReturnsMode;
  receiptText: string;
  receipt: Receipt | null;
  finding: boolean;
  /** What is typed per sale line id; '' or '0' is not returned. */
  quantities: Record<number, string>;
  itemCode: string;
  itemQuantity: string;
  itemAmount: string;
  problem: ReturnsProblem | null;
  /** Main's refusal (not found, a cart another register holds, …). */
  failure: PosErrorBody | null;
  adding: boolean;
  start(mode?: ReturnsMode): void;
  setMode(mode: ReturnsMode): void;
  setReceiptText(text: string): void;
  find(text?: string): Promise<Outcome>;
  setQuantity(saleLineId: number, text: string): void;
  /** Tap on a line: all that can still be returned, or nothing when it was chosen. */
  toggleLine(saleLineId: number): void;
  step(saleLineId: number, delta: 1 | -1): void;
  setItemCode(text: string): void;
  setItemQuantity(text: string): void;
  setItemAmount(text: string): void;
  /**
   * A scan while the dialog is open: a receipt number finds the sale; without a receipt the item is
   * returned at once, with the quantity and amount typed before it (a manager's PIN when main asks).
   */
  scanned(code: string): Promise<Outcome>;
  addToCart(): Promise<Outcome>;
  reset(): void;
}

export interface ReturnsStoreOptions {
  onFailure?: FailureHandler;
  cart: () => Pick<CartState, 'addReturn' | 'addReturnWithoutReceipt'>;
}

type ReturnsData = Omit<
  ReturnsState,
  { [K in keyof ReturnsState]: ReturnsState[K] extends (...args: never[]) => unknown ? K : never }[keyof ReturnsState]
>;

const empty: ReturnsData = {
  mode: 'receipt',
  receiptText: '',
  receipt: null,
  finding: false,
  quantities: {},
  itemCode: '',
  itemQuantity: '1',
  itemAmount: '',
  problem: null,
  failure: null,
  adding: false,
};

/** Weighed lines are returned by weight; the rest in whole units. */
function allowsDecimals(returnable: number): boolean {
  return !Number.isInteger(returnable);
}

export function createReturnsStore(api: PosApi, options: ReturnsStoreOptions): StoreApi<ReturnsState> {
  const onFailure = options.onFailure ?? (() => {});
  let findSeq = 0;

  return createStore<ReturnsState>()((set, get) => {
    const lineOf = (saleLineId: number) => get().receipt?.lines.find((l) => l.id === saleLineId) ?? null;

    return {
      ...empty,

      start(mode = 'receipt') {
        findSeq++;
        set({ ...empty, mode });
      },

      setMode: (mode) => set({ mode, problem: null, failure: null }),

      setReceiptText: (receiptText) => set({ receiptText, problem: null, failure: null }),

      async find(text) {
        const receiptNo = normaliseReceiptNo(text ?? get().receiptText);
        if (!ReceiptNo.safeParse(receiptNo).success) {
          set({ problem: 'RECEIPT_NO_INVALID', receipt: null });
          return refused('BAD_REQUEST');
        }
        const seq = ++findSeq;
        set({ receiptText: receiptNo, finding: true, problem: null, failure: null });
        const result = await api['sale:find']({ receiptNo });
        if (seq !== findSeq) return done;
        if (!result.ok) {
          set({ finding: false, receipt: null, failure: result.error });
          onFailure(result.error);
          return { ok: false, error: result.error };
        }
        set({ finding: false, receipt: result.value, quantities: {} });
        return done;
      },

      setQuantity(saleLineId, text) {
        set((s) => ({ quantities: { ...s.quantities, [saleLineId]: text }, problem: null }));
      },

      toggleLine(saleLineId) {
        const line = lineOf(saleLineId);
        if (!line || line.returnableQuantity <= 0) return;
        const chosen = (parseQuantity(get().quantities[saleLineId] ?? '', { decimals: true }) ?? 0) > 0;
        get().setQuantity(saleLineId, chosen ? '' : String(line.returnableQuantity));
      },

      step(saleLineId, delta) {
        const line = lineOf(saleLineId);
        if (!line) return;
        const current = parseQuantity(get().quantities[saleLineId] ?? '', { decimals: true }) ?? 0;
        const next = Math.min(line.returnableQuantity, Math.max(0, Math.floor(current) + delta));
        get().setQuantity(saleLineId, next === 0 ? '' : String(next));
      },

      setItemCode: (itemCode) => set({ itemCode, problem: null, failure: null }),
      setItemQuantity: (itemQuantity) => set({ itemQuantity, problem: null }),
      setItemAmount: (itemAmount) => set({ itemAmount, problem: null }),

      async scanned(code) {
        if (get().mode === 'no-receipt') {
          set({ itemCode: code, problem: null, failure: null });
          return get().addToCart();
        }
        return get().find(code);
      },

      async addToCart() {
        const state = get();
        if (state.adding) return done;
        let outcome: Outcome;
        if (state.mode === 'receipt') {
          const receipt = state.receipt;
          if (!receipt) {
            set({ problem: 'RECEIPT_NO_INVALID' });
            return refused('BAD_REQUEST');
          }
          const lines: { saleLineId: number; quantity: number }[] = [];
          for (const line of receipt.lines) {
            const text = (state.quantities[line.id] ?? '').trim();
            if (text === '' || text === '0') continue;
            const quantity = parseQuantity(text, { decimals: allowsDecimals(line.returnableQuantity) || text.includes('.') });
            if (quantity === null) {
              set({ problem: 'QUANTITY_INVALID' });
              return refused('BAD_REQUEST');
            }
            if (quantity > line.returnableQuantity) {
              set({ problem: 'OVER_RETURNABLE' });
              return refused('BAD_REQUEST');
            }
            lines.push({ saleLineId: line.id, quantity });
          }
          if (lines.length === 0) {
            set({ problem: 'NOTHING_CHOSEN' });
            return refused('BAD_REQUEST');
          }
          set({ adding: true, failure: null });
          outcome = await options.cart().addReturn(receipt.receiptNo, lines);
        } else {
          const code = ScanCode.safeParse(state.itemCode);
          if (!code.success) {
            set({ problem: 'CODE_INVALID' });
            return refused('BAD_REQUEST');
          }
          const quantity = parseQuantity(state.itemQuantity, { decimals: true });
          if (quantity === null) {
            set({ problem: 'QUANTITY_INVALID' });
            return refused('BAD_REQUEST');
          }
          const amountText = state.itemAmount.trim();
          const unitPrice = amountText === '' ? undefined : parseCents(amountText);
          if (unitPrice === null) {
            set({ problem: 'AMOUNT_INVALID' });
            return refused('BAD_REQUEST');
          }
          set({ adding: true, failure: null });
          outcome = await options.cart().addReturnWithoutReceipt(code.data, quantity, unitPrice);
        }
        if (outcome.ok) {
          set(empty);
        } else {
          set({ adding: false, failure: outcome.cancelled ? null : outcome.error });
        }
        return outcome;
      },

      reset() {
        findSeq++;
        set(empty);
      },
    };
  });
}
