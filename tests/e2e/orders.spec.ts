/**
 * 網上訂單 end to end (issue 15): the real built cloud on its own PostgreSQL database, the online
 * shop placing orders through POST /v1/orders with a shop key made by the admin CLI, and real
 * kiosk hosts enrolled through the back office, driven in Chromium as a cashier would: an online
 * prepaid order arriving within 5 s, its pick list decoded from the printer emulator's bytes, made
 * ready and collected by a wedge scan; a pay-at-pickup order paid by FPS with the QR on the
 * customer screen decoded; a social order taken at one till and collected at another; two tills
 * collecting at once (one hands it over, the other is told who did and on which number); a cancel
 * that releases the stock in the cloud and on both tills. Each test enrols new registers in the one
 * store and reads back the number the cloud gave each (a repeated run gets new ones).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { startPrinterEmulator, type PrinterEmulator } from '../../drivers/emulators';
import { decodeFpsQr } from '../../src/shared/fps-qr';
import type { Order } from '../../src/shared/order-schemas';
import { startServe, stopServe, type ServeProcess } from '../support/serve-process';
import { startE2eCloud, type E2eCloud } from './cloud-steps';
import { expect, test } from './fixtures';
import { TEXT_FIT_PROBE } from './text-fit';
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

/** A demo register on its own kiosk host (the receipt printer on the emulator when given), and its data folder. */
async function startTill(withPrinter?: PrinterEmulator): Promise<{ url: string; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'suanpan-e2e-orders-till-'));
  // Up to two hosts beside the cloud on a loaded machine: a wider start bound than a lone host's.
  const serve = await startServe(
    ['--data-dir', dir, '--port', '0', '--demo', ...(withPrinter ? ['--printer', withPrinter.uri] : [])],
    90_000,
  );
  hosts.push({ serve, dir });
  return { url: serve.url, dir };
}

/** What the register's last pull says the store's open orders hold back of a SKU (thousandths), read from its database. */
function tillReserved(dir: string, sku: string): number {
  const db = new Database(join(dir, 'register.db'), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT quantity_milli FROM order_reservation WHERE sku = ?').pluck().get(sku) as number | undefined) ?? 0;
  } finally {
    db.close();
  }
}

/**
 * IT enrols the register in the back office (F11 → 雲端同步), as sync.spec.ts does, and goes back to
 * the till. Answers the register's name as the cloud numbered it ("MK01-03"): the cloud numbers
 * registers in enrolment order, so a test never assumes which one it gets.
 */
