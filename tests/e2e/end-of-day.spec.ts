import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { addCardTender, loginAs, MILK_TEA, PINEAPPLE_BUN, tillReady, WATER, wedgeScan } from './till-steps';

// A whole business day through the kiosk host in Chromium: open a shift with a float, 20 documents
// in mixed tenders (a refund and an exchange among them), a pay-out, a no-sale with a reason, a
// blind count HK$10.00 short, the X report, the Z; then a second day and Z #2; then the reports.

// Prices: 港式奶茶 HK$18.00 (2 for HK$27.00); 菠蘿包 HK$8.50, 9 折 = HK$7.65; 蒸餾水 HK$8.00.

const receiptNo = (n: number) => `MK01-01-${String(n).padStart(6, '0')}`;

type Tender = 'cash' | 'cash-50' | 'card' | 'octopus';

async function pay(page: Page, tender: Tender, n: number): Promise<void> {
  await page.getByTestId('action-pay').click();
  if (tender === 'card') {
    await addCardTender(page);
  } else if (tender === 'octopus') {
    await page.getByTestId('tender-octopus').click();
    await page.getByTestId('tender-reference').fill(`OCT${n}0001`);
    await page.getByTestId('tender-add').click();
  } else {
    await page.getByTestId('tender-cash').click();
    if (tender === 'cash-50') await page.getByTestId('quick-cash-5000').click();
    else await page.getByTestId('pay-remaining').click();
  }
  await page.getByTestId('pay-complete').click();
  await expect(page.getByTestId('receipt-number')).toHaveText(receiptNo(n));
  await page.getByTestId('next-customer').click();
}

async function sell(page: Page, codes: string[], tender: Tender, n: number): Promise<void> {
  for (const [i, code] of codes.entries()) {
    await wedgeScan(page, code);
    await expect(
      page
        .getByTestId(`cart-line-${i}`)
        .or(page.getByTestId('cart-line-qty-0').filter({ hasText: String(i + 1) }))
        .first(),
    ).toBeVisible();
  }
  await pay(page, tender, n);
}

/** Returns `quantity` of the first line of a receipt into the cart. */
async function returnFrom(page: Page, receipt: string, quantity: number, expectedTotal: string): Promise<void> {
  await page.getByTestId('action-return').click();
  await page.getByTestId('return-receipt-input').fill(receipt);
  await page.getByTestId('return-receipt-input').press('Enter');
  await page.locator('[data-testid^="return-line-"]').first().click();
  await page.locator('[data-testid^="return-qty-"]').first().fill(String(quantity));
  await page.getByTestId('return-add').click();
  await expect(page.getByTestId('cart-total')).toContainText(expectedTotal);
}

async function backOffice(page: Page, section: string): Promise<void> {
  if (!(await page.getByTestId('back-office').isVisible())) await page.keyboard.press('F11');
  await page.getByTestId(`back-office-tab-${section}`).click();
  await expect(page.getByTestId(`back-office-section-${section}`)).toBeVisible();
}

async function toTillAs(page: Page, staffId: number, pin: string): Promise<void> {
  if (await page.getByTestId('back-office').isVisible()) await page.keyboard.press('F11');
  await page.keyboard.press('F7');
  await loginAs(page, staffId, pin);
}

async function countInto(page: Page, prefix: string, byValue: Record<number, number>): Promise<void> {
  for (const [value, count] of Object.entries(byValue)) await page.getByTestId(`${prefix}-${value}`).fill(String(count));
}

