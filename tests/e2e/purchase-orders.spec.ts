/**
 * Receiving against a purchase order (issue 14), as a shop manager does it: head office orders 12
 * products for the store in the console (庫存 › 採購單; a mistyped SKU is flagged on its line) and
 * cancels a second order, the register pulls both (the cancelled one listed as such, not
 * receivable), 收貨 lists the open one, and the
 * manager receives it by scanner (quantity first, then scan): one line short, one over. The screen
 * shows ordered against received with short and over marked, posts once (F12, Enter), and the cloud
 * has the order received with what arrived per line and the store's on-hand moved by it.
 */
import type { Page } from '@playwright/test';
import type { PosApi } from '../../src/shared/channels';
import { test, expect } from './fixtures';
import { hqLogin, startHqCloud, type HqCloud } from './hq-steps';
import { loginAs, wedgeScan } from './till-steps';

/** Twelve demo products (SKU, barcode, names), eleven drinks and a bun. */
const PRODUCTS: readonly [string, string][] = [
  ['DRI-0001', '4891234000012'],
  ['DRI-0002', '4891234000029'],
  ['DRI-0003', '4891234000036'],
  ['DRI-0004', '4891234000043'],
  ['DRI-0005', '4891234000050'],
  ['DRI-0006', '4891234000067'],
  ['DRI-0007', '4891234000074'],
  ['DRI-0008', '4891234000081'],
  ['DRI-0009', '4891234000098'],
  ['DRI-0010', '4891234000104'],
  ['DRI-0011', '4891234000111'],
  ['BAK-0012', '4891234000128'],
];
const SHORT = 'DRI-0003'; // 4 of 6 arrive
const OVER = 'DRI-0008'; // 8 of 6 arrive

let cloud: HqCloud;
test.beforeAll(async () => {
  cloud = await startHqCloud();
});
test.afterAll(async () => {
  await cloud?.stop();
});

async function backOffice(page: Page, tab: string): Promise<void> {
  if (!(await page.getByTestId('back-office').isVisible())) await page.keyboard.press('F11');
  await page.getByTestId(`back-office-tab-${tab}`).click();
}

