import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { startServe } from '../support/serve-process';

const MILK_TEA = '4891234000012'; // 港式奶茶 HK$18.00
const PINEAPPLE_BUN = '4891234000128'; // 菠蘿包 HK$8.50
const WATER = '4891234000050'; // 蒸餾水 500毫升 HK$8.00

async function loginAs(page: Page, staffId: number, pin: string): Promise<void> {
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
async function wedgeScan(page: Page, code: string): Promise<void> {
  await page.keyboard.type(code, { delay: 2 });
  await page.keyboard.press('Enter');
}

async function expectLines(page: Page, count: number): Promise<void> {
  await expect(page.getByTestId(`cart-line-${count - 1}`)).toBeVisible();
  await expect(page.getByTestId(`cart-line-${count}`)).toHaveCount(0);
}

/** Pays what is due in cash, checks the receipt number, and moves on to the next customer. */
async function payExactCash(page: Page, receiptNo: string): Promise<void> {
  await page.getByTestId('action-pay').click();
  await page.getByTestId('tender-cash').click();
  await page.getByTestId('pay-remaining').click();
  await page.getByTestId('pay-complete').click();
  await expect(page.getByTestId('receipt-number')).toHaveText(receiptNo);
  await page.getByTestId('next-customer').click();
}

async function approveAsManager(page: Page): Promise<void> {
  await expect(page.getByTestId('approval-dialog')).toBeVisible();
  await page.getByTestId('approval-manager-3').click();
  for (const digit of '9999') await page.getByTestId(`approval-pin-key-${digit}`).click();
  await page.getByTestId('approval-ok').click();
  await expect(page.getByTestId('approval-dialog')).toHaveCount(0);
}

test.describe('checkout at the till', () => {
  test('three wedge scans with focus elsewhere, a quantity change, part card part cash, change and receipt number', async ({ page, register }) => {
    await page.goto(register.url);
    await loginAs(page, 1, '1234');
    await page.getByTestId('store-name').click(); // focus away from the scan field
    for (const code of [MILK_TEA, PINEAPPLE_BUN, WATER]) await wedgeScan(page, code);
    await expectLines(page, 3);
    await expect(page.getByTestId('cart-line-0')).toContainText('港式奶茶');
    await expect(page.getByTestId('scan-input')).toHaveValue('');

    await page.getByTestId('cart-line-0').click();
    await page.getByTestId('action-quantity').click();
    await page.getByTestId('qty-input').fill('2');
    await page.getByTestId('dialog-ok').click();
    await expect(page.getByTestId('cart-line-qty-0')).toContainText('2');
    // 2 × 18.00 with 第二杯半價 = 27.00; 菠蘿包 8.50 at 9 折 = 7.65; water 8.00
    await expect(page.getByTestId('cart-total')).toContainText('HK$42.65');
    await page.screenshot({ path: 'test-results/screens/checkout-cart.png' });

    await page.getByTestId('action-pay').click();
    await page.getByTestId('tender-card').click();
    await page.getByTestId('tender-amount').fill('20.00');
    await page.getByTestId('tender-approval-code').fill('AB1234');
    await page.getByTestId('tender-last4').fill('4242');
    await page.getByTestId('tender-add').click();
    await page.getByTestId('tender-cash').click();
    await page.getByTestId('quick-cash-5000').click();
    // cash pays 22.65 → 22.70 after HK$0.10 rounding; 50.00 − 22.70 = 27.30 change
    await expect(page.getByTestId('pay-change')).toContainText('HK$27.30');
    await page.screenshot({ path: 'test-results/screens/checkout-payment.png' });
    await page.getByTestId('pay-complete').click();
    await expect(page.getByTestId('receipt-number')).toHaveText('MK01-01-000001');
    await expect(page.getByTestId('receipt')).toContainText('港式奶茶');
    await page.screenshot({ path: 'test-results/screens/checkout-receipt.png' });

    // The next customer can be scanned straight away.
    await wedgeScan(page, WATER);
    await expect(page.getByTestId('cart-line-0')).toContainText('蒸餾水');
  });

  test('a discount over the cashier limit asks for a manager PIN in place', async ({ page, register }) => {
    await page.goto(register.url);
    await loginAs(page, 1, '1234');
    await wedgeScan(page, WATER);
    await expectLines(page, 1);
    await page.getByTestId('cart-line-0').click();
    await page.getByTestId('action-discount').click();
    await page.getByTestId('discount-kind-percent').click();
    await page.getByTestId('discount-input').fill('50');
    await page.getByTestId('dialog-ok').click();
    await page.screenshot({ path: 'test-results/screens/checkout-approval.png' });
    await approveAsManager(page);
    await expect(page.getByTestId('cart-total')).toContainText('HK$4.00');
  });

  test('suspend and recall a sale', async ({ page, register }) => {
    await page.goto(register.url);
    await loginAs(page, 1, '1234');
    await wedgeScan(page, MILK_TEA);
    await expectLines(page, 1);
    await page.getByTestId('action-suspend').click();
    await page.getByTestId('suspend-label').fill('紅衫客人');
    await page.getByTestId('dialog-ok').click();
    await expect(page.getByTestId('cart-line-0')).toHaveCount(0);
    await wedgeScan(page, WATER);
    await expectLines(page, 1);
    await page.getByTestId('action-suspend').click();
    await page.getByTestId('dialog-ok').click();
    await page.getByTestId('action-recall').click();
    await page.locator('[data-testid^="suspended-"]').filter({ hasText: '紅衫客人' }).click();
    await expect(page.getByTestId('cart-line-0')).toContainText('港式奶茶');
  });

  test('return with a receipt, exchange, and a return without receipt refused for a cashier', async ({ page, register }) => {
    await page.goto(register.url);
    await loginAs(page, 1, '1234');
    await wedgeScan(page, WATER);
    await wedgeScan(page, WATER);
    await expect(page.getByTestId('cart-line-qty-0')).toContainText('2');
    await payExactCash(page, 'MK01-01-000001');

    // Exchange: return one water from the receipt, take a milk tea instead, pay the difference.
    await page.getByTestId('action-return').click();
    await page.getByTestId('return-receipt-input').fill('MK01-01-000001');
    await page.getByTestId('return-receipt-input').press('Enter');
    const saleLine = page.locator('[data-testid^="return-line-"]').first();
    await saleLine.click();
    await page.locator('[data-testid^="return-qty-"]').first().fill('1');
    await page.getByTestId('return-add').click();
    await expect(page.getByTestId('cart-total')).toContainText('-HK$8.00');
    await wedgeScan(page, MILK_TEA);
    await expect(page.getByTestId('cart-total')).toContainText('HK$10.00');
    await page.screenshot({ path: 'test-results/screens/checkout-exchange.png' });
    await payExactCash(page, 'MK01-01-000002');

    // Without a receipt a cashier needs a manager.
    await page.getByTestId('action-return').click();
    await page.getByTestId('return-without-receipt').click();
    await page.getByTestId('scan-input').fill(WATER);
    await page.getByTestId('scan-input').press('Enter');
    await expect(page.getByTestId('approval-dialog')).toBeVisible();
  });

  test('scanning the barcode on a receipt shows that sale, marked as a copy when reprinted', async ({ page, register }) => {
    await page.goto(register.url);
    await loginAs(page, 1, '1234');
    await wedgeScan(page, WATER);
    await payExactCash(page, 'MK01-01-000001');
    await page.getByTestId('store-name').click();
    await wedgeScan(page, 'MK01-01-000001');
    await expect(page.getByTestId('dialog-lookup')).toContainText('蒸餾水');
    await page.getByTestId('lookup-reprint').click();
    await expect(page.getByTestId('dialog-lookup').getByTestId('receipt-copy')).toBeVisible();
  });

  test('the cart survives a kill of the host mid-sale', async ({ page, register }) => {
    await page.goto(register.url);
    await loginAs(page, 1, '1234');
    await wedgeScan(page, MILK_TEA);
    await wedgeScan(page, WATER);
    await expectLines(page, 2);
    register.child.kill('SIGKILL');
    await register.exited;

    const again = await startServe(['--data-dir', register.dataDir, '--port', '0', '--demo']);
    try {
      await page.goto(again.url);
      await loginAs(page, 1, '1234');
      await expectLines(page, 2);
      await expect(page.getByTestId('cart-line-0')).toContainText('港式奶茶');
      await expect(page.getByTestId('cart-line-1')).toContainText('蒸餾水');
    } finally {
      again.child.kill('SIGTERM');
      await again.exited;
    }
  });
});
