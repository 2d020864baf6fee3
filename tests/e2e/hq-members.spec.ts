/**
 * The console's 會員 screen in Chromium against the real built cloud and PostgreSQL: an owner finds
 * a member by phone (the list shows it masked), opens the member's page (the phone masked until
 * 顯示電話, which the audit trail records; the points a register's sale earned at its store), adjusts
 * the store credit with a reason, and the ledger and the audit trail show it; taking more than the
 * balance is refused on screen. An overdraft (points taken back, then the sale returned) is marked
 * resolved with a note and listed under 已處理 with who and when; each exception says what happened in
 * the reader's language (one recorded before the cloud kept its facts shows the cloud's English line,
 * labelled for IT). A viewer gets no adjust form and
 * no resolve button, and the API refuses both. A return pushed before its original sale (from a
 * register that had not synced) is listed as waiting, and gone once the original arrives. One whose
 * register was lost (waited over a week, marked so) an owner closes with a reason after a confirm
 * step: listed under 已處理 with who, when and why, and when its original turns up after all it
 * takes nothing and the closed row says the original came. A store manager lists and closes only
 * their stores' waiting returns, and is told in their language when one is no longer theirs. A
 * ledger note or card note the cloud wrote before it kept what its notes mean shows its English,
 * labelled for IT (a person's note as typed); an online redemption nobody sold or released names
 * the enrolled register that took it by its code.
 */
import { test, expect } from './fixtures';
import { call, pushMutations, receipt, type EnrolledRegister } from '../support/register-documents';
import { enrolApiRegister } from './cloud-steps';
import { hqApi, hqLogin, startHqCloud, type HqCloud } from './hq-steps';

let cloud: HqCloud;
let mk: EnrolledRegister;
const passwords: Record<string, string> = {};

test.describe.configure({ timeout: 180_000 });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  cloud = await startHqCloud();
  await cloud.admin('create-store', '算盤士多', 'MK01', '旺角店', 'Mong Kok');
  await cloud.admin(
    'upsert-product',
    JSON.stringify({ sku: 'DRI-0001', nameZh: '港式奶茶', nameEn: 'HK milk tea', barcodes: ['4891234000012'], price: 1800 }),
  );
  await cloud.admin('upsert-member', JSON.stringify({ code: 'M00000088', name: '陳大文', phone: '91234567', tier: 'gold' }));
  await cloud.admin('upsert-member', JSON.stringify({ code: 'M00000089', name: '李美華', phone: null }));
  // a sale at MK01 naming the member: 36 points earned there
  mk = await enrolApiRegister(cloud, 'MK01');
  const sale = {
    ...receipt(mk, 1, [{ sku: 'DRI-0001', quantity: 2, unitPrice: 1800 }], 'sale', Date.now()),
    member: { code: 'M00000088', pointsEarned: 36 },
  };
  expect((await pushMutations(cloud.url, mk, [{ seq: 1, kind: 'document.sale', ref: sale.receiptNo, payload: sale }])).status).toBe(200);
  passwords.owner = await cloud.createUser('owner@suanpan.hk', 'owner', '--name', '陳東主');
  passwords.viewer = await cloud.createUser('viewer@suanpan.hk', 'viewer', '--name', '張檢視');
});
test.afterAll(async () => {
  await cloud?.stop();
});

