/**
 * The left half of the checkout: the favourites grid, and what the cashier types in the scan field
 * with its search results. Search asks main (`catalog:search`, FTS on SQLite): the renderer never
 * holds the catalogue. Typing is debounced; only the newest query's answer is shown.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { PosApi } from '../../shared/channels';
import type { Category, Product } from '../../shared/schemas';
import type { FailureHandler, LoadState } from './load-state';

export const SEARCH_DEBOUNCE_MS = 180;
export const SEARCH_MAX_CHARS = 64;

export interface CatalogState {
  favourites: Product[];
  favouritesState: LoadState;
  /** For the quick-add dialog; loaded with the favourites. */
  categories: Category[];
  /** The scan field's text. */
  query: string;
  results: Product[];
  /** The query the results are for ('' when none are shown). */
  resultsFor: string;
  searchState: LoadState;
  /** The result chosen with the arrow keys, for Enter; null when none is. */
  highlighted: number | null;
  /** A parent's variants (sizes, colours) for the chooser; `variantsOf` is the parent's id. */
  variants: Product[];
  variantsOf: number | null;
  variantsState: LoadState;
  loadVariants(productId: number): Promise<void>;
  loadFavourites(): Promise<void>;
  setQuery(text: string): void;
  /** Searches now, without waiting for the debounce (Enter on a name). */
  searchNow(): Promise<void>;
  moveHighlight(delta: 1 | -1): void;
  clearQuery(): void;
  reset(): void;
}

export interface CatalogStoreOptions {
  onFailure?: FailureHandler;
  debounceMs?: number;
  setTimer?: (callback: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

/** Text worth asking main about: trimmed, at most 64 characters. */
export function searchText(query: string): string {
  return query.trim().slice(0, SEARCH_MAX_CHARS);
}

export function createCatalogStore(api: PosApi, options: CatalogStoreOptions = {}): StoreApi<CatalogState> {
  const onFailure = options.onFailure ?? (() => {});
  const debounceMs = options.debounceMs ?? SEARCH_DEBOUNCE_MS;
  const setTimer = options.setTimer ?? ((callback, ms) => setTimeout(callback, ms));
  const clearTimer = options.clearTimer ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>));
  let favouritesSeq = 0;
  let searchSeq = 0;
  let variantsSeq = 0;
  let timer: unknown = null;

  const cancelTimer = () => {
    if (timer !== null) clearTimer(timer);
    timer = null;
  };

  return createStore<CatalogState>()((set, get) => {
    const search = async () => {
      cancelTimer();
      const text = searchText(get().query);
      const seq = ++searchSeq;
      if (text === '') {
        set({ results: [], resultsFor: '', searchState: 'idle', highlighted: null });
        return;
      }
      if (get().resultsFor === text && get().searchState === 'ready') return;
      set({ searchState: 'loading' });
      const result = await api['catalog:search']({ text });
      if (seq !== searchSeq) return;
      if (result.ok) {
        set({ results: result.value, resultsFor: text, searchState: 'ready', highlighted: null });
      } else {
        set({ results: [], resultsFor: text, searchState: 'failed', highlighted: null });
        onFailure(result.error);
      }
    };

    return {
      favourites: [],
      favouritesState: 'idle',
      categories: [],
      query: '',
      results: [],
      resultsFor: '',
      searchState: 'idle',
      highlighted: null,
      variants: [],
      variantsOf: null,
      variantsState: 'idle',

      async loadVariants(productId) {
        const seq = ++variantsSeq;
        set({ variants: [], variantsOf: productId, variantsState: 'loading' });
        const result = await api['catalog:variants']({ productId });
        if (seq !== variantsSeq) return;
        if (result.ok) set({ variants: result.value, variantsState: 'ready' });
        else {
          set({ variantsState: 'failed' });
          onFailure(result.error);
        }
      },

      async loadFavourites() {
        const seq = ++favouritesSeq;
        set({ favouritesState: 'loading' });
        const [result, categories] = await Promise.all([api['catalog:favourites']({}), api['catalog:categories']({})]);
        if (seq !== favouritesSeq) return;
        if (result.ok) {
          set({ favourites: result.value, favouritesState: 'ready', categories: categories.ok ? categories.value : [] });
        } else {
          set({ favouritesState: 'failed' });
          onFailure(result.error);
        }
      },

      setQuery(query) {
        set({ query });
        cancelTimer();
        if (searchText(query) === '') {
          searchSeq++;
          set({ results: [], resultsFor: '', searchState: 'idle', highlighted: null });
          return;
        }
        timer = setTimer(() => {
          timer = null;
          void search();
        }, debounceMs);
      },

      searchNow: search,

      moveHighlight(delta) {
        const { results, highlighted } = get();
        if (results.length === 0) return;
        const next =
          highlighted === null ? (delta > 0 ? 0 : results.length - 1) : Math.min(results.length - 1, Math.max(0, highlighted + delta));
        set({ highlighted: next });
      },

      clearQuery() {
        cancelTimer();
        searchSeq++;
        set({ query: '', results: [], resultsFor: '', searchState: 'idle', highlighted: null });
      },

      reset() {
        cancelTimer();
        favouritesSeq++;
        searchSeq++;
        variantsSeq++;
        set({
          variants: [],
          variantsOf: null,
          variantsState: 'idle',
          favourites: [],
          favouritesState: 'idle',
          categories: [],
          query: '',
          results: [],
          resultsFor: '',
          searchState: 'idle',
          highlighted: null,
        });
      },
    };
  });
}
