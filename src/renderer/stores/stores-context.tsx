import type { OrdersState } from './orders-store';
import { createContext, useContext, type ReactNode } from 'react';
import { useStore, type StoreApi } from 'zustand';
import type { ApprovalState } from './approval-store';
import type { CartState } from './cart-store';
import type { CatalogState } from './catalog-store';
import type { CheckoutSettingsState } from './checkout-settings-store';
import type { MemberState } from './member-store';
import type { GiftCardState } from './gift-card-store';
import type { PaymentState } from './payment-store';
import type { PosStores } from './pos-stores';
import type { ReceiptState } from './receipt-store';
import type { RegisterState } from './register-store';
import type { ReturnsState } from './returns-store';
import type { SessionState } from './session-store';
import type { SuspendedState } from './suspended-store';
import type { UiState } from './ui-store';

const StoresContext = createContext<PosStores | null>(null);

export function StoresProvider({ stores, children }: { stores: PosStores; children: ReactNode }) {
  return <StoresContext value={stores}>{children}</StoresContext>;
}

export function usePosStores(): PosStores {
  const stores = useContext(StoresContext);
  if (!stores) throw new Error('usePosStores needs a StoresProvider above it');
  return stores;
}

function useSlice<S, T>(pick: (stores: PosStores) => StoreApi<S>, select: (state: S) => T): T {
  return useStore(pick(usePosStores()), select);
}

export const useRegister = <T,>(select: (state: RegisterState) => T): T => useSlice((s) => s.register, select);
export const useSession = <T,>(select: (state: SessionState) => T): T => useSlice((s) => s.session, select);
export const useCheckoutSettings = <T,>(select: (state: CheckoutSettingsState) => T): T => useSlice((s) => s.settings, select);
export const useCatalog = <T,>(select: (state: CatalogState) => T): T => useSlice((s) => s.catalog, select);
export const useCart = <T,>(select: (state: CartState) => T): T => useSlice((s) => s.cart, select);
export const useApproval = <T,>(select: (state: ApprovalState) => T): T => useSlice((s) => s.approval, select);
export const usePayment = <T,>(select: (state: PaymentState) => T): T => useSlice((s) => s.payment, select);
export const useReceipts = <T,>(select: (state: ReceiptState) => T): T => useSlice((s) => s.receipts, select);
export const useReturns = <T,>(select: (state: ReturnsState) => T): T => useSlice((s) => s.returns, select);
export const useSuspended = <T,>(select: (state: SuspendedState) => T): T => useSlice((s) => s.suspended, select);
export const useMember = <T,>(select: (state: MemberState) => T): T => useSlice((s) => s.member, select);
export const useGiftCard = <T,>(select: (state: GiftCardState) => T): T => useSlice((s) => s.giftCard, select);
export const useUi = <T,>(select: (state: UiState) => T): T => useSlice((s) => s.ui, select);
export const useOrders = <T,>(select: (state: OrdersState) => T): T => useSlice((s) => s.orders, select);
