/**
 * 禮品卡 (F9, or a gift card scanned at the till; issue 13): look a card up by its number, sell an
 * issued one as a line of the sale (a quick value or one typed), or see a sold one's balance. The
 * number stays in this dialog only; main answers with the card's last 4 and its state.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { PosApi } from '../../shared/channels';
import type { PosErrorBody } from '../../shared/errors';
import { GIFT_CARD_MAX_VALUE, parseGiftCardCode, type GiftCardView } from '../../shared/gift-card';
import { parseCents } from '../../shared/money';
import type { CartState } from './cart-store';
import type { FailureHandler } from './load-state';

export type GiftCardProblem = 'VALUE_INVALID';

export interface GiftCardState {
  code: string;
  card: GiftCardView | null;
  valueText: string;
  busy: boolean;
  failure: PosErrorBody | null;
  problem: GiftCardProblem | null;
  setCode(text: string): void;
  setValueText(text: string): void;
  /** Looks up what is typed (or `code`, a scan): the card's state and balance, or why not. */
  lookup(code?: string): Promise<boolean>;
  /** Sells the card found, loaded with `value` cents (or the typed value): a line of the sale. */
  sell(value?: number): Promise<boolean>;
  reset(): void;
}

const idle = { code: '', card: null, valueText: '', busy: false, failure: null, problem: null };

export function createGiftCardStore(api: PosApi, options: { onFailure?: FailureHandler; cart: () => CartState }): StoreApi<GiftCardState> {
  const onFailure = options.onFailure ?? (() => {});
  let seq = 0;
  return createStore<GiftCardState>()((set, get) => ({
    ...idle,
    setCode: (code) => set({ code, card: null, failure: null, problem: null }),
    setValueText: (valueText) => set({ valueText, problem: null }),

    async lookup(code) {
      const text = (code ?? get().code).trim();
      const mine = ++seq;
      // a malformed number is refused here already, in the cashier's words (main checks again)
      const parsed = parseGiftCardCode(text);
      if (!parsed.ok) {
        set({ code: text, card: null, busy: false, failure: { code: 'GIFT_CARD_INVALID', message: parsed.problem }, problem: null });
        return false;
      }
      set({ code: text, busy: true, failure: null, problem: null, card: null });
      const result = await api['gift:find']({ code: text });
      if (mine !== seq) return false;
      if (!result.ok) {
        onFailure(result.error);
        set({ busy: false, failure: result.error });
        return false;
      }
      set({ busy: false, card: result.value });
      return true;
    },

    async sell(value) {
      const { card, code, valueText } = get();
      if (!card) return false;
      const cents = value ?? parseCents(valueText);
      if (cents === null || cents < 100 || cents > GIFT_CARD_MAX_VALUE) {
        set({ problem: 'VALUE_INVALID' });
        return false;
      }
      set({ busy: true, failure: null, problem: null });
      const outcome = await options.cart().addGiftCard(code, cents);
      if (!outcome.ok) {
        set({ busy: false, failure: outcome.error });
        return false;
      }
      set(idle);
      return true;
    },

    reset: () => set(idle),
  }));
}
