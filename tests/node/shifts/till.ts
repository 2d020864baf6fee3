/** Test helpers for shifts and the end of day: a demo register at a settable clock, and sales through its channels. */
import type { Cart, Receipt } from '../../../src/shared/checkout-schemas';
import type { Result } from '../../../src/shared/errors';
import { useDemoRegisters, type RegisterSession } from '../helpers/register-session';

export const MILK_TEA = '4891234000012'; // 港式奶茶 HK$18.00, 第二件半價
export const PINEAPPLE_BUN = '4891234000128'; // 菠蘿包 HK$8.50, bakery 10 % off
export const WATER = '4891234000050'; // 蒸餾水 HK$8.00
export const CASHIER = { staffId: 1, pin: '1234' };
export const MANAGER = { staffId: 3, pin: '9999' };

/** Cash pays with `tendered`, or the total rounded up to the next 10¢ plus `extra`, or exact; card and Octopus pay exactly. */
export interface Payment {
  method: 'cash' | 'card' | 'octopus';
  tendered?: number;
  extra?: number;
}

export interface Till extends Pick<RegisterSession, 'reg' | 'call' | 'close'> {
  clock: { now(): number; advance(ms: number): void };
  attempt(channel: string, payload?: unknown): Promise<Result<unknown>>;
  login(who: { staffId: number; pin: string }): Promise<void>;
  /** Scans the codes and pays. */
  sell(codes: readonly string[], pay?: Payment): Promise<Receipt>;
  /** Returns every line of a receipt for cash. */
  refund(receipt: Receipt): Promise<Receipt>;
}

/** `printer`: the demo's emulated receipt printer (the drawer kicks through it; no-sale needs one). */
/** `timeZone`: the store's (setting `store.timeZone`; Asia/Hong_Kong when omitted). */
export interface TillOptions {
  start?: number;
  printer?: boolean;
  timeZone?: string;
}

/** Call at the top of a test file; the function it returns opens a till (closed after the test). */
export function useTills(): (options?: TillOptions) => Promise<Till> {
  const openRegister = useDemoRegisters();
  return async (options = {}) => openTill(openRegister, options);
}

async function openTill(openRegister: ReturnType<typeof useDemoRegisters>, options: TillOptions): Promise<Till> {
  let now = options.start ?? Date.UTC(2026, 10, 27, 1, 0);
  const clock = { now: () => now, advance: (ms: number) => void (now += ms) };
  const config = {
    ...(options.printer ? { hardware: { demoPrinter: true } } : {}),
    ...(options.timeZone !== undefined ? { timeZone: options.timeZone } : {}),
  };
  const { reg, call, close } = await openRegister({ clock, config });
  async function complete(cart: Cart, pay: Payment): Promise<Receipt> {
    const amount = Math.abs(cart.total);
    const tender =
      pay.method === 'card'
        ? { method: 'card', amount, approvalCode: 'A1B2C3', cardLast4: '4242' }
        : pay.method === 'octopus'
          ? { method: 'octopus', amount, reference: 'OCT123456' }
          : {
              method: 'cash',
              amount,
              ...(cart.total > 0 && (pay.tendered ?? pay.extra) !== undefined
                ? { tendered: pay.tendered ?? amount + ((10 - (amount % 10)) % 10) + (pay.extra ?? 0) }
                : {}),
            };
    const receipt = await call<Receipt>('sale:complete', { cartId: cart.id, tenders: [tender] });
    clock.advance(60_000);
    return receipt;
  }
  return {
    reg,
    close,
    clock,
    call,
    attempt: (channel, payload = {}) => reg.dispatch(channel, payload),
    async login(who) {
      await call('staff:login', who);
    },
    async sell(codes, pay = { method: 'cash' }) {
      let cart: Cart | undefined;
      for (const code of codes) cart = await call<Cart>('cart:scan', { code });
      if (!cart) throw new Error('nothing to sell');
      return complete(cart, pay);
    },
    async refund(receipt) {
      const cart = await call<Cart>('cart:add-return', {
        receiptNo: receipt.receiptNo,
        lines: receipt.lines.map((l) => ({ saleLineId: l.id, quantity: l.quantity })),
      });
      return complete(cart, { method: 'cash' });
    },
  };
}

/** A float or a count by denomination: { 50000: 2, 1000: 3 } → HK$1,030. */
export function notes(byValue: Record<number, number>): { value: number; count: number }[] {
  return Object.entries(byValue).map(([value, count]) => ({ value: Number(value), count }));
}
