/** Steps a cashier takes at the till, shared by the end-to-end specs. */
import type { CDPSession, Page } from '@playwright/test';
import type { PosApi } from '../../src/shared/channels';
import type { Cart } from '../../src/shared/checkout-schemas';
import { withTimeout } from '../support/bounded.mjs';
import { expect } from './fixtures';
import { seededRandom } from '../support/seeded-random';
export { seededRandom };

export const MILK_TEA = '4891234000012'; // 港式奶茶 HK$18.00
export const PINEAPPLE_BUN = '4891234000128'; // 菠蘿包 HK$8.50
export const WATER = '4891234000050'; // 蒸餾水 500毫升 HK$8.00

export async function loginAs(page: Page, staffId: number, pin: string): Promise<void> {
  await page.getByTestId(`login-staff-${staffId}`).click();
  for (const digit of pin) await page.getByTestId(`pin-key-${digit}`).click();
  await page.getByTestId('pin-enter').click();
  await tillReady(page);
}

/**
 * The checkout screen is up and has finished its first render: Playwright sends each key only after
 * the page handled the last one, so a busy first render would stretch a scan's burst into "typing",
 * which a real scanner (whose keys the OS queues with their own timestamps) never suffers.
 */
export async function tillReady(page: Page): Promise<void> {
  await expect(page.getByTestId('scan-input')).toBeVisible();
  await expect(page.locator('[data-testid^="favourite-"]').first()).toBeVisible();
  for (let frame = 0; frame < 2; frame++) await page.waitForFunction(() => true, undefined, { polling: 'raf' });
}

const sessions = new WeakMap<Page, Promise<CDPSession>>();

function devtools(page: Page): Promise<CDPSession> {
  if (!sessions.has(page)) sessions.set(page, page.context().newCDPSession(page));
  return sessions.get(page)!;
}

/** How a burst of keys reaches the page, beside when its keys were pressed. */
export interface KeyDelivery {
  /** Milliseconds between the keys' own timestamps (when they were pressed): one gap for all, or one per key. */
  gapMs?: number | readonly number[];
  /** Delivery stops after this many keys for `ms`; the keys after keep the timestamps they were pressed at. */
  pause?: { afterKeys: number; ms: number };
  /** After this many keys, the page's main thread runs a busy loop for `ms` while the rest of the burst arrives. */
  busy?: { afterKeys: number; ms: number };
}

/** Windows virtual key codes of the named keys a till uses. */
const NAMED_KEYS: Record<string, number> = {
  Enter: 13,
  Escape: 27,
  Delete: 46,
  Backspace: 8,
  Tab: 9,
  ArrowUp: 38,
  ArrowDown: 40,
  Shift: 16,
};
for (let n = 1; n <= 12; n++) NAMED_KEYS[`F${n}`] = 111 + n;

function keyInfo(key: string) {
  const named = NAMED_KEYS[key];
  if (named !== undefined) return { key, code: key, windowsVirtualKeyCode: named, text: key === 'Enter' ? '\r' : undefined };
  const code = /\d/.test(key) ? `Digit${key}` : /[a-z]/i.test(key) ? `Key${key.toUpperCase()}` : '';
  return { key, code, windowsVirtualKeyCode: key.toUpperCase().charCodeAt(0), text: key };
}

/**
 * Presses `keys` through the DevTools protocol, each stamped with when it was "pressed" (the OS's
 * timestamp, which the page sees as KeyboardEvent.timeStamp), and delivered as `delivery` says:
 * together, or with a pause, or into a page whose main thread is busy. This is how a USB scanner's
 * keys reach a loaded PC; Playwright's own typing waits for each key's round trip instead.
 */
