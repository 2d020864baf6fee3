/**
 * 多機盤點 (a stocktake shared by a store's registers through the cloud, issue 14) as two counters
 * and a manager do it, by keyboard and scanner, on two real kiosk hosts enrolled to one cloud. Each
 * test has its own store and its own pair of registers (two-registers.ts), so any one runs alone.
 *
 * Counting (MK01): register A (the test's kiosk host) opens a blind shared count of the drinks;
 * register B (a second kiosk host) finds it under 其他收銀機的盤點 and joins; A counts 7 teas, B
 * 4 more; a tea is sold at A's till after the teas were counted (the till never stops); B then
 * counts the water, 5 of the 6. A's manager reads the variance from the cloud (the union of both
 * registers' scans, the sale netted out: tea 12 expected, 11 counted, −1 = −HK$18; water −1 =
 * −HK$8) and posts with F12. On-hand follows on both registers' screens and in the cloud
 * (tea 11 counted − 1 sold after = 10, water 5, the bakery untouched); the cloud moved each product
 * once. Cancelling (MK02): the opener cancels it for every register with a reason; B's pull closes
 * it. Leaving (MK03): B leaves keeping its scans; the cloud is told once, A and head office's
 * 多機盤點 list show B left and its scans still counted. Refused (MK04): the cloud refuses A's post
 * (another stock document took the count's id): the status bar says so until A's manager dismisses it
 * in 雲端同步. Screenshots at 1024×768 in test-results/.
 */
import type { Page } from '@playwright/test';
import { hqLogin, startHqCloud, type HqCloud } from './hq-steps';
import { cloudOnHand, expectOnHand, quantityThenScan as countScan, stockTab, syncNow } from './stock-steps';
import { MILK_TEA, PINEAPPLE_BUN, WATER, wedgeScan } from './till-steps';
import { enrolTwoRegisters, expect, test } from './two-registers';

let cloud: HqCloud;

// The catalogue only; each test has its own store, stock and two registers, so any one runs alone (-g).
test.beforeAll(async () => {
  test.setTimeout(180_000);
  cloud = await startHqCloud();
  await cloud.admin(
    'upsert-product',
    JSON.stringify([
      { sku: 'DRI-0001', nameZh: '港式奶茶', nameEn: 'HK Milk Tea', categoryCode: 'DRINK', barcodes: [MILK_TEA], price: 1800 },
      {
        sku: 'DRI-0005',
        nameZh: '蒸餾水 500毫升',
        nameEn: 'Distilled Water 500ml',
        categoryCode: 'DRINK',
        barcodes: [WATER],
        price: 800,
      },
      { sku: 'BAK-0001', nameZh: '菠蘿包', nameEn: 'Pineapple Bun', categoryCode: 'BAKERY', barcodes: [PINEAPPLE_BUN], price: 850 },
    ]),
  );
});

test.afterAll(async () => {
  test.setTimeout(120_000);
  await cloud?.stop();
});

/** A store of its own for a test (12 teas, 6 waters, 5 buns), and its two registers enrolled at 1024×768: answers B's page. */
async function storeWithTwoRegisters(
  page: Page,
  registers: Parameters<typeof enrolTwoRegisters>[2],
  store: string,
  nameZh: string,
  nameEn: string,
): Promise<Page> {
  await cloud.admin('create-store', '算盤士多', store, nameZh, nameEn);
  await cloud.admin('receive-stock', store, 'DRI-0001', '12', '--ref', `INIT-${store}`);
  await cloud.admin('receive-stock', store, 'DRI-0005', '6', '--ref', `INIT-${store}`);
  await cloud.admin('receive-stock', store, 'BAK-0001', '5', '--ref', `INIT-${store}`);
  return enrolTwoRegisters(
    page,
    cloud,
    registers,
    { a: { store, label: `${store} · 01` }, b: { store, label: `${store} · 02` } },
    { width: 1024, height: 768 },
  );
}

/** A opens a shared count of only what is scanned, counts `quantity` of `code`; B finds it under 其他收銀機的盤點 and joins. Answers its number. */
async function openAndJoin(page: Page, pageB: Page, quantity: string, code: string): Promise<string> {
  await page.bringToFront();
  await stockTab(page, 'count');
  await page.getByTestId('stock-shared').check();
  await page.getByTestId('stock-scope').selectOption('scanned');
  await page.getByTestId('stock-start').click();
  await expect(page.getByTestId('stock-doc-no')).toHaveText(/^CNT-01-\d{6}$/);
  const docNo = (await page.getByTestId('stock-doc-no').textContent())!;
  await countScan(page, quantity, code);
  await pageB.bringToFront();
  await expect(async () => {
    await syncNow(page);
    await stockTab(pageB, 'receive');
    await stockTab(pageB, 'count');
    await expect(pageB.getByTestId(`stock-count-session-${docNo}`)).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 60_000 });
  await pageB.getByTestId(`stock-join-${docNo}`).click();
  await expect(pageB.getByTestId('stock-doc-no')).toHaveText(docNo);
  return docNo;
}

