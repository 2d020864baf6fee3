/** Steps a cashier takes at the till, shared by the end-to-end specs. */
import type { Page } from '@playwright/test';
import { expect } from './fixtures';

export const MILK_TEA = '4891234000012'; // 港式奶茶 HK$18.00
export const PINEAPPLE_BUN = '4891234000128'; // 菠蘿包 HK$8.50
export const WATER = '4891234000050'; // 蒸餾水 500毫升 HK$8.00

export async function loginAs(page: Page, staffId: number, pin: string): Promise<void> {
  await page.getByTestId(`login-staff-${staffId}`).click();
  for (const digit of pin) await page.getByTestId(`pin-key-${digit}`).click();
  await page.getByTestId('pin-enter').click();
  await expect(page.getByTestId('scan-input')).toBeVisible();
  // Let the checkout screen finish its first render: Playwright sends each key only after the
  // page handled the last one, so a busy first render would stretch a scan's burst into "typing",
  // which a real scanner (whose keys the OS queues with their own timestamps) never suffers.
  await expect(page.locator('[data-testid^="favourite-"]').first()).toBeVisible();
  for (let frame = 0; frame < 2; frame++) await page.waitForFunction(() => true, undefined, { polling: 'raf' });
}

/** A keyboard wedge: the whole code in a fast burst ending in Enter, wherever focus is. */
export async function wedgeScan(page: Page, code: string): Promise<void> {
  await page.keyboard.type(code, { delay: 2 });
  await page.keyboard.press('Enter');
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

export async function approveAsManager(page: Page): Promise<void> {
  await expect(page.getByTestId('approval-dialog')).toBeVisible();
  await page.getByTestId('approval-manager-3').click();
  for (const digit of '9999') await page.getByTestId(`approval-pin-key-${digit}`).click();
  await page.getByTestId('approval-ok').click();
  await expect(page.getByTestId('approval-dialog')).toHaveCount(0);
}