export async function pressStamped(page: Page, keys: readonly string[], delivery: KeyDelivery = {}): Promise<void> {
  const cdp = await devtools(page);
  const gapOf = (index: number) => (typeof delivery.gapMs === 'object' ? (delivery.gapMs[index] ?? 3) : (delivery.gapMs ?? 3));
  // Pressed in the past, the last key just now: a late delivery never brings a key from the future.
  let pressedAt = Date.now() - keys.reduce((sum, _key, index) => sum + (index < keys.length - 1 ? gapOf(index) : 0), 0);
  let sent: Promise<unknown>[] = [];
  for (const [index, key] of keys.entries()) {
    if (index === delivery.pause?.afterKeys) {
      await Promise.all(sent);
      sent = [];
      await page.waitForTimeout(delivery.pause.ms);
    }
    if (index === delivery.busy?.afterKeys) {
      await Promise.all(sent);
      sent = [];
      // Starts right after this evaluate returns, so the keys sent next queue behind it.
      await page.evaluate((ms) => {
        setTimeout(() => {
          const end = performance.now() + ms;
          while (performance.now() < end) {
            // the till PC is busy with something else
          }
        }, 0);
      }, delivery.busy.ms);
    }
    const { text, ...info } = keyInfo(key);
    const timestamp = pressedAt / 1000;
    const typed = text === undefined ? {} : { text, unmodifiedText: text };
    sent.push(cdp.send('Input.dispatchKeyEvent', { type: text === undefined ? 'rawKeyDown' : 'keyDown', ...info, ...typed, timestamp }));
    sent.push(cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', ...info, timestamp: timestamp + 0.001 }));
    pressedAt += gapOf(index);
  }
  await Promise.all(sent);
}

/**
 * A keyboard wedge: the whole code ending in Enter, wherever focus is, as a USB scanner's keys
 * reach the page: stamped 3 ms apart when they were "pressed" and delivered together (or as
 * `delivery` says). Playwright's own typing waits for each key's round trip, so on a loaded
 * machine a burst arrived as slow typing and split, which no scanner does.
 */
export async function wedgeScan(page: Page, code: string, delivery: KeyDelivery = {}): Promise<void> {
  await pressStamped(page, [...code, 'Enter'], delivery);
}

/**
 * A wedge scan of a code with capitals and punctuation (a member card's `MBR:M90000001`): the
 * scanner presses Shift before each of them, as a US keyboard needs, inside the same fast burst.
 */
export async function wedgeScanShifted(page: Page, code: string, delivery: KeyDelivery = {}): Promise<void> {
  await pressStamped(page, [...[...code].flatMap((ch) => (/[A-Z:]/.test(ch) ? ['Shift', ch] : [ch])), 'Enter'], delivery);
}

export async function expectLines(page: Page, count: number): Promise<void> {
  await expect(page.getByTestId(`cart-line-${count - 1}`)).toBeVisible();
  await expect(page.getByTestId(`cart-line-${count}`)).toHaveCount(0);
}

/** Types one item's code into the till's field and pays exactly in cash; the till then shows the receipt. */
export async function sellOneForCash(page: Page, code: string): Promise<void> {
  await page.getByTestId('scan-input').fill(code);
  await page.getByTestId('scan-input').press('Enter');
  await expectLines(page, 1);
  await completeInCash(page);
}

async function completeInCash(page: Page): Promise<void> {
  await page.getByTestId('action-pay').click();
  await page.getByTestId('tender-cash').click();
  await page.getByTestId('pay-remaining').click();
  await page.getByTestId('pay-complete').click();
}

/** Pays what is due in cash, checks the receipt number, and moves on to the next customer. */
export async function payExactCash(page: Page, receiptNo: string): Promise<void> {
  await completeInCash(page);
  await expect(page.getByTestId('receipt-number')).toHaveText(receiptNo);
  await page.getByTestId('next-customer').click();
}

/** On the payment screen: a card tender (approval AB1234, card ending 4242) for what is due, or for `amount` ('20.00'). */
export async function addCardTender(page: Page, amount?: string): Promise<void> {
  await page.getByTestId('tender-card').click();
  if (amount !== undefined) await page.getByTestId('tender-amount').fill(amount);
  await page.getByTestId('tender-approval-code').fill('AB1234');
  await page.getByTestId('tender-last4').fill('4242');
  await page.getByTestId('tender-add').click();
}

export async function approveAsManager(page: Page): Promise<void> {
  await expect(page.getByTestId('approval-dialog')).toBeVisible();
  await page.getByTestId('approval-manager-3').click();
  for (const digit of '9999') await page.getByTestId(`approval-pin-key-${digit}`).click();
  await page.getByTestId('approval-ok').click();
  await expect(page.getByTestId('approval-dialog')).toHaveCount(0);
}

/** The cart as the core holds it (`cart:get` through the page's own connection), not as the screen shows it. */
export async function coreCart(page: Page): Promise<Cart> {
  const result = await withTimeout(
    page.evaluate(() => (globalThis as unknown as { pos: PosApi }).pos['cart:get']({})),
    15_000,
    'cart:get through the page',
  );
  if (!result.ok) throw new Error(`cart:get refused: ${result.error.code} ${result.error.message}`);
  return result.value;
}

/** The seed for a random run: `TILL_SEED` to repeat one, else a fresh one; printed either way. */
export function runSeed(name: string): number {
  const seed = process.env.TILL_SEED ? Number(process.env.TILL_SEED) : Math.floor(Math.random() * 2 ** 31);
  console.log(`${name}: seed ${seed} (repeat with TILL_SEED=${seed})`);
  return seed;
}

/**
 * The core answers `ms` late, as on a loaded PC: every message the page's connection receives is
 * handed to it that much later, in order. Call before `page.goto`.
 */
export async function slowCore(page: Page, ms: number): Promise<void> {
  await page.addInitScript((delay) => {
    type Handler = ((this: unknown, event: unknown) => void) | null;
    const socket = (globalThis as unknown as { WebSocket: { prototype: object } }).WebSocket.prototype;
    const own = Object.getOwnPropertyDescriptor(socket, 'onmessage')!;
    Object.defineProperty(socket, 'onmessage', {
      configurable: true,
      get(this: unknown) {
        return own.get!.call(this) as Handler;
      },
      set(this: unknown, handler: Handler) {
        own.set!.call(this, handler ? (event: unknown) => setTimeout(() => handler.call(this, event), delay) : null);
      },
    });
  }, ms);
}

/**
 * The core answers these channels `ms` late (a member lookup waiting for the cloud, a search on a
 * busy PC), the rest at once: the page's requests on them are noted as sent, and their answers are
 * handed to the page that much later. Call before `page.goto`.
 */
export async function slowAnswers(page: Page, delays: Record<string, number>): Promise<void> {
  await page.addInitScript((byChannel) => {
    type Handler = ((this: unknown, event: { data: unknown }) => void) | null;
    const socket = (globalThis as unknown as { WebSocket: { prototype: { send(data: unknown): void } } }).WebSocket.prototype;
    const late = new Map<number, number>();
    const send = socket.send;
    socket.send = function (this: unknown, data: unknown) {
      const frame = JSON.parse(String(data)) as { id: number; channel: string };
      const delay = byChannel[frame.channel];
      if (delay !== undefined) late.set(frame.id, delay);
      send.call(this, data);
    };
    const own = Object.getOwnPropertyDescriptor(socket, 'onmessage')!;
    Object.defineProperty(socket, 'onmessage', {
      configurable: true,
      get(this: unknown) {
        return own.get!.call(this) as Handler;
      },
      set(this: unknown, handler: Handler) {
        const handle = (event: { data: unknown }) => {
          const id = (JSON.parse(String(event.data)) as { id?: number | null }).id;
          const delay = typeof id === 'number' ? late.get(id) : undefined;
          if (delay === undefined) return handler!.call(this, event);
          late.delete(id!);
          setTimeout(() => handler!.call(this, event), delay);
        };
        own.set!.call(this, handler ? handle : null);
      },
    });
  }, delays);
}