test('an owner finds a member by phone, adjusts the store credit with a reason, and the ledger shows it', async ({ page }) => {
  await hqLogin(page, cloud, 'owner@suanpan.hk', passwords.owner!);
  await page.getByTestId('nav-members').click();
  await expect(page.getByTestId('page-members')).toBeVisible();
  await page.getByTestId('members-search').fill('9123 4567');
  const row = page.getByTestId('member-M00000088');
  await expect(row).toContainText('9xxx 4567');
  await expect(page.getByTestId('members-results')).not.toContainText('91234567');
  await expect(page.getByTestId('member-M00000089')).toHaveCount(0);
  await row.focus();
  await page.keyboard.press('Enter');

  await expect(page.getByTestId('member-title')).toContainText('陳大文');
  // the phone stays masked until asked for; the asking is audited
  await expect(page.getByTestId('member-phone')).toHaveText('9xxx 4567');
  await page.getByTestId('member-phone-show').click();
  await expect(page.getByTestId('member-phone')).toHaveText('91234567');
  await expect(page.getByTestId('member-phone-show')).toHaveCount(0);
  expect(
    await cloud.query<{ user_email: string; target: string }>("SELECT user_email, target FROM hq_audit WHERE action = 'member.phone.view'"),
  ).toEqual([{ user_email: 'owner@suanpan.hk', target: 'M00000088' }]);
  await expect(page.getByTestId('member-points')).toHaveText('36');
  await expect(page.getByTestId('member-credit')).toHaveText('HK$0.00');
  await expect(page.getByTestId('member-ledger').locator('tbody tr').first()).toContainText(sale());

  // no reason: refused on screen, nothing sent
  await page.getByTestId('adjust-amount').fill('20');
  await page.getByTestId('adjust-save').click();
  await expect(page.getByTestId('adjust-input-error')).toHaveText('請輸入調整原因');
  await page.getByTestId('adjust-reason').fill('顧客投訴補償');
  await page.getByTestId('adjust-reason').press('Enter');
  await expect(page.getByTestId('adjust-done')).toHaveText('已調整儲值額 +HK$20.00');
  await expect(page.getByTestId('member-credit')).toHaveText('HK$20.00');
  const newest = page.getByTestId('member-ledger').locator('tbody tr').first();
  await expect(newest).toContainText('儲值額');
  await expect(newest).toContainText('調整');
  await expect(newest).toContainText('+HK$20.00');
  await expect(newest).toContainText('顧客投訴補償');
  await expect(newest).toContainText('總部');

  // more than the balance: the cloud refuses under the account's lock, the screen says why
  await page.getByTestId('adjust-amount').fill('-50');
  await page.getByTestId('adjust-reason').fill('typo');
  await page.getByTestId('adjust-save').click();
  await expect(page.getByTestId('adjust-error')).toHaveText('結餘不足：調整後不可少於零');
  await expect(page.getByTestId('member-credit')).toHaveText('HK$20.00');

  const audit = await cloud.query<{ user_email: string; target: string; before: { balance: number }; after: { balance: number } }>(
    "SELECT user_email, target, before, after FROM hq_audit WHERE action = 'member.adjust'",
  );
  expect(audit).toEqual([
    expect.objectContaining({
      user_email: 'owner@suanpan.hk',
      target: 'M00000088 credit',
      before: { balance: 0 },
      after: expect.objectContaining({ balance: 2000, amount: 2000, reason: '顧客投訴補償' }),
    }),
  ]);
  // the registers get the new balance through the change feed
  const feed = await cloud.query<{ data: { code: string; storeCredit: number } }>(
    "SELECT data FROM change_log WHERE entity = 'member' ORDER BY version DESC LIMIT 1",
  );
  expect(feed[0]?.data).toMatchObject({ code: 'M00000088', storeCredit: 2000 });
});

