/**
 * The back office's 存貨 screens as a manager moves through them by keyboard and scanner, and the
 * cloud's on-hand to check them against: the steps the stock specs share (stock-shared-count,
 * stock-transfer).
 */
import type { Page } from '@playwright/test';
import type { E2eCloud } from './cloud-steps';
import { expect } from './fixtures';
import { wedgeScan } from './till-steps';

/** F11 to the back office, unless it is showing. */
export async function backOffice(page: Page): Promise<void> {
  if (!(await page.getByTestId('back-office').isVisible())) await page.keyboard.press('F11');
}

/** 存貨 and one of its views (`count`, `receive`, `transfer-out`, `on-hand` …). */
export async function stockTab(page: Page, view: string): Promise<void> {
  await backOffice(page);
  await page.getByTestId('back-office-tab-stock').click();
  await page.getByTestId(`stock-tab-${view}`).click();
}

/** 雲端同步 › 立即同步. */
export async function syncNow(page: Page): Promise<void> {
  await backOffice(page);
  await page.getByTestId('back-office-tab-sync').click();
  await page.getByTestId('sync-now').click();
}

/** The register's on-hand column for a SKU, read again (a pull may land a moment later) until it says `expected`. */
export async function expectOnHand(page: Page, sku: string, expected: string): Promise<void> {
  await expect(async () => {
    await syncNow(page);
    await stockTab(page, 'on-hand');
    await page.getByTestId('stock-search').fill(sku);
    await expect(page.getByTestId(`stock-on-hand-${sku}`)).toHaveText(expected, { timeout: 1_000 });
  }).toPass({ timeout: 60_000 });
}

/** Quantity first (F2, the number, Enter), then the scanner's burst, into the open stock document. */
export async function quantityThenScan(page: Page, quantity: string, code: string): Promise<void> {
  await page.keyboard.press('F2');
  await page.keyboard.type(quantity);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('stock-scan')).toBeFocused();
  await wedgeScan(page, code);
}

/** The cloud's on-hand of a SKU at a store, in units. */
export async function cloudOnHand(cloud: E2eCloud, store: string, sku: string): Promise<number> {
  const rows = await cloud.query<{ q: string }>(
    'SELECT h.quantity_milli AS q FROM stock_on_hand h JOIN store s ON s.id = h.store_id WHERE s.code = $1 AND h.sku = $2',
    [store, sku],
  );
  return Number(rows[0]?.q ?? 0) / 1000;
}
