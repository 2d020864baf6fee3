/**
 * One clock (issue 10): on a PC whose browser runs on New York time, the till, the returns dialog,
 * the audit log and its date fields still show Hong Kong's time and dates (the store's setting),
 * written 02/12/2026 14:32.
 */
import { test, expect } from './fixtures';
import { WATER, loginAs, sellOneForCash } from './till-steps';
import { formatDate, formatDateTime, formatTime } from '../../src/shared/store-time';

const HK = 'Asia/Hong_Kong';

/** Now and a minute on, so a minute turning over while the test reads the screen is no failure. */
const around = (format: (ms: number) => string) => {
  const now = Date.now();
  return new RegExp([now, now + 60_000].map((ms) => format(ms).replace(/[/]/g, '\\/')).join('|'));
};

test.use({ timezoneId: 'America/New_York', locale: 'en-US' });

test('a browser on New York time shows the store’s Hong Kong time on the till, the returns dialog and the audit log', async ({
  page,
  register,
}) => {
  await page.goto(register.url);
  expect(await page.evaluate('new Date().getTimezoneOffset()')).toBeGreaterThan(0); // the browser really is west of UTC
  await loginAs(page, 1, '1234');
  await expect(page.getByTestId('clock')).toHaveText(around((ms) => formatTime(ms, HK)));

  await sellOneForCash(page, WATER);
  // The receipt as printed (the demo's emulated printer answers within moments) or, before it has, the sale's own view.
  const receiptDate = page.getByTestId('receipt-preview').or(page.getByTestId('receipt-date')).first();
  await expect(receiptDate).toContainText(around((ms) => formatDateTime(ms, HK)));
  await page.getByTestId('next-customer').click();

  await page.getByTestId('action-return').click();
  await page.getByTestId('return-receipt-input').fill('MK01-01-000001');
  await page.getByTestId('return-receipt-input').press('Enter');
  await expect(page.getByTestId('dialog-returns')).toContainText(around((ms) => formatDateTime(ms, HK)));
  await page.keyboard.press('Escape');
  await page.keyboard.press('F7');

  await loginAs(page, 3, '9999');
  await page.keyboard.press('F11');
  await page.getByTestId('back-office-tab-audit').click();
  await expect(page.getByTestId('audit-to')).toHaveValue(around((ms) => formatDate(ms, HK)));
  await expect(page.getByTestId('audit-table')).toContainText(around((ms) => formatDateTime(ms, HK)));
  // A day typed the Hong Kong way is taken; one the American way is refused in place.
  await page.getByTestId('audit-from').fill('31/11/2026');
  await expect(page.getByTestId('audit-from')).toHaveAttribute('aria-invalid', 'true');
  await page.getByTestId('audit-from').fill('01/01/2026');
  await expect(page.getByTestId('audit-from')).toHaveAttribute('aria-invalid', 'false');
  await expect(page.getByTestId('audit-table')).toContainText(around((ms) => formatDateTime(ms, HK)));
});
