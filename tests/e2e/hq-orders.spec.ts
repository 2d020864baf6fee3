/**
 * 網上及社交訂單 in the head office console end to end (issue 15): the real built cloud and a real
 * demo register enrolled through its back office (cloud-steps.ts), driven in Chromium. A head office
 * person types in a WhatsApp order, prices it (the cloud's figure, at the store's prices), enters it
 * as paid by FPS; it reaches the register's 網上訂單 queue with the phone masked; the till marks it
 * ready and the console's history names that register; head office cancels it with a reason and
 * it leaves the till's open queue, its reservation released in the cloud.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { startServe, stopServe } from '../support/serve-process';
import { call } from '../support/register-documents';
import { enrolApiRegister, enrolTill } from './cloud-steps';
import { expect, test } from './fixtures';
import { hqLogin, startHqCloud, type HqCloud } from './hq-steps';

let cloud: HqCloud;
let password: string;

// A real cloud and a kiosk host enrolled through the back office: minutes on a loaded machine.
test.describe.configure({ timeout: 300_000 });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  cloud = await startHqCloud();
  await cloud.admin('create-store', '算盤士多', 'MK01', '算盤士多 旺角店', 'Suanpan Store Mong Kok');
  await cloud.admin(
    'upsert-product',
    JSON.stringify([
      { sku: 'DRI-0001', nameZh: '港式奶茶', nameEn: 'HK Milk Tea', barcodes: ['4891234000012'], price: 1800 },
      { sku: 'BAK-0012', nameZh: '菠蘿包', nameEn: 'Pineapple Bun', barcodes: ['4891234000128'], price: 850 },
    ]),
  );
  password = await cloud.createUser('hq.manager@suanpan.hk', 'hq_manager', '--name', '黃經理');
});

test.afterAll(async () => {
  await cloud?.stop();
});

async function cloudReserved(sku: string): Promise<number> {
  const rows = await cloud.query<{ n: string | null }>(
    `SELECT sum(l.quantity_milli) AS n FROM customer_order o JOIN customer_order_line l ON l.order_id = o.id
     WHERE o.status IN ('new', 'preparing', 'ready') AND l.sku = $1`,
    [sku],
  );
  return Number(rows[0]?.n ?? 0);
}

/** Head office types the order as a person does, prices it and enters it (paid by FPS, or to pay at pickup); answers its number. */
async function enterWhatsAppOrder(hq: Page, paidNow = true): Promise<string> {
  await hq.getByTestId('nav-orders').click();
  await expect(hq.getByTestId('page-orders')).toBeVisible();
  await hq.getByTestId('orders-enter').click();
  await hq.getByTestId('entry-channel').selectOption('whatsapp');
  await hq.getByTestId('entry-name').fill('陳小姐');
  await hq.getByTestId('entry-phone').fill('9123 4567');
  await hq.getByTestId('entry-store').selectOption({ label: 'MK01 算盤士多 旺角店' });
  await hq.getByTestId('entry-sku-0').fill('DRI-0001');
  await hq.getByTestId('entry-qty-0').fill('2');
  await hq.getByTestId('entry-add-line').click();
  await hq.getByTestId('entry-sku-1').fill('BAK-0012');
  await expect(hq.getByTestId('entry-save')).toBeDisabled();
  await hq.getByTestId('entry-price').click();
  // 2 × HK$18.00 + HK$8.50: the cloud's figure, read out to the customer before entering.
  await expect(hq.getByTestId('entry-total')).toHaveText('HK$44.50');
  if (paidNow) {
    await hq.getByTestId('entry-paid-now').check();
    await hq.getByTestId('entry-method').selectOption('fps');
    await hq.getByTestId('entry-reference').fill('FPS-20261203-01');
  } else await hq.getByTestId('entry-pay-later').check();
  await hq.getByTestId('entry-save').click();
  await expect(hq.getByTestId('order-detail')).toBeVisible({ timeout: 15_000 });
  await expect(hq.getByTestId('order-detail-status')).toHaveText('新訂單');
  await expect(hq.getByTestId('order-detail-total')).toHaveText('HK$44.50');
  await expect(hq.getByTestId('order-detail-due')).toHaveText(paidNow ? 'HK$0.00' : 'HK$44.50');
  const orderNo = ((await hq.getByTestId('order-detail').locator('h2').first().textContent()) ?? '').replace('新訂單', '').trim();
  expect(orderNo).toMatch(/^HQ-[0-9A-Z]+$/);
  return orderNo;
}