test('two registers count the drinks into one shared count, a tea sold in the middle: the cloud’s variance nets it out, one post, on-hand right everywhere', async ({
  page,
  register,
  registerB,
}, testInfo) => {
  test.setTimeout(480_000);
  const pageB = await storeWithTwoRegisters(page, { a: register, b: registerB }, 'MK01', '算盤士多 旺角店', 'Suanpan Store Mong Kok');
  await expectOnHand(page, 'DRI-0001', '12');
  await expectOnHand(pageB, 'DRI-0001', '12');

  // A: 盤點 › 多機盤點, the drinks, blind (the default).
  await page.bringToFront();
  await stockTab(page, 'count');
  await page.getByTestId('stock-shared').check();
  await page.getByTestId('stock-category').fill('DRINK');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('stock-doc-no')).toHaveText(/^CNT-01-\d{6}$/);
  const docNo = (await page.getByTestId('stock-doc-no').textContent())!;
  await expect(page.getByTestId('stock-shared-badge')).toBeVisible();
  await expect(page.getByTestId('stock-scan')).toBeFocused();
  await countScan(page, '7', MILK_TEA);
  await expect(page.getByTestId('stock-line-quantity-DRI-0001')).toHaveText('7');
  await expect(page.getByTestId('stock-lines')).not.toContainText('應有'); // blind

  // B: the count is offered once it reached the cloud; 加入.
  await pageB.bringToFront();
  await expect(async () => {
    await syncNow(page); // A's session and scans go now
    await stockTab(pageB, 'receive');
    await stockTab(pageB, 'count');
    await expect(pageB.getByTestId(`stock-count-session-${docNo}`)).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 60_000 });
  await expect(pageB.getByTestId(`stock-count-session-${docNo}`)).toContainText('01');
  await pageB.screenshot({ path: testInfo.outputPath('shared-count-offered-1024.png') });
  await pageB.getByTestId(`stock-join-${docNo}`).click();
  await expect(pageB.getByTestId('stock-doc-no')).toHaveText(docNo);
  await expect(pageB.getByTestId('stock-shared-badge')).toBeVisible();
  await expect(pageB.getByTestId('stock-scan')).toBeFocused();
  await countScan(pageB, '4', MILK_TEA);
  await expect(pageB.getByTestId('stock-line-quantity-DRI-0001')).toHaveText('4'); // B's own lines only
  await expect(pageB.getByTestId('stock-lines')).not.toContainText('應有');
  await pageB.screenshot({ path: testInfo.outputPath('shared-count-joined-1024.png') });

  // The till never stops for a count: a tea sold at A after both counted the teas.
  await page.bringToFront();
  await page.keyboard.press('F11');
  await expect(page.getByTestId('scan-input')).toBeVisible();
  await wedgeScan(page, MILK_TEA);
  await expect(page.getByTestId('cart-line-0')).toBeVisible();
  await page.getByTestId('action-pay').click();
  await page.getByTestId('tender-cash').click();
  await page.getByTestId('pay-remaining').click();
  await page.getByTestId('pay-complete').click();
  await expect(page.getByTestId('receipt-number')).toHaveText(/^MK01-01-\d{6}$/);
  await page.getByTestId('next-customer').click();
  await syncNow(page); // the sale reaches the cloud's ledger

  // B counts the water after the sale: 5 of 6.
  await pageB.bringToFront();
  await countScan(pageB, '5', WATER);
  await expect(pageB.getByTestId('stock-line-quantity-DRI-0005')).toHaveText('5');

  // A's manager: 差異報告 from the cloud, the union of both registers' scans, the sale netted out.
  await page.bringToFront();
  await stockTab(page, 'count');
  await page.getByTestId(`stock-open-${docNo}`).click();
  await expect(async () => {
    await syncNow(pageB); // B's scans go now
    await stockTab(page, 'count');
    await page.getByTestId(`stock-open-${docNo}`).click();
    await page.getByTestId('stock-variance-button').click();
    await expect(page.getByTestId('stock-participant-02')).toHaveText('收銀機 02：2 次掃描', { timeout: 5_000 });
    await expect(page.getByTestId('stock-variance-DRI-0005')).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 90_000 });
  // tea: 12 on hand at its last scan (the sale came after), 7 + 4 counted; water: 6, 5
  await expect(page.getByTestId('stock-variance-DRI-0001')).toHaveText(/DRI-0001港式奶茶1211-1-HK\$18\.00/);
  await expect(page.getByTestId('stock-variance-DRI-0005')).toHaveText(/DRI-0005蒸餾水 500毫升65-1-HK\$8\.00/);
  await expect(page.getByTestId('stock-variance-BAK-0001')).toHaveCount(0); // not in the drinks
  await expect(page.getByTestId('stock-variance-summary')).toHaveText('2 項中 2 項有差異：短缺 -2（-HK$26.00），多出 0（HK$0.00）');
  await expect(page.getByTestId('stock-participant-01')).toHaveText('收銀機 01：1 次掃描');
  await page.screenshot({ path: testInfo.outputPath('shared-count-variance-1024.png') });

  // F12 posts (Enter confirms); the cloud posts once.
  await page.getByTestId('stock-scan').focus();
  await page.keyboard.press('F12');
  await expect(page.getByTestId('stock-post-confirm')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('stock-doc-status')).toHaveText('已過帳');
  await expect(page.getByTestId('stock-shared-posted-by')).toContainText('MK01-01');

  // The cloud: one count movement per product, on-hand tea 11 − 1 sold after = 10, water 5, buns untouched.
  const moved = await cloud.query<{ sku: string; q: string }>(
    `SELECT m.sku, m.quantity_milli AS q FROM stock_movement m JOIN count_session s ON m.source = 'stockdoc:' || s.session_id
      JOIN store st ON st.id = s.store_id WHERE st.code = 'MK01' AND s.doc_no = $1 ORDER BY m.sku`,
    [docNo],
  );
  expect(moved).toEqual([
    { sku: 'DRI-0001', q: '-1000' },
    { sku: 'DRI-0005', q: '-1000' },
  ]);
  expect(await cloudOnHand(cloud, 'MK01', 'DRI-0001')).toBe(10);
  expect(await cloudOnHand(cloud, 'MK01', 'DRI-0005')).toBe(5);
  expect(await cloudOnHand(cloud, 'MK01', 'BAK-0001')).toBe(5);

  // Both registers' screens follow with the pull.
  await expectOnHand(page, 'DRI-0001', '10');
  await expectOnHand(page, 'DRI-0005', '5');
  await pageB.bringToFront();
  await expectOnHand(pageB, 'DRI-0001', '10');
  await expectOnHand(pageB, 'DRI-0005', '5');
  await expectOnHand(pageB, 'BAK-0001', '5');
  // B's copy of the count is closed, posted by A.
  await stockTab(pageB, 'count');
  await expect(pageB.getByTestId(`stock-document-${docNo}`)).toBeVisible();
  await pageB.getByTestId(`stock-open-${docNo}`).click();
  await expect(pageB.getByTestId('stock-doc-status')).toHaveText('已過帳');
  await expect(pageB.getByTestId('stock-shared-posted-by')).toContainText('MK01-01');
  await pageB.close();
});

