/**
 * The head office console's catalogue import and mall turnover export in Chromium, against the
 * real built cloud and PostgreSQL: an owner uploads a 2,000-row CSV (the progress bar shows; the
 * dry run refuses the one bad row and applies nothing), uploads the corrected file and applies it
 * (the new price is in the change feed registers pull); then sets up a store's mall export from
 * the fixed-width example, sends a day's file, and the test reads the downloaded and written bytes.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toCsv, type CsvCell } from '../../src/shared/csv';
import { test, expect } from './fixtures';
import { hqLogin, startHqCloud, type HqCloud } from './hq-steps';

let cloud: HqCloud;
let folder: string;
let password: string;
test.beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'suanpan-e2e-mall-'));
  // The built server writes mall files under MALL_EXPORT_DIR (startHqCloud passes this process's environment on).
  process.env.MALL_EXPORT_DIR = folder;
  cloud = await startHqCloud();
  await cloud.admin('create-store', '算盤士多', 'MK01', '旺角店', 'Mong Kok');
  await cloud.admin(
    'upsert-product',
    JSON.stringify({ sku: 'DRI-0001', nameZh: '港式奶茶', nameEn: 'HK milk tea', barcodes: ['4891234000012'], price: 1800 }),
  );
  password = await cloud.createUser('owner@suanpan.hk', 'owner', '--name', '陳大文');
});
test.afterAll(async () => {
  await cloud?.stop();
  delete process.env.MALL_EXPORT_DIR;
  rmSync(folder, { recursive: true, force: true });
});

function catalogue(badPrice: boolean): string {
  const rows: CsvCell[][] = [['sku', 'name_zh', 'name_en', 'category', 'active', 'barcodes', 'price_hkd']];
  rows.push(['DRI-0001', '港式奶茶', 'HK milk tea', 'DRINK', 1, '4891234000012', { cents: 1990 }]);
  for (let i = 1; i < 2_000; i += 1) {
    rows.push([
      `SNK-${String(i).padStart(5, '0')}`,
      `零食 ${i}`,
      `Snack ${i}`,
      'SNACK',
      1,
      `69${String(i).padStart(11, '0')}`,
      { cents: 500 + i },
    ]);
  }
  if (badPrice) rows[1_000]![6] = 'abc';
  return toCsv(rows);
}

test('an owner imports a 2,000-row CSV: the bad row is refused in the dry run, the corrected file applies and reaches the feed', async ({
  page,
}) => {
  const dir = mkdtempSync(join(tmpdir(), 'suanpan-e2e-csv-'));
  try {
    writeFileSync(join(dir, 'products-bad.csv'), catalogue(true));
    writeFileSync(join(dir, 'products.csv'), catalogue(false));
    await hqLogin(page, cloud, 'owner@suanpan.hk', password);
    await page.getByTestId('nav-import').click();
    await expect(page.getByTestId('page-import')).toBeVisible();

    // The upload is held until the progress bar has been seen, so the check below cannot race it.
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route('**/hq/api/imports/*/chunks', async (route) => {
      await held;
      await route.continue();
    });
    await page.getByTestId('import-file').setInputFiles(join(dir, 'products-bad.csv'));
    await page.getByTestId('import-check').click();
    await expect(page.getByTestId('import-progress')).toBeVisible();
    await expect(page.getByTestId('import-progress')).toHaveAttribute('data-phase', 'uploading');
    release();
    await expect(page.getByTestId('import-bad-count')).toContainText('1 個錯誤');
    await expect(page.getByTestId('import-error-row-1001')).toContainText('售價「abc」不是金額，例如 18.50');
    await expect(page.getByTestId('import-error-row-1001')).toContainText('price_hkd');
    await expect(page.getByTestId('import-apply')).toHaveCount(0);
    const untouched = await cloud.query<{ n: number }>("SELECT count(*)::int AS n FROM product WHERE sku LIKE 'SNK-%'");
    expect(untouched[0]?.n).toBe(0);

    await page.unroute('**/hq/api/imports/*/chunks');
    await page.getByTestId('import-file').setInputFiles(join(dir, 'products.csv'));
    await page.getByTestId('import-check').click();
    await expect(page.getByTestId('import-summary')).toContainText('新增 1999 件、修改 1 件、不變 0 件、改價 2000 件');
    await page.getByTestId('import-apply').click();
    await expect(page.getByTestId('import-applied')).toContainText('已套用：新增 1999、修改 1、改價 2000');

    const feed = await cloud.query<{ data: { sku: string; price: number } }>(
      "SELECT data FROM change_log WHERE entity = 'price' AND data->>'sku' = 'DRI-0001' ORDER BY version DESC LIMIT 1",
    );
    expect(feed[0]?.data).toMatchObject({ sku: 'DRI-0001', price: 1990 });
    const products = await cloud.query<{ n: number }>("SELECT count(*)::int AS n FROM product WHERE sku LIKE 'SNK-%'");
    expect(products[0]?.n).toBe(1_999);
    const audit = await cloud.query<{ user_email: string; target: string }>(
      "SELECT user_email, target FROM hq_audit WHERE action = 'catalogue.import'",
    );
    expect(audit).toEqual([{ user_email: 'owner@suanpan.hk', target: 'products.csv' }]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an owner sets up the fixed-width mall file for a store, sends a day, and the file’s bytes are the template’s', async ({ page }) => {
  await hqLogin(page, cloud, 'owner@suanpan.hk', password);
  await page.getByTestId('nav-mall').click();
  await expect(page.getByTestId('page-mall')).toBeVisible();
  await page.getByTestId('mall-store-MK01').click();
  await page.getByTestId('mall-tenant').fill('T0001');
  await page.getByTestId('mall-example').selectOption('fixed-daily');
  await expect(page.getByTestId('mall-granularity')).toHaveValue('daily');
  await page.getByTestId('mall-save').click();
  await expect(page.getByTestId('mall-note')).toHaveText('已儲存');

  await page.getByTestId('mall-day').fill('30/11/2026');
  await page.getByTestId('mall-preview').click();
  await expect(page.getByTestId('mall-preview-text')).toContainText('DT0001     20261130');
  await page.getByTestId('mall-run').click();
  await expect(page.getByTestId('mall-note')).toHaveText('已傳送 T000120261130.TXT');

  const [entry] = await cloud.query<{ id: number }>('SELECT id FROM mall_export_log ORDER BY id DESC LIMIT 1');
  const download = page.waitForEvent('download');
  await page.getByTestId(`mall-log-file-${entry!.id}`).click();
  const bytes = readFileSync((await (await download).path())!);
  const lines = bytes.toString('latin1').split('\r\n');
  expect(lines[0]).toMatch(/^HT0001 {5}20261130\d{14}$/);
  expect(lines.slice(1)).toEqual([`DT0001     20261130${'0'.repeat(48)}000000`, `T000001${'0'.repeat(14)}`, '']);
  expect(readFileSync(join(folder, 'MK01', 'T000120261130.TXT'))).toEqual(bytes);
  await expect(page.getByTestId(`mall-log-status-${entry!.id}`)).toHaveText('已傳送');
});