test('an overdraft is marked resolved with a note: gone from the open list, listed under 已處理 with who and when', async ({ page }) => {
  // M00000089 earns 18 points at MK01, head office takes them back, then the sale is returned: an overdraft of 18
  const earn = {
    ...receipt(mk, 2, [{ sku: 'DRI-0001', quantity: 1, unitPrice: 1800 }], 'sale', Date.now()),
    member: { code: 'M00000089', pointsEarned: 18 },
  };
  expect((await pushMutations(cloud.url, mk, [{ seq: 2, kind: 'document.sale', ref: earn.receiptNo, payload: earn }])).status).toBe(200);
  await hqLogin(page, cloud, 'owner@suanpan.hk', passwords.owner!);
  const takeBack = { kind: 'points', amount: -18, reason: '誤加', idempotencyKey: 'e2e-take-back-89' };
  expect(await hqApi(page, 'POST', '/members/M00000089/adjust', takeBack)).toMatchObject({ status: 200 });
  const back = {
    ...receipt(mk, 3, [{ sku: 'DRI-0001', quantity: -1, unitPrice: 1800 }], 'return', Date.now()),
    originalReceiptNo: earn.receiptNo,
    member: { code: 'M00000089', pointsEarned: 0 },
  };
  expect((await pushMutations(cloud.url, mk, [{ seq: 3, kind: 'document.return', ref: back.receiptNo, payload: back }])).status).toBe(200);

  // a sale naming a member the cloud does not know, and one recorded before the cloud kept facts (its English line only)
  const stray = {
    ...receipt(mk, 4, [{ sku: 'DRI-0001', quantity: 1, unitPrice: 1800 }], 'sale', Date.now()),
    member: { code: 'M99999999', pointsEarned: 0 },
  };
  expect((await pushMutations(cloud.url, mk, [{ seq: 4, kind: 'document.sale', ref: stray.receiptNo, payload: stray }])).status).toBe(200);
  const oldDetail = 'Document MK01-OLD-000001 names member M00000077, which this cloud does not know: no points were given';
  await cloud.query(
    `INSERT INTO ledger_exception (merchant_id, kind, amount, document, detail, created_at)
     SELECT id, 'unknown_member', 0, 'MK01-OLD-000001', $1, now() - interval '1 day' FROM merchant`,
    [oldDetail],
  );

  await page.getByTestId('nav-members').click();
  await page.getByTestId('members-tab-exceptions').click();
  const row = page.getByTestId('member-exceptions').locator('tbody tr', { hasText: 'M00000089' });
  await expect(row).toContainText('透支');
  await expect(row).toContainText('18');
  // each says what happened in the reader's language, from the facts the cloud kept
  const strayRow = page.getByTestId('member-exceptions').locator('tbody tr', { hasText: stray.receiptNo });
  const oldRow = page.getByTestId('member-exceptions').locator('tbody tr', { hasText: 'MK01-OLD-000001' });
  await expect(row.getByTestId('exception-detail')).toHaveText('退貨扣回 18 積分後，結餘由 0 變為 -18');
  await expect(strayRow.getByTestId('exception-detail')).toHaveText('單據上的會員 M99999999 雲端不認識，未有給予積分');
  // one written before then: the cloud's own words, said to be for IT
  await expect(oldRow.getByTestId('exception-detail')).toHaveText(`雲端原文（供 IT 參考）：${oldDetail}`);
  await expect(oldRow.locator('[lang="en"]')).toHaveText(oldDetail);
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.screenshot({ path: 'test-results/screens/1024x768/console-member-exceptions.png', fullPage: true });
  await page.keyboard.press('F10');
  await expect(row.getByTestId('exception-detail')).toHaveText('Reversed 18 points: the balance went from 0 to -18');
  await expect(strayRow.getByTestId('exception-detail')).toHaveText(
    'The document names member M99999999, which the cloud does not know: no points were given',
  );
  await expect(oldRow.getByTestId('exception-detail')).toHaveText(`The cloud wrote (for IT): ${oldDetail}`);
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.screenshot({ path: 'test-results/screens/1366x768/console-member-exceptions.en.png', fullPage: true });
  await page.keyboard.press('F10');
  await expect(row.getByTestId('exception-detail')).toHaveText('退貨扣回 18 積分後，結餘由 0 變為 -18');
  await row.getByRole('button', { name: '處理…' }).click();
  // a note is required
  await page.getByTestId('exception-resolve-confirm').click();
  await expect(page.getByTestId('exception-resolve-input-error')).toHaveText('請寫下處理方法');
  await page.getByTestId('exception-resolve-note').fill('已致電客人，下次消費扣回');
  await page.getByTestId('exception-resolve-note').press('Enter');
  await expect(page.getByTestId('exception-resolved-note')).toHaveText('已標示為已處理：M00000089');
  await expect(page.getByTestId('member-exceptions').locator('tbody tr', { hasText: 'M00000089' })).toHaveCount(0);

  await page.getByTestId('exceptions-state').selectOption('resolved');
  const resolved = page.getByTestId('member-exceptions').locator('tbody tr', { hasText: 'M00000089' });
  await expect(resolved.getByTestId('exception-resolution')).toContainText('owner@suanpan.hk');
  await expect(resolved.getByTestId('exception-resolution')).toContainText('已致電客人，下次消費扣回');
  await expect(resolved.getByRole('button', { name: '處理…' })).toHaveCount(0);
  const audit = await cloud.query<{ user_email: string; after: { resolution: string } }>(
    "SELECT user_email, after FROM hq_audit WHERE action = 'member.exception.resolve'",
  );
  expect(audit).toEqual([
    expect.objectContaining({ user_email: 'owner@suanpan.hk', after: expect.objectContaining({ resolution: '已致電客人，下次消費扣回' }) }),
  ]);
});

test('a viewer sees the member but no adjust form, and the API refuses the adjustment', async ({ page }) => {
  await hqLogin(page, cloud, 'viewer@suanpan.hk', passwords.viewer!);
  await page.getByTestId('nav-members').click();
  await page.getByTestId('member-M00000088').click();
  await page.getByTestId('member-phone-show').click();
  await expect(page.getByTestId('member-phone')).toHaveText('91234567');
  await expect(page.getByTestId('member-adjust')).toHaveCount(0);
  const answer = await hqApi(page, 'POST', '/members/M00000088/adjust', {
    kind: 'credit',
    amount: 100_000,
    reason: 'not mine to give',
    idempotencyKey: 'viewer-try-1',
  });
  expect(answer).toMatchObject({ status: 403, body: { error: 'PERMISSION_DENIED' } });
  await page.getByTestId('members-tab-rules').click();
  await expect(page.getByTestId('rules-save')).toHaveCount(0);
  await expect(page.getByTestId('rules-rate')).toBeDisabled();
  // no resolve button; the API refuses it with nothing written
  await page.getByTestId('members-tab-exceptions').click();
  await page.getByTestId('exceptions-state').selectOption('resolved');
  await expect(page.getByTestId('member-exceptions').locator('tbody tr')).toHaveCount(1);
  await page.getByTestId('exceptions-state').selectOption('open');
  await expect(page.locator('[data-testid^="exception-resolve-"]')).toHaveCount(0);
  const [open] = await cloud.query<{ id: number }>('SELECT id FROM ledger_exception WHERE resolved_at IS NULL ORDER BY id LIMIT 1');
  if (open) {
    const refused = await hqApi(page, 'POST', `/member-exceptions/${open.id}/resolve`, { note: 'not mine' });
    expect(refused).toMatchObject({ status: 403, body: { error: 'PERMISSION_DENIED' } });
    expect(await cloud.query('SELECT id FROM ledger_exception WHERE id = $1 AND resolved_at IS NOT NULL', [open.id])).toEqual([]);
  }
  const unresolvable = await hqApi(page, 'POST', '/member-exceptions/1/resolve', { note: 'not mine' });
  expect(unresolvable).toMatchObject({ status: 403, body: { error: 'PERMISSION_DENIED' } });
  expect(await cloud.query("SELECT id FROM hq_audit WHERE action = 'member.exception.resolve'")).toHaveLength(1);
});