test('the register that opened a shared count cancels it for every register, with a confirm and a reason; the other register’s pull closes it and says why', async ({
  page,
  register,
  registerB,
}, testInfo) => {
  test.setTimeout(300_000);
  const pageB = await storeWithTwoRegisters(page, { a: register, b: registerB }, 'MK02', '算盤士多 太子店', 'Suanpan Store Prince Edward');
  const docNo = await openAndJoin(page, pageB, '2', WATER);
  await countScan(pageB, '3', MILK_TEA);
  // a joined register's manager may cancel it for all, or leave; a plain document's cancel is not offered
  await expect(pageB.getByTestId('stock-leave')).toBeVisible();
  await expect(pageB.getByTestId('stock-cancel-document')).toHaveCount(0);

  // A cancels it for every register: the confirm asks, with a reason; 繼續盤點 backs out.
  await page.bringToFront();
  await stockTab(page, 'count');
  await page.getByTestId(`stock-open-${docNo}`).click();
  await expect(page.getByTestId('stock-leave')).toHaveCount(0); // the opener cancels, it does not leave
  await page.getByTestId('stock-cancel-whole').click();
  await expect(page.getByTestId('stock-cancel-confirm-form')).toContainText(`取消整個 ${docNo}？`);
  await page.getByTestId('stock-cancel-keep').click();
  await expect(page.getByTestId('stock-doc-status')).toHaveText('進行中');
  await page.getByTestId('stock-cancel-whole').click();
  await expect(page.getByTestId('stock-cancel-reason')).toBeFocused();
  await page.keyboard.type('貨架重新擺放，明早再點');
  await page.screenshot({ path: testInfo.outputPath('shared-count-cancel-confirm-1024.png') });
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('stock-doc-status')).toHaveText('已取消');
  await expect(page.getByTestId('stock-shared-cancelled')).toHaveText(/^整個盤點已由 MK02-01 .+ 取消：貨架重新擺放，明早再點$/);
  const [row] = await cloud.query<{ status: string; cancel_reason: string }>(
    "SELECT s.status, s.cancel_reason FROM count_session s JOIN store st ON st.id = s.store_id WHERE st.code = 'MK02' AND s.doc_no = $1",
    [docNo],
  );
  expect(row).toEqual({ status: 'cancelled', cancel_reason: '貨架重新擺放，明早再點' });

  // B: its sync pull closes its copy (nobody refreshes it), and the screen says who and why.
  await pageB.bringToFront();
  await expect(async () => {
    await syncNow(pageB);
    await stockTab(pageB, 'count');
    await expect(pageB.getByTestId(`stock-document-${docNo}`)).toContainText('已取消', { timeout: 2_000 });
  }).toPass({ timeout: 60_000 });
  await pageB.getByTestId(`stock-open-${docNo}`).click();
  await expect(pageB.getByTestId('stock-shared-cancelled')).toContainText('貨架重新擺放，明早再點');
  await expect(pageB.getByTestId('stock-scan')).toHaveCount(0);
  await pageB.screenshot({ path: testInfo.outputPath('shared-count-cancelled-elsewhere-1024.png') });
  await pageB.close();
});

