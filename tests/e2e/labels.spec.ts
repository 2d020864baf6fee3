/**
 * Labels (issue 14) as a shop manager prints them: set up a Zebra label printer (the TCP label
 * printer emulator on a real socket) on the hardware screen, receive 12 teas, find 12 labels in
 * the 標籤 queue, preview and print them with F12, and decode what the printer got (text fields
 * and barcode content). Then head office changes a price in the cloud: the register pulls it, and
 * a shelf label for that product is waiting in the queue and prints with the new price.
 */
import type { Page } from '@playwright/test';
import { startLabelPrinterEmulator, type LabelPrinterEmulator } from '../../drivers/emulators';
import type { PosApi } from '../../src/shared/channels';
import { withTimeout } from '../support/bounded.mjs';
import { test, expect } from './fixtures';
import { startHqCloud, type HqCloud } from './hq-steps';
import { MILK_TEA, loginAs, wedgeScan } from './till-steps';

let printer: LabelPrinterEmulator;
test.beforeEach(async () => {
  printer = await startLabelPrinterEmulator();
});
test.afterEach(async () => {
  await printer.stop();
});

async function backOffice(page: Page, tab: string): Promise<void> {
  if (!(await page.getByTestId('back-office').isVisible())) await page.keyboard.press('F11');
  await page.getByTestId(`back-office-tab-${tab}`).click();
}

async function setUpZebra(page: Page): Promise<void> {
  await backOffice(page, 'hardware');
  const panel = page.getByTestId('label-printer-panel');
  await panel.getByTestId('label-printer-profile').selectOption('zebra-203dpi');
  await panel.getByTestId('label-printer-uri').fill(printer.uri);
  await panel.getByTestId('label-printer-save').click();
  await expect(panel.getByTestId('label-printer-message')).toHaveText('已儲存');
}

function decodedTexts(fields: readonly { kind: string; text?: string }[]): string[] {
  return fields.flatMap((f) => (f.kind === 'text' && f.text !== undefined ? [f.text] : []));
}

test('receive 12 teas: 12 labels wait in the queue, F12 prints them to the Zebra, which gets names, price and the EAN-13', async ({
  page,
  register,
}) => {
  test.setTimeout(180_000);
  await page.goto(register.url);
  await loginAs(page, 3, '9999');
  await setUpZebra(page);

  await backOffice(page, 'stock');
  await page.getByTestId('stock-tab-receive').click();
  await page.getByTestId('stock-supplier-ref').fill('DN-2026-1203');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('stock-scan')).toBeFocused();
  await page.keyboard.press('F2');
  await page.keyboard.type('12');
  await page.keyboard.press('Enter');
  await wedgeScan(page, MILK_TEA);
  await expect(page.getByTestId('stock-line-quantity-DRI-0001')).toHaveText('12');
  await page.keyboard.press('F12');
  await expect(page.getByTestId('stock-post-confirm')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('stock-doc-status')).toHaveText('已過帳');

  await backOffice(page, 'labels');
  const row = page.getByTestId('labels-row-DRI-0001-product');
  await expect(row).toContainText('港式奶茶');
  await expect(row).toContainText('GRN-000001');
  await expect(page.getByTestId('labels-quantity-DRI-0001-product')).toHaveValue('12');
  await expect(page.getByTestId('labels-pick-DRI-0001-product')).toBeChecked();
  await expect(page.getByTestId('labels-print')).toContainText('列印 12 張');
  await row.click();
  await expect(page.getByTestId('labels-preview-image')).toBeVisible();
  await expect(page.getByTestId('labels-preview')).toContainText(`EAN13 ${MILK_TEA}`);
  await page.screenshot({ path: 'test-results/screens/labels-queue.png', fullPage: true });

  await page.keyboard.press('F12');
  await expect(page.getByTestId('labels-printed')).toContainText('已送出 12 張標籤');
  await expect(page.getByTestId('labels-empty')).toBeVisible();

  await withTimeout(printer.waitForJobs(1), 10_000, 'the label printer to receive the job');
  const labels = printer.zplLabels();
  expect(labels).toHaveLength(1);
  const [label] = labels;
  expect(label!.copies).toBe(12);
  expect(decodedTexts(label!.fields)).toEqual(['HK Milk Tea', 'HK$18.00', MILK_TEA]);
  expect(label!.fields.find((f) => f.kind === 'barcode')).toMatchObject({ symbology: 'ean13', data: MILK_TEA });
  // 港式奶茶 goes as the dots of the font: the Zebra has no Chinese font of its own
  expect(label!.fields.filter((f) => f.kind === 'graphic')).toHaveLength(1);
});

test.describe('with the cloud', () => {
  let cloud: HqCloud;
  test.beforeAll(async () => {
    cloud = await startHqCloud();
  });
  test.afterAll(async () => {
    await cloud?.stop();
  });

  test('head office changes a price: the pulled price queues a shelf label, which prints with the new price', async ({
    page,
    register,
  }) => {
    test.setTimeout(180_000);
    await cloud.admin('create-store', '算盤士多', 'MK01', '算盤士多 旺角店', 'Suanpan Store Mong Kok');
    await cloud.admin(
      'upsert-product',
      JSON.stringify({ sku: 'DRI-0001', nameZh: '港式奶茶', nameEn: 'HK Milk Tea', barcodes: [MILK_TEA], price: 1800 }),
    );
    const code = await cloud.admin('enrol-code', 'MK01');

    await page.goto(register.url);
    await loginAs(page, 3, '9999');
    await setUpZebra(page);
    const enrolled = await page.evaluate(
      ([cloudUrl, enrolCode]) => (globalThis as unknown as { pos: PosApi }).pos['sync:enrol']({ cloudUrl: cloudUrl!, code: enrolCode! }),
      [cloud.url, code],
    );
    expect(enrolled.ok).toBe(true);
    await backOffice(page, 'labels');
    await expect(page.getByTestId('labels-empty')).toBeVisible(); // the same price at enrolment is no change on the shelf

    await cloud.admin('set-price', 'DRI-0001', '2000');
    await backOffice(page, 'sync');
    await page.getByTestId('sync-now').click();
    await backOffice(page, 'labels');
    await expect(async () => {
      await page.getByTestId('back-office-tab-sync').click();
      await page.getByTestId('back-office-tab-labels').click();
      await expect(page.getByTestId('labels-row-DRI-0001-shelf')).toBeVisible({ timeout: 1000 });
    }).toPass({ timeout: 30_000 });
    const row = page.getByTestId('labels-row-DRI-0001-shelf');
    await expect(row).toContainText('價錢變更');
    await expect(row).toContainText('HK$20.00');
    await row.click();
    await expect(page.getByTestId('labels-preview')).toContainText('貨架標籤 70×38 毫米');

    await page.getByTestId('labels-print').click();
    await expect(page.getByTestId('labels-printed')).toContainText('已送出 1 張標籤');
    await withTimeout(printer.waitForJobs(1), 10_000, 'the label printer to receive the shelf label');
    const [label] = printer.zplLabels();
    expect(label!.widthDots).toBe(560);
    expect(decodedTexts(label!.fields)).toEqual(expect.arrayContaining(['HK Milk Tea', 'HK$20.00', MILK_TEA, 'DRI-0001']));
    expect(label!.fields.find((f) => f.kind === 'barcode')).toMatchObject({ symbology: 'ean13', data: MILK_TEA });
  });
});
