/**
 * Points and store credit as tenders, end to end (issue 13): the real built cloud on its own
 * PostgreSQL database, a member with a balance made by the admin CLI, a kiosk host enrolled through
 * the back office with its receipt printer on the emulator. The cashier puts the member on the
 * sale, pays with points + store credit + cash on the payment screen; the printed receipt (decoded
 * from the emulator's bytes) shows the points used, the credit used and the balances, and the
 * cloud's ledger holds the new balances.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { startPrinterEmulator, type PrinterEmulator } from '../../drivers/emulators';
import { startCloudServer, type CloudServer } from '../support/cloud-server';
import { startServe, stopServe, type ServeProcess } from '../support/serve-process';
import { expect, test } from './fixtures';
import { TEXT_FIT_PROBE } from './text-fit';
import { loginAs, tillReady, wedgeScan, wedgeScanShifted, MILK_TEA } from './till-steps';

const run = promisify(execFile);
const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const PRODUCTS = [{ sku: 'DRI-0001', nameZh: '港式奶茶', nameEn: 'HK Milk Tea', barcodes: ['4891234000012'], price: 1800 }];

let databaseUrl = '';
let dbName = '';
let cloudServer: CloudServer | null = null;
let host: { serve: ServeProcess; dir: string } | null = null;
let printer: PrinterEmulator | null = null;
let admin: (...args: string[]) => Promise<string>;
/** A gift card head office issued (not sold yet), as printed: `9812 3456 …`. */
let giftCode = '';

test.describe.configure({ timeout: 300_000 });

