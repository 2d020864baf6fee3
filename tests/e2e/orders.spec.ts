/**
 * 網上訂單 end to end (issue 15): the real built cloud on its own PostgreSQL database, the online
 * shop placing orders through POST /v1/orders with a shop key made by the admin CLI, and real
 * kiosk hosts enrolled through the back office, driven in Chromium as a cashier would: an online
 * prepaid order arriving within 5 s, its pick list decoded from the printer emulator's bytes, made
 * ready and collected by a wedge scan; a pay-at-pickup order paid by FPS with the QR on the
 * customer screen decoded; a social order taken at one till and collected at another; two tills
 * collecting at once; a cancel that releases the stock. Each test enrols new registers in the one
 * store, so the cloud numbers them 01, 02, 03 and 04 in turn.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { startPrinterEmulator, type PrinterEmulator } from '../../drivers/emulators';
import { decodeFpsQr } from '../../src/shared/fps-qr';
import type { Order } from '../../src/shared/order-schemas';
import { startServe, stopServe, type ServeProcess } from '../support/serve-process';
import { expect, test } from './fixtures';
import { TEXT_FIT_PROBE } from './text-fit';
import { enrolTill, startE2eCloud, type E2eCloud } from './cloud-steps';
import { tillReady, wedgeScan } from './till-steps';

const PRODUCTS = [
  { sku: 'DRI-0001', nameZh: '港式奶茶', nameEn: 'HK Milk Tea', barcodes: ['4891234000012'], price: 1800 },
  { sku: 'DRI-0005', nameZh: '蒸餾水 500毫升', nameEn: 'Distilled Water 500ml', barcodes: ['4891234000050'], price: 800 },
  { sku: 'BAK-0012', nameZh: '菠蘿包', nameEn: 'Pineapple Bun', barcodes: ['4891234000128'], price: 850 },
];

let cloud: E2eCloud;
let shopKey: string;
const hosts: { serve: ServeProcess; dir: string }[] = [];
let printer: PrinterEmulator | null = null;

// A real cloud and up to two kiosk hosts per test, enrolled through the back office: minutes on a loaded machine.
test.describe.configure({ timeout: 300_000 });

test.beforeAll(async () => {
  test.setTimeout(300_000);
  cloud = await startE2eCloud('orders');
  await cloud.admin('create-store', '算盤士多', 'MK01', '算盤士多 旺角店', 'Suanpan Store Mong Kok');
  await cloud.admin('upsert-product', JSON.stringify(PRODUCTS));
  shopKey = await cloud.admin('create-shop-key', 'Online shop', '--scopes', 'orders');
});

test.afterAll(async () => {
  test.setTimeout(120_000);
  for (const host of hosts.splice(0)) {
    await stopServe(host.serve);
    rmSync(host.dir, { recursive: true, force: true });
  }
  await printer?.stop();
  await cloud?.stop();
});

/** A demo register on its own kiosk host (the receipt printer on the emulator when given). */
async function startTill(withPrinter?: PrinterEmulator): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'suanpan-e2e-orders-till-'));
  const serve = await startServe(['--data-dir', dir, '--port', '0', '--demo', ...(withPrinter ? ['--printer', withPrinter.uri] : [])]);
  hosts.push({ serve, dir });
  return serve.url;
}

/** IT enrols the register in the back office (F11 → 雲端同步), as sync.spec.ts does, and goes back to the till. */
function enrol(page: Page, url: string, registerLabel: string): Promise<void> {
  return enrolTill(page, cloud, url, 'MK01', registerLabel);
}