test('會員 › 禮品卡: cards listed masked with balance and ledger; an owner voids one with a reason; a viewer gets no void form and the API refuses it', async ({
  page,
  browser,
}) => {
  const issued = JSON.parse(await cloud.admin('issue-gift-cards', '2', '--value', '5000', '--batch', 'hq-e2e')) as {
    cards: { code: string; last4: string }[];
  };
  const [card] = issued.cards as [{ code: string; last4: string }];
  await hqLogin(page, cloud, 'owner@suanpan.hk', passwords.owner!);
  await page.getByTestId('nav-members').click();
  await page.getByTestId('members-tab-gift-cards').click();
  await page.getByTestId('gift-cards-search').fill(card.last4);
  const row = page.getByTestId(`gift-card-${card.last4}`).first();
  await expect(row).toContainText(`**** ${card.last4}`);
  await expect(row).toContainText('HK$50.00');
  await expect(page.getByTestId('gift-cards-results')).not.toContainText(card.code.replace(/ /g, '').slice(0, 8));
  for (const width of [1024, 1366]) {
    await page.setViewportSize({ width, height: 768 });
    await page.screenshot({ path: `test-results/screens/${width}x768/console-gift-cards.png` });
  }
  await row.click();
  await expect(page.getByTestId('gift-card-balance')).toHaveText('HK$50.00');
  await expect(page.getByTestId('gift-card-entry-issue')).toBeVisible();
  // what the cloud noted on the load, in the reader's language
  await expect(page.getByTestId('gift-card-entry-issue')).toContainText('批次 hq-e2e 發行');
  await page.getByTestId('gift-card-void-reason-input').fill('報失 reported lost');
  await page.getByTestId('gift-card-void').click();
  await expect(page.getByTestId('gift-card-status')).toHaveText('已作廢');
  await expect(page.getByTestId('gift-card-balance')).toHaveText('HK$0.00');
  await expect(page.getByTestId('gift-card-entry-void')).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/1366x768/console-gift-card-void.png' });
  const looked = JSON.parse(await cloud.admin('gift-card', card.code)) as { status: string; voidReason: string };
  expect(looked).toMatchObject({ status: 'void', voidReason: '報失 reported lost' });

  // a viewer: the other card, no void form, and the API refuses the void
  const other = issued.cards[1]!;
  await page.getByTestId('gift-card-back').click();
  const id = ((await hqApi(page, 'GET', `/gift-cards?q=${other.last4}`)).body as { cards: { id: number }[] }).cards[0]!.id;
  const viewer = await (await browser.newContext()).newPage();
  await hqLogin(viewer, cloud, 'viewer@suanpan.hk', passwords.viewer!);
  await viewer.getByTestId('nav-members').click();
  await viewer.getByTestId('members-tab-gift-cards').click();
  await viewer.getByTestId('gift-cards-search').fill(other.last4);
  await viewer.getByTestId(`gift-card-${other.last4}`).first().click();
  await expect(viewer.getByTestId('gift-card-balance')).toHaveText('HK$50.00');
  await expect(viewer.getByTestId('gift-card-void-form')).toHaveCount(0);
  expect(await hqApi(viewer, 'POST', `/gift-cards/${id}/void`, { reason: 'not mine' })).toMatchObject({
    status: 403,
    body: { error: 'PERMISSION_DENIED' },
  });
});

function sale(): string {
  return `MK01-${mk.registerCode}-000001`;
}

