/** Steps a cashier takes at the till, shared by the end-to-end specs. */
import type { CDPSession, Page } from '@playwright/test';
import { expect } from './fixtures';

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

/**
 * A keyboard wedge: the whole code ending in Enter, wherever focus is, as a USB scanner's keys
 * reach the page: stamped 3 ms apart when they were "pressed" (the OS's timestamps, which the
 * detector reads) and delivered together. Playwright's own typing waits for each key's round trip,
 * so on a loaded machine a burst arrived as slow typing and split, which no scanner does.
 */
export async function wedgeScan(page: Page, code: string): Promise<void> {
  if (!sessions.has(page)) sessions.set(page, page.context().newCDPSession(page));
  const cdp = await sessions.get(page)!;
  const start = Date.now() / 1000;
  await Promise.all(
    [...code, 'Enter'].flatMap((key, index) => {
      const timestamp = start + index * 0.003;
      const enter = key === 'Enter';
      const keyInfo = { key, code: enter ? 'Enter' : /\d/.test(key) ? `Digit${key}` : `Key${key.toUpperCase()}`, windowsVirtualKeyCode: enter ? 13 : key.toUpperCase().charCodeAt(0) };
      const text = enter ? '\r' : key;
      return [
        cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', ...keyInfo, text, unmodifiedText: text, timestamp }),
        cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', ...keyInfo, timestamp: timestamp + 0.001 }),
      ];
    }),
  );
}

export async function expectLines(page: Page, count: number): Promise<void> {
  await expect(page.getByTestId(`cart-line-${count - 1}`)).toBeVisible();
  await expect(page.getByTestId(`cart-line-${count}`)).toHaveCount(0);
}

/** Pays what is due in cash, checks the receipt number, and moves on to the next customer. */
export async function payExactCash(page: Page, receiptNo: string): Promise<void> {
  await page.getByTestId('action-pay').click();
  await page.getByTestId('tender-cash').click();
  await page.getByTestId('pay-remaining').click();
  await page.getByTestId('pay-complete').click();
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
