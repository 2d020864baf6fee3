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
import { loginAs, tillReady, wedgeScan, MILK_TEA } from './till-steps';

const run = promisify(execFile);
const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const PRODUCTS = [{ sku: 'DRI-0001', nameZh: '港式奶茶', nameEn: 'HK Milk Tea', barcodes: ['4891234000012'], price: 1800 }];

let databaseUrl = '';
let dbName = '';
let cloudServer: CloudServer | null = null;
let host: { serve: ServeProcess; dir: string } | null = null;
let printer: PrinterEmulator | null = null;
let admin: (...args: string[]) => Promise<string>;

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

test('a member pays with points + store credit + cash; the printed receipt and the cloud show the balances', async ({ page }) => {
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
  await page.getByTestId('tender-cash').click();
  await page.getByTestId('pay-remaining').click();
  await page.screenshot({ path: 'test-results/screens/1366x768/payment-stored-value-tenders.png' });
  await page.getByTestId('pay-complete').click();

  // The on-screen receipt gives way to the paper itself (decoded from the printer's bytes) once it is
  // printed, so the figures are read from the paper. The completion asks the cloud for each account
  // first (2 s bound each), hence the longer wait.
  await expect(page.getByTestId('receipt-preview')).toBeVisible({ timeout: 15_000 });
  const receiptNo = (await page.getByTestId('receipt-number').textContent()) ?? '';
  await expect.poll(() => printer!.printedJobs().filter((j) => j.transcript.includes(receiptNo)).length).toBe(1);
  const paper = printer!.printedJobs().find((j) => j.transcript.includes(receiptNo))!.transcript;
  expect(paper).toContain('積分 Points');
  expect(paper).toContain('1,000 分 points');
  expect(paper).toContain('已用積分 Points used');
  expect(paper).toContain('已用儲值額 Credit used');
  expect(paper).toMatch(/積分結餘 Points balance\s+527/); // 1,500 − 1,000 + 27 earned
  expect(paper).toMatch(/儲值額結餘 Credit balance\s+HK\$0\.00/);

  // the cloud took both under the account's lock; the synced document adds the points earned, nothing twice
  await expect.poll(cloudBalances, { timeout: 30_000 }).toEqual({ points: 527, credit: 0 });
});
