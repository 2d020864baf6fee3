/**
 * Discount rules at the till, end to end in Chromium against the real kiosk host: a member whose
 * prices take the cashier's cart discount over their limit brings up the manager PIN pad in place
 * (as a quantity change does), and an amount cart discount the cart shrank under says on the till
 * what was asked and what applies, which is what the receipt charges. Screenshots of the totals
 * at 1024×768 and 1366×768, in Chinese and English, go to DISCOUNT_SCREENS (when set).
 */
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { test, expect } from './fixtures';
import { TEXT_FIT_PROBE } from './text-fit';
import { MILK_TEA, WATER, approveAsManager, coreCart, expectLines, loginAs, wedgeScan } from './till-steps';

const screens = process.env.DISCOUNT_SCREENS ?? 'test-results/screens/discounts';

async function cartDiscount(page: Page, amount: string): Promise<void> {
  await page.keyboard.press('Shift+F3');
  await expect(page.getByTestId('dialog-discount')).toBeVisible();
  await page.getByTestId('discount-kind-amount').click();
  await page.getByTestId('discount-input').fill(amount);
  await page.getByTestId('dialog-ok').click();
}

/** Two waters on the till as `staff` (the cart HK$16.00), the water's line highlighted. */
async function twoWaters(page: Page, register: { url: string }, staff: [number, string]): Promise<void> {
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.goto(register.url);
  await loginAs(page, ...staff);
  await wedgeScan(page, WATER);
  await expectLines(page, 1);
  await page.getByTestId('cart-line-0').click();
  await page.getByTestId('action-quantity').click();
  await page.getByTestId('qty-input').fill('2');
  await page.getByTestId('dialog-ok').click();
  await expect(page.getByTestId('cart-total')).toHaveText('HK$16.00');
}

/** F3 on the highlighted line: an amount discount of `amount` dollars, OK pressed (the dialog may refuse it). */
async function lineDiscount(page: Page, amount: string): Promise<void> {
  await page.getByTestId('action-discount').click();
  await page.getByTestId('discount-kind-amount').click();
  await page.getByTestId('discount-input').fill(amount);
  await page.getByTestId('dialog-ok').click();
}

/** Keeps a screenshot of the till as it stands (Chinese, then English via F10) and checks every text fits. */
async function shoot(page: Page, name: string): Promise<void> {
  const { width, height } = page.viewportSize()!;
  for (const suffix of ['', '.en']) {
    if (suffix) await page.keyboard.press('F10');
    await page.waitForFunction(() => true, undefined, { polling: 'raf' });
    await page.screenshot({ path: `${screens}/${name}-${width}x${height}${suffix}.png` });
    const findings = (await page.evaluate(TEXT_FIT_PROBE)) as string[];
    expect.soft(findings, `${name}${suffix} at ${width}×${height}`).toEqual([]);
  }
  await page.keyboard.press('F10');
}