test('a register leaves a shared count keeping its scans: the cloud is told once, the opener and head office see it left, and its scans still count', async ({
  page,
  browser,
  register,
  registerB,
}, testInfo) => {
  test.setTimeout(300_000);
  const pageB = await storeWithTwoRegisters(page, { a: register, b: registerB }, 'MK03', '算盤士多 油麻地店', 'Suanpan Store Yau Ma Tei');
  const docNo = await openAndJoin(page, pageB, '2', WATER);
  await countScan(pageB, '3', MILK_TEA);
  await expect(pageB.getByTestId('stock-line-quantity-DRI-0001')).toHaveText('3');

  // B leaves: the confirm says its scans still count, and offers to withdraw them (off); 繼續盤點 backs out.
  await pageB.getByTestId('stock-leave').click();
  await expect(pageB.getByTestId('stock-cancel-confirm-form')).toContainText(`退出 ${docNo}？本機的掃描仍會計入`);
  await expect(pageB.getByTestId('stock-leave-withdraw')).not.toBeChecked();
  await pageB.getByTestId('stock-leave-withdraw').check();
  await expect(pageB.getByTestId('stock-cancel-confirm-form')).toContainText('撤回本機的掃描？');
  await pageB.getByTestId('stock-cancel-keep').click();
  await expect(pageB.getByTestId('stock-doc-status')).toHaveText('進行中');
  await pageB.getByTestId('stock-leave').click();
  await expect(pageB.getByTestId('stock-leave-withdraw')).not.toBeChecked();
  await expect(pageB.getByTestId('stock-cancel-confirm')).toBeFocused();
  await pageB.screenshot({ path: testInfo.outputPath('shared-count-leave-confirm-1024.png') });
  await pageB.keyboard.press('Enter');
  await expect(pageB.getByTestId('stock-doc-status')).toHaveText('已取消');
  await expect(pageB.getByTestId('stock-shared-left')).toHaveText('本機已退出此盤點 · 本機的掃描仍計入');
  await expect(pageB.getByTestId('stock-scan')).toHaveCount(0);

  // The cloud hears it through B's outbox, once; B's scan stays in the count.
  await syncNow(pageB);
  await expect(async () => {
    const rows = await cloud.query<{ left_scans: string | null; leaves: string }>(
      `SELECT p.left_scans,
              (SELECT count(*) FROM applied_mutation a WHERE a.register_id = p.register_id AND a.kind = 'count.leave') AS leaves
         FROM count_participant p JOIN count_session s ON s.session_id = p.session_id JOIN store st ON st.id = s.store_id
         JOIN register r ON r.id = p.register_id
        WHERE st.code = 'MK03' AND s.doc_no = $1 AND r.code = '02'`,
      [docNo],
    );
    expect(rows).toEqual([{ left_scans: 'kept', leaves: '1' }]);
  }).toPass({ timeout: 60_000 });

  // A: opening the count asks the cloud; B shows as left, its scan still counted, in the head and in the variance.
  await page.bringToFront();
  await stockTab(page, 'count');
  await page.getByTestId(`stock-open-${docNo}`).click();
  await expect(page.getByTestId('stock-shared-participant-left-02')).toHaveText('收銀機 02 已退出 · 1 次掃描仍計入');
  await page.getByTestId('stock-variance-button').click();
  await expect(page.getByTestId('stock-participant-02')).toHaveText('收銀機 02 已退出 · 1 次掃描仍計入');
  await expect(page.getByTestId('stock-variance-DRI-0001')).toHaveText(/DRI-0001港式奶茶123-9/);
  await page.screenshot({ path: testInfo.outputPath('shared-count-left-seen-by-opener-1024.png') });

  // Head office: 庫存 › 多機盤點 shows register 02 left, its scans still counted.
  const password = await cloud.createUser('owner-mk03@suanpan.hk', 'owner');
  const hq = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-HK', timezoneId: 'Asia/Hong_Kong' });
  await hqLogin(hq, cloud, 'owner-mk03@suanpan.hk', password);
  await hq.getByTestId('nav-stock').click();
  await hq.getByTestId('stock-tab-counts').click();
  const row = hq.locator('[data-testid="count-session-table"] tr', { hasText: 'MK03' });
  await expect(row.getByTestId('count-session-left-02')).toContainText('已退出 · 掃描仍計入');
  await expect(row.getByTestId('count-session-register-02')).toContainText('02: 1 / 1 / 3');
  await hq.screenshot({ path: testInfo.outputPath('shared-count-left-console.png') });
  await hq.close();
  await pageB.close();
});

