/**
 * Enrolment and sync end to end: the real built cloud (dist/cloud/server.js) on its own
 * PostgreSQL database, a store and an enrolment code made with the admin CLI, enrolment typed into
 * the back office, a sale at the till, and the sale in PostgreSQL with the status bar at 0 pending.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from '@playwright/test';
import pg from 'pg';
import { startCloudServer } from '../support/cloud-server';
import { test, expect } from './fixtures';
import { PINEAPPLE_BUN, loginAs, sellOneForCash } from './till-steps';

const run = promisify(execFile);
const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const MILK_TEA = '4891234000012'; // 港式奶茶 HK$18.00, SKU DRI-0001

interface Cloud {
  url: string;
  databaseUrl: string;
  admin(...args: string[]): Promise<string>;
  stop(): Promise<void>;
}

/** IT opens 雲端同步 in the back office (from the till, logged in). */
async function openCloudSync(page: Page): Promise<void> {
  await page.getByTestId('action-back-office').click();
  await page.getByTestId('back-office-tab-sync').click();
}

/** IT types the cloud's address and a code in 雲端同步 and presses 登記. */
async function tryEnrolment(page: Page, cloudUrl: string, code: string): Promise<void> {
  await page.getByTestId('sync-cloud-url').fill(cloudUrl);
  await page.getByTestId('sync-code').fill(code);
  await page.getByTestId('sync-enrol').click();
}

async function startCloud(): Promise<Cloud> {
  const name = `suanpan_e2e_${randomBytes(5).toString('hex')}`;
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const env = { ...process.env, DATABASE_URL: databaseUrl };
  const admin = async (...args: string[]) =>
    (await run(process.execPath, [join('dist', 'cloud', 'admin.js'), ...args], { env, timeout: 60_000 })).stdout.trim();
  // The admin CLI migrates the new database before its first command.
  await admin('create-merchant', 'E2E');
  // the spec's refused attempts and enrolments, all from 127.0.0.1 within a minute, are past the default burst of 5
  const server = await startCloudServer(join('dist', 'cloud', 'server.js'), databaseUrl, { enrolAttemptsPerMinute: 60 });
  return {
    url: server.url,
    databaseUrl,
    admin,
    async stop() {
      await server.stop();
      const drop = new pg.Client({ connectionString: ADMIN_URL });
      await drop.connect();
      await drop.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await drop.end();
    },
  };
}

let cloud: Cloud;
test.beforeAll(async () => {
  cloud = await startCloud();
});
test.afterAll(async () => {
  await cloud?.stop();
});

