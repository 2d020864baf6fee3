import { test, expect } from './fixtures';
import { withTimeout } from '../support/bounded.mjs';
import { startServe, stopServe } from '../support/serve-process';
import {
  MILK_TEA,
  PINEAPPLE_BUN,
  WATER,
  addCardTender,
  approveAsManager,
  expectLines,
  loginAs,
  payExactCash,
  wedgeScan,
} from './till-steps';

test.describe('checkout at the till', () => {
  test('three wedge scans with focus elsewhere, a quantity change, part card part cash, change and receipt number', async ({
    page,
    register,
  }) => {
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
    await addCardTender(page, '20.00');
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

  test('a quantity change that takes an amount discount over the cashier limit asks for a manager PIN too', async ({ page, register }) => {
    await page.goto(register.url);
    await loginAs(page, 1, '1234');
    await wedgeScan(page, WATER);
    await expectLines(page, 1);
    await page.getByTestId('cart-line-0').click();
    await page.getByTestId('action-quantity').click();
    await page.getByTestId('qty-input').fill('10');
    await page.getByTestId('dialog-ok').click();
    // HK$8 off HK$80: 10 %, the cashier's own limit
    await page.getByTestId('action-discount').click();
    await page.getByTestId('discount-kind-amount').click();
    await page.getByTestId('discount-input').fill('8');
    await page.getByTestId('dialog-ok').click();
    await expect(page.getByTestId('cart-total')).toContainText('HK$72.00');
    // one water left would be 100 % off: the PIN pad opens over the till, as for the discount itself
    await page.getByTestId('action-quantity').click();
    await page.getByTestId('qty-input').fill('1');
    await page.getByTestId('dialog-ok').click();
    await approveAsManager(page);
    await expect(page.getByTestId('cart-line-qty-0')).toContainText('1');
    await expect(page.getByTestId('cart-total')).toContainText('HK$0.00');
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
    // The item is scanned as at any till; the dialog keeps the keyboard, so the till's field behind it is never typed into.
    await wedgeScan(page, WATER);
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
    // The old page must not navigate by itself while its host is down: a reload then would race the
    // goto below (net::ERR_ABORTED) and leave an error page. It asks whether the host is back first.
    const firstMove = page.waitForRequest((request) => request.isNavigationRequest() || request.method() === 'HEAD');
    register.child.kill('SIGKILL');
    await withTimeout(register.exited, 10_000, 'the host to exit after SIGKILL');
    const move = await firstMove;
    expect({ navigation: move.isNavigationRequest(), method: move.method() }).toEqual({ navigation: false, method: 'HEAD' });

    const again = await startServe(['--data-dir', register.dataDir, '--port', '0', '--demo']);
    try {
      await page.goto(again.url);
      await loginAs(page, 1, '1234');
      await expectLines(page, 2);
      await expect(page.getByTestId('cart-line-0')).toContainText('港式奶茶');
      await expect(page.getByTestId('cart-line-1')).toContainText('蒸餾水');
    } finally {
      await stopServe(again);
    }
  });

  test('a page whose host restarts on the same port reloads itself once the host answers, and keeps the cart', async ({
    page,
    register,
  }) => {
    await page.goto(register.url);
    await loginAs(page, 1, '1234');
    await wedgeScan(page, MILK_TEA);
    await expectLines(page, 1);
    register.child.kill('SIGKILL');
    await withTimeout(register.exited, 10_000, 'the host to exit after SIGKILL');

    const port = new URL(register.url).port;
    const again = await startServe(['--data-dir', register.dataDir, '--port', port, '--demo']);
    try {
      // No goto: the page finds its host back, reloads for the new session secret and shows the login screen.
      await loginAs(page, 1, '1234');
      await expectLines(page, 1);
    } finally {
      await stopServe(again);
    }
  });
});
