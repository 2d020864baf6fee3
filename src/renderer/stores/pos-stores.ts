/**
 * Builds the renderer's stores around one PosApi and connects them: who is logged in follows
 * main's status, a new staff member gets a fresh price check and favourites, and any call that
 * finds the core gone or the session ended sends the till to the right screen.
 */
import type { StoreApi } from 'zustand/vanilla';
import type { PosApi } from '../../shared/channels';
import type { PosErrorBody } from '../../shared/errors';
import { createPriceCheckStore, type PriceCheckState } from './price-check-store';
import { createRegisterStore, type RegisterState, type RegisterStoreOptions } from './register-store';
import { createSessionStore, type SessionState } from './session-store';

export interface PosStores {
  register: StoreApi<RegisterState>;
  session: StoreApi<SessionState>;
  priceCheck: StoreApi<PriceCheckState>;
}

export interface PosStoresOptions extends RegisterStoreOptions {
  onMiss?: () => void;
}

export function createPosStores(api: PosApi, options: PosStoresOptions = {}): PosStores {
  const onFailure = (error: PosErrorBody) => {
    if (error.code === 'DISCONNECTED') register.getState().connectionLost();
    else if (error.code === 'NOT_LOGGED_IN') session.getState().staffChanged(null);
  };
  const register = createRegisterStore(api, options);
  const session = createSessionStore(api, { onFailure });
  const priceCheck = createPriceCheckStore(api, { onFailure, ...(options.onMiss ? { onMiss: options.onMiss } : {}) });

  register.subscribe((state, previous) => {
    if (state.status && state.status !== previous.status) session.getState().staffChanged(state.status.staff);
    // Favourites that failed while the core was away come back with it.
    if (
      state.connection === 'connected' &&
      previous.connection !== 'connected' &&
      session.getState().staff &&
      priceCheck.getState().favouritesState === 'failed'
    ) {
      void priceCheck.getState().loadFavourites();
    }
  });

  session.subscribe((state, previous) => {
    if (state.staff?.id === previous.staff?.id) return;
    priceCheck.getState().reset();
    if (state.staff) void priceCheck.getState().loadFavourites();
  });

  return { register, session, priceCheck };
}