async function enrol(page: Page, url: string): Promise<string> {
  await page.goto(url);
  // A PIN check on a loaded machine takes seconds: the first screen after it has a wider bound.
  await page.getByTestId('login-staff-3').click();
  for (const digit of '9999') await page.getByTestId(`pin-key-${digit}`).click();
  await page.getByTestId('pin-enter').click();
  await expect(page.getByTestId('scan-input')).toBeVisible({ timeout: 30_000 });
  await tillReady(page);
  const code = await cloud.admin('enrol-code', 'MK01');
  await page.getByTestId('action-back-office').click();
  await page.getByTestId('back-office-tab-sync').click();
  await page.getByTestId('sync-cloud-url').fill(cloud.url);
  await page.getByTestId('sync-code').fill(code);
  await page.getByTestId('sync-enrol').click();
  await expect(page.getByTestId('sync-store-register')).toHaveText(/^MK01 · \d{2}$/, { timeout: 30_000 });
  await expect(page.getByTestId('sync-state')).toHaveAttribute('data-state', 'online', { timeout: 30_000 });
  const label = (await page.getByTestId('sync-store-register').textContent()) ?? '';
  await page.keyboard.press('F11');
  await tillReady(page);
  return label.replace(' · ', '-');
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
    const till = await enrol(page, (await startTill(printer)).url);
    const handoverNo = `${till}-P000001`;
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
    await expect(page.getByTestId('orders-notice')).toContainText(handoverNo);
    expect(await cloudOrder(placed.orderNo)).toMatchObject({
      status: 'collected',
      final_by_name: till,
      final_receipt_no: handoverNo,
    });
    await expect
      .poll(() => printer!.printedJobs().filter((j) => j.transcript.includes(handoverNo) && j.transcript.includes('PREPAID')).length)
      .toBe(1);
    expect(printer.printedJobs().find((j) => j.transcript.includes(handoverNo))!.transcript).toContain('已預付');
  });

  test('a pay-at-pickup order opens in the cart and is paid by FPS with the QR on the customer screen', async ({ page, browser }) => {
    await page.setViewportSize({ width: 1366, height: 768 });
    const { url } = await startTill();
    const receiptNo = `${await enrol(page, url)}-000001`;
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
      expect(decoded.value).toMatchObject({ dynamic: true, amount: 2400, currency: '344', billNumber: receiptNo });
      await page.getByTestId('tender-reference').fill('FPS20261203777');
      await page.getByTestId('tender-add').click();
      await page.getByTestId('pay-complete').click();
      await expect(page.getByTestId('receipt-number')).toHaveText(receiptNo);
    } finally {
      await customer.close();
    }
    expect(await cloudOrder(placed.orderNo)).toMatchObject({ status: 'collected', final_receipt_no: receiptNo });
    await expect
      .poll(async () => (await cloud.query<{ n: number }>('SELECT count(*)::int AS n FROM sale WHERE receipt_no = $1', [receiptNo]))[0]?.n)
      .toBe(1);
  });

  test('a social order taken at one till is collected at another; two tills collecting at once: one wins, the other is told who; a cancel releases the stock everywhere', async ({
    page,
    browser,
  }) => {
    await page.setViewportSize({ width: 1366, height: 768 });
    const a = await startTill();
    const tillA = await enrol(page, a.url);
    const other = await browser.newPage();
    try {
      await other.setViewportSize({ width: 1366, height: 768 });
      const b = await startTill();
      const tillB = await enrol(other, b.url);

      // Register A takes an Instagram order with the deposit the customer sent by FPS; the queue
      // it goes back to names the new order.
      await page.keyboard.press('Shift+F5');
      await page.getByTestId('orders-new-social').click();
      await page.getByTestId('social-channel').selectOption('instagram');
      await page.getByTestId('social-name').fill('李小姐');
      await page.getByTestId('social-phone').fill('6123 8888');
      await page.getByTestId('social-item-code').fill('4891234000050');
      await page.getByTestId('social-item-code').press('Enter');
      await page.getByTestId('social-item-code').fill('4891234000050');
      await page.getByTestId('social-item-add').click();
      await expect(page.getByTestId('social-total')).toHaveText('HK$16.00');
      await page.getByTestId('social-paid').fill('16');
      await page.getByTestId('social-reference').fill('FPS555');
      await page.screenshot({ path: 'test-results/screens/orders-social.png' });
      await page.getByTestId('dialog-ok').click();
      const socialNo = new RegExp(`${tillA.replace('-', '')}-[A-Z0-9]+`);
      await expect(page.getByTestId('orders-notice')).toContainText(socialNo, { timeout: 15_000 });
      const social = (await page.getByTestId('orders-notice').textContent())?.match(socialNo)?.[0] ?? '';
      expect(social).not.toBe('');

      // Register B hands it over.
      await other.keyboard.press('Shift+F5');
      await expect(other.getByTestId(`order-${social}`)).toBeVisible({ timeout: 15_000 });
      await other.getByTestId('orders-code').fill(social);
      await other.keyboard.press('Enter');
      await expect(other.getByTestId('orders-notice')).toContainText(`${tillB}-P000001`, { timeout: 15_000 });
      expect(await cloudOrder(social)).toMatchObject({ status: 'collected', final_by_name: tillB });

      // Both tills collect the same prepaid order at once: exactly one hands it over, the other is
      // told who did and on which number. Each queue is opened afresh first (⇧F5 clears its last
      // message), so each till's outcome is the answer to this Enter and nothing older.
      const raced = await placeOrder({
        lines: [{ sku: 'DRI-0001', quantity: 1 }],
        paid: { amount: 1800, method: 'online', reference: 'P2' },
      });
      for (const p of [page, other]) {
        await p.keyboard.press('Escape');
        await expect(p.getByTestId('dialog-orders')).toHaveCount(0);
        await p.keyboard.press('Shift+F5');
        await expect(p.getByTestId(`order-${raced.orderNo}`)).toBeVisible({ timeout: 15_000 });
        await expect(p.getByTestId('dialog-orders').locator('[data-testid="orders-notice"], [data-testid="orders-error"]')).toHaveCount(0);
        await p.getByTestId('orders-code').fill(raced.orderNo);
      }
      await Promise.all([page.keyboard.press('Enter'), other.keyboard.press('Enter')]);
      const winners = await Promise.all(
        [page, other].map(async (p) => {
          // The cloud is asked first (3 s at most): a bound for that and a loaded machine.
          await expect(p.locator('[data-testid="orders-notice"], [data-testid="orders-error"]')).toBeVisible({ timeout: 15_000 });
          return (await p.getByTestId('orders-notice').count()) === 1;
        }),
      );
      expect(winners.filter(Boolean)).toHaveLength(1);
      const [winner, loser] = winners[0] ? [page, other] : [other, page];
      const winnerName = winners[0] ? tillA : tillB;
      const handoverNo = `${winnerName}-P00000${winners[0] ? 1 : 2}`;
      await expect(winner.getByTestId('orders-notice')).toContainText(handoverNo);
      await expect(loser.getByTestId('orders-error')).toHaveText(`此訂單已由 ${winnerName} 取貨，單號 ${handoverNo}：請勿再交貨`);
      expect(await cloudOrder(raced.orderNo)).toMatchObject({
        status: 'collected',
        final_by_name: winnerName,
        final_receipt_no: handoverNo,
      });
      await loser.screenshot({ path: 'test-results/screens/orders-race-lost.png' });
      // In English, the loser's queue says the same of the order.
      await loser.keyboard.press('Escape');
      await loser.keyboard.press('F10');
      await loser.keyboard.press('Shift+F5');
      await loser.getByTestId('orders-filter-collected').click();
      await loser.getByTestId(`order-${raced.orderNo}`).click({ timeout: 15_000 });
      await expect(loser.getByTestId('order-final-by')).toHaveText(`Collected at ${winnerName}, no. ${handoverNo}`);
      await loser.keyboard.press('Escape');
      await loser.keyboard.press('F10');

      // A phone order is cancelled at A: the cloud releases its reservation, and so do both tills.
      const reserved = async () =>
        (
          await cloud.query<{ q: string }>(
            `SELECT coalesce(sum(l.quantity_milli), 0)::text AS q FROM customer_order o JOIN customer_order_line l ON l.order_id = o.id
             WHERE o.status IN ('new', 'preparing', 'ready') AND l.sku = 'BAK-0012'`,
          )
        )[0]?.q;
      const phone = await placeOrder({ channel: 'phone', lines: [{ sku: 'BAK-0012', quantity: 4 }], paid: null });
      expect(await reserved()).toBe('4000');
      for (const till of [a, b]) await expect.poll(() => tillReserved(till.dir, 'BAK-0012'), { timeout: 15_000 }).toBe(4000);
      await page.keyboard.press('Escape');
      await page.keyboard.press('Shift+F5');
      await page.getByTestId('orders-filter-open').click();
      await page.getByTestId(`order-${phone.orderNo}`).click({ timeout: 15_000 });
      await page.getByTestId('order-cancel').click();
      await page.getByTestId('order-cancel-reason').fill('客人取消');
      await page.getByTestId('order-cancel-confirm').click();
      await expect.poll(reserved, { timeout: 15_000 }).toBe('0');
      for (const till of [a, b]) await expect.poll(() => tillReserved(till.dir, 'BAK-0012'), { timeout: 15_000 }).toBe(0);
      await other.keyboard.press('Escape');
      await other.keyboard.press('Shift+F5');
      await other.getByTestId('orders-filter-cancelled').click();
      await expect(other.getByTestId(`order-status-${phone.orderNo}`)).toHaveText('已取消', { timeout: 15_000 });
    } finally {
      await other.close();
    }
  });
});

