/**
 * F8 會員 at the till, end to end in Chromium against the real kiosk host (issue 13). The demo
 * register is not enrolled with a cloud: everything here is the offline path, from the member list
 * the demo pulled (陳大文 9123 4567, gold, 1,280 points; 李美華 with no phone, card MBR:M90000002).
 * The cloud's side (lookup of a member enrolled elsewhere, history from every store, merge by phone,
 * points settled and reversed) is proven against a real cloud in tests/node/members and tests/node/cloud.
 */
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { MILK_TEA, WATER, coreCart, expectLines, loginAs, wedgeScan, wedgeScanShifted } from './till-steps';

async function findByPhone(page: Page, phone: string): Promise<void> {
  await page.keyboard.press('F8');
  await expect(page.getByTestId('dialog-member')).toBeVisible();
  await page.getByTestId('member-query').fill(phone);
  await page.getByTestId('member-query').press('Enter');
}

async function payInCash(page: Page): Promise<void> {
  await page.getByTestId('action-pay').click();
  await page.getByTestId('tender-cash').click();
  await page.getByTestId('pay-remaining').click();
  await page.getByTestId('pay-complete').click();
}

test.describe('members at the till', () => {
  test('F8 finds a member by phone; Enter puts them on the sale, member prices apply at once; ⇧F8 takes them off', async ({
    page,
    register,
  }) => {
    await page.goto(register.url);
    await loginAs(page, 1, '1234');
    await wedgeScan(page, WATER);
    await expect(page.getByTestId('cart-total')).toHaveText('HK$8.00');

    await findByPhone(page, '9123 4567');
    await expect(page.getByTestId('member-found')).toBeVisible();
    // found, not yet on the sale: the panel stays open with the member's history until Enter
    await expect(page.getByTestId('member-history')).toBeVisible();
    expect((await coreCart(page)).member).toBeNull();
    await expect(page.getByTestId('member-name')).toHaveText('陳大文');
    await expect(page.getByTestId('member-phone')).toHaveText('9xxx 4567');
    // the full number is nowhere on the page once found
    await expect(page.getByTestId('member-found')).not.toContainText('91234567');
    await page.getByTestId('member-query').press('Enter');
    await expect(page.getByTestId('dialog-member')).toHaveCount(0);

    await expect(page.getByTestId('member-strip-name')).toHaveText('陳大文');
    await expect(page.getByTestId('member-strip-phone')).toHaveText('9xxx 4567');
    await expect(page.getByTestId('member-strip-tier')).toHaveText('金卡會員');
    await expect(page.getByTestId('member-strip-points')).toHaveText('1,280 分');
    await expect(page.getByTestId('cart-total')).toHaveText('HK$6.00');
    expect((await coreCart(page)).member?.code).toBe('M90000001');

    await page.keyboard.press('Shift+F8');
    await expect(page.getByTestId('member-strip')).toHaveCount(0);
    await expect(page.getByTestId('cart-total')).toHaveText('HK$8.00');
    expect((await coreCart(page)).member).toBeNull();
  });

  test('a member card scanned with focus anywhere puts the member on the sale, like a product scan', async ({ page, register }) => {
    await page.goto(register.url);
    await loginAs(page, 1, '1234');
    await wedgeScan(page, MILK_TEA);
    // focus in the scan field
    await wedgeScanShifted(page, 'MBR:M90000002');
    await expect(page.getByTestId('member-strip-name')).toHaveText('李美華');
    await expectLines(page, 1);
    await expect(page.getByTestId('scan-input')).toHaveValue('');
    expect((await coreCart(page)).member?.code).toBe('M90000002');

    // with the quantity dialog open: the card wins, nothing lands in the quantity field
    await page.keyboard.press('F2');
    await expect(page.getByTestId('dialog-quantity')).toBeVisible();
    await wedgeScanShifted(page, 'MBR:M90000001');
    await expect(page.getByTestId('member-strip-name')).toHaveText('陳大文');
    await expect(page.getByTestId('dialog-quantity')).toHaveCount(0);
    await expectLines(page, 1);
    await expect(page.getByTestId('cart-line-qty-0')).toHaveText('1');

    // the member strip's button takes the member off
    await page.getByTestId('member-strip-remove').click();
    await expect(page.getByTestId('member-strip')).toHaveCount(0);
  });

  test('offline, a member this till does not know is "not found locally", never "no such member"; a bad query says what to type', async ({
    page,
    register,
  }) => {
    await page.goto(register.url);
    await loginAs(page, 1, '1234');
    await findByPhone(page, '98887777');
    await expect(page.getByTestId('member-problem')).toHaveText('離線：本機找不到此會員');
    await page.keyboard.press('Escape');
    await page.keyboard.press('F10');
    await findByPhone(page, '98887777');
    await expect(page.getByTestId('member-problem')).toHaveText('Offline: not found locally');
    await page.keyboard.press('Escape');
    await page.keyboard.press('F10');
    await page.keyboard.press('F8');
    await page.getByTestId('member-query').fill('1234');
    await page.getByTestId('member-query').press('Enter');
    await expect(page.getByTestId('member-problem')).toHaveText('請輸入 8 位香港電話號碼或會員編號');
    // a card of someone not on this till opens the panel with the same answer
    await page.keyboard.press('Escape');
    await wedgeScanShifted(page, 'MBR:M12345678');
    await expect(page.getByTestId('dialog-member')).toBeVisible();
    await expect(page.getByTestId('member-problem')).toHaveText('離線：本機找不到此會員');
  });

  test('enrol offline: the consent must be answered, the member gets a provisional code and goes onto the sale', async ({
    page,
    register,
  }) => {
    await page.goto(register.url);
    await loginAs(page, 1, '1234');
    await wedgeScan(page, MILK_TEA);
    await findByPhone(page, '6123 4567');
    await expect(page.getByTestId('member-problem')).toHaveText('離線：本機找不到此會員');
    await page.keyboard.press('F2');
    await expect(page.getByTestId('dialog-member-enrol')).toBeVisible();
    // the phone typed in the search comes with it; no field for an HKID anywhere
    await expect(page.getByTestId('enrol-phone')).toHaveValue('61234567');
    await expect(page.getByTestId('dialog-member-enrol').locator('input')).toHaveCount(3);
    await page.getByTestId('enrol-name').fill('張小芬');
    await page.getByTestId('enrol-email').fill('cheung@example.com');
    await page.getByTestId('enrol-birth-month').selectOption('5');
    await page.getByTestId('enrol-name').press('Enter');
    await expect(page.getByTestId('enrol-problem')).toHaveText('請問客人是否同意接收直接促銷，並選擇答案');
    await page.getByTestId('enrol-consent-no').click();
    await page.getByTestId('dialog-ok').click();
    await expect(page.getByTestId('dialog-member-enrol')).toHaveCount(0);
    await expect(page.getByTestId('member-strip-name')).toHaveText('張小芬');
    await expect(page.getByTestId('member-strip-phone')).toHaveText('6xxx 4567');
    const member = (await coreCart(page)).member;
    expect(member).toMatchObject({ name: '張小芬', provisional: true });
    expect(member?.code).toMatch(/^TMK01-01-\d{5}$/);

    // found again by phone at once, offline; enrolling the same phone twice is refused
    await findByPhone(page, '61234567');
    await expect(page.getByTestId('member-found')).toContainText('臨時編號');
    await page.keyboard.press('F2');
    await page.getByTestId('enrol-name').fill('張小芬');
    await page.getByTestId('enrol-consent-yes').click();
    await page.getByTestId('dialog-ok').click();
    await expect(page.getByTestId('enrol-problem')).toHaveText('此電話號碼已是會員：請用 F8 搜尋');
  });

  test('a member sale shows the points earned and the balance on the receipt; its return brings the member and reverses them', async ({
    page,
    register,
  }) => {
    await page.goto(register.url);
    await loginAs(page, 1, '1234');
    await wedgeScan(page, WATER);
    await wedgeScan(page, WATER);
    await wedgeScanShifted(page, 'MBR:M90000001');
    await expect(page.getByTestId('cart-total')).toHaveText('HK$12.00');
    await payInCash(page);
    await expect(page.getByTestId('receipt-number')).toHaveText('MK01-01-000001');
    // the receipt as printed (the till shows the printer's own output)
    await expect(page.getByTestId('receipt-preview')).toContainText('會員 Member 陳大文 9xxx 4567');
    await expect(page.getByTestId('receipt-preview')).toContainText(/今次積分 Points earned\s*\+12/);
    await expect(page.getByTestId('receipt-preview')).toContainText(/積分結餘 Points balance\s*1,292/);
    await page.getByTestId('next-customer').click();

    // The history shows this till's sale (offline: says so).
    await findByPhone(page, '91234567');
    await expect(page.getByTestId('member-points')).toHaveText('1,292');
    await expect(page.getByTestId('member-history-local')).toBeVisible();
    await expect(page.getByTestId('member-history-row')).toHaveCount(1);
    await expect(page.getByTestId('member-history-row')).toContainText('MK01-01-000001');
    await page.keyboard.press('Escape');

    // Return one water by receipt: the member comes with it, the points go back.
    await page.getByTestId('action-return').click();
    await page.getByTestId('return-receipt-input').fill('MK01-01-000001');
    await page.getByTestId('return-receipt-input').press('Enter');
    await page.locator('[data-testid^="return-line-"]').first().click();
    await page.locator('[data-testid^="return-qty-"]').first().fill('1');
    await page.getByTestId('return-add').click();
    await expect(page.getByTestId('cart-total')).toHaveText('-HK$6.00');
    await expect(page.getByTestId('member-strip-name')).toHaveText('陳大文');
    await payInCash(page);
    await expect(page.getByTestId('receipt-number')).toHaveText('MK01-01-000002');
    await expect(page.getByTestId('receipt-preview')).toContainText(/今次積分 Points earned\s*-6/);
    await expect(page.getByTestId('receipt-preview')).toContainText(/積分結餘 Points balance\s*1,286/);
  });
});