test('a return pushed before its original sale is listed under 未能入帳 until the original arrives, then its points come off the original’s member', async ({
  page,
}) => {
  // sold on one MK01 register that has not pushed yet; returned at another (registers of this test's own: it runs alone too)
  const other = await enrolApiRegister(cloud, 'MK01');
  const here = await enrolApiRegister(cloud, 'MK01');
  const sold = {
    ...receipt(other, 1, [{ sku: 'DRI-0001', quantity: 2, unitPrice: 1800 }], 'sale', Date.now() - 60_000),
    member: { code: 'M00000088', pointsEarned: 36 },
  };
  const back = {
    ...receipt(here, 1, [{ sku: 'DRI-0001', quantity: -1, unitPrice: 1800 }], 'return', Date.now()),
    originalReceiptNo: sold.receiptNo,
    member: null,
  };
  expect((await pushMutations(cloud.url, here, [{ seq: 1, kind: 'document.return', ref: back.receiptNo, payload: back }])).status).toBe(
    200,
  );
  const reversals = async () =>
    (
      await cloud.query<{ n: string }>('SELECT count(*) AS n FROM ledger_entry WHERE idem_key = $1', [
        `doc:${back.receiptNo}:points:return`,
      ])
    )[0]?.n;
  expect(await reversals()).toBe('0');

  await hqLogin(page, cloud, 'owner@suanpan.hk', passwords.owner!);
  await page.getByTestId('nav-members').click();
  await page.getByTestId('members-tab-exceptions').click();
  const row = page.getByTestId(`pending-return-${back.receiptNo}`);
  await expect(row).toContainText(sold.receiptNo);
  await expect(row).toContainText('MK01');
  await expect(row).toContainText('剛剛');
  await expect(page.getByTestId('pending-return-points')).toBeVisible();
  for (const width of [1024, 1366]) {
    await page.setViewportSize({ width, height: 768 });
    await page.screenshot({ path: `test-results/screens/${width}x768/console-pending-return-points.png`, fullPage: true });
  }

  expect((await pushMutations(cloud.url, other, [{ seq: 1, kind: 'document.sale', ref: sold.receiptNo, payload: sold }])).status).toBe(200);
  expect(await reversals()).toBe('1');
  await page.getByTestId('members-tab-members').click();
  await page.getByTestId('members-tab-exceptions').click();
  await expect(page.getByTestId('member-exceptions')).toBeVisible();
  await expect(page.getByTestId('pending-return-points')).toHaveCount(0);
});

test('an owner closes a return whose original never came (over a week) with a reason, after a confirm step; its original turning up later takes nothing', async ({
  page,
}) => {
  // sold on an MK01 register that was then lost; two returns of its sales at another register, one ten days ago
  const lost = await enrolApiRegister(cloud, 'MK01');
  const here = await enrolApiRegister(cloud, 'MK01');
  const sold = {
    ...receipt(lost, 1, [{ sku: 'DRI-0001', quantity: 2, unitPrice: 1800 }], 'sale', Date.now() - 11 * 86_400_000),
    member: { code: 'M00000088', pointsEarned: 36 },
  };
  const returns = [1, 2].map((n) => ({
    ...receipt(here, n, [{ sku: 'DRI-0001', quantity: -1, unitPrice: 1800 }], 'return', Date.now()),
    originalReceiptNo: `${lost.storeCode}-${lost.registerCode}-00000${n}`,
    member: null,
  }));
  const [old, fresh] = returns as [(typeof returns)[number], (typeof returns)[number]];
  expect(
    (
      await pushMutations(
        cloud.url,
        here,
        returns.map((r, i) => ({ seq: i + 1, kind: 'document.return', ref: r.receiptNo, payload: r })),
      )
    ).status,
  ).toBe(200);
  await cloud.query("UPDATE pending_return_points SET created_at = now() - interval '10 days' WHERE return_receipt_no = $1", [
    old.receiptNo,
  ]);

  await hqLogin(page, cloud, 'owner@suanpan.hk', passwords.owner!);
  await page.getByTestId('nav-members').click();
  await page.getByTestId('members-tab-exceptions').click();
  const oldRow = page.getByTestId(`pending-return-${old.receiptNo}`);
  await expect(oldRow.getByTestId('pending-return-waited')).toContainText('10 日');
  await expect(oldRow.getByTestId('pending-return-waited')).toContainText('逾一星期');
  await expect(page.getByTestId(`pending-return-${fresh.receiptNo}`).getByTestId('pending-return-waited')).not.toContainText('逾一星期');
  for (const width of [1024, 1366]) {
    await page.setViewportSize({ width, height: 768 });
    await page.screenshot({ path: `test-results/screens/${width}x768/console-pending-return-waiting.png`, fullPage: true });
  }

  await page.setViewportSize({ width: 1024, height: 768 });
  await page.getByTestId(`pending-return-close-${old.receiptNo}`).click();
  // a reason is required, then a confirm step says what closing means
  await page.getByTestId('pending-return-close-next').click();
  await expect(page.getByTestId('pending-return-close-input-error')).toHaveText('請寫下結束原因');
  await page.getByTestId('pending-return-close-reason').fill('收銀機 MK01 遺失，原單不會上傳');
  await page.getByTestId('pending-return-close-reason').press('Enter');
  await expect(page.getByTestId('pending-return-close-warning')).toContainText(old.originalReceiptNo);
  await expect(page.getByTestId('pending-return-close-warning')).toContainText('永不');
  // the step opens below the list: its buttons are brought into sight on a 768-pixel-high screen
  await expect(page.getByTestId('pending-return-close-confirm')).toBeInViewport();
  for (const width of [1024, 1366]) {
    await page.setViewportSize({ width, height: 768 });
    await page.getByTestId('pending-return-close-confirm').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `test-results/screens/${width}x768/console-pending-return-close-confirm.png`, fullPage: true });
  }
  await page.getByTestId('pending-return-close-confirm').click();
  await expect(page.getByTestId('exception-resolved-note')).toHaveText(`已結束：${old.receiptNo}（不會扣積分）`);
  await expect(page.getByTestId(`pending-return-${old.receiptNo}`)).toHaveCount(0);
  await expect(page.getByTestId(`pending-return-${fresh.receiptNo}`)).toBeVisible();

  // its original turns up after all: M00000088 keeps the 36 points it earned, and the closed row says so
  expect((await pushMutations(cloud.url, lost, [{ seq: 1, kind: 'document.sale', ref: sold.receiptNo, payload: sold }])).status).toBe(200);
  const reversals = await cloud.query('SELECT 1 FROM ledger_entry WHERE idem_key = $1', [`doc:${old.receiptNo}:points:return`]);
  expect(reversals).toEqual([]);
  await page.getByTestId('exceptions-state').selectOption('resolved');
  const closed = page.getByTestId(`closed-return-${old.receiptNo}`);
  await expect(closed).toContainText('owner@suanpan.hk');
  await expect(closed).toContainText('收銀機 MK01 遺失，原單不會上傳');
  await expect(closed.getByTestId('closed-return-history')).toContainText('等了 10 日後結束');
  await expect(closed.getByTestId('closed-return-history')).toContainText('到達：已結束，沒有扣積分');
  for (const width of [1024, 1366]) {
    await page.setViewportSize({ width, height: 768 });
    await page.screenshot({ path: `test-results/screens/${width}x768/console-pending-return-closed.png`, fullPage: true });
  }
  const audit = await cloud.query<{ user_email: string; after: { reason: string } }>(
    "SELECT user_email, after FROM hq_audit WHERE action = 'member.return-points.close'",
  );
  expect(audit).toEqual([
    expect.objectContaining({
      user_email: 'owner@suanpan.hk',
      after: expect.objectContaining({ reason: '收銀機 MK01 遺失，原單不會上傳' }),
    }),
  ]);
});

