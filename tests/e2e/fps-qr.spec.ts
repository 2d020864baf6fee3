/**
 * 轉數快 FPS for the exact amount (issue 15): the manager sets the shop's FPS payee on the hardware
 * screen, the cashier chooses FPS at payment, and the customer screen shows a dynamic FPS QR whose
 * payload (decoded here with the shared decoder) carries the amount due and the receipt number the
 * sale then takes; the picture is the QR of exactly that payload.
 */
import { toSVG } from 'bwip-js/node';
import { decodeFpsQr } from '../../src/shared/fps-qr';
import { expect, test } from './fixtures';
import { loginAs, MILK_TEA, tillReady, WATER, wedgeScan } from './till-steps';

test('choosing FPS shows a QR for the exact amount and the next receipt number on the customer screen', async ({ register, browser }) => {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(register.url);
    await loginAs(page, 3, '9999');
    await page.keyboard.press('F11');
    await page.getByTestId('back-office-tab-hardware').click();
    const panel = page.getByTestId('customer-screen-panel');

    // A mobile that is not a Hong Kong number is refused with the reason.
    await panel.getByTestId('customer-fps-type').selectOption('mobile');
    await panel.getByTestId('customer-fps-proxy').fill('+86 13812345678');
    await panel.getByTestId('customer-qr-save').click();
    await expect(panel.locator('.field-error')).toBeVisible();

    await panel.getByTestId('customer-fps-proxy').fill('9123 4567');
    await panel.getByTestId('customer-fps-bank').fill('004');
    await panel.getByTestId('customer-fps-name').fill('Suanpan Bakery');
    await panel.getByTestId('customer-qr-save').click();
    await expect(panel.locator('.device-ok')).toBeVisible();
    await panel.scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'test-results/fps-payee-setup.png' });

    await page.keyboard.press('F11');
    await tillReady(page);
    await wedgeScan(page, MILK_TEA);
    await expect(page.getByTestId('cart-line-0')).toBeVisible();
    await wedgeScan(page, WATER);
    await expect(page.getByTestId('cart-line-1')).toBeVisible();

    const customer = await context.newPage();
    await customer.goto(new URL('/customer.html', register.url).href);
    await expect(customer.getByTestId('customer-total')).toHaveText('HK$26.00');
    await expect(customer.getByTestId('customer-fps-qr')).toHaveCount(0);

    await page.keyboard.press('F12');
    await expect(page.getByTestId('payment-screen')).toBeVisible();
    await page.getByTestId('tender-fps').click();
    const qr = customer.getByTestId('customer-fps-qr');
    await expect(qr).toBeVisible();
    await expect(customer.getByTestId('customer-fps-amount')).toHaveText('HK$26.00');
    const payload = (await qr.getAttribute('data-payload')) ?? '';
    const decoded = decodeFpsQr(payload);
    if (!decoded.ok) throw new Error(decoded.error.message);
    expect(decoded.value).toMatchObject({
      dynamic: true,
      mobile: '+852-91234567',
      bankCode: '004',
      currency: '344',
      amount: 2600,
      merchantName: 'Suanpan Bakery',
    });
    // The picture is the QR code of that payload, drawn by the same encoder the screen uses.
    const drawn = decodeURIComponent(
      ((await qr.locator('img').getAttribute('src')) ?? '').replace(/^data:image\/svg\+xml;charset=utf-8,/, ''),
    );
    expect(drawn).toBe(toSVG({ bcid: 'qrcode', text: payload, scale: 4, paddingwidth: 4, paddingheight: 4 }));
    await customer.screenshot({ path: 'test-results/customer-screen-fps-qr.png' });

    // Paying part by FPS: the QR follows the amount typed.
    await page.getByTestId('tender-amount').fill('10');
    await expect(customer.getByTestId('customer-fps-amount')).toHaveText('HK$10.00');
    const partial = decodeFpsQr((await qr.getAttribute('data-payload')) ?? '');
    expect(partial.ok && partial.value.amount).toBe(1000);

    // The whole amount after all; the customer pays and the cashier keys the bank's reference.
    await page.getByTestId('tender-amount').fill('26');
    await expect(customer.getByTestId('customer-fps-amount')).toHaveText('HK$26.00');
    await page.getByTestId('tender-reference').fill('FPS20261203001');
    await page.getByTestId('tender-add').click();
    await expect(customer.getByTestId('customer-fps-qr')).toHaveCount(0);
    await page.getByTestId('pay-complete').click();
    await expect(page.getByTestId('receipt-number')).toHaveText(decoded.value.billNumber ?? 'no bill number');
    await expect(customer.getByTestId('customer-screen')).toHaveAttribute('data-phase', 'done');
  } finally {
    await context.close();
  }
});