test('receive a PO of 12 lines with one short and one over: ordered vs received on screen, posted once, the cloud agrees', async ({
  page,
  register,
}) => {
  test.setTimeout(240_000);
  await cloud.admin('create-store', '算盤士多', 'MK01', '算盤士多 旺角店', 'Suanpan Store Mong Kok');
  await cloud.admin(
    'upsert-product',
    JSON.stringify(
      PRODUCTS.map(([sku, barcode], i) => ({ sku, nameZh: `貨品 ${i + 1}`, nameEn: `Product ${i + 1}`, barcodes: [barcode] })),
    ),
  );
  const code = await cloud.admin('enrol-code', 'MK01');

  await page.goto(register.url);
  await loginAs(page, 3, '9999');
  const enrolled = await page.evaluate(
    ([cloudUrl, enrolCode]) => (globalThis as unknown as { pos: PosApi }).pos['sync:enrol']({ cloudUrl: cloudUrl!, code: enrolCode! }),
    [cloud.url, code],
  );
  expect(enrolled.ok).toBe(true);

  // Head office orders 6 of each for MK01 in the console (庫存 › 採購單), and a second order it then cancels.
  const password = await cloud.createUser('owner@suanpan.hk', 'owner');
  const hq = await page.context().newPage();
  await hqLogin(hq, cloud, 'owner@suanpan.hk', password);
  await hq.getByTestId('nav-stock').click();
  await hq.getByTestId('stock-tab-orders').click();
  await hq.getByTestId('po-new').click();
  await hq.getByTestId('po-store').selectOption({ index: 1 });
  await hq.getByTestId('po-no').fill('PO-1203');
  await hq.getByTestId('po-supplier').fill('維他奶 Vitasoy');
  for (let i = 1; i < PRODUCTS.length; i++) await hq.getByTestId('po-line-add').click();
  for (const [i, [sku]] of PRODUCTS.entries()) {
    // a typo first: the cloud names the line whose SKU it does not know, in the screen's language
    await hq.getByTestId(`po-line-sku-${i}`).fill(i === 4 ? 'DRI-9999' : sku);
    await hq.getByTestId(`po-line-quantity-${i}`).fill('6');
    await hq.getByTestId(`po-line-cost-${i}`).fill('4.50');
  }
  await hq.getByTestId('po-save').click();
  await expect(hq.getByTestId('po-error-lines.4.sku')).toHaveText('沒有此貨號');
  await hq.getByTestId('po-line-sku-4').fill(PRODUCTS[4]![0]);
  await hq.getByTestId('po-save').click();
  await expect(hq.getByTestId('po-note')).toContainText('PO-1203');
  await expect(hq.getByTestId('po-PO-1203').getByTestId('po-status')).toHaveText('待收貨');

  await hq.getByTestId('po-new').click();
  await hq.getByTestId('po-store').selectOption({ index: 1 });
  await hq.getByTestId('po-no').fill('PO-1204');
  await hq.getByTestId('po-line-sku-0').fill('BAK-0012');
  await hq.getByTestId('po-line-quantity-0').fill('24');
  await hq.getByTestId('po-save').click();
  await expect(hq.getByTestId('po-PO-1204')).toBeVisible();
  await hq.getByTestId('po-cancel-PO-1204').click();
  await hq.getByTestId('po-cancel-confirm').click();
  await expect(hq.getByTestId('po-PO-1204').getByTestId('po-status')).toHaveText('已取消');
  await expect(hq.getByTestId('po-cancel-PO-1204')).toHaveCount(0);

  await page.bringToFront();
  await backOffice(page, 'sync');
  await page.getByTestId('sync-now').click();
  await backOffice(page, 'stock');
  await expect(async () => {
    await page.getByTestId('stock-tab-on-hand').click();
    await page.getByTestId('stock-tab-receive').click();
    await expect(page.getByTestId('stock-po-PO-1203')).toBeVisible({ timeout: 1000 });
    await expect(page.getByTestId('stock-po-cancelled-PO-1204')).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  // the cancelled order is listed as such, with no way to receive it
  await expect(page.getByTestId('stock-po-cancelled-PO-1204')).toHaveText('總部已取消，不可收貨');
  await expect(page.getByTestId('stock-receive-po-PO-1204')).toHaveCount(0);
  await expect(page.getByTestId('stock-po-PO-1203')).toContainText('維他奶 Vitasoy');
  await expect(page.getByTestId('stock-po-PO-1203')).toContainText('72');
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.screenshot({ path: 'test-results/screens/stock-po-list-1024.png', fullPage: true });
  await page.setViewportSize({ width: 1366, height: 768 });

  // Receive against it: all 12 ordered lines show, received 0.
  await page.getByTestId('stock-receive-po-PO-1203').click();
  await expect(page.getByTestId('stock-doc-po')).toHaveText('採購單 PO-1203');
  await expect(page.getByTestId('stock-scan')).toBeFocused();
  await expect(page.getByTestId('stock-lines').locator('tbody tr')).toHaveCount(12);
  await expect(page.getByTestId('stock-against-summary')).toHaveText('短缺 12 項 · 多出 0 項');

  for (const [sku, barcode] of PRODUCTS) {
    const quantity = sku === SHORT ? 4 : sku === OVER ? 8 : 6;
    await page.keyboard.press('F2');
    await page.keyboard.type(String(quantity));
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('stock-scan')).toBeFocused();
    await wedgeScan(page, barcode);
    await expect(page.getByTestId(`stock-line-quantity-${sku}`)).toHaveText(String(quantity));
  }
  await expect(page.getByTestId('stock-totals')).toContainText('12 項');
  await expect(page.getByTestId(`stock-line-difference-${SHORT}`)).toHaveText('短缺 2');
  await expect(page.getByTestId(`stock-line-difference-${OVER}`)).toHaveText('多出 2');
  await expect(page.getByTestId('stock-line-difference-DRI-0001')).toHaveText('');
  await expect(page.getByTestId('stock-against-summary')).toHaveText('短缺 1 項 · 多出 1 項');
  await page.screenshot({ path: 'test-results/screens/stock-po-receive-1366.png', fullPage: true });
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.screenshot({ path: 'test-results/screens/stock-po-receive-1024.png', fullPage: true });
  await page.setViewportSize({ width: 1366, height: 768 });

  await page.getByTestId('stock-scan').focus();
  await page.keyboard.press('F12');
  await expect(page.getByTestId('stock-post-confirm')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('stock-doc-status')).toHaveText('已過帳');
  // posted once: the order has left the list
  await page.getByTestId('stock-close').click();
  await expect(page.getByTestId('stock-po-PO-1203')).toHaveCount(0);

  // The cloud: the order received, ordered vs received per line, on-hand moved by what arrived.
  await backOffice(page, 'sync');
  await page.getByTestId('sync-now').click();
  await expect(async () => {
    const order = (
      JSON.parse(await cloud.admin('list-pos')) as {
        poNo: string;
        status: string;
        lines: { sku: string; orderedMilli: number; receivedMilli: number }[];
      }[]
    ).find((o) => o.poNo === 'PO-1203');
    expect(order!.status).toBe('received');
    expect(order!.lines.find((l) => l.sku === SHORT)).toEqual({ sku: SHORT, orderedMilli: 6000, receivedMilli: 4000 });
    expect(order!.lines.find((l) => l.sku === OVER)).toEqual({ sku: OVER, orderedMilli: 6000, receivedMilli: 8000 });
  }).toPass({ timeout: 60_000 });
  const onHand = new Map(
    (await cloud.query<{ sku: string; q: string }>('SELECT sku, quantity_milli AS q FROM stock_on_hand')).map((r) => [r.sku, Number(r.q)]),
  );
  expect(onHand.size).toBe(12);
  expect(onHand.get(SHORT)).toBe(4000);
  expect(onHand.get(OVER)).toBe(8000);
  expect(onHand.get('DRI-0001')).toBe(6000);

  // and the console shows it received, ordered against received per line, the short and the over marked
  await hq.bringToFront();
  await hq.reload();
  await hq.getByTestId('stock-tab-orders').click();
  await expect(hq.getByTestId('po-PO-1203').getByTestId('po-status')).toContainText('已收貨');
  await expect(hq.getByTestId('po-PO-1203').getByTestId('po-lines')).toContainText(`${SHORT} 6 / 4`);
  await hq.setViewportSize({ width: 1024, height: 768 });
  await hq.screenshot({ path: 'test-results/screens/hq-stock-po-received-1024.png', fullPage: true });
  await hq.close();
});