test.describe('discount rules at the till', () => {
  test('a member whose prices take the cart discount over the cashier’s limit is attached only with a manager’s PIN', async ({
    page,
    register,
  }) => {
    await page.goto(register.url);
    await loginAs(page, 1, '1234');
    await wedgeScan(page, WATER);
    await expectLines(page, 1);
    await page.getByTestId('action-quantity').click();
    await page.getByTestId('qty-input').fill('10');
    await page.getByTestId('dialog-ok').click();
    await expect(page.getByTestId('cart-total')).toHaveText('HK$80.00');
    // HK$8 off HK$80: 10 %, the cashier's own limit
    await cartDiscount(page, '8');
    await expect(page.getByTestId('cart-total')).toHaveText('HK$72.00');

    // 陳大文 (gold) pays HK$6 a water: HK$8 off HK$60 is over 10 %, so the PIN pad opens over the member panel
    await page.keyboard.press('F8');
    await page.getByTestId('member-query').fill('9123 4567');
    await page.getByTestId('member-query').press('Enter');
    await expect(page.getByTestId('member-found')).toBeVisible();
    await page.getByTestId('member-query').press('Enter');
    await expect(page.getByTestId('approval-dialog')).toBeVisible();
    await page.screenshot({ path: `${screens}/member-approval-1366x768.png` });

    // backed out: the member is not on the sale, and the panel says why
    await page.getByTestId('approval-cancel').click();
    await expect(page.getByTestId('approval-dialog')).toHaveCount(0);
    await expect(page.getByTestId('member-problem')).toHaveText('需要經理批准');
    expect((await coreCart(page)).member).toBeNull();
    await expect(page.getByTestId('cart-total')).toHaveText('HK$72.00');

    // again, and a manager approves: the member comes on with their prices
    await page.getByTestId('member-query').press('Enter');
    await approveAsManager(page);
    await expect(page.getByTestId('dialog-member')).toHaveCount(0);
    await expect(page.getByTestId('member-strip-name')).toHaveText('陳大文');
    await expect(page.getByTestId('cart-total')).toHaveText('HK$52.00');
    expect((await coreCart(page)).member?.code).toBe('M90000001');
  });

  for (const size of [
    { width: 1024, height: 768 },
    { width: 1366, height: 768 },
  ]) {
    test(`a cart discount more than the cart is refused; one the cart shrank under says what applies, as the receipt does (${size.width}×${size.height})`, async ({
      page,
      register,
    }) => {
      await page.setViewportSize(size);
      await page.goto(register.url);
      await loginAs(page, 3, '9999');
      await wedgeScan(page, WATER);
      await wedgeScan(page, MILK_TEA);
      await expectLines(page, 2);

      // more than the HK$26 cart: refused in the dialog, with both figures
      await cartDiscount(page, '30');
      await expect(page.getByTestId('dialog-discount')).toContainText('折扣 HK$30.00 多於整單金額（HK$26.00）：最多只可減 HK$26.00');
      await page.screenshot({ path: `${screens}/cart-discount-refused-${size.width}x${size.height}.png` });
      expect((await coreCart(page)).discount).toBeNull();
      await page.getByTestId('discount-input').fill('20');
      await page.getByTestId('dialog-ok').click();
      await expect(page.getByTestId('dialog-discount')).toHaveCount(0);
      await expect(page.getByTestId('cart-total')).toHaveText('HK$6.00');
      await expect(page.getByTestId('cart-discount-capped')).toHaveCount(0);

      // the milk tea goes back: HK$8 of the HK$20 applies, and the totals say so
      await page.getByTestId('cart-line-1').click();
      await page.getByTestId('action-remove-line').click();
      await expectLines(page, 1);
      await expect(page.getByTestId('cart-discounts')).toHaveText('-HK$8.00');
      await expect(page.getByTestId('cart-discount-note')).toHaveText('整單折扣 HK$20.00');
      await expect(page.getByTestId('cart-discount-capped')).toHaveText('只減 HK$8.00：整單金額已少於折扣 HK$20.00');
      await expect(page.getByTestId('cart-total')).toHaveText('HK$0.00');
      await shoot(page, 'cart-discount-capped');
      await page.keyboard.press('F10');
      await expect(page.getByTestId('cart-discount-capped')).toHaveText(
        'Only HK$8.00 applies: the cart is now less than the HK$20.00 discount',
      );
      await page.keyboard.press('F10');

      // paid: the receipt takes off what the till said applies
      await page.getByTestId('action-pay').click();
      await expect(page.getByTestId('payment-screen')).toBeVisible();
      await page.getByTestId('pay-complete').click();
      await expect(page.getByTestId('receipt-number')).toHaveText('MK01-01-000001');
      await expect(page.getByTestId('receipt')).toContainText(/Discounts\s+-HK\$8\.00/);
      await expect(page.getByTestId('receipt')).toContainText(/TOTAL\s+HK\$0\.00/);
    });
  }

  test('a line discount more than the line is refused; one the line shrank under says what applies', async ({ page, register }) => {
    await twoWaters(page, register, [3, '9999']);

    // more than the HK$16 line: refused in the dialog, with both figures
    await lineDiscount(page, '20');
    await expect(page.getByTestId('dialog-discount')).toContainText(
      '折扣 HK$20.00 多於此貨品的金額（HK$16.00，已計優惠）：最多只可減 HK$16.00',
    );
    await page.screenshot({ path: `${screens}/line-discount-refused-1024x768.png` });
    expect((await coreCart(page)).lines[0]?.discount).toBeNull();
    await page.getByTestId('discount-input').fill('16');
    await page.getByTestId('dialog-ok').click();
    await expect(page.getByTestId('dialog-discount')).toHaveCount(0);
    await expect(page.getByTestId('cart-total')).toHaveText('HK$0.00');
    await expect(page.getByTestId('cart-line-discount-0')).not.toHaveAttribute('data-capped', 'true');

    // one water goes back: HK$8 of the HK$16 applies, and the line says so
    await page.getByTestId('action-quantity').click();
    await page.getByTestId('qty-input').fill('1');
    await page.getByTestId('dialog-ok').click();
    await expect(page.getByTestId('cart-line-discount-0')).toHaveAttribute('data-capped', 'true');
    await expect(page.getByTestId('cart-line-discount-0')).toContainText('折扣 HK$16.00，只減 HK$8.00：貨品金額已較少');
    await expect(page.getByTestId('cart-line-discount-0')).toContainText('-HK$8.00');
    await expect(page.getByTestId('cart-total')).toHaveText('HK$0.00');
    for (const width of [1024, 1366]) {
      await page.setViewportSize({ width, height: 768 });
      await shoot(page, 'line-discount-capped');
    }
    await page.keyboard.press('F10');
    await expect(page.getByTestId('cart-line-discount-0')).toContainText('Discount HK$16.00, only HK$8.00 applies: the line is now less');
  });

  test('a scan that starts a promotion under a discount says so on the till; F12 asks a manager before payment', async ({
    page,
    register,
  }) => {
    // any three waters HK$10, as head office's last pull left it
    const db = new Database(join(register.dataDir, 'register.db'));
    try {
      db.pragma('busy_timeout = 5000');
      db.prepare(
        "INSERT INTO promotion (id, code, name_zh, name_en, kind, params, active) VALUES (9001, 'W3', '蒸餾水三支 HK$10', 'Water 3 for HK$10', 'bundle', ?, 1)",
      ).run(JSON.stringify({ target: { skus: ['DRI-0005'] }, quantity: 3, price: 1000 }));
    } finally {
      db.close();
    }
    await twoWaters(page, register, [1, '1234']);
    // HK$1.60 off HK$16: 10 %, the cashier's own limit
    await lineDiscount(page, '1.6');
    await expect(page.getByTestId('cart-total')).toHaveText('HK$14.40');
    await expect(page.getByTestId('cart-discounts-to-approve')).toHaveCount(0);

    // the third water starts the bundle: what the discounted line keeps shrinks, so HK$1.60 is now over the limit
    await wedgeScan(page, WATER);
    await expectLines(page, 2);
    await expect(page.getByTestId('cart-total')).toHaveText('HK$8.40');
    await expect(page.getByTestId('cart-discounts-to-approve')).toHaveText('折扣已超出給予者的上限：付款前須經理批准');
    for (const width of [1024, 1366]) {
      await page.setViewportSize({ width, height: 768 });
      await shoot(page, 'discounts-to-approve');
    }

    // F12: the PIN pad, before the payment screen takes anything; backed out, the till is back on the cart
    await page.keyboard.press('F12');
    await expect(page.getByTestId('approval-dialog')).toBeVisible();
    await page.getByTestId('approval-cancel').click();
    await expect(page.getByTestId('approval-dialog')).toHaveCount(0);
    await expect(page.getByTestId('payment-screen')).toHaveCount(0);
    await expect(page.getByTestId('cart-discounts-to-approve')).toBeVisible();

    // again, and a manager approves: the payment screen opens on the same total, and the sale completes
    await page.keyboard.press('F12');
    await approveAsManager(page);
    await expect(page.getByTestId('payment-screen')).toBeVisible();
    expect((await coreCart(page)).discountsToApprove).toBeUndefined();
    await expect(page.getByTestId('payment-screen')).toContainText('HK$8.40');
    await page.getByTestId('pay-remaining').click();
    await page.getByTestId('pay-complete').click();
    await expect(page.getByTestId('receipt-number')).toHaveText('MK01-01-000001');
    await expect(page.getByTestId('receipt')).toContainText(/TOTAL\s+HK\$8\.40/);
  });
});
