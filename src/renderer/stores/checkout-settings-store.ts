/**
 * What the checkout needs from main once per staff member: the scanner, rounding and quick-cash
 * settings, and the payment methods for the tender buttons. Until they arrive the defaults (main's
 * own defaults) keep the scanner working.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { PosApi } from '../../shared/channels';
import type { CheckoutSettings, PaymentMethod } from '../../shared/checkout-schemas';
import { DEFAULT_WEDGE_SETTINGS } from '../scanner/wedge-detector';
import type { FailureHandler, LoadState } from './load-state';

export const DEFAULT_CHECKOUT_SETTINGS: CheckoutSettings = {
  cashRoundingStep: 10,
  quickCash: [2000, 5000, 10000, 50000, 100000],
  discountLimitBasisPoints: 0,
  scanner: DEFAULT_WEDGE_SETTINGS,
};

export interface CheckoutSettingsState {
  settings: CheckoutSettings;
  methods: PaymentMethod[];
  loadState: LoadState;
  load(): Promise<void>;
  reset(): void;
}

export function createCheckoutSettingsStore(api: PosApi, options: { onFailure?: FailureHandler } = {}): StoreApi<CheckoutSettingsState> {
  const onFailure = options.onFailure ?? (() => {});
  let seq = 0;
  return createStore<CheckoutSettingsState>()((set) => ({
    settings: DEFAULT_CHECKOUT_SETTINGS,
    methods: [],
    loadState: 'idle',

    async load() {
      const mine = ++seq;
      set({ loadState: 'loading' });
      const [settings, methods] = await Promise.all([api['settings:checkout']({}), api['payment:methods']({})]);
      if (mine !== seq) return;
      if (!settings.ok) {
        set({ loadState: 'failed' });
        onFailure(settings.error);
      } else if (!methods.ok) {
        set({ loadState: 'failed' });
        onFailure(methods.error);
      } else {
        set({ settings: settings.value, methods: methods.value, loadState: 'ready' });
      }
    },

    reset() {
      seq++;
      set({ settings: DEFAULT_CHECKOUT_SETTINGS, methods: [], loadState: 'idle' });
    },
  }));
}
