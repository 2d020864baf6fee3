/**
 * Members between registers and the real cloud (issue 13): a member enrolled offline at one till
 * reaches the cloud once, its sale's points follow it, the cloud's member (with its balance and the
 * provisional code as an alias) comes back in the pull; a second till finds a member enrolled a
 * moment ago through the cloud lookup before its pull has it; the till's history lists the member's
 * online shop orders, and its own sale that collected one is that order's row, not a second purchase.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call as cloudCall, enrolRegister, startServer, useTestDatabase, type Server } from '../cloud/helpers';
import { upsertMember } from '../../../cloud/domain/catalogue';
import { createShopKey } from '../../../cloud/domain/shop-keys';
import type { Cart } from '../../../src/shared/checkout-schemas';
import type { MemberFindResult, MemberHistory, MemberView } from '../../../src/shared/member-schemas';
import {
  WATER,
  buildSyncWorker,
  call,
  createCloudShop,
  enrol,
  enrolmentCode,
  eventually,
  loginManager,
  openSyncRegister,
  syncStatus,
  TEST_TUNING,
  type SyncRegister,
} from './helpers';

const database = useTestDatabase();
let server: Server;
let worker: Awaited<ReturnType<typeof buildSyncWorker>>;
const opened: SyncRegister[] = [];

beforeAll(async () => {
  worker = await buildSyncWorker();
  server = await startServer({ pool: database().pool, logger: false, enrolAttemptsPerMinute: 1_000 });
});
afterAll(async () => {
  for (const r of opened) r.close();
  await server?.close();
  worker?.remove();
});

async function openRegister(tuning = TEST_TUNING): Promise<SyncRegister> {
  const r = await openSyncRegister(worker.file, tuning);
  opened.push(r);
  await loginManager(r.register);
  return r;
}

const cloudPoints = async (phone: string) =>
  (
    await database().pool.query<{ points: string | null }>(
      `SELECT (SELECT balance_after FROM ledger_entry e JOIN ledger_account a ON a.id = e.account_id
               WHERE a.member_id = m.id AND a.kind = 'points' ORDER BY e.id DESC LIMIT 1) AS points
       FROM member m WHERE m.phone_key = $1`,
      [phone],
    )
  ).rows.map((r) => Number(r.points ?? 0));

describe('members through sync', () => {
  it('enrolled offline, sold to, then synced: one cloud member with the points, back on the till under the cloud’s code', async () => {
    const shop = await createCloudShop(database().pool);
    const { register } = await openRegister();
    // offline (not yet enrolled with the cloud): enrol and sell with the member
    const member = await call<MemberView>(register, 'member:enrol', {
      name: '何小姐',
      phone: '55556666',
      email: 'ho@example.com',
      birthMonth: null,
      marketingConsent: true,
    });
    await call<Cart>(register, 'cart:scan', { code: WATER.barcode });
    const cart = await call<Cart>(register, 'cart:set-member', { code: member.code });
    await call(register, 'sale:complete', { cartId: cart.id, tenders: [{ method: 'cash', amount: cart.total }] });

    const receiptNo = (await call<{ purchases: { receiptNo: string }[] }>(register, 'member:history', { code: member.code })).purchases[0]
      ?.receiptNo;
    expect(receiptNo).toMatch(/^[A-Z0-9]+-[A-Z0-9]+-\d{6}$/);

    await enrol(register, server.base, await enrolmentCode(database().pool, shop.store));
    await eventually(
      () => syncStatus(register),
      (s) => s.pending === 0,
      'the queue to drain',
    );
    // the cloud: one member, the sale's points by its own arithmetic (the demo's member price, HK$6.00 → 6), the consent kept
    expect(await cloudPoints('55556666')).toEqual([6]);
    const consent = await database().pool.query(
      'SELECT c.marketing, c.wording_version FROM member_consent c JOIN member m ON m.id = c.member_id WHERE m.phone_key = $1',
      ['55556666'],
    );
    expect(consent.rows).toEqual([{ marketing: true, wording_version: 'dm-2026-01' }]);
    // the till: the pulled member replaces the provisional one, found by phone and by the old code
    const found = await eventually(
      () => call<MemberFindResult>(register, 'member:find', { query: '55556666' }),
      (r) => r.member?.provisional === false,
      'the cloud member to arrive',
    );
    expect(found.member).toMatchObject({ name: '何小姐', points: 6, provisional: false });
    expect(found.member?.code).toMatch(/^M\d{8}$/);
    expect((await call<MemberFindResult>(register, 'member:find', { query: member.code })).member?.code).toBe(found.member?.code);
    // the history now comes from the cloud (every store's), the offline sale in it under the merged member
    const history = await call<MemberHistory>(register, 'member:history', { code: found.member!.code });
    expect(history.source).toBe('cloud');
    expect(history.purchases.map((p) => [p.receiptNo, p.kind, p.channel])).toEqual([[receiptNo, 'sale', 'register']]);
    // a second push of everything (a restart, a lost answer) counts nothing twice
    await call(register, 'sync:now');
    expect(await cloudPoints('55556666')).toEqual([6]);
  }, 60_000);

  it('a second till finds a member enrolled elsewhere a moment ago through the cloud, before its pull has it', async () => {
    const shop = await createCloudShop(database().pool);
    // a till that pulls once at the start and then only hourly
    const { register } = await openRegister({ ...TEST_TUNING, intervalMs: 3_600_000 });
    await enrol(register, server.base, await enrolmentCode(database().pool, shop.store));
    await eventually(
      () => syncStatus(register),
      (s) => s.lastSyncAt !== null,
      'the first pull',
    );
    await upsertMember(
      database().pool,
      shop.merchantId,
      { code: 'ELSEWHERE1', name: '周先生', phone: '+852 6777 8888', tier: 'gold' },
      Date.now(),
    );
    const found = await call<MemberFindResult>(register, 'member:find', { query: '67778888' });
    expect(found).toMatchObject({ source: 'cloud', offline: false, member: { code: 'ELSEWHERE1', maskedPhone: '6xxx 8888' } });
    // kept: the cart can take it, and the next lookup needs no cloud
    expect((await call<Cart>(register, 'cart:set-member', { code: 'ELSEWHERE1' })).member?.name).toBe('周先生');
    expect((await call<MemberFindResult>(register, 'member:find', { query: 'ELSEWHERE1' })).source).toBe('local');
    // nobody anywhere: the cloud says so (not "offline")
    expect(await call<MemberFindResult>(register, 'member:find', { query: '51239999' })).toEqual({
      member: null,
      source: 'cloud',
      offline: false,
    });
  }, 60_000);

  it('the history lists the online shop’s orders; this till’s own sale that collected one is folded into the order, not listed twice', async () => {
    const shop = await createCloudShop(database().pool);
    const { register } = await openRegister();
    await enrol(register, server.base, await enrolmentCode(database().pool, shop.store));
    await upsertMember(database().pool, shop.merchantId, { code: 'WEBSYNC1', name: '周先生', phone: '67770001' }, Date.now());
    expect((await call<MemberFindResult>(register, 'member:find', { query: '67770001' })).source).toBe('cloud');
    // an online order for pickup, which earns the member's points online
    const { key } = await createShopKey(
      database().pool,
      shop.merchantId,
      { label: 'Online shop', scopes: ['orders', 'members'] },
      Date.now(),
    );
    const shopPost = (path: string, body: unknown) => cloudCall(server.base, 'POST', path, { token: key, body });
    const order = {
      orderNo: 'WEB-S1',
      store: 'MK01',
      channel: 'online',
      customer: { name: '周先生', phone: '6777 0001' },
      lines: [{ sku: WATER.sku, quantity: 2 }],
      paid: null,
    };
    expect((await shopPost('/v1/orders', order)).status).toBe(201);
    const earn = { idempotencyKey: 'sync-s1-earn', memberCode: 'WEBSYNC1', orderNo: 'WEB-S1', eligibleCents: 1_600 };
    expect((await shopPost('/v1/shop/members/earn', earn)).status).toBe(200);
    // the member buys at this till; that receipt is the one the order is handed over on
    await call<Cart>(register, 'cart:scan', { code: WATER.barcode });
    const cart = await call<Cart>(register, 'cart:set-member', { code: 'WEBSYNC1' });
    await call(register, 'sale:complete', { cartId: cart.id, tenders: [{ method: 'cash', amount: cart.total }] });
    const local = await call<MemberHistory>(register, 'member:history', { code: 'WEBSYNC1' });
    const receiptNo = local.purchases[0]!.receiptNo;
    const other = await enrolRegister(database().pool, server.base, shop.store);
    const moved = await cloudCall(server.base, 'POST', `/v1/registers/${other.registerId}/orders/WEB-S1/status`, {
      token: other.token,
      body: { to: 'collected', receiptNo },
    });
    expect(moved.status).toBe(200);
    const history = await eventually(
      () => call<MemberHistory>(register, 'member:history', { code: 'WEBSYNC1' }),
      (h) => h.source === 'cloud' && h.purchases.some((p) => p.channel === 'online'),
      'the online order in the history',
    );
    expect(history.purchases.map((p) => [p.channel, p.kind, p.receiptNo, p.total, p.collectedOn ?? []])).toEqual([
      ['online', 'sale', 'WEB-S1', 1_600, [receiptNo]],
    ]);
  }, 60_000);
});
