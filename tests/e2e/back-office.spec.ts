import { test, expect } from './fixtures';
import { WATER, expectLines, loginAs, wedgeScan } from './till-steps';

test.describe('the back office', () => {
  test('a manager adds the mall’s vouchers as a payment method (F11), and the till takes them at once', async ({ page, register }) => {
    await page.goto(register.url);
    await loginAs(page, 3, '9999');
    await page.keyboard.press('F11');
    await expect(page.getByTestId('back-office')).toBeVisible();
    await page.getByTestId('back-office-tab-payment-methods').click();
    await expect(page.getByTestId('payment-method-octopus')).toContainText('八達通');

    await page.getByTestId('payment-method-code').fill('mall-voucher');
    await page.getByTestId('payment-method-name-zh').fill('商場禮券');
    await page.getByTestId('payment-method-name-en').fill('Mall voucher');
    await page.getByTestId('payment-method-save').click();
    await expect(page.getByTestId('payment-method-mall-voucher')).toContainText('商場禮券');
    await page.screenshot({ path: 'test-results/screens/back-office-payment-methods.png' });

    await page.keyboard.press('F11');
    await expect(page.getByTestId('scan-input')).toBeVisible();
    await wedgeScan(page, WATER);
    await expectLines(page, 1);
    await page.getByTestId('action-pay').click();
    await page.getByTestId('tender-mall-voucher').click();
    await page.getByTestId('pay-remaining').click();
    await page.getByTestId('tender-reference').fill('V-000123');
    await page.getByTestId('tender-add').click();
    await page.getByTestId('pay-complete').click();
    await expect(page.getByTestId('receipt-number')).toHaveText('MK01-01-000001');
    await expect(page.getByTestId('receipt')).toContainText('商場禮券');
  });

  test('when the back office cannot load, the till says so and keeps its cart: F11 goes back, F5 tries again', async ({
    page,
    register,
  }) => {
    // the back office's own chunk fails to arrive (a damaged install, a file replaced mid-update)
    const chunk = /\/assets\/back-office-screen-[^/]*\.js$/;
    await page.route(chunk, (route) => route.abort('failed'));
    await page.goto(register.url);
    await loginAs(page, 3, '9999');
    await wedgeScan(page, WATER);
    await expectLines(page, 1);

    await page.keyboard.press('F11');
    const unavailable = page.getByTestId('back-office-unavailable');
    await expect(unavailable).toBeVisible();
    await expect(unavailable).toContainText('管理畫面未能開啟');
    await expect(page.getByTestId('back-office')).toHaveCount(0);
    for (const width of [1024, 1366]) {
      await page.setViewportSize({ width, height: 768 });
      await page.screenshot({ path: `test-results/screens/back-office-unavailable-${width}.png` });
    }

    await page.keyboard.press('F11');
    await expect(page.getByTestId('scan-input')).toBeVisible();
    await expectLines(page, 1);

    await page.unroute(chunk);
    await page.keyboard.press('F11');
    await expect(unavailable).toBeVisible();
    await page.keyboard.press('F5');
    await expect(page.getByTestId('back-office')).toBeVisible();
    await page.getByTestId('back-to-till').click();
    await expectLines(page, 1);
  });

  test('a cashier’s back office shows only what a cashier may use', async ({ page, register }) => {
    await page.goto(register.url);
    await loginAs(page, 1, '1234');
    await page.getByTestId('action-back-office').click();
    await expect(page.getByTestId('back-office')).toBeVisible();
    await expect(page.getByTestId('back-office-tab-payment-methods')).toHaveCount(0);
    await page.getByTestId('back-to-till').click();
    await expect(page.getByTestId('scan-input')).toBeVisible();
  });

  test('IT replaces the receipt logo on the hardware screen with a PBM file; a file that is not one is refused in place', async ({
    page,
    register,
  }) => {
    await page.goto(register.url);
    await loginAs(page, 3, '9999');
    await page.keyboard.press('F11');
    await page.getByTestId('back-office-tab-hardware').click();
    await expect(page.getByTestId('logo-current')).toContainText('360 × 120');

    await page
      .getByTestId('logo-file')
      .setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: Buffer.from('\x89PNG not a pbm') });
    await expect(page.getByTestId('logo-message')).toContainText('Not a PBM');
    await expect(page.getByTestId('logo-current')).toContainText('360 × 120');

    const header = Buffer.from('P4\n16 2\n', 'ascii');
    await page.getByTestId('logo-file').setInputFiles({
      name: 'logo.pbm',
      mimeType: 'image/x-portable-bitmap',
      buffer: Buffer.concat([header, Buffer.from([0xff, 0xff, 0x81, 0x81])]),
    });
    await expect(page.getByTestId('logo-current')).toContainText('16 × 2');
    await page.getByTestId('logo-panel').scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'test-results/screens/hardware-logo.png' });
    await page.getByTestId('logo-remove').click();
    await expect(page.getByTestId('logo-current')).toContainText('未設定標誌');
  });

  test('every section scrolls inside itself: the page never grows past the screen, so the bars stay put', async ({ page, register }) => {
    await page.goto(register.url);
    await loginAs(page, 3, '9999');
    await page.keyboard.press('F11');
    const tabLocator = page.locator('[data-testid^="back-office-tab-"]');
    await expect(tabLocator.first()).toBeVisible();
    const tabs: string[] = [];
    for (let i = 0; i < (await tabLocator.count()); i++) tabs.push((await tabLocator.nth(i).getAttribute('data-testid'))!);
    expect(tabs.length).toBeGreaterThanOrEqual(9);
    for (const tab of tabs) {
      await page.getByTestId(tab).click();
      await expect(page.getByTestId(tab.replace('back-office-tab-', 'back-office-section-'))).toBeVisible();
      await page.waitForFunction(() => true, undefined, { polling: 'raf' });
      expect(await page.evaluate('document.scrollingElement.scrollHeight - window.innerHeight'), tab).toBe(0);
    }
  });
});