test('a store manager closes a waiting return of their own store, never sees another store’s, and is told in their language when one is no longer theirs', async ({
  browser,
  page,
}) => {
  await cloud.admin('create-store', '算盤士多', 'TST01', '尖沙咀店', 'Tsim Sha Tsui');
  const mkTill = await enrolApiRegister(cloud, 'MK01');
  const tstTill = await enrolApiRegister(cloud, 'TST01');
  // returns of receipts whose registers were lost: two at MK01, one at TST01
  const returnAt = (till: EnrolledRegister, n: number) => ({
    ...receipt(till, n, [{ sku: 'DRI-0001', quantity: -1, unitPrice: 1800 }], 'return', Date.now()),
    originalReceiptNo: `${till.storeCode}-LOST-00000${n}`,
    member: null,
  });
  const [mine, later] = [returnAt(mkTill, 1), returnAt(mkTill, 2)];
  const theirs = returnAt(tstTill, 1);
  expect(
    (
      await pushMutations(cloud.url, mkTill, [
        { seq: 1, kind: 'document.return', ref: mine.receiptNo, payload: mine },
        { seq: 2, kind: 'document.return', ref: later.receiptNo, payload: later },
      ])
    ).status,
  ).toBe(200);
  expect(
    (await pushMutations(cloud.url, tstTill, [{ seq: 1, kind: 'document.return', ref: theirs.receiptNo, payload: theirs }])).status,
  ).toBe(200);
  const password = await cloud.createUser('mk@suanpan.hk', 'store_manager', '--name', '何店長', '--store', 'MK01');

  await hqLogin(page, cloud, 'mk@suanpan.hk', password);
  await page.getByTestId('nav-members').click();
  await page.getByTestId('members-tab-exceptions').click();
  await expect(page.getByTestId(`pending-return-${mine.receiptNo}`)).toBeVisible();
  await expect(page.getByTestId(`pending-return-${later.receiptNo}`)).toBeVisible();
  // another store's: not listed at all
  await expect(page.getByTestId(`pending-return-${theirs.receiptNo}`)).toHaveCount(0);
  await expect(page.getByTestId('pending-return-points')).not.toContainText('TST01');
  for (const width of [1024, 1366]) {
    await page.setViewportSize({ width, height: 768 });
    await page.screenshot({ path: `test-results/screens/${width}x768/console-pending-return-store-manager.png`, fullPage: true });
  }

  await page.getByTestId(`pending-return-close-${mine.receiptNo}`).click();
  await page.getByTestId('pending-return-close-reason').fill('單號輸入錯誤');
  await page.getByTestId('pending-return-close-reason').press('Enter');
  await page.getByTestId('pending-return-close-confirm').click();
  await expect(page.getByTestId('exception-resolved-note')).toHaveText(`已結束：${mine.receiptNo}（不會扣積分）`);
  await expect(page.getByTestId(`pending-return-${mine.receiptNo}`)).toHaveCount(0);
  expect(
    await cloud.query<{ target: string }>(
      "SELECT target FROM hq_audit WHERE action = 'member.return-points.close' AND user_email = 'mk@suanpan.hk'",
    ),
  ).toEqual([{ target: `${mine.receiptNo} (original ${mine.originalReceiptNo})` }]);

  // the owner moves the manager to TST01 while the list is open: MK01's row is no longer theirs to close
  const owner = await browser.newPage();
  await hqLogin(owner, cloud, 'owner@suanpan.hk', passwords.owner!);
  const users = (await hqApi(owner, 'GET', '/users')).body.users as { id: number; email: string }[];
  const tstId = (await cloud.query<{ id: string }>("SELECT id FROM store WHERE code = 'TST01'"))[0]!.id;
  const moved = await hqApi(owner, 'PUT', `/users/${users.find((u) => u.email === 'mk@suanpan.hk')!.id}`, {
    name: '何店長',
    role: 'store_manager',
    storeIds: [Number(tstId)],
    active: true,
  });
  expect(moved.status).toBe(200);
  await owner.close();
  await page.getByTestId(`pending-return-close-${later.receiptNo}`).click();
  await page.getByTestId('pending-return-close-reason').fill('單號輸入錯誤');
  await page.getByTestId('pending-return-close-reason').press('Enter');
  await page.getByTestId('pending-return-close-confirm').click();
  await expect(page.getByTestId('pending-return-close-error')).toHaveText('找不到此項目（可能已被刪除或不屬於你的分店）');
  await page.keyboard.press('F10');
  await expect(page.getByTestId('pending-return-close-error')).toHaveText('Not found (it may be gone, or not one of your stores)');
  // what was said before follows the language too
  await expect(page.getByTestId('exception-resolved-note')).toHaveText(`Closed: ${mine.receiptNo} (no points will be taken)`);
  for (const width of [1024, 1366]) {
    await page.setViewportSize({ width, height: 768 });
    await page.getByTestId('pending-return-close-error').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `test-results/screens/${width}x768/console-pending-return-not-theirs.en.png`, fullPage: true });
  }
  await page.keyboard.press('F10');
  const left = await cloud.query<{ closed_at: Date | null }>('SELECT closed_at FROM pending_return_points WHERE return_receipt_no = $1', [
    later.receiptNo,
  ]);
  expect(left).toEqual([{ closed_at: null }]);
});

