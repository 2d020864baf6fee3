/**
 * Receipts on screen: the one just completed (beside the "next customer" state) and the one found
 * by 查單 (sale lookup by receipt number or by scanning the receipt's barcode). Reprinting asks main,
 * which marks the paper 副本 COPY and answers the receipt as reprinted.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { PosApi } from '../../shared/channels';
import { ReceiptNo, type Receipt } from '../../shared/checkout-schemas';
import type { PosErrorBody } from '../../shared/errors';
import type { FailureHandler } from './load-state';
import { done, type Outcome } from './outcome';

export interface ReceiptState {
  /** The sale just completed, until the next customer's first scan or Close. */
  last: Receipt | null;
  /** The sale found by 查單. */
  found: Receipt | null;
  finding: boolean;
  findError: PosErrorBody | null;
  reprinting: boolean;
  reprintError: PosErrorBody | null;
  showCompleted(receipt: Receipt): void;
  dismissLast(): void;
  find(receiptNo: string): Promise<Outcome>;
  clearFound(): void;
  /** Reprints the receipt shown (the last one, or the one found). */
  reprint(which: 'last' | 'found'): Promise<Outcome>;
  reset(): void;
}

/** Receipt numbers as printed (MK01-01-000123); a scan of the receipt's barcode is the same string. Case and spaces are forgiven. */
export function normaliseReceiptNo(text: string): string {
  return text.trim().toUpperCase().replace(/\s+/g, '');
}

export function createReceiptStore(api: PosApi, options: { onFailure?: FailureHandler } = {}): StoreApi<ReceiptState> {
  const onFailure = options.onFailure ?? (() => {});
  let findSeq = 0;

  return createStore<ReceiptState>()((set, get) => ({
    last: null,
    found: null,
    finding: false,
    findError: null,
    reprinting: false,
    reprintError: null,

    showCompleted(receipt) {
      set({ last: receipt, reprintError: null });
    },

    dismissLast() {
      if (get().last !== null) set({ last: null, reprintError: null });
    },

    async find(text) {
      const receiptNo = normaliseReceiptNo(text);
      const seq = ++findSeq;
      if (!ReceiptNo.safeParse(receiptNo).success) {
        const error: PosErrorBody = { code: 'BAD_REQUEST', message: 'a receipt number like MK01-01-000123' };
        set({ found: null, finding: false, findError: error });
        return { ok: false, error };
      }
      set({ finding: true, findError: null });
      const result = await api['sale:find']({ receiptNo });
      if (seq !== findSeq) return done;
      if (result.ok) {
        set({ found: result.value, finding: false, findError: null });
        return done;
      }
      set({ found: null, finding: false, findError: result.error });
      onFailure(result.error);
      return { ok: false, error: result.error };
    },

    clearFound() {
      findSeq++;
      set({ found: null, finding: false, findError: null, reprintError: null });
    },

    async reprint(which) {
      const receipt = get()[which];
      if (!receipt || get().reprinting) return done;
      set({ reprinting: true, reprintError: null });
      const result = await api['sale:reprint']({ receiptNo: receipt.receiptNo });
      if (!result.ok) {
        set({ reprinting: false, reprintError: result.error });
        onFailure(result.error);
        return { ok: false, error: result.error };
      }
      // Only replace the receipt still shown: the cashier may have moved on meanwhile.
      set((s) => ({ reprinting: false, ...(s[which]?.receiptNo === result.value.receiptNo ? { [which]: result.value } : {}) }));
      return done;
    },

    reset() {
      findSeq++;
      set({ last: null, found: null, finding: false, findError: null, reprinting: false, reprintError: null });
    },
  }));
}
