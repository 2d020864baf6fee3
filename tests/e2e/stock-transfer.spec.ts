/**
 * 調貨 between two registers of two stores, one cloud (issue 14), as the shops do it by keyboard and
 * scanner: register A (旺角 MK01, the test's kiosk host) sends 5 milk teas to 銅鑼灣 CWB2; register B
 * (a second real kiosk host, enrolled to CWB2) pulls the transfer, receives it and finds 4 in the box.
 * On-hand and what is in transit are checked on both registers' screens, in the cloud's ledger, and
 * on head office's 庫存 page (調貨途中) before and after the receipt; the missing tea is recorded as
 * the receiving document's discrepancy (sent 5, received 4).
 */
import { hqLogin, startHqCloud, type HqCloud } from './hq-steps';
import { cloudOnHand, expectOnHand, quantityThenScan, stockTab, syncNow } from './stock-steps';
import { MILK_TEA, WATER } from './till-steps';
import { enrolTwoRegisters, expect, test } from './two-registers';

let cloud: HqCloud;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  cloud = await startHqCloud();
  await cloud.admin('create-store', '算盤士多', 'MK01', '算盤士多 旺角店', 'Suanpan Store Mong Kok');
  await cloud.admin('create-store', '算盤士多', 'CWB2', '算盤士多 銅鑼灣店', 'Suanpan Store Causeway Bay');
  await cloud.admin(
    'upsert-product',
    JSON.stringify([
      { sku: 'DRI-0001', nameZh: '港式奶茶', nameEn: 'HK Milk Tea', barcodes: [MILK_TEA], price: 1800 },
      { sku: 'DRI-0005', nameZh: '蒸餾水 500毫升', nameEn: 'Distilled Water 500ml', barcodes: [WATER], price: 800 },
    ]),
  );
  // what each shop has before the transfer
  await cloud.admin('receive-stock', 'MK01', 'DRI-0001', '12', '--ref', 'INIT-MK01');
  await cloud.admin('receive-stock', 'MK01', 'DRI-0005', '6', '--ref', 'INIT-MK01');
  await cloud.admin('receive-stock', 'CWB2', 'DRI-0001', '2', '--ref', 'INIT-CWB2');
});

test.afterAll(async () => {
  test.setTimeout(120_000);
  await cloud?.stop();
});

