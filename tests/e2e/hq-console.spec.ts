/**
 * The head office console in Chromium against the real built cloud and PostgreSQL: the first
 * owner made with the CLI logs in and turns on TOTP, then logs in with it; a guessed password
 * locks the account (the right one is refused while it is locked); a price edited in the
 * console reaches the registers' change feed and the audit trail; a viewer sees no edit controls
 * and the API refuses their write.
 */
import { test, expect } from './fixtures';
import { totpCode, totpStep } from '../../cloud/hq/totp';
import { hqApi, hqLogin, startHqCloud, type HqCloud } from './hq-steps';

let cloud: HqCloud;
test.beforeAll(async () => {
  cloud = await startHqCloud();
  await cloud.admin('create-store', '算盤士多', 'MK01', '旺角店', 'Mong Kok');
  await cloud.admin('create-store', '算盤士多', 'TST01', '尖沙咀店', 'Tsim Sha Tsui');
  await cloud.admin(
    'upsert-product',
    JSON.stringify({ sku: 'DRI-0001', nameZh: '港式奶茶', nameEn: 'HK milk tea', barcodes: ['4891234000012'], price: 1800 }),
  );
});
test.afterAll(async () => {
  await cloud?.stop();
});

test('the first owner logs in, turns on TOTP, and from then on logs in with the code', async ({ page }) => {
  const password = await cloud.createUser('owner@suanpan.hk', 'owner', '--name', '陳大文');
  await hqLogin(page, cloud, 'owner@suanpan.hk', password);
  await expect(page.getByTestId('page-dashboard')).toBeVisible();
  await expect(page.getByTestId('dash-store-MK01')).toBeVisible();

  await page.getByTestId('nav-account').click();
  await page.getByTestId('totp-start').click();
  const secret = (await page.getByTestId('totp-secret').textContent())!.trim();
  await page.getByTestId('totp-code').fill(totpCode(secret, totpStep(Date.now())));
  await page.getByTestId('totp-code').press('Enter');
  await expect(page.getByTestId('account-totp')).toHaveText('已啟用');

  await page.getByTestId('hq-logout').click();
  await expect(page.getByTestId('login-form')).toBeVisible();
  // The code used to turn it on is spent: the next step's code logs in.
  await hqLogin(page, cloud, 'owner@suanpan.hk', password, () => totpCode(secret, totpStep(Date.now()) + 1));
  await expect(page.getByTestId('hq-user')).toContainText('陳大文');
  const cookies = await page.context().cookies();
  expect(cookies.find((c) => c.name === '__Host-suanpan-hq')).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict' });
});

test('five wrong passwords lock the account; the right one is refused while it is locked', async ({ page }) => {
  const password = await cloud.createUser('manager@suanpan.hk', 'hq_manager');
  await page.goto(`${cloud.url}/hq/`);
  for (let i = 1; i <= 5; i += 1) {
    await page.getByTestId('login-email').fill('manager@suanpan.hk');
    await page.getByTestId('login-password').fill(`wrong-${i}`);
    const answered = page.waitForResponse('**/hq/api/login');
    await page.getByTestId('login-password').press('Enter');
    expect((await answered).status()).toBe(i < 5 ? 401 : 423);
    await expect(page.getByTestId('login-error')).toHaveText(i < 5 ? '電郵或密碼不正確' : /帳戶已暫時鎖定/);
  }
  await page.getByTestId('login-password').fill(password);
  const answered = page.waitForResponse('**/hq/api/login');
  await page.getByTestId('login-password').press('Enter');
  expect((await answered).status()).toBe(423);
  await expect(page.getByTestId('login-error')).toHaveText(/帳戶已暫時鎖定/);
  await expect(page.getByTestId('hq-user')).toHaveCount(0);
  const [row] = await cloud.query<{ failed_attempts: number; locked: boolean }>(
    "SELECT failed_attempts, locked_until > now() AS locked FROM hq_user WHERE email = 'manager@suanpan.hk'",
  );
  expect(row).toMatchObject({ failed_attempts: 6, locked: true });
});

test('a manager changes a price: it is in the change feed registers pull, and in the audit trail', async ({ page }) => {
  const password = await cloud.createUser('pricing@suanpan.hk', 'hq_manager');
  await hqLogin(page, cloud, 'pricing@suanpan.hk', password);
  // The search's list is held at the server until after the save: the list must still reload
  // on save (it once skipped a reload asked while another load was out, and kept the old price).
  let arrived!: () => void;
  const searchArrived = new Promise<void>((resolve) => (arrived = resolve));
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let held = false;
  await page.route(/\/hq\/api\/products\?.*q=%E5%A5%B6/, async (route) => {
    if (held) return route.continue();
    held = true;
    arrived();
    await released;
    await route.continue();
  });
  await page.keyboard.press('Alt+4');
  await expect(page.getByTestId('page-catalogue')).toBeVisible();
  await page.getByTestId('catalogue-search').fill('奶茶');
  await page.getByTestId('product-DRI-0001').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('product-price')).toHaveValue('18.00');
  await searchArrived;
  await page.getByTestId('product-price').fill('abc');
  await page.getByTestId('product-save').click();
  await expect(page.getByTestId('product-input-error')).toHaveText('售價格式不正確，例如 18.50');
  await page.getByTestId('product-price').fill('19.50');
  await page.getByTestId('product-price').press('Enter');
  await expect(page.getByTestId('product-saved')).toBeVisible();
  await expect(page.getByTestId('product-DRI-0001')).toContainText('HK$19.50');
  release();

  const feed = await cloud.query<{ data: { sku: string; price: number } }>(
    "SELECT data FROM change_log WHERE entity = 'price' ORDER BY version DESC LIMIT 1",
  );
  expect(feed[0]?.data).toMatchObject({ sku: 'DRI-0001', price: 1950 });
  const audit = await cloud.query<{ user_email: string; before: { price: number }; after: { price: number } }>(
    "SELECT user_email, before, after FROM hq_audit WHERE action = 'price.set'",
  );
  expect(audit).toEqual([
    expect.objectContaining({
      user_email: 'pricing@suanpan.hk',
      before: expect.objectContaining({ price: 1800 }),
      after: expect.objectContaining({ price: 1950 }),
    }),
  ]);
});

test('a viewer sees no edit controls, and the API refuses the write anyway', async ({ page }) => {
  const password = await cloud.createUser('viewer@suanpan.hk', 'viewer');
  await hqLogin(page, cloud, 'viewer@suanpan.hk', password);
  await expect(page.getByTestId('nav-users')).toHaveCount(0);
  await page.getByTestId('nav-catalogue').click();
  await page.getByTestId('product-DRI-0001').click();
  await expect(page.getByTestId('product-save')).toHaveCount(0);
  const answer = await hqApi(page, 'POST', '/products/DRI-0001/price', { price: 1 });
  expect(answer).toMatchObject({ status: 403, body: { error: 'PERMISSION_DENIED' } });
});
