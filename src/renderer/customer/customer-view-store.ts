/**
 * The customer screen's one piece of state: the latest customer view. Loaded once, then replaced
 * by every `customer:cart` event; reloaded when the register comes back after a lost connection.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { PosApi } from '../../shared/channels';
import type { CustomerView } from '../../shared/customer-display-schemas';

export interface CustomerViewState {
  view: CustomerView | null;
  start(): void;
}

const RELOAD_MS = 3000;

export function createCustomerViewStore(api: Pick<PosApi, 'customer:view' | 'onEvent'>): StoreApi<CustomerViewState> {
  let started = false;
  return createStore<CustomerViewState>()((set) => {
    const load = async () => {
      const result = await api['customer:view']({});
      if (result.ok) set({ view: result.value });
      else setTimeout(() => void load(), RELOAD_MS);
    };
    return {
      view: null,
      start() {
        if (started) return;
        started = true;
        api.onEvent((event) => {
          if (event.event === 'customer:cart') set({ view: event.payload });
        });
        void load();
      },
    };
  });
}
