/**
 * Stock at the counter (issue 14), as a shop manager does it, by keyboard and scanner: receive a
 * delivery (quantity first, then scan), count the drinks blind while the till sells one, read the
 * variance, post, and see on-hand follow.
 */
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { MILK_TEA, WATER, loginAs, payExactCash, wedgeScan } from './till-steps';

async function openStock(page: Page, view: string): Promise<void> {
  await page.keyboard.press('F11');
  await page.getByTestId('back-office-tab-stock').click();
  await page.getByTestId(`stock-tab-${view}`).click();
}

async function postWithKeys(page: Page): Promise<void> {
  await page.keyboard.press('F12');
  await expect(page.getByTestId('stock-post-confirm')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('stock-doc-status')).toHaveText('已過帳');
}

test('receive a delivery, count the drinks blind with a sale in the middle, post the variance: on-hand follows', async ({
  page,
  register,
}) => {
  test.setTimeout(180_000);
  await page.goto(register.url);
  await loginAs(page, 3, '9999');

  // 收貨: quantity first (F2), then scan; "5*code" in the scan field works too.
  await openStock(page, 'receive');
  await page.getByTestId('stock-supplier-ref').fill('DN-2026-1203');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('stock-scan')).toBeFocused();
  await page.keyboard.press('F2');
  await page.keyboard.type('12');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('stock-scan')).toBeFocused();
  await wedgeScan(page, MILK_TEA);
  await expect(page.getByTestId('stock-line-quantity-DRI-0001')).toHaveText('12');
  await page.keyboard.type(`5*${WATER}`);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('stock-line-quantity-DRI-0005')).toHaveText('5');
  await wedgeScan(page, '4891234000013'); // a misread: refused in words, nothing added
  await expect(page.getByTestId('stock-error')).toBeVisible();
  await expect(page.getByTestId('stock-totals')).toContainText('2 項');
  await postWithKeys(page);

  await page.getByTestId('stock-tab-on-hand').click();
  await page.getByTestId('stock-search').fill('DRI-000');
  await expect(page.getByTestId('stock-on-hand-DRI-0001')).toHaveText('12');
  await expect(page.getByTestId('stock-on-hand-DRI-0005')).toHaveText('5');

  // 盤點: the drinks, blind; 11 teas on the shelf; the water is not found at all.
  await page.getByTestId('stock-tab-count').click();
  await page.getByTestId('stock-category').fill('DRINK');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('stock-doc-no')).toHaveText('CNT-000001');
  await page.keyboard.press('F2');
  await page.keyboard.type('11');
  await page.keyboard.press('Enter');
  await wedgeScan(page, MILK_TEA);
  await expect(page.getByTestId('stock-line-quantity-DRI-0001')).toHaveText('11');
  await expect(page.getByTestId('stock-lines')).not.toContainText('應有'); // blind

  // The till never stops for a count: one tea sold after it was counted.
  await page.keyboard.press('F11');
  await wedgeScan(page, MILK_TEA);
  await payExactCash(page, 'MK01-01-000001');

  await openStock(page, 'count');
  await page.getByTestId('stock-open-CNT-000001').click();
  await page.getByTestId('stock-variance-button').click();
  await expect(page.getByTestId('stock-variance-summary')).toContainText('2 項有差異');
  await expect(page.getByTestId('stock-variance-DRI-0001')).toContainText('12'); // expected at the count, before the sale
  await expect(page.getByTestId('stock-variance-DRI-0001')).toContainText('-1');
  await expect(page.getByTestId('stock-variance-DRI-0005')).toContainText('-5');
  await page.getByTestId('stock-scan').focus();
  await postWithKeys(page);

  await page.getByTestId('stock-tab-on-hand').click();
  await page.getByTestId('stock-search').fill('DRI-000');
  await expect(page.getByTestId('stock-on-hand-DRI-0001')).toHaveText('10'); // 11 counted, 1 sold since
  await expect(page.getByTestId('stock-on-hand-DRI-0005')).toHaveText('0');
});
