import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { PriceCheckState } from './price-check-store';
import type { PosStores } from './pos-stores';
import type { RegisterState } from './register-store';
import type { SessionState } from './session-store';

const StoresContext = createContext<PosStores | null>(null);

export function StoresProvider({ stores, children }: { stores: PosStores; children: ReactNode }) {
  return <StoresContext value={stores}>{children}</StoresContext>;
}

export function usePosStores(): PosStores {
  const stores = useContext(StoresContext);
  if (!stores) throw new Error('usePosStores needs a StoresProvider above it');
  return stores;
}

export function useRegister<T>(select: (state: RegisterState) => T): T {
  return useStore(usePosStores().register, select);
}

export function useSession<T>(select: (state: SessionState) => T): T {
  return useStore(usePosStores().session, select);
}

export function usePriceCheck<T>(select: (state: PriceCheckState) => T): T {
  return useStore(usePosStores().priceCheck, select);
}