test('part of a prepaid order is handed over on a slip, the rest is collected with a swap for a cheaper item, refunded as an exchange', async ({
  page,
}) => {
  printer ??= await startPrinterEmulator();
  await page.setViewportSize({ width: 1366, height: 768 });
  const { url, dir } = await startTill(printer);
  const till = await enrol(page, url);
  // Two milk teas and a pineapple bun, all paid in the online shop (HK$44.50).
  const placed = await placeOrder({
    lines: [
      { sku: 'DRI-0001', quantity: 2 },
      { sku: 'BAK-0012', quantity: 1 },
    ],
    paid: { amount: 4450, method: 'online', reference: 'PAY-PART' },
  });
  await page.keyboard.press('Shift+F5');
  await page.getByTestId(`order-${placed.orderNo}`).click({ timeout: 15_000 });

  // The customer takes one milk tea now; the other and the bun stay reserved. Keyboard only.
  await page.getByTestId('order-pickup').click();
  await expect(page.getByTestId('dialog-order-pickup')).toBeVisible();
  await expect(page.getByTestId('pickup-take-1')).toBeFocused();
  await page.keyboard.type('1');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await page.keyboard.type('0');
  await page.keyboard.press('Enter');
  const slipNo = `${till}-P000001`;
  await expect(page.getByTestId('orders-notice')).toContainText(slipNo, { timeout: 15_000 });
  await expect(page.getByTestId(`order-status-${placed.orderNo}`)).toContainText('部分取貨');
  await expect(page.getByTestId('order-partly')).toContainText('港式奶茶 × 1');
  await expect(page.getByTestId('order-partly')).toContainText('菠蘿包 × 1');
  await expect
    .poll(
      async () =>
        (
          await cloud.query<{ pickups: number }>(
            `SELECT count(*)::int AS pickups FROM customer_order_pickup p JOIN customer_order o ON o.id = p.order_id WHERE o.order_no = $1`,
            [placed.orderNo],
          )
        )[0]?.pickups,
    )
    .toBe(1);
  expect(await cloudOrder(placed.orderNo)).toMatchObject({ status: 'new' });
  await expect.poll(() => tillReserved(dir, 'DRI-0001'), { timeout: 15_000 }).toBe(1000);
  await expect.poll(() => printer!.printedJobs().filter((j) => j.transcript.includes(slipNo)).length).toBe(1);
  const slip = printer.printedJobs().find((j) => j.transcript.includes(slipNo))!.transcript;
  expect(slip).toContain('已預付 PREPAID');
  expect(slip).toContain('今次取貨 Collected now');
  expect(slip).toMatch(/港式奶茶\s+x 1/);
  expect(slip).toContain('部分取貨 PARTLY COLLECTED');
  expect(slip).toContain('餘下待取 Still to collect');
  expect(slip).toMatch(/菠蘿包 Pineapple Bun\s+x 1/);

  // Later: the second milk tea is swapped for a water (HK$8), the bun taken. The prepayment left
  // (HK$26.50) covers the tea swapped out and the bun; the water costs less: HK$10 back in cash.
  await page.getByTestId('order-pickup').click();
  await expect(page.getByTestId('pickup-take-1')).toBeFocused();
  await page.keyboard.type('0');
  await page.keyboard.press('Tab');
  await page.keyboard.type('1');
  await page.getByTestId('pickup-swap-code').fill('4891234000050');
  await page.getByTestId('pickup-swap-code').press('Enter');
  await expect(page.getByTestId('pickup-swap-lines')).toContainText('蒸餾水');
  await expect(page.getByTestId('pickup-credit')).toHaveText('HK$26.50');
  await page.screenshot({ path: 'test-results/screens/orders-pickup-swap.png' });
  await page.getByTestId('pickup-take-2').press('Enter');
  await expect(page.getByTestId('dialog-order-pickup')).toHaveCount(0);
  await expect(page.getByTestId('cart-order')).toContainText(placed.orderNo);
  await expect(page.getByTestId('cart-total')).toHaveText('HK$16.50');
  await expect(page.getByTestId('cart-order-paid')).toContainText('26.50');
  await expect(page.getByTestId('cart-order-due')).toHaveText('-HK$10.00');
  await page.keyboard.press('F12');
  await page.getByTestId('tender-cash').click();
  await page.getByTestId('pay-remaining').click();
  await page.getByTestId('pay-complete').click();
  const receiptNo = `${till}-000001`;
  await expect(page.getByTestId('receipt-number')).toHaveText(receiptNo, { timeout: 15_000 });
  expect(await cloudOrder(placed.orderNo)).toMatchObject({ status: 'collected', final_by_name: till, final_receipt_no: receiptNo });
  await expect.poll(() => tillReserved(dir, 'DRI-0001'), { timeout: 15_000 }).toBe(0);
  await expect.poll(() => printer!.printedJobs().filter((j) => j.transcript.includes(receiptNo)).length, { timeout: 15_000 }).toBe(1);
  const receipt = printer.printedJobs().find((j) => j.transcript.includes(receiptNo))!.transcript;
  expect(receipt).toContain(placed.orderNo);
  expect(receipt).toContain('蒸餾水');
  expect(receipt).toContain('菠蘿包');
  expect(receipt).not.toContain('港式奶茶');
  expect(receipt).toMatch(/已付訂金[^\n]*26\.50/);
  expect(receipt).toMatch(/現金 Cash\s+-HK\$10\.00/);
  // The cloud took the sale as it adds up (nothing quarantined), and stock moved once.
  await expect
    .poll(async () => (await cloud.query<{ n: number }>('SELECT count(*)::int AS n FROM sale WHERE receipt_no = $1', [receiptNo]))[0]?.n, {
      timeout: 15_000,
    })
    .toBe(1);
  expect(
    await cloud.query('SELECT reason_code FROM quarantine WHERE ref = ANY($1::text[])', [[receiptNo, placed.orderNo, slipNo]]),
  ).toEqual([]);
});