test('IT enrols the register in the back office; a sale reaches PostgreSQL and the status bar shows 0 pending', async ({
  page,
  register,
}) => {
  await cloud.admin('create-store', 'E2E', 'MK01', '算盤士多 旺角店', 'Suanpan Store Mong Kok');
  const dir = mkdtempSync(join(tmpdir(), 'suanpan-e2e-cloud-'));
  try {
    const products = join(dir, 'products.json');
    writeFileSync(
      products,
      JSON.stringify({ sku: 'DRI-0001', nameZh: '港式奶茶', nameEn: 'HK Milk Tea', barcodes: [MILK_TEA], price: 1800 }),
    );
    await cloud.admin('upsert-product', `@${products}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const code = await cloud.admin('enrol-code', 'MK01');

  await page.setViewportSize({ width: 1366, height: 768 });
  await page.goto(register.url);
  await loginAs(page, 3, '9999');
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'not-enrolled');

  await openCloudSync(page);
  await expect(page.getByTestId('sync-state')).toHaveAttribute('data-state', 'not-enrolled');
  await tryEnrolment(page, cloud.url, 'not-a-code');
  await expect(page.getByTestId('sync-error')).toContainText('雲端不認識此登記碼：請核對登記碼，或請總部發出新的登記碼');
  await page.screenshot({ path: 'test-results/screens/sync-enrol-form.png', fullPage: true });

  await page.getByTestId('sync-code').fill(code.toLowerCase());
  await page.getByTestId('sync-enrol').click();
  await expect(page.getByTestId('sync-store-register')).toHaveText('MK01 · 01');
  await expect(page.getByTestId('sync-state')).toHaveAttribute('data-state', 'online');
  await expect(page.getByTestId('sync-error')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/screens/sync-enrolled.png', fullPage: true });
  await page.keyboard.press('F11');

  // A sale at the till goes to the cloud by itself.
  await expect(page.getByTestId('scan-input')).toBeVisible();
  await page.getByTestId('scan-input').fill(MILK_TEA);
  await page.getByTestId('scan-input').press('Enter');
  await expect(page.getByTestId('cart-line-0')).toBeVisible();
  await page.getByTestId('action-pay').click();
  await page.getByTestId('tender-cash').click();
  await page.getByTestId('pay-remaining').click();
  await page.getByTestId('pay-complete').click();
  await expect(page.getByTestId('receipt-number')).toHaveText('MK01-01-000001');
  await page.getByTestId('next-customer').click();

  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-state', 'online');
  await expect(page.getByTestId('sync-pending')).toHaveText('0 待同步');
  const db = new pg.Client({ connectionString: cloud.databaseUrl });
  await db.connect();
  try {
    const sales = (
      await db.query<{ receipt_no: string; total: string }>("SELECT receipt_no, total::text FROM sale WHERE channel = 'register'")
    ).rows;
    expect(sales).toEqual([{ receipt_no: 'MK01-01-000001', total: '1800' }]);
  } finally {
    await db.end();
  }
  await page.screenshot({ path: 'test-results/screens/sync-status-bar.png' });

  // Head office revokes the register: it stops pushing, keeps the sale, and says why.
  const registers = JSON.parse(await cloud.admin('list-registers')) as { registerId: string }[];
  await cloud.admin('revoke-register', registers[0]?.registerId as string);
  await page.getByTestId('scan-input').fill(MILK_TEA);
  await page.getByTestId('scan-input').press('Enter');
  await page.getByTestId('action-pay').click();
  await page.getByTestId('tender-cash').click();
  await page.getByTestId('pay-remaining').click();
  await page.getByTestId('pay-complete').click();
  await page.getByTestId('next-customer').click();
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-attention', 'token-revoked');
  await expect(page.getByTestId('sync-status')).toContainText('總部已停用此收銀機');
  await expect(page.getByTestId('sync-pending')).toHaveText('1 待同步');
  await page.screenshot({ path: 'test-results/screens/sync-revoked-status-bar.png' });
  await openCloudSync(page);
  await expect(page.getByTestId('sync-attention')).toHaveAttribute('data-attention', 'token-revoked');
  // what to do in Chinese; the cloud's own words under it, labelled for IT
  await expect(page.getByTestId('sync-attention')).toContainText('以新登記碼重新登記後會上傳');
  await expect(page.getByTestId('sync-attention-detail')).toContainText('雲端回覆（供 IT 參考）：');
  await expect(page.getByTestId('sync-attention-detail').locator('[lang="en"]')).toContainText(/revoked/i);
  // 最近問題 in Chinese from the problem's code; the cloud's English only on its line for IT
  const problem = page.getByTestId('sync-last-problem');
  const problemDetail = page.getByTestId('sync-last-problem-detail');
  await expect(problem).toHaveAttribute('data-problem', 'token-revoked');
  await expect(problem).toContainText('總部已停用此收銀機：同步已停止');
  await expect(problemDetail).toContainText('雲端回覆（供 IT 參考）：');
  await expect(problemDetail.locator('[lang="en"]')).toContainText('TOKEN_REVOKED');
  expect((await problem.innerText()).replace(await problemDetail.innerText(), '')).not.toMatch(/[A-Za-z]/);
  await page.screenshot({ path: 'test-results/screens/sync-revoked.png', fullPage: true });
  for (const width of [1024, 1366]) {
    await page.setViewportSize({ width, height: 768 });
    await problem.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `test-results/screens/${width}x768/sync-last-problem.zh.png` });
  }
  await page.keyboard.press('F10');
  await expect(problem).toContainText('Head office revoked this register');
  await expect(problemDetail).toContainText('The cloud said (for IT): ');
  await problem.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/screens/1366x768/sync-last-problem.en.png' });
  await page.keyboard.press('F10');
});

test('a refused enrolment says in the reader’s language what happened and what IT does; the cloud’s words only labelled for IT', async ({
  page,
  register,
}) => {
  await cloud.admin('create-store', 'E2E', 'MK03', '算盤士多 荃灣店', 'Suanpan Store Tsuen Wan');
  // another register took the code first
  const code = await cloud.admin('enrol-code', 'MK03');
  const first = await fetch(`${cloud.url}/v1/enroll`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code }),
  });
  expect(first.status).toBe(201);

  await page.setViewportSize({ width: 1024, height: 768 });
  await page.goto(register.url);
  await loginAs(page, 3, '9999');
  await openCloudSync(page);
  await tryEnrolment(page, cloud.url, code);
  const error = page.getByTestId('sync-error');
  const detail = page.getByTestId('sync-error-detail');
  await expect(error).toContainText('此登記碼已使用過，不能再用：請總部發出新的登記碼');
  await expect(detail).toContainText('雲端回覆（供 IT 參考）：');
  await expect(detail.locator('[lang="en"]')).toHaveText('This enrolment code has already been used: ask head office for a new one');
  // no English sentence outside the labelled line
  expect((await error.innerText()).replace(await detail.innerText(), '')).not.toMatch(/[A-Za-z]/);
  await page.screenshot({ path: 'test-results/screens/1024x768/sync-enrol-refused.png', fullPage: true });

  // the console's address typed for the cloud's: not a Suanpan cloud, check the address
  await page.getByTestId('sync-cloud-url').fill(`${cloud.url}/hq`);
  await page.getByTestId('sync-enrol').click();
  await expect(error).toContainText('此網址有回應，但不是算盤雲端：請檢查雲端網址');
  await expect(detail).toContainText('此網址的回覆（供 IT 參考）：');
  await expect(detail.locator('[lang="en"]')).toContainText('404 NOT_FOUND: No route POST /hq/v1/enroll');
  await page.screenshot({ path: 'test-results/screens/1024x768/sync-enrol-not-suanpan.png', fullPage: true });

  await page.setViewportSize({ width: 1366, height: 768 });
  await page.getByTestId('sync-cloud-url').fill(cloud.url);
  await page.getByTestId('sync-enrol').click();
  await expect(error).toContainText('此登記碼已使用過');
  await page.keyboard.press('F10');
  await expect(error).toContainText('This enrolment code has already been used: ask head office for a new one');
  await expect(detail).toContainText('The cloud said (for IT): ');
  await page.screenshot({ path: 'test-results/screens/1366x768/sync-enrol-refused.en.png', fullPage: true });
  await expect(page.getByTestId('sync-state')).toHaveAttribute('data-state', 'not-enrolled');
});

test('a sale the cloud puts aside is listed in 雲端同步 with its number, what it is and why, in both languages', async ({
  page,
  register,
}) => {
  // this cloud's catalogue has no 菠蘿包: the sale is quarantined UNKNOWN_SKU, the queue goes on
  await cloud.admin('create-store', 'E2E', 'MK02', '算盤士多 觀塘店', 'Suanpan Store Kwun Tong');
  const code = await cloud.admin('enrol-code', 'MK02');
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.goto(register.url);
  await loginAs(page, 3, '9999');
  await openCloudSync(page);
  await tryEnrolment(page, cloud.url, code);
  await expect(page.getByTestId('sync-state')).toHaveAttribute('data-state', 'online');
  await page.keyboard.press('F11');

  await sellOneForCash(page, PINEAPPLE_BUN);
  await expect(page.getByTestId('receipt-number')).toHaveText('MK02-01-000001');
  await page.getByTestId('next-customer').click();
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-attention', 'quarantine');

  await openCloudSync(page);
  const listed = page.getByTestId('sync-quarantined-document');
  await expect(listed).toHaveCount(1);
  await expect(listed).toHaveAttribute('data-reason', 'UNKNOWN_SKU');
  await expect(listed).toHaveText('MK02-01-000001 · 銷售 · 貨號不在貨品目錄');
  // the attention says it in Chinese only: no English line under it
  await expect(page.getByTestId('sync-attention')).not.toContainText('document(s)');
  for (const [width, height] of [
    [1024, 768],
    [1366, 768],
  ] as const) {
    await page.setViewportSize({ width, height });
    await page.screenshot({ path: `test-results/screens/${width}x${height}/sync-quarantined.png`, fullPage: true });
  }
  await page.keyboard.press('F10');
  await expect(listed).toHaveText('MK02-01-000001 · Sale · Unknown SKU');
  await page.screenshot({ path: 'test-results/screens/1366x768/sync-quarantined.en.png', fullPage: true });

  // a manager has told head office: 知道了 clears the list
  await page.getByTestId('sync-acknowledge').click();
  await expect(page.getByTestId('sync-attention')).toHaveCount(0);
  await expect(listed).toHaveCount(0);
});