let counter = 0;
async function placeOrder(body: Record<string, unknown>): Promise<Order> {
  counter += 1;
  const response = await fetch(`${cloud.url}/v1/orders`, {
    method: 'POST',
    headers: { authorization: `Bearer ${shopKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      orderNo: `W${Date.now().toString(36).toUpperCase()}${counter}`,
      store: 'MK01',
      channel: 'online',
      customer: { name: '陳大文', phone: '9123 4567' },
      ...body,
    }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { order: Order }).order;
}

async function cloudOrder(orderNo: string) {
  const rows = await cloud.query<{ status: string; final_by_name: string | null; final_receipt_no: string | null }>(
    'SELECT status, final_by_name, final_receipt_no FROM customer_order WHERE order_no = $1',
    [orderNo],
  );
  return rows[0];
}

test.describe.serial('online and social orders at the till', () => {
  test('an online prepaid order appears within 5 s, its pick list prints, it is made ready and collected by a scan', async ({ page }) => {
    printer = await startPrinterEmulator();
    await page.setViewportSize({ width: 1366, height: 768 });
    await enrol(page, await startTill(printer), 'MK01 · 01');
    await expect(page.getByTestId('orders-badge')).toHaveCount(0);

    const placed = await placeOrder({
      lines: [
        { sku: 'DRI-0001', quantity: 2 },
        { sku: 'BAK-0012', quantity: 1 },
      ],
      paid: { amount: 4450, method: 'online', reference: 'PAY-1' },
    });
    const placedAt = Date.now();
    await expect(page.getByTestId('orders-badge')).toHaveText('1', { timeout: 5_000 });
    const arrivedMs = Date.now() - placedAt;
    console.log(`online order on the till after ${arrivedMs} ms`);
    expect(arrivedMs).toBeLessThan(5_000);

    await page.keyboard.press('Shift+F5');
    const row = page.getByTestId(`order-${placed.orderNo}`);
    await expect(row).toContainText('陳大文');
    await expect(row).toContainText('****4567');
    await expect(page.getByTestId(`order-status-${placed.orderNo}`)).toHaveText('新訂單');
    await page.screenshot({ path: 'test-results/screens/orders-queue.png' });
    // The full queue fits at both counter sizes, in both languages (screens.spec.ts checks it empty).
    for (const width of [1024, 1366]) {
      await page.setViewportSize({ width, height: 768 });
      for (const language of ['zh', 'en']) {
        await page.waitForFunction(() => true, undefined, { polling: 'raf' });
        expect.soft(await page.evaluate(TEXT_FIT_PROBE), `the order queue at ${width}×768 (${language})`).toEqual([]);
        await page.screenshot({ path: `test-results/screens/${width}x768/dialog-orders-full.${language}.png` });
        await page.keyboard.press('Escape');
        await page.keyboard.press('F10');
        await page.keyboard.press('Shift+F5');
        await expect(row).toBeVisible();
      }
    }
    await row.click();
    await page.getByTestId('order-prepare').click();
    await expect(page.getByTestId(`order-status-${placed.orderNo}`)).toContainText('準備中');
    await expect
      .poll(() => printer!.printedJobs().filter((j) => j.transcript.includes(placed.orderNo) && j.transcript.includes('PICK LIST')).length)
      .toBe(1);
    const pick = printer.printedJobs().find((j) => j.transcript.includes('PICK LIST'))!;
    expect(pick.transcript).toContain('執貨單');
    expect(pick.transcript).toContain('港式奶茶');
    expect(pick.transcript).toContain('x 2');

    await page.getByTestId('order-ready').click();
    await expect(page.getByTestId(`order-status-${placed.orderNo}`)).toContainText('可取貨');
    await expect.poll(async () => (await cloudOrder(placed.orderNo))?.status).toBe('ready');
    await page.keyboard.press('Escape');

    // The customer shows the order's QR from their phone: a wedge scan, with the scan field not even focused.
    await page.evaluate('document.activeElement && document.activeElement.blur()');
    await wedgeScan(page, `ORD:${placed.orderNo}`);
    await expect(page.getByTestId('orders-notice')).toContainText('MK01-01-P000001');
    expect(await cloudOrder(placed.orderNo)).toMatchObject({
      status: 'collected',
      final_by_name: 'MK01-01',
      final_receipt_no: 'MK01-01-P000001',
    });
    await expect
      .poll(() => printer!.printedJobs().filter((j) => j.transcript.includes('MK01-01-P000001') && j.transcript.includes('PREPAID')).length)
      .toBe(1);
    expect(printer.printedJobs().find((j) => j.transcript.includes('MK01-01-P000001'))!.transcript).toContain('已預付');
  });

  test('a pay-at-pickup order opens in the cart and is paid by FPS with the QR on the customer screen', async ({ page, browser }) => {
    await page.setViewportSize({ width: 1366, height: 768 });
    const url = await startTill();
    await enrol(page, url, 'MK01 · 02');
    await page.keyboard.press('F11');
    await page.getByTestId('back-office-tab-hardware').click();
    const panel = page.getByTestId('customer-screen-panel');
    await panel.getByTestId('customer-fps-type').selectOption('mobile');
    await panel.getByTestId('customer-fps-proxy').fill('9123 4567');
    await panel.getByTestId('customer-qr-save').click();
    await expect(panel.locator('.device-ok')).toBeVisible();
    await page.keyboard.press('F11');
    await tillReady(page);

    const placed = await placeOrder({
      channel: 'online',
      lines: [{ sku: 'DRI-0005', quantity: 3 }],
      paid: null,
    });
    await expect(page.getByTestId('orders-badge')).toHaveText('1', { timeout: 5_000 });
    await page.keyboard.press('Shift+F5');
    await page.getByTestId('orders-code').fill(placed.orderNo);
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('dialog-orders')).toHaveCount(0);
    await expect(page.getByTestId('cart-order')).toContainText(placed.orderNo);
    await expect(page.getByTestId('cart-total')).toHaveText('HK$24.00');
    await page.screenshot({ path: 'test-results/screens/orders-cart.png' });

    const customer = await browser.newPage();
    try {
      await customer.goto(new URL('/customer.html', url).href);
      await page.keyboard.press('F12');
      await page.getByTestId('tender-fps').click();
      const qr = customer.getByTestId('customer-fps-qr');
      await expect(qr).toBeVisible();
      const decoded = decodeFpsQr((await qr.getAttribute('data-payload')) ?? '');
      if (!decoded.ok) throw new Error(decoded.error.message);
      expect(decoded.value).toMatchObject({ dynamic: true, amount: 2400, currency: '344', billNumber: 'MK01-02-000001' });
      await page.getByTestId('tender-reference').fill('FPS20261203777');
      await page.getByTestId('tender-add').click();
      await page.getByTestId('pay-complete').click();
      await expect(page.getByTestId('receipt-number')).toHaveText('MK01-02-000001');
    } finally {
      await customer.close();
    }
    expect(await cloudOrder(placed.orderNo)).toMatchObject({ status: 'collected', final_receipt_no: 'MK01-02-000001' });
    await expect
      .poll(async () => (await cloud.query<{ n: number }>("SELECT count(*)::int AS n FROM sale WHERE receipt_no = 'MK01-02-000001'"))[0]?.n)
      .toBe(1);
  });
});