test('a WhatsApp order entered in the console reaches the register’s 網上訂單 queue; cancelled there, it leaves it', async ({
  browser,
  page,
}) => {
  const hq = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-HK', timezoneId: 'Asia/Hong_Kong' });
  // The demo till seeds its shop on first start: slow beside a loaded machine's other work.
  const dataDir = mkdtempSync(join(tmpdir(), 'suanpan-e2e-hq-orders-till-'));
  const register = await startServe(['--data-dir', dataDir, '--port', '0', '--demo'], 120_000);
  try {
    await page.setViewportSize({ width: 1366, height: 768 });
    await enrolTill(page, cloud, register.url, 'MK01', 'MK01 · 01');
    await expect(page.getByTestId('orders-badge')).toHaveCount(0);

    await hqLogin(hq, cloud, 'hq.manager@suanpan.hk', password);
    const orderNo = await enterWhatsAppOrder(hq);
    const [stored] = await cloud.query<{ total: string; paid: string; paid_method: string; channel: string; created_by: string }>(
      'SELECT total, paid, paid_method, channel, created_by FROM customer_order WHERE order_no = $1',
      [orderNo],
    );
    expect(stored).toMatchObject({ total: '4450', paid: '4450', paid_method: 'fps', channel: 'whatsapp' });
    expect(stored!.created_by).toMatch(/^hq-user:\d+$/);
    expect(await cloudReserved('DRI-0001')).toBe(2000);

    // The register pulls it: the badge, then the queue with the phone masked.
    await expect(page.getByTestId('orders-badge')).toHaveText('1', { timeout: 15_000 });
    await page.keyboard.press('Shift+F5');
    const row = page.getByTestId(`order-${orderNo}`);
    await expect(row).toContainText('陳小姐');
    await expect(row).toContainText('****4567');
    await expect(page.getByTestId(`order-status-${orderNo}`)).toHaveText('新訂單');
    await row.click();
    await page.getByTestId('order-ready').click();
    await expect(page.getByTestId(`order-status-${orderNo}`)).toContainText('可取貨');
    await expect
      .poll(
        async () => (await cloud.query<{ status: string }>('SELECT status FROM customer_order WHERE order_no = $1', [orderNo]))[0]?.status,
        {
          timeout: 15_000,
        },
      )
      .toBe('ready');

    // Head office finds it in the list (filtered to WhatsApp), sees who moved it, and cancels it with a reason.
    await hq.getByTestId('orders-back').click();
    await hq.getByTestId('orders-channel').selectOption('whatsapp');
    await hq.getByTestId('orders-search').click();
    await expect(hq.getByTestId(`orders-status-${orderNo}`)).toHaveText('可取貨');
    await expect(hq.getByTestId(`orders-row-${orderNo}`)).toContainText('****4567');
    await hq.getByTestId(`orders-row-${orderNo}`).click();
    await expect(hq.getByTestId('order-detail-history')).toContainText('MK01-01');
    await expect(hq.getByTestId('order-detail-history')).toContainText('HQ 黃經理');
    await expect(hq.getByTestId('order-detail-payments')).toContainText('FPS-20261203-01');
    await expect(hq.getByTestId('order-move-collected')).toHaveCount(0);
    await hq.getByTestId('order-move-cancelled').click();
    await hq.getByTestId('order-cancel-reason').fill('客人改為下星期取貨，重新落單');
    await hq.getByTestId('order-cancel-confirm').click();
    await expect(hq.getByTestId('order-detail-status')).toHaveText('已取消');
    await expect(hq.getByTestId('order-detail-reason')).toHaveText('客人改為下星期取貨，重新落單');
    expect(await cloudReserved('DRI-0001')).toBe(0);

    // The till's next pull takes it out of the open queue (the queue it has open reads again).
    await expect(row).toHaveCount(0, { timeout: 15_000 });
  } finally {
    await hq.close();
    await stopServe(register);
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('a partly collected pay-at-pickup order shows what is still to pay, in the list and on the order', async ({ browser }) => {
  const hq = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-HK', timezoneId: 'Asia/Hong_Kong' });
  try {
    await hqLogin(hq, cloud, 'hq.manager@suanpan.hk', password);
    // 2 × HK$18.00 + HK$8.50, nothing paid yet
    const orderNo = await enterWhatsAppOrder(hq, false);

    // A register of the store hands one milk tea over on a sale (HK$18.00 paid at the counter); the
    // other tea and the bun stay to collect and to pay: HK$26.50, not the total less the prepayment.
    const till = await enrolApiRegister(cloud, 'MK01');
    const taken = await call<{ order: { status: string; due: number } }>(
      cloud.url,
      'POST',
      `/v1/registers/${till.registerId}/orders/${orderNo}/pickups`,
      {
        token: till.token,
        body: {
          orderNo,
          receiptNo: `${till.storeCode}-${till.registerCode}-000001`,
          collect: [{ line: 1, quantityMilli: 1000 }],
          release: [],
          applied: 0,
        },
      },
    );
    expect(taken.status).toBe(200);

    await hq.getByTestId('orders-back').click();
    await hq.getByTestId('orders-search').click();
    await expect(hq.getByTestId(`orders-status-${orderNo}`)).toHaveText('新訂單 · 部分取貨');
    await expect(hq.getByTestId(`orders-due-${orderNo}`)).toHaveText('待付 HK$26.50');
    await hq.getByTestId(`orders-row-${orderNo}`).click();
    await expect(hq.getByTestId('order-detail-total')).toHaveText('HK$44.50');
    await expect(hq.getByTestId('order-detail-due')).toHaveText('HK$26.50');
    await expect(hq.getByTestId('order-line-left-1')).toHaveText('1');
    // the register's answer says the same (Order.due)
    expect(taken.body.order).toMatchObject({ status: 'new', due: 2650 });
  } finally {
    await hq.close();
  }
});