test('notes the cloud wrote before it kept their facts are labelled as its English, for IT; a person’s note is shown as typed', async ({
  page,
}) => {
  // M00000091: store credit given by head office (a person's reason), then HK$7.00 taken online by a till that released it
  const till = await enrolApiRegister(cloud, 'MK01');
  await cloud.admin('upsert-member', JSON.stringify({ code: 'M00000091', name: '周志明', phone: null }));
  await cloud.admin('adjust-balance', 'M00000091', 'credit', '5000', '--reason', '開戶贈送', '--ref', 'e2e-open-91');
  const key = 'sv-e2e-0091-c1-700';
  const taken = await call(cloud.url, 'POST', '/v1/members/redeem', {
    token: till.token,
    body: { idempotencyKey: key, memberCode: 'M00000091', kind: 'credit', amount: 700 },
  });
  expect(taken.status).toBe(200);
  const release = { key, kind: 'credit', memberCode: 'M00000091', cardHash: null, value: 700, reason: 'cart-voided' };
  expect((await pushMutations(cloud.url, till, [{ seq: 1, kind: 'stored-value.released', ref: key, payload: release }])).status).toBe(200);
  // a gift card issued in a batch
  const { cards } = JSON.parse(await cloud.admin('issue-gift-cards', '1', '--value', '3000', '--batch', 'old-batch')) as {
    cards: { last4: string }[];
  };
  const card = cards[0];
  // as a cloud before migration 0036 wrote them: the same English notes, no facts
  // (the ledger is append-only: its guard is set aside for this one statement, as a restore of old rows would)
  await cloud.query(
    "BEGIN; SET LOCAL session_replication_role = replica; UPDATE ledger_entry SET note_facts = NULL WHERE note = 'batch old-batch' OR note LIKE 'released by the register%'; COMMIT",
  );
  const [{ note: releaseNote } = { note: '' }] = await cloud.query<{ note: string }>(
    "SELECT e.note FROM ledger_entry e JOIN ledger_account a ON a.id = e.account_id JOIN member m ON m.id = a.member_id WHERE m.code = 'M00000091' AND e.reason = 'release'",
  );
  expect(releaseNote).toContain('released by the register');

  await hqLogin(page, cloud, 'owner@suanpan.hk', passwords.owner!);
  await page.getByTestId('nav-members').click();
  await page.getByTestId('members-search').fill('M00000091');
  await page.getByTestId('member-M00000091').click();
  const ledger = page.getByTestId('member-ledger');
  const released = ledger.locator('tbody tr', { hasText: releaseNote });
  await expect(released).toContainText(`雲端原文（供 IT 參考）：${releaseNote}`);
  await expect(released.locator('.hq-label-line')).toHaveText('雲端原文（供 IT 參考）：');
  await expect(released.locator('[lang="en"]')).toHaveText(releaseNote);
  // the note sits under its own header (備註), the receipt and store under theirs
  const headers = await ledger.locator('thead th').count();
  await expect(released.locator('td')).toHaveCount(headers);
  const typed = ledger.locator('tbody tr', { hasText: '開戶贈送' });
  await expect(typed).toBeVisible();
  await expect(typed.locator('.hq-label-line')).toHaveCount(0);
  for (const width of [1024, 1366]) {
    await page.setViewportSize({ width, height: 768 });
    await released.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `test-results/screens/${width}x768/console-member-ledger-old-note.png`, fullPage: true });
  }
  await page.keyboard.press('F10');
  await expect(released).toContainText(`The cloud wrote (for IT): ${releaseNote}`);
  await expect(typed).toContainText('開戶贈送');
  await page.setViewportSize({ width: 1024, height: 768 });
  await released.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/screens/1024x768/console-member-ledger-old-note.en.png', fullPage: true });
  await page.keyboard.press('F10');

  await page.getByTestId('members-tab-gift-cards').click();
  await page.getByTestId('gift-cards-search').fill(card!.last4);
  await page.getByTestId(`gift-card-${card!.last4}`).first().click();
  const issued = page.getByTestId('gift-card-entry-issue');
  await expect(issued.getByTestId('gift-card-entry-note')).toHaveText('雲端原文（供 IT 參考）：batch old-batch');
  for (const width of [1024, 1366]) {
    await page.setViewportSize({ width, height: 768 });
    await issued.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `test-results/screens/${width}x768/console-gift-card-old-note.png`, fullPage: true });
  }
});

