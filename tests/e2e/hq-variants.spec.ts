/**
 * Products with variants end to end (issue 16): the real built cloud on PostgreSQL and a real demo
 * register enrolled through its back office, in Chromium. Head office adds two sizes of a T-shirt
 * in the console's 貨品及價錢 (each with its own SKU, option label, barcode and price); the running
 * register pulls them; at the till the cashier types the parent's SKU, the chooser offers its
 * sizes, ↓ and Enter add one; a scanned variant's barcode adds that size directly; the sale is paid
 * and reaches the cloud naming the variants. Re-parenting from a product's editor: a product made a
 * variant of another, the rule's refusals shown in the screen's language, and detached again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withCheckDigit } from '../../src/shared/barcode';
import { startServe, stopServe } from '../support/serve-process';
import { enrolTill } from './cloud-steps';
import { expect, test } from './fixtures';
import { hqLogin, startHqCloud, type HqCloud } from './hq-steps';
import { expectLines, wedgeScan } from './till-steps';

let cloud: HqCloud;
let password: string;
const SIZE_L = withCheckDigit('489700000302');

// A real cloud and a kiosk host enrolled through the back office: minutes on a loaded machine.
test.describe.configure({ timeout: 300_000 });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  cloud = await startHqCloud();
  await cloud.admin('create-store', '算盤士多', 'MK01', '算盤士多 旺角店', 'Suanpan Store Mong Kok');
  await cloud.admin('upsert-product', JSON.stringify({ sku: 'TEE-300', nameZh: '亞麻恤衫', nameEn: 'Linen shirt', price: 19_900 }));
  password = await cloud.createUser('hq.manager@suanpan.hk', 'hq_manager', '--name', '黃經理');
  await cloud.admin('upsert-product', JSON.stringify({ sku: 'SOCK-1', nameZh: '襪', nameEn: 'Socks', price: 2_900 }));
  await cloud.admin('upsert-product', JSON.stringify({ sku: 'SOCK-RED', nameZh: '紅襪', nameEn: 'Red socks', price: 3_900 }));
});

test.afterAll(async () => {
  await cloud?.stop();
});

test('a variant made in the console is pulled by a running register and sold by choosing it from its parent', async ({ browser, page }) => {
  const hq = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-HK', timezoneId: 'Asia/Hong_Kong' });
  const dataDir = mkdtempSync(join(tmpdir(), 'suanpan-e2e-hq-variants-till-'));
  const register = await startServe(['--data-dir', dataDir, '--port', '0', '--demo'], 120_000);
  try {
    await page.setViewportSize({ width: 1366, height: 768 });
    await enrolTill(page, cloud, register.url, 'MK01', 'MK01 · 01');

    // 1. head office: the shirt, then two sizes of it, from the keyboard
    await hqLogin(hq, cloud, 'hq.manager@suanpan.hk', password);
    await hq.keyboard.press('Alt+4');
    await expect(hq.getByTestId('page-catalogue')).toBeVisible();
    await hq.getByTestId('catalogue-search').fill('TEE-300');
    await hq.getByTestId('product-TEE-300').focus();
    await hq.keyboard.press('Enter');
    await expect(hq.getByTestId('product-variants')).toContainText('此貨品未有款式');
    for (const [sku, zh, en, barcode, price] of [
      ['TEE-300-M', '尺碼 M', 'Size M', '', '209.00'],
      ['TEE-300-L', '尺碼 L', 'Size L', SIZE_L, '219.00'],
    ] as const) {
      await hq.getByTestId('variant-sku').fill(sku);
      await hq.getByTestId('variant-option-zh').fill(zh);
      await hq.getByTestId('variant-option-en').fill(en);
      await hq.getByTestId('variant-barcodes').fill(barcode);
      await hq.getByTestId('variant-price').fill(price);
      await hq.getByTestId('variant-price').press('Enter');
      await expect(hq.getByTestId('variant-saved')).toContainText(sku);
      await expect(hq.getByTestId(`variant-${sku}`)).toContainText(zh);
    }
    // the list puts the sizes right under the shirt
    const rows = hq.getByTestId('catalogue-results').locator('tbody tr');
    await expect(rows).toHaveCount(3);
    await expect(rows.nth(0)).toHaveAttribute('data-testid', 'product-TEE-300');
    await expect(rows.nth(1)).toHaveAttribute('data-testid', 'product-TEE-300-L');
    await expect(rows.nth(2)).toHaveAttribute('data-testid', 'product-TEE-300-M');
    // a size's own editor names its parent, has its option label, and no variants of its own
    await hq.getByTestId('variant-TEE-300-M').click();
    await expect(hq.getByTestId('product-parent')).toContainText('TEE-300');
    await expect(hq.getByTestId('product-option-zh')).toHaveValue('尺碼 M');
    await expect(hq.getByTestId('product-variants')).toHaveCount(0);

    // 2. the till: the parent's SKU opens the chooser once the register has pulled the sizes
    const scan = page.getByTestId('scan-input');
    await expect
      .poll(
        async () => {
          // the field searches again only for a new text: empty it first
          await scan.fill('');
          await scan.fill('TEE-300');
          return (
            (await page
              .getByTestId('search-result-TEE-300')
              .textContent({ timeout: 2_000 })
              .catch(() => '')) ?? ''
          );
        },
        { timeout: 60_000, message: 'the register to pull the shirt and its two sizes' },
      )
      .toContain('2 款');
    await scan.press('Enter');
    const chooser = page.getByTestId('dialog-variants');
    await expect(chooser).toBeVisible();
    await expect(page.getByTestId('variant-TEE-300-L')).toContainText('尺碼 L');
    await expect(page.getByTestId('variant-TEE-300-M')).toContainText('HK$209.00');
    await expect(page.getByTestId('variant-TEE-300-L')).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await expect(page.getByTestId('variant-TEE-300-M')).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(chooser).toHaveCount(0);
    await expectLines(page, 1);
    await expect(page.getByTestId('cart-line-0')).toContainText('亞麻恤衫 尺碼 M');
    // Esc backs out with nothing added
    await scan.fill('TEE-300');
    await scan.press('Enter');
    await expect(chooser).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(chooser).toHaveCount(0);
    await expectLines(page, 1);
    // a scanned variant's barcode sells that size directly
    await wedgeScan(page, SIZE_L);
    await expectLines(page, 2);
    await expect(page.getByTestId('cart-line-1')).toContainText('亞麻恤衫 尺碼 L');
    await expect(page.getByTestId('cart-total')).toContainText('HK$428.00');

    await page.getByTestId('action-pay').click();
    await page.getByTestId('tender-cash').click();
    await page.getByTestId('pay-remaining').click();
    await page.getByTestId('pay-complete').click();
    await expect(page.getByTestId('receipt-number')).toBeVisible();

    // 3. the sale reaches the cloud naming the sizes sold
    await expect
      .poll(async () => (await cloud.query<{ sku: string }>('SELECT sku FROM sale_line ORDER BY sku')).map((r) => r.sku), {
        timeout: 30_000,
        message: 'the sale to reach the cloud',
      })
      .toEqual(['TEE-300-L', 'TEE-300-M']);
  } finally {
    await hq.close();
    await stopServe(register);
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('re-parenting from the editor: a product becomes a variant, the rule refuses in words, and it stands alone again', async ({
  page,
}) => {
  await hqLogin(page, cloud, 'hq.manager@suanpan.hk', password);
  await page.keyboard.press('Alt+4');
  await page.getByTestId('catalogue-search').fill('SOCK');
  await page.getByTestId('product-SOCK-RED').focus();
  await page.keyboard.press('Enter');
  const parent = page.getByTestId('product-parent-sku');
  await expect(parent).toHaveValue('');
  // itself: refused, in the screen's language
  await parent.fill('SOCK-RED');
  await page.getByTestId('product-save').click();
  await expect(page.getByTestId('product-input-error')).toHaveText('SOCK-RED 不可以是自己的款式');
  // a variant of the socks, with its option label
  await parent.fill('SOCK-1');
  await page.getByTestId('product-option-zh').fill('紅色');
  await page.getByTestId('product-option-en').fill('Red');
  await page.getByTestId('product-save').click();
  await expect(page.getByTestId('product-saved')).toBeVisible();
  await expect(page.getByTestId('product-parent')).toContainText('SOCK-1');
  const rows = page.getByTestId('catalogue-results').locator('tbody tr');
  await expect(rows.nth(0)).toHaveAttribute('data-testid', 'product-SOCK-1');
  await expect(rows.nth(1)).toHaveAttribute('data-testid', 'product-SOCK-RED');
  // the parent, which now has a variant, cannot become one
  await page.getByTestId('product-parent-open').click();
  await expect(page.getByTestId('variant-SOCK-RED')).toContainText('紅色');
  await page.getByTestId('product-parent-sku').fill('TEE-300');
  await page.getByTestId('product-save').click();
  await expect(page.getByTestId('product-input-error')).toContainText('SOCK-1 已有自己的款式');
  // detached again: stands alone
  await page.getByTestId('variant-SOCK-RED').click();
  await page.getByTestId('product-detach').click();
  await expect(page.getByTestId('product-parent-sku')).toHaveValue('');
  await page.getByTestId('product-save').click();
  await expect(page.getByTestId('product-saved')).toBeVisible();
  await expect(page.getByTestId('product-parent')).toHaveCount(0);
  expect(
    await cloud.query<{ action: string }>("SELECT action FROM hq_audit WHERE action = 'product.variant.parent' AND target = 'SOCK-RED'"),
  ).toHaveLength(2);
});
