/**
 * 付款方式: every payment method with its order and state, and the calls that save, switch and move
 * them. Main answers each change with the whole list.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { PosApi } from '../../../shared/channels';
import type { Result } from '../../../shared/errors';
import type { PaymentMethodSetting, SavePaymentMethod } from '../../../shared/payment-method-schemas';
import { accepted, newestOnly, type ErrorLineState, type SectionData } from './section-store';

export interface PaymentMethodsState extends SectionData, ErrorLineState {
  methods: PaymentMethodSetting[];
  save(input: SavePaymentMethod): Promise<boolean>;
  move(code: string, direction: 'up' | 'down'): Promise<boolean>;
}

export interface PaymentMethodsStoreOptions {
  /** After each change main took: the till's tender buttons follow at once. */
  onChanged?: () => void;
}

export function createPaymentMethodsStore(api: PosApi, options: PaymentMethodsStoreOptions = {}): StoreApi<PaymentMethodsState> {
  const loads = newestOnly();
  const onChanged = options.onChanged ?? (() => {});
  return createStore<PaymentMethodsState>()((set) => {
    const take = (answer: Result<PaymentMethodSetting[]>): boolean => {
      if (!accepted(answer, set)) return false;
      set({ methods: answer.value });
      onChanged();
      return true;
    };
    return {
      methods: [],
      error: null,

      async load() {
        const current = loads.begin();
        const answer = await api['payment:methods-all']({});
        if (!current()) return;
        if (answer.ok) set({ methods: answer.value });
        else set({ error: answer.error });
      },

      save: async (input) => take(await api['payment:save-method'](input)),
      move: async (code, direction) => take(await api['payment:move-method']({ code, direction })),
    };
  });
}