test('a clash on an order: the till still counts what it handed over itself, names the slip that lost, and hands nothing more over until the clash is seen', async ({
  page,
}) => {
  // A till that is not enrolled (offline): its pickups wait in its outbox for the cloud's word.
  await page.setViewportSize({ width: 1366, height: 768 });
  const { url, dir } = await startTill();
  await page.goto(url);
  await page.getByTestId('login-staff-3').click();
  for (const digit of '9999') await page.getByTestId(`pin-key-${digit}`).click();
  await page.getByTestId('pin-enter').click();
  await expect(page.getByTestId('scan-input')).toBeVisible({ timeout: 30_000 });
  await tillReady(page);
  // Two milk teas and a bun, prepaid online, as the till's last pull brought them.
  const orderNo = 'WCLASH1';
  const lines = [
    { line: 1, sku: 'DRI-0001', nameZh: '港式奶茶', nameEn: 'HK Milk Tea', quantityMilli: 2000, unitPrice: 1800, amount: 3600 },
    { line: 2, sku: 'BAK-0001', nameZh: '菠蘿包', nameEn: 'Pineapple Bun', quantityMilli: 1000, unitPrice: 1000, amount: 1000 },
  ].map((l) => ({ ...l, collectedMilli: 0, releasedMilli: 0 }));
  const tillDb = () => new Database(join(dir, 'register.db'), { fileMustExist: true });
  let db = tillDb();
  try {
    db.prepare(
      `INSERT INTO customer_order (order_no, channel, customer_name, customer_phone, status, lines, total, paid, created_at, updated_at, version)
       VALUES (?, 'online', '陳大文', '****4567', 'new', ?, 4600, 4600, ?, ?, 5)`,
    ).run(orderNo, JSON.stringify(lines), Date.now(), Date.now());
  } finally {
    db.close();
  }
  const openOrder = async () => {
    await page.keyboard.press('Shift+F5');
    await page.getByTestId(`order-${orderNo}`).click({ timeout: 15_000 });
  };
  /** Per order line still open, how many the customer takes now. */
  const pickUp = async (take: Record<number, string>) => {
    await page.getByTestId('order-pickup').click();
    await expect(page.getByTestId('pickup-take-1')).toBeFocused();
    for (const [line, quantity] of Object.entries(take)) await page.getByTestId(`pickup-take-${line}`).fill(quantity);
    await page.getByTestId('pickup-take-1').press('Enter');
  };
  // Offline, the bun goes out on slip P000001 and one milk tea on P000002.
  await openOrder();
  await pickUp({ 1: '0', 2: '1' });
  await expect(page.getByTestId('orders-notice')).toContainText('MK01-01-P000001', { timeout: 15_000 });
  await pickUp({ 1: '1' });
  await expect(page.getByTestId('orders-notice')).toContainText('MK01-01-P000002', { timeout: 15_000 });
  await page.keyboard.press('Escape');

  // The cloud refuses the bun's slip (MK01-02 handed the bun over first), as the sync worker records
  // it (settleRefusedOrderRows): the slip leaves the order's copy, the clash names it.
  db = tillDb();
  try {
    const row = db.prepare('SELECT local_pickups FROM customer_order WHERE order_no = ?').get(orderNo) as { local_pickups: string };
    const left = (JSON.parse(row.local_pickups) as { receiptNo: string }[]).filter((p) => p.receiptNo !== 'MK01-01-P000001');
    const clash = { status: 'collected', by: 'MK01-02', at: Date.now(), receiptNo: 'MK01-02-P000004', refused: ['MK01-01-P000001'] };
    db.prepare('UPDATE customer_order SET conflict = ?, local_pickups = ? WHERE order_no = ?').run(
      JSON.stringify(clash),
      JSON.stringify(left),
      orderNo,
    );
  } finally {
    db.close();
  }

  await openOrder();
  const clash = page.getByTestId('order-conflict');
  await expect(clash).toContainText('MK01-02');
  await expect(page.getByTestId('order-conflict-refused')).toContainText('MK01-01-P000001');
  await expect(page.getByTestId('order-conflict-pending')).toContainText('MK01-01-P000002');
  // the milk tea handed over here still counts: one left of it, and the bun too (its slip lost)
  await expect(page.getByTestId('order-line-1')).toContainText('已取 1');
  await expect(page.getByTestId('order-line-1')).toContainText('餘 1');
  await expect(page.getByTestId('order-partly')).toContainText('菠蘿包 × 1');
  // nothing more is handed over while the clash stands: no hand-over buttons, and a scan is refused
  await expect(page.getByTestId('order-pickup')).toHaveCount(0);
  await expect(page.getByTestId('order-collect')).toHaveCount(0);
  await page.getByTestId('orders-code').fill(`ORD:${orderNo}`);
  await page.getByTestId('orders-code').press('Enter');
  // inside 網上訂單 the clash is on the screen: press 知道了 on it (no "open 網上訂單 (Shift+F5)")
  await expect(page.getByTestId('orders-error')).toHaveText(
    '此訂單與另一部收銀機有衝突：請先閱讀此訂單的衝突說明並按「知道了」，才可再交貨',
  );
  for (const width of [1024, 1366]) {
    await page.setViewportSize({ width, height: 768 });
    for (const language of ['zh', 'en']) {
      await page.getByTestId(`order-${orderNo}`).click();
      await expect(clash).toBeVisible();
      await page.waitForFunction(() => true, undefined, { polling: 'raf' });
      expect.soft(await page.evaluate(TEXT_FIT_PROBE), `the clash at ${width}×768 (${language})`).toEqual([]);
      await page.screenshot({ path: `test-results/screens/${width}x768/dialog-orders-clash.${language}.png` });
      await page.keyboard.press('Escape');
      await page.keyboard.press('F10');
      await page.keyboard.press('Shift+F5');
    }
  }

  // Seen: the rest can go out again, and only the rest.
  await page.getByTestId(`order-${orderNo}`).click();
  await page.getByTestId('order-acknowledge').click();
  await expect(clash).toHaveCount(0);
  await expect(page.getByTestId('order-line-1')).toContainText('餘 1');
  await pickUp({ 1: '1', 2: '1' });
  await expect(page.getByTestId('orders-notice')).toContainText('MK01-01-P000003', { timeout: 15_000 });
  await page.getByTestId('orders-filter-collected').click();
  await expect(page.getByTestId(`order-status-${orderNo}`)).toContainText('已取貨');
});