test('a shared count whose post the cloud refuses shows on the status bar, with the reason in 雲端同步, until a manager dismisses it', async ({
  page,
  register,
  registerB,
}, testInfo) => {
  test.setTimeout(300_000);
  const pageB = await storeWithTwoRegisters(page, { a: register, b: registerB }, 'MK04', '算盤士多 油麻地店', 'Suanpan Store Yau Ma Tei');
  const docNo = await openAndJoin(page, pageB, '2', WATER);
  await pageB.close();
  // another stock document of the store took the count's id in the cloud (the rare case COUNT_ID_TAKEN names)
  await cloud.query(
    `INSERT INTO stock_document (doc_id, merchant_id, store_id, kind, doc_no, parts, posted_at, received_at)
     SELECT s.session_id, s.merchant_id, s.store_id, 'adjust', 'ADJ-TAKEN', 1, now(), now()
       FROM count_session s JOIN store st ON st.id = s.store_id WHERE st.code = 'MK04' AND s.doc_no = $1`,
    [docNo],
  );

  // A posts: refused, and the refusal stays on the status bar
  await page.bringToFront();
  await stockTab(page, 'count');
  await page.getByTestId(`stock-open-${docNo}`).click();
  await page.getByTestId('stock-scan').focus();
  await page.keyboard.press('F12');
  await expect(page.getByTestId('stock-post-confirm')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(async () => {
    if (await page.getByTestId('stock-post-confirm').isVisible()) await page.getByTestId('stock-post-confirm').click();
    await expect(page.getByTestId('stock-error')).toContainText('其編號已被另一張庫存單據使用', { timeout: 2_000 });
  }).toPass({ timeout: 60_000 });
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-attention', 'counts-refused');
  await expect(page.getByTestId('sync-status')).toContainText('雲端拒絕盤點');
  await page.getByTestId('back-office-tab-sync').click();
  await expect(page.getByTestId('sync-refused-count')).toContainText(docNo);
  await expect(page.getByTestId('sync-refused-count')).toContainText('其編號已被另一張庫存單據使用');
  await page.screenshot({ path: testInfo.outputPath('shared-count-refused-1024.png') });

  // A's manager has seen it: dismissed, the status bar is back to normal
  await page.getByTestId('sync-dismiss-count').click();
  await expect(page.getByTestId('sync-refused-count')).toHaveCount(0);
  await expect(page.getByTestId('sync-status')).not.toHaveAttribute('data-attention', 'counts-refused');
});