test.beforeAll(async () => {
  test.setTimeout(300_000);
  dbName = `suanpan_e2e_sv_${randomBytes(5).toString('hex')}`;
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  await client.query(`CREATE DATABASE ${dbName}`);
  await client.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${dbName}`;
  databaseUrl = url.toString();
  const env = { ...process.env, DATABASE_URL: databaseUrl };
  admin = async (...args: string[]) =>
    (await run(process.execPath, [join('dist', 'cloud', 'admin.js'), ...args], { env, timeout: 120_000 })).stdout.trim();
  await admin('create-merchant', '算盤士多');
  await admin('create-store', '算盤士多', 'MK01', '算盤士多 旺角店', 'Suanpan Store Mong Kok');
  await admin('upsert-product', JSON.stringify(PRODUCTS));
  await admin('upsert-member', JSON.stringify({ code: 'M00000088', name: '陳大文', phone: '9123 8888', tier: 'standard' }));
  await admin('adjust-balance', 'M00000088', 'points', '1500', '--reason', 'opening', '--ref', 'e2e-points');
  await admin('adjust-balance', 'M00000088', 'credit', '1000', '--reason', 'opening', '--ref', 'e2e-credit');
  giftCode = (JSON.parse(await admin('issue-gift-cards', '1', '--batch', 'e2e')) as { cards: { code: string }[] }).cards[0]!.code;
  // the member bought online too: the till's member panel lists that order (網店) with this store's sales
  await admin(
    'record-online-order',
    JSON.stringify({
      orderNo: 'WEB-1001',
      store: 'MK01',
      lines: [{ sku: 'DRI-0001', quantity: 2, unitPrice: 1800 }],
      member: { code: 'M00000088' },
    }),
  );
  cloudServer = await startCloudServer(join('dist', 'cloud', 'server.js'), databaseUrl, { boundMs: 120_000 });
  printer = await startPrinterEmulator();
  const dir = mkdtempSync(join(tmpdir(), 'suanpan-e2e-sv-'));
  host = { serve: await startServe(['--data-dir', dir, '--port', '0', '--demo', '--printer', printer.uri]), dir };
});

test.afterAll(async () => {
  test.setTimeout(120_000);
  if (host) {
    await stopServe(host.serve);
    rmSync(host.dir, { recursive: true, force: true });
  }
  await printer?.stop();
  await cloudServer?.stop();
  const drop = new pg.Client({ connectionString: ADMIN_URL });
  await drop.connect();
  await drop.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await drop.end();
});

async function cloudCard(): Promise<{ status: string; balance: number }> {
  const card = JSON.parse(await admin('gift-card', giftCode)) as { status: string; balance: number; entries: { amount: number }[] };
  // the balance is the sum of the card's ledger rows
  expect(card.entries.reduce((sum, e) => sum + e.amount, 0)).toBe(card.balance);
  return { status: card.status, balance: card.balance };
}

/** The printed receipt of `receiptNo`, decoded from the emulator's bytes. */
async function paperOf(receiptNo: string): Promise<string> {
  await expect.poll(() => printer!.printedJobs().filter((j) => j.transcript.includes(receiptNo)).length).toBe(1);
  return printer!.printedJobs().find((j) => j.transcript.includes(receiptNo))!.transcript;
}

async function cloudBalances(): Promise<Record<string, number>> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const rows = (
      await db.query<{ kind: string; balance: string }>(
        `SELECT a.kind, (SELECT balance_after FROM ledger_entry WHERE account_id = a.id ORDER BY id DESC LIMIT 1) AS balance
         FROM ledger_account a JOIN member m ON m.id = a.member_id WHERE m.code = 'M00000088'`,
      )
    ).rows;
    return Object.fromEntries(rows.map((r) => [r.kind, Number(r.balance)]));
  } finally {
    await db.end();
  }
}

test('a gift card is sold; a member pays with points + store credit + the card + cash; the printed receipt and the cloud show the balances; the return pays the card back', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.goto(host!.serve.url);
  await loginAs(page, 3, '9999');
  await page.getByTestId('action-back-office').click();
  await page.getByTestId('back-office-tab-sync').click();
  await page.getByTestId('sync-cloud-url').fill(cloudServer!.url);
  await page.getByTestId('sync-code').fill(await admin('enrol-code', 'MK01'));
  await page.getByTestId('sync-enrol').click();
  await expect(page.getByTestId('sync-state')).toHaveAttribute('data-state', 'online');
  await page.keyboard.press('F11');
  await tillReady(page);

  // ⇧F9 禮品卡: the card head office issued is found once the register pulled it, and sold for HK$200
  const digits = giftCode.replace(/ /g, '');
  await expect(async () => {
    await page.keyboard.press('Shift+F9');
    await page.getByTestId('gift-card-query').fill(giftCode);
    await page.getByTestId('gift-card-query').press('Enter');
    await expect(page.getByTestId('gift-card-sell')).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  await expect(page.getByTestId('gift-card-masked')).toHaveText(`禮品卡 **** ${digits.slice(-4)}`);
  await expect(page.getByTestId('gift-card-status')).toHaveText('未售出（可出售）');
  for (const width of [1024, 1366]) {
    await page.setViewportSize({ width, height: 768 });
    await page.waitForFunction(() => true, undefined, { polling: 'raf' });
    expect.soft(await page.evaluate(TEXT_FIT_PROBE), `the gift card dialog at ${width}×768`).toEqual([]);
    await page.screenshot({ path: `test-results/screens/${width}x768/dialog-gift-card-sell.png` });
  }
  await page.getByTestId('gift-card-value-20000').click();
  await expect(page.getByTestId('dialog-gift-card')).toHaveCount(0);
  await expect(page.getByTestId('cart-total')).toHaveText('HK$200.00');
  await page.getByTestId('action-pay').click();
  await page.getByTestId('tender-cash').click();
  await page.getByTestId('pay-remaining').click();
  await page.getByTestId('pay-complete').click();
  await expect(page.getByTestId('receipt-preview')).toBeVisible({ timeout: 15_000 });
  const soldNo = (await page.getByTestId('receipt-number').textContent()) ?? '';
  const soldPaper = await paperOf(soldNo);
  expect(soldPaper).toContain(`禮品卡 Gift card **** ${digits.slice(-4)}`);
  expect(soldPaper).toMatch(/禮品卡結餘 Card balance\s+HK\$200\.00/);
  expect(soldPaper).not.toContain(digits);
  await expect.poll(cloudCard, { timeout: 30_000 }).toEqual({ status: 'active', balance: 20_000 });
  // the same card again: sold already, said in Chinese
  await page.keyboard.press('Shift+F9');
  await page.getByTestId('gift-card-query').fill(giftCode);
  await page.getByTestId('gift-card-query').press('Enter');
  await expect(page.getByTestId('gift-card-status')).toHaveText('已啟用');
  await expect(page.getByTestId('gift-card-balance')).toHaveText('HK$200.00');
  await page.getByTestId('gift-card-query').fill(`${digits.slice(0, -1)}${(Number(digits.at(-1)) + 1) % 10}`);
  await page.getByTestId('gift-card-query').press('Enter');
  await expect(page.getByTestId('gift-card-problem')).toHaveText('不是禮品卡號碼（應為 19 位數字，校驗碼不符）：請再掃描或核對號碼');
  for (const width of [1024, 1366]) {
    await page.setViewportSize({ width, height: 768 });
    await page.waitForFunction(() => true, undefined, { polling: 'raf' });
    expect.soft(await page.evaluate(TEXT_FIT_PROBE), `the gift card dialog's refusal at ${width}×768`).toEqual([]);
    await page.screenshot({ path: `test-results/screens/${width}x768/dialog-gift-card-invalid.png` });
  }
  await page.keyboard.press('Escape');
  await page.getByTestId('next-customer').click();

  // two milk teas, HK$27.00 (第二杯半價); the member from the pulled list (by phone)
  await wedgeScan(page, MILK_TEA);
  await wedgeScan(page, MILK_TEA);
  await expect(page.getByTestId('cart-total')).toHaveText('HK$27.00');
  await expect(async () => {
    await page.keyboard.press('F8');
    await page.getByTestId('member-query').fill('9123 8888');
    await page.getByTestId('member-query').press('Enter');
    await expect(page.getByTestId('member-found')).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  // the history is the cloud's: the online shop's order is listed, labelled 網店
  const online = page.locator('[data-testid="member-history-row"][data-channel="online"]');
  await expect(online).toHaveCount(1, { timeout: 15_000 });
  await expect(online).toContainText('網店');
  await expect(online).toContainText('WEB-1001');
  await expect(online).toContainText('HK$36.00');
  await expect(page.getByTestId('member-history-local')).toHaveCount(0);
  for (const width of [1024, 1366]) {
    await page.setViewportSize({ width, height: 768 });
    await page.waitForFunction(() => true, undefined, { polling: 'raf' });
    expect.soft(await page.evaluate(TEXT_FIT_PROBE), `the member dialog with its history at ${width}×768`).toEqual([]);
    await page.screenshot({ path: `test-results/screens/${width}x768/dialog-member-history.png` });
  }
  await page.getByTestId('member-query').press('Enter');
  await expect(page.getByTestId('member-strip-name')).toHaveText('陳大文');

  // the payment screen shows what the points and the credit can pay
  await page.getByTestId('action-pay').click();
  await expect(page.getByTestId('stored-value')).toBeVisible();
  await expect(page.getByTestId('stored-value-points')).toHaveText('1,500 分 = HK$15.00');
  await expect(page.getByTestId('stored-value-credit')).toHaveText('HK$10.00');
  for (const width of [1024, 1366]) {
    await page.setViewportSize({ width, height: 768 });
    await page.waitForFunction(() => true, undefined, { polling: 'raf' });
    expect.soft(await page.evaluate(TEXT_FIT_PROBE), `the payment screen with stored value at ${width}×768`).toEqual([]);
    await page.screenshot({ path: `test-results/screens/${width}x768/payment-stored-value.png` });
  }

  // HK$10.00 of points (1,000 points), the credit's default (all of it: HK$10.00), the rest in cash
  await page.getByTestId('tender-member-points').click();
  await page.getByTestId('tender-amount').fill('10');
  await page.getByTestId('tender-add').click();
  await expect(page.getByTestId('stored-value-points')).toHaveText('500 分 = HK$5.00'); // what this sale leaves
  await page.getByTestId('tender-member-credit').click();
  await expect(page.getByTestId('tender-amount')).toHaveValue('10');
  // more credit than the account holds is refused on the screen, with what is available
  await page.getByTestId('tender-amount').fill('11');
  await page.getByTestId('tender-add').click();
  await expect(page.getByTestId('pay-error')).toHaveText('多於會員結餘：最多 HK$10.00');
  await page.getByTestId('tender-amount').fill('10');
  await page.getByTestId('tender-add').click();
  await expect(page.getByTestId('tender-line-1')).toContainText('HK$10.00');
  // the credit is used up: its button is off
  await expect(page.getByTestId('tender-member-credit')).toBeDisabled();
  // the gift card scanned (whatever has focus) pays the HK$7.00 left: HK$193.00 stays on it
  await wedgeScanShifted(page, `GC:${digits}`);
  await expect(page.getByTestId('tender-line-2')).toContainText(`**** ${digits.slice(-4)}`);
  await expect(page.getByTestId('tender-line-2')).toContainText('HK$7.00');
  await page.screenshot({ path: 'test-results/screens/1366x768/payment-stored-value-tenders.png' });
  await page.getByTestId('pay-complete').click();

  // The on-screen receipt gives way to the paper itself (decoded from the printer's bytes) once it is
  // printed, so the figures are read from the paper. The completion asks the cloud for each account
  // first (2 s bound each), hence the longer wait.
  await expect(page.getByTestId('receipt-preview')).toBeVisible({ timeout: 15_000 });
  const receiptNo = (await page.getByTestId('receipt-number').textContent()) ?? '';
  const paper = await paperOf(receiptNo);
  expect(paper).toContain('積分 Points');
  expect(paper).toContain('1,000 分 points');
  expect(paper).toContain('已用積分 Points used');
  expect(paper).toContain('已用儲值額 Credit used');
  expect(paper).toMatch(/積分結餘 Points balance\s+527/); // 1,500 − 1,000 + 27 earned
  expect(paper).toMatch(/儲值額結餘 Credit balance\s+HK\$0\.00/);
  expect(paper).toContain('禮品卡 Gift card');
  expect(paper).toMatch(/禮品卡結餘 Card balance\s+HK\$193\.00/);
  expect(paper).not.toContain(digits);

  // the cloud took both under the account's lock; the synced document adds the points earned, nothing twice
  await expect.poll(cloudBalances, { timeout: 30_000 }).toEqual({ points: 527, credit: 0 });
  await expect.poll(cloudCard, { timeout: 30_000 }).toEqual({ status: 'active', balance: 19_300 });

  // the return: one tea back (HK$13.50 of the two's HK$27.00), the card's HK$7.00 back onto it, the rest in cash
  await page.getByTestId('next-customer').click();
  await page.getByTestId('action-return').click();
  await page.getByTestId('return-receipt-input').fill(receiptNo);
  await page.getByTestId('return-receipt-input').press('Enter');
  await page.locator('[data-testid^="return-line-"]').first().click();
  await page.locator('[data-testid^="return-qty-"]').first().fill('1');
  await page.getByTestId('return-add').click();
  await page.getByTestId('action-pay').click();
  await expect(page.getByTestId('tender-gift-card-refund')).toBeVisible();
  await page.getByTestId('tender-amount').fill('7');
  await page.getByTestId('tender-gift-card-refund').click();
  await expect(page.getByTestId('tender-line-0')).toContainText('HK$7.00');
  for (const width of [1024, 1366]) {
    await page.setViewportSize({ width, height: 768 });
    await page.waitForFunction(() => true, undefined, { polling: 'raf' });
    expect.soft(await page.evaluate(TEXT_FIT_PROBE), `the refund to the gift card at ${width}×768`).toEqual([]);
    await page.screenshot({ path: `test-results/screens/${width}x768/payment-gift-card-refund.png` });
  }
  await page.getByTestId('tender-cash').click();
  await page.getByTestId('pay-remaining').click();
  await page.getByTestId('pay-complete').click();
  await expect(page.getByTestId('receipt-preview')).toBeVisible({ timeout: 15_000 });
  const returnNo = (await page.getByTestId('receipt-number').textContent()) ?? '';
  const returnPaper = await paperOf(returnNo);
  expect(returnPaper).toMatch(/禮品卡結餘 Card balance\s+HK\$200\.00/);
  await expect.poll(cloudCard, { timeout: 30_000 }).toEqual({ status: 'active', balance: 20_000 });
});