test('A sends 5 teas to store B, B receives 4: on-hand and in transit right on both registers, in the cloud and in the console', async ({
  page,
  browser,
  register,
  registerB,
}) => {
  test.setTimeout(420_000);
  // IT enrols A to MK01 and B to CWB2 (each the first register of its store); the manager stays logged in.
  const pageB = await enrolTwoRegisters(
    page,
    cloud,
    { a: register, b: registerB },
    { a: { store: 'MK01', label: 'MK01 · 01' }, b: { store: 'CWB2', label: 'CWB2 · 01' } },
    { width: 1366, height: 768 },
  );
  await expectOnHand(page, 'DRI-0001', '12');
  await expectOnHand(pageB, 'DRI-0001', '2');

  // A: 調貨 to CWB2, quantity first, then scan; posted with F12, Enter.
  await page.bringToFront();
  await stockTab(page, 'transfer-out');
  await page.getByTestId('stock-to-store').fill('CWB2');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('stock-scan')).toBeFocused();
  const transferNo = (await page.getByTestId('stock-doc-no').textContent())!;
  expect(transferNo).toMatch(/^TRO-\d{6}$/);
  await quantityThenScan(page, '5', MILK_TEA);
  await expect(page.getByTestId('stock-line-quantity-DRI-0001')).toHaveText('5');
  await page.keyboard.press('F12');
  await expect(page.getByTestId('stock-post-confirm')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('stock-doc-status')).toHaveText('已過帳');
  // the goods left A's on-hand at once, before any sync
  await page.getByTestId('stock-tab-on-hand').click();
  await page.getByTestId('stock-search').fill('DRI-0001');
  await expect(page.getByTestId('stock-on-hand-DRI-0001')).toHaveText('7');

  // The cloud: 7 at MK01, still 2 at CWB2, 5 in transit.
  await syncNow(page);
  await expect(async () => {
    const transit = await cloud.query<{ doc_no: string; sku: string; q: string }>(
      `SELECT d.doc_no, l.sku, l.quantity_milli AS q FROM stock_document d JOIN stock_document_line l ON l.doc_id = d.doc_id
        WHERE d.kind = 'transfer-out'
          AND NOT EXISTS (SELECT 1 FROM stock_document r WHERE r.kind = 'transfer-in' AND r.transfer_doc_id = d.doc_id)`,
    );
    expect(transit).toEqual([{ doc_no: transferNo, sku: 'DRI-0001', q: '5000' }]);
  }).toPass({ timeout: 60_000 });
  expect(await cloudOnHand(cloud, 'MK01', 'DRI-0001')).toBe(7);
  expect(await cloudOnHand(cloud, 'CWB2', 'DRI-0001')).toBe(2);
  await expectOnHand(page, 'DRI-0001', '7'); // the pulled figure, no longer this register's own movement

  // Head office sees it in transit (庫存 › 調貨途中), from MK01 to CWB2, 5 teas.
  const password = await cloud.createUser('owner@suanpan.hk', 'owner');
  const hq = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-HK', timezoneId: 'Asia/Hong_Kong' });
  await hqLogin(hq, cloud, 'owner@suanpan.hk', password);
  await hq.getByTestId('nav-stock').click();
  await hq.getByTestId('stock-tab-transfers').click();
  await expect(hq.getByTestId(`transfer-${transferNo}`)).toContainText('MK01');
  await expect(hq.getByTestId(`transfer-${transferNo}`)).toContainText('CWB2');
  await expect(hq.getByTestId(`transfer-${transferNo}`)).toContainText('DRI-0001');

  // B: the transfer is waiting (待收調貨, 5 sent); receive it, 4 in the box.
  await pageB.bringToFront();
  await expect(async () => {
    await syncNow(pageB);
    await stockTab(pageB, 'transfer-out');
    await expect(pageB.getByTestId(`stock-inbound-${transferNo}`)).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 60_000 });
  await expect(pageB.getByTestId(`stock-inbound-${transferNo}`)).toContainText('MK01');
  await expect(pageB.getByTestId(`stock-inbound-${transferNo}`)).toContainText('5');
  await expect(pageB.getByTestId(`stock-receive-${transferNo}`)).toBeEnabled();
  await pageB.getByTestId(`stock-receive-${transferNo}`).click();
  await expect(pageB.getByTestId('stock-doc-no')).toHaveText(/^TRI-\d{6}$/);
  await expect(pageB.getByTestId('stock-scan')).toBeFocused();
  await quantityThenScan(pageB, '4', MILK_TEA);
  await expect(pageB.getByTestId('stock-line-quantity-DRI-0001')).toHaveText('4');
  await expect(pageB.getByTestId('stock-line-difference-DRI-0001')).toHaveText('短缺 1');
  await pageB.keyboard.press('F12');
  await expect(pageB.getByTestId('stock-post-confirm')).toBeFocused();
  await pageB.keyboard.press('Enter');
  await expect(pageB.getByTestId('stock-doc-status')).toHaveText('已過帳');
  await pageB.getByTestId('stock-close').click();
  await expect(pageB.getByTestId(`stock-inbound-${transferNo}`)).toHaveCount(0);
  await pageB.getByTestId('stock-tab-on-hand').click();
  await pageB.getByTestId('stock-search').fill('DRI-0001');
  await expect(pageB.getByTestId('stock-on-hand-DRI-0001')).toHaveText('6'); // 2 + 4, at once

  // The cloud: received 4 of 5 (the discrepancy on the receiving line), nothing in transit, 6 at CWB2, 7 at MK01.
  await syncNow(pageB);
  await expect(async () => {
    const received = await cloud.query<{ sku: string; expected: string; q: string; moved: string }>(
      `SELECT l.sku, l.expected_milli AS expected, l.quantity_milli AS q, l.movement_milli AS moved
         FROM stock_document d JOIN stock_document_line l ON l.doc_id = d.doc_id JOIN store s ON s.id = d.store_id
        WHERE d.kind = 'transfer-in' AND s.code = 'CWB2'`,
    );
    expect(received).toEqual([{ sku: 'DRI-0001', expected: '5000', q: '4000', moved: '4000' }]);
  }).toPass({ timeout: 60_000 });
  expect(await cloudOnHand(cloud, 'CWB2', 'DRI-0001')).toBe(6);
  expect(await cloudOnHand(cloud, 'MK01', 'DRI-0001')).toBe(7);
  expect(await cloudOnHand(cloud, 'MK01', 'DRI-0005')).toBe(6); // untouched
  await expectOnHand(pageB, 'DRI-0001', '6');
  await expectOnHand(page, 'DRI-0001', '7');

  // Head office: no longer in transit.
  await hq.bringToFront();
  await hq.reload();
  await hq.getByTestId('stock-tab-transfers').click();
  await expect(hq.getByText('沒有調貨途中')).toBeVisible();
  await expect(hq.getByTestId(`transfer-${transferNo}`)).toHaveCount(0);
  await hq.close();
  await pageB.close();
});
