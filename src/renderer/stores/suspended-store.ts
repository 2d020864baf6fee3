/** 取單 (F5): the carts parked on this register, newest last, for the recall list. */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { PosApi } from '../../shared/channels';
import type { SuspendedCart } from '../../shared/checkout-schemas';
import type { z } from 'zod';
import type { FailureHandler, LoadState } from './load-state';

export type SuspendedCartSummary = z.infer<typeof SuspendedCart>;

export interface SuspendedState {
  carts: SuspendedCartSummary[];
  loadState: LoadState;
  load(): Promise<void>;
}

export function createSuspendedStore(api: PosApi, options: { onFailure?: FailureHandler } = {}): StoreApi<SuspendedState> {
  const onFailure = options.onFailure ?? (() => {});
  let seq = 0;
  return createStore<SuspendedState>()((set) => ({
    carts: [],
    loadState: 'idle',
    async load() {
      const mine = ++seq;
      set({ loadState: 'loading' });
      const result = await api['cart:list-suspended']({});
      if (mine !== seq) return;
      if (result.ok) set({ carts: result.value, loadState: 'ready' });
      else {
        set({ loadState: 'failed' });
        onFailure(result.error);
      }
    },
  }));
}