test('a whole day: float, 20 documents, pay-out, no-sale, blind count HK$10 short, X, Z 1 and Z 2, reports with CSV and PDF', async ({
  page,
  register,
}) => {
  test.setTimeout(180_000);
  await page.goto(register.url);

  // The cashier opens the shift with a HK$500 float counted by denomination.
  await loginAs(page, 1, '1234');
  await backOffice(page, 'shift');
  await expect(page.getByTestId('back-office-tab-day-close')).toHaveCount(0); // the Z is for managers
  await countInto(page, 'float', { 10_000: 4, 5_000: 1, 2_000: 2, 1_000: 1 });
  await expect(page.getByTestId('float-total')).toHaveText('HK$500.00');
  await page.screenshot({ path: 'test-results/screens/shift-open.png', fullPage: true });
  await page.getByTestId('open-shift-submit').click();
  await expect(page.getByTestId('shift-float')).toHaveText('HK$500.00');

  // The cashier sells: 20 documents in cash, card and Octopus, a refund (18) and an exchange (19).
  await page.keyboard.press('F11');
  await tillReady(page);
  const plan: [string[], Tender][] = [
    [[WATER], 'cash'], // 1  +8.00 cash
    [[MILK_TEA], 'cash-50'], // 2  +18.00 cash, 32.00 change
    [[WATER, WATER], 'cash'], // 3  +16.00 cash
    [[PINEAPPLE_BUN], 'card'], // 4  7.65 card
    [[MILK_TEA], 'octopus'], // 5  18.00 Octopus
    [[WATER], 'cash'], // 6  +8.00
    [[MILK_TEA, MILK_TEA], 'cash'], // 7  +27.00
    [[WATER], 'card'], // 8  8.00 card
    [[MILK_TEA], 'cash-50'], // 9  +18.00
    [[WATER], 'octopus'], // 10 8.00 Octopus
    [[WATER], 'cash'], // 11 +8.00
    [[PINEAPPLE_BUN], 'card'], // 12 7.65 card
    [[MILK_TEA], 'cash'], // 13 +18.00
    [[WATER], 'cash'], // 14 +8.00
    [[WATER], 'card'], // 15 8.00 card
    [[MILK_TEA], 'cash'], // 16 +18.00
    [[WATER], 'cash'], // 17 +8.00
  ];
  for (const [i, [codes, tender]] of plan.entries()) await sell(page, codes, tender, i + 1);
  await returnFrom(page, receiptNo(1), 1, '-HK$8.00'); // 18 refund −8.00 cash
  await pay(page, 'cash', 18);
  await returnFrom(page, receiptNo(3), 1, '-HK$8.00'); // 19 exchange: a water back, a milk tea out: +10.00 cash
  await wedgeScan(page, MILK_TEA);
  await expect(page.getByTestId('cart-total')).toContainText('HK$10.00');
  await pay(page, 'cash', 19);
  await sell(page, [WATER], 'cash', 20); // 20 +8.00

  // A no-sale asks for a reason.
  await page.keyboard.press('F9');
  await expect(page.getByTestId('dialog-no-sale')).toBeVisible();
  await page.getByTestId('no-sale-reason-change').click();
  await page.getByTestId('dialog-ok').click();
  await expect(page.getByTestId('dialog-no-sale')).toHaveCount(0);

  // The cashier pays out HK$20 and closes the shift on a blind count HK$10 short.
  // Cash: 500 float + 165.00 net cash from customers − 20.00 paid out = 645.00 expected.
  await backOffice(page, 'shift');
  await page.getByTestId('cash-kind-pay-out').click();
  await page.getByTestId('cash-amount').fill('20');
  await page.getByTestId('cash-reason').fill('買牛奶 milk for the tea');
  await page.getByTestId('cash-submit').click();
  await expect(page.getByTestId('movements')).toContainText('-HK$20.00');
  await expect(page.getByTestId('x-report')).toHaveCount(0); // X reports are for supervisors and managers
  await expect(page.getByTestId('shift-expected')).toHaveCount(0); // blind: not shown before the count
  await countInto(page, 'count', { 10_000: 6, 2_000: 1, 1_000: 1, 500: 1 });
  await expect(page.getByTestId('count-total')).toHaveText('HK$635.00');
  await page.getByTestId('count-submit').click();
  await expect(page.getByTestId('count-expected')).toHaveText('HK$645.00');
  await expect(page.getByTestId('count-over-short')).toHaveAttribute('data-cents', '-1000');
  await expect(page.getByTestId('count-over-short')).toContainText('短款');
  await page.getByTestId('over-short-reason').fill('找錯錢 wrong change');
  await page.screenshot({ path: 'test-results/screens/shift-count.png', fullPage: true });
  await page.getByTestId('close-shift').click();
  await expect(page.getByTestId('shift-closed')).toContainText('-HK$10.00');

  // The manager takes an X (changes nothing), then the Z.
  await toTillAs(page, 3, '9999');
  await backOffice(page, 'shift');
  await page.getByTestId('x-report').click();
  const x = page.getByTestId('x-report-view');
  await expect(x.getByTestId('x-report-view-net')).toHaveText('HK$222.30');
  await expect(x.getByTestId('x-report-view-over-short')).toHaveAttribute('data-cents', '-1000');
  const xTenders = await page.getByTestId('x-report-view-tenders').innerText();
  const xCash = await page.getByTestId('x-report-view-cash').innerText();
  await page.getByTestId('x-report-view').screenshot({ path: 'test-results/screens/x-report.png' });

  // The Z: same figures as the X, over/short −10.00, numbered 1.
  await backOffice(page, 'day-close');
  await page.getByTestId('day-close').click();
  await page.getByTestId('day-close-confirm').click();
  const z = page.getByTestId('z-report-view');
  await expect(z).toContainText('第 1 號 Z 報表');
  await expect(z.getByTestId('z-report-view-net')).toHaveText('HK$222.30');
  await expect(z.getByTestId('z-report-view-tender-cash')).toContainText('HK$165.00');
  await expect(z.getByTestId('z-report-view-tender-card')).toContainText('HK$31.30');
  await expect(z.getByTestId('z-report-view-tender-octopus')).toContainText('HK$26.00');
  await expect(z.getByTestId('z-report-view-over-short')).toHaveAttribute('data-cents', '-1000');
  await expect(z.getByTestId('z-report-view-count-sales')).toHaveText('18');
  await expect(z.getByTestId('z-report-view-count-no-sales')).toHaveText('1');
  expect(await page.getByTestId('z-report-view-tenders').innerText()).toBe(xTenders);
  expect(await page.getByTestId('z-report-view-cash').innerText()).toBe(xCash);
  await page.screenshot({ path: 'test-results/screens/z-report.png', fullPage: true });
  await page.getByTestId('z-report-view-cash').screenshot({ path: 'test-results/screens/z-cash.png' });

  // The next day: one sale, Z #2; Z #1 prints again as a copy.
  await toTillAs(page, 1, '1234');
  await sell(page, [WATER], 'cash', 21);
  await toTillAs(page, 3, '9999');
  await backOffice(page, 'day-close');
  await page.getByTestId('day-close').click();
  await page.getByTestId('day-close-confirm').click();
  await expect(page.getByTestId('z-report-view')).toContainText('第 2 號 Z 報表');
  await expect(page.getByTestId('z-report-view-net')).toHaveText('HK$8.00');
  await expect(page.getByTestId('z-row-1')).toBeVisible();
  await expect(page.getByTestId('z-row-2')).toBeVisible();
  await page.getByTestId('z-reprint-1').click();
  await expect(page.getByTestId('z-report-view')).toContainText('副本');
  await expect(page.getByTestId('z-report-view-net')).toHaveText('HK$222.30');

  // Reports: charts, tables, CSV with a BOM, PDF rendered by Chromium.
  await backOffice(page, 'reports');
  await expect(page.getByTestId('report-net')).toContainText('HK$230.30');
  await expect(page.getByTestId('chart-hour').locator('rect.bar')).toHaveCount(24);
  await expect(page.getByTestId('top-sellers')).toContainText('港式奶茶');
  await page.screenshot({ path: 'test-results/screens/reports.png', fullPage: true });
  await page.keyboard.press('F10'); // English second
  await expect(page.getByTestId('reports-section')).toContainText('Sales by hour');
  await page.screenshot({ path: 'test-results/screens/reports-en.png' });
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-csv').click()]);
  const csv = readFileSync((await download.path())!);
  expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  expect(csv.toString('utf8')).toContain('港式奶茶');
  await page.emulateMedia({ media: 'print' });
  const pdf = await page.pdf({ format: 'A4' });
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  expect(pdf.toString('latin1')).toMatch(/\/Font/);
  expect(pdf.length).toBeGreaterThan(10_000);
});

