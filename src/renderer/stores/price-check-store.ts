/**
 * The price check: what is in the scan field, the product last found and the favourites grid.
 * A scanner can fire the next code before the last answer is back, so only the newest lookup's
 * answer is shown.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { PosApi } from '../../shared/channels';
import { ScanCode, type Product } from '../../shared/schemas';
import type { FailureHandler, LoadState } from './load-state';

export type ScanError = 'NOT_FOUND' | 'INVALID_CODE' | 'FORBIDDEN' | 'FAILED';

export interface PriceCheckState {
  code: string;
  product: Product | null;
  looking: boolean;
  error: ScanError | null;
  /** The code the error is about, for "找不到貨品：<code>". */
  errorCode: string;
  /** Counts errors, so two identical misses in a row still each sound and re-select the field. */
  errorCount: number;
  favourites: Product[];
  favouritesState: LoadState;
  setCode(code: string): void;
  lookup(): Promise<void>;
  showProduct(product: Product): void;
  /** Esc: clears the field and its message, or with the field already empty, the product shown. */
  clear(): void;
  loadFavourites(): Promise<void>;
  /** A new staff member starts from an empty price check. */
  reset(): void;
}

export interface PriceCheckStoreOptions {
  onFailure?: FailureHandler;
  /** Called on every miss, for the error tone the cashier hears without looking up. */
  onMiss?: () => void;
}

type PriceCheckData = Pick<
  PriceCheckState,
  'code' | 'product' | 'looking' | 'error' | 'errorCode' | 'errorCount' | 'favourites' | 'favouritesState'
>;

function emptyPriceCheck(): PriceCheckData {
  return { code: '', product: null, looking: false, error: null, errorCode: '', errorCount: 0, favourites: [], favouritesState: 'idle' };
}

export function createPriceCheckStore(api: PosApi, options: PriceCheckStoreOptions = {}): StoreApi<PriceCheckState> {
  const onFailure = options.onFailure ?? (() => {});
  const onMiss = options.onMiss ?? (() => {});
  let lookupSeq = 0;
  let favouritesSeq = 0;

  return createStore<PriceCheckState>()((set, get) => {
    const miss = (error: ScanError, code: string) => {
      set((s) => ({ looking: false, error, errorCode: code, errorCount: s.errorCount + 1 }));
      onMiss();
    };

    return {
      ...emptyPriceCheck(),

      setCode(code) {
        set({ code });
      },

      async lookup() {
        const raw = get().code;
        if (raw.trim() === '') return;
        const seq = ++lookupSeq;
        // Checked here too so a typo gets its answer without a round trip; main checks again.
        const parsed = ScanCode.safeParse(raw);
        if (!parsed.success) {
          miss('INVALID_CODE', raw.trim());
          return;
        }
        const code = parsed.data;
        set({ looking: true, error: null });
        const result = await api['catalog:lookup']({ code });
        if (seq !== lookupSeq) return;
        if (result.ok && result.value) {
          // Clear the field so the next scan starts clean.
          set({ looking: false, product: result.value, code: '', error: null });
        } else if (result.ok) {
          miss('NOT_FOUND', code);
        } else if (result.error.code === 'BAD_REQUEST') {
          miss('INVALID_CODE', code);
        } else if (result.error.code === 'FORBIDDEN') {
          miss('FORBIDDEN', code);
        } else {
          miss('FAILED', code);
          onFailure(result.error);
        }
      },

      showProduct(product) {
        lookupSeq++; // a tap wins over a lookup still in flight
        set({ product, looking: false, error: null, code: '' });
      },

      clear() {
        lookupSeq++;
        const { code, error } = get();
        if (code !== '' || error !== null) set({ code: '', error: null, looking: false });
        else set({ product: null });
      },

      async loadFavourites() {
        const seq = ++favouritesSeq;
        set({ favouritesState: 'loading' });
        const result = await api['catalog:favourites']({});
        if (seq !== favouritesSeq) return;
        if (result.ok) {
          set({ favourites: result.value, favouritesState: 'ready' });
        } else {
          set({ favouritesState: 'failed' });
          onFailure(result.error);
        }
      },

      reset() {
        lookupSeq++;
        favouritesSeq++;
        set(emptyPriceCheck());
      },
    };
  });
}