test('an online redemption with no sale names the enrolled register that took it, by its code', async ({ page }) => {
  const till = await enrolApiRegister(cloud, 'MK01');
  await cloud.admin('upsert-member', JSON.stringify({ code: 'M00000092', name: '馮嘉欣', phone: null }));
  await cloud.admin('adjust-balance', 'M00000092', 'credit', '5000', '--reason', '開戶贈送', '--ref', 'e2e-open-92');
  const key = 'sv-e2e-0092-c1-700';
  const taken = await call(cloud.url, 'POST', '/v1/members/redeem', {
    token: till.token,
    body: { idempotencyKey: key, memberCode: 'M00000092', kind: 'credit', amount: 700 },
  });
  expect(taken.status).toBe(200);
  // taken a day and more ago (the list's bound is 24 h), and neither sold nor released since
  await cloud.query("UPDATE online_redemption SET created_at = created_at - interval '25 hours' WHERE idem_key = $1", [
    `register:${till.registerId}:${key}`,
  ]);

  await hqLogin(page, cloud, 'owner@suanpan.hk', passwords.owner!);
  await page.getByTestId('nav-members').click();
  await page.getByTestId('members-tab-exceptions').click();
  const row = page.getByTestId('member-exceptions').locator('tbody tr', { hasText: 'M00000092' });
  await expect(row.getByTestId('exception-detail')).toContainText(`收銀機 ${till.registerCode}於 `);
  await expect(row.getByTestId('exception-detail')).toContainText('在網上扣除 儲值額 HK$7.00，但沒有銷售單據包含這筆扣除');
  await expect(row.getByTestId('exception-detail')).not.toContainText('register:');
  await expect(row).toContainText('MK01');
  for (const width of [1024, 1366]) {
    await page.setViewportSize({ width, height: 768 });
    await page.screenshot({ path: `test-results/screens/${width}x768/console-redemption-open.png`, fullPage: true });
  }
  await page.keyboard.press('F10');
  await expect(row.getByTestId('exception-detail')).toContainText(`Register ${till.registerCode} took HK$7.00 of store credit online at `);
});