test('a count beyond the tolerance closes only with a manager’s PIN, entered in place', async ({ page, register }) => {
  await page.goto(register.url);
  await loginAs(page, 1, '1234');
  await backOffice(page, 'shift');
  await countInto(page, 'float', { 10_000: 5 });
  await page.getByTestId('open-shift-submit').click();
  await expect(page.getByTestId('shift-float')).toHaveText('HK$500.00');
  await countInto(page, 'count', { 10_000: 3 }); // HK$300: HK$200 short
  await page.getByTestId('count-submit').click();
  await expect(page.getByTestId('count-over-short')).toHaveAttribute('data-cents', '-20000');
  await expect(page.getByTestId('over-short-approval')).toBeVisible();
  await page.getByTestId('over-short-reason').fill('交收錯誤');
  await page.getByTestId('close-shift').click();
  await expect(page.getByTestId('shift-error')).toContainText('需要經理批准');
  await page.getByTestId('approver').selectOption('3');
  await page.getByTestId('approver-pin').fill('1111');
  await page.getByTestId('close-shift').click();
  await expect(page.getByTestId('shift-error')).toContainText('密碼錯誤');
  await page.getByTestId('approver-pin').fill('9999');
  await page.screenshot({ path: 'test-results/screens/shift-approval.png' });
  await page.getByTestId('close-shift').click();
  await expect(page.getByTestId('shift-closed')).toContainText('-HK$200.00');
  await expect(page.getByTestId('open-shift')).toBeVisible();
});
