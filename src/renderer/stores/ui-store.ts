/**
 * What the checkout shows over the cart: the payment screen, or one dialog at a time. The manager
 * PIN pad is not here: it sits over whatever is showing (approval store).
 */
import { createStore, type StoreApi } from 'zustand/vanilla';

export type Dialog =
  | { kind: 'quantity'; lineId: number }
  /** lineId null: the discount on the whole cart. */
  | { kind: 'discount'; lineId: number | null }
  | { kind: 'price'; lineId: number }
  | { kind: 'line-menu'; lineId: number }
  | { kind: 'suspend' }
  | { kind: 'recall' }
  | { kind: 'void' }
  | { kind: 'no-sale' }
  | { kind: 'returns' }
  | { kind: 'lookup' }
  | { kind: 'quick-add'; code: string }
  /** F8 會員: find, put on the sale, history. */
  | { kind: 'member' }
  | { kind: 'gift-card' }
  /** 新會員: the enrolment form. */
  | { kind: 'member-enrol' }
  /** 網上訂單 (⇧F5): the order queue; `social-order`: a chat or phone order taken here. */
  | { kind: 'orders' }
  | { kind: 'social-order' }
  /** A parent product picked at the till: choose one of its variants (a size, a colour). */
  | { kind: 'variants'; productId: number; nameZh: string; nameEn: string }
  /** 部分取貨 / 換貨: part of an order, or a swap, from the queue. */
  | { kind: 'order-pickup'; orderNo: string };

export type DialogKind = Dialog['kind'];

export type View = 'cart' | 'payment';

/** The till (checkout) or the back office (shift, reports, staff, hardware, sync: one section at a time). */
export type Area = 'till' | 'back-office';

export interface UiState {
  view: View;
  dialog: Dialog | null;
  area: Area;
  /** The back-office section shown; an id from back-office/sections.tsx. */
  section: string | null;
  openBackOffice(section?: string): void;
  closeBackOffice(): void;
  open(dialog: Dialog): void;
  close(): void;
  showPayment(): void;
  showCart(): void;
  reset(): void;
}

export function createUiStore(): StoreApi<UiState> {
  return createStore<UiState>()((set) => ({
    view: 'cart',
    dialog: null,
    area: 'till',
    section: null,
    openBackOffice: (section) => set((s) => ({ area: 'back-office', dialog: null, section: section ?? s.section })),
    closeBackOffice: () => set({ area: 'till' }),
    open: (dialog) => set({ dialog }),
    close: () => set({ dialog: null }),
    showPayment: () => set({ view: 'payment', dialog: null }),
    showCart: () => set({ view: 'cart' }),
    reset: () => set({ view: 'cart', dialog: null, area: 'till' }),
  }));
}
