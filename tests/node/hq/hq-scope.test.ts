import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  call,
  createShop,
  enrolRegister,
  fingerprint,
  saleMutation,
  useTestDatabase,
  type EnrolledRegister,
  type Shop,
} from '../cloud/helpers';
import { HqClient, addUser, startHq } from './hq-helpers';

const database = useTestDatabase();
let server: Awaited<ReturnType<typeof startHq>>;
let shop: Shop;
let mk: EnrolledRegister;
let tst: EnrolledRegister;

beforeAll(async () => {
  server = await startHq(database().pool, { now: () => Date.now() });
  shop = await createShop(database().pool);
  mk = await enrolRegister(database().pool, server.base, shop.stores[0]!);
  tst = await enrolRegister(database().pool, server.base, shop.stores[1]!);
  // One sale each (seq 1), and a second MK document naming a SKU the catalogue lacks: quarantined.
  const now = Date.now();
  for (const register of [mk, tst]) {
    const sale = saleMutation(register, 1, [{ sku: 'P1', quantity: 2 }]);
    sale.payload.completedAt = now;
    expect(
      (
        await call(server.base, 'POST', `/v1/registers/${register.registerId}/mutations`, {
          token: register.token,
          body: { mutations: [sale] },
        })
      ).status,
    ).toBe(200);
  }
  const unknown = saleMutation(mk, 2, [{ sku: 'NOPE', quantity: 1 }]);
  await call(server.base, 'POST', `/v1/registers/${mk.registerId}/mutations`, { token: mk.token, body: { mutations: [unknown] } });
  await addUser(database().pool, shop.merchantId, 'owner@scope.hk', 'owner');
  await addUser(database().pool, shop.merchantId, 'mk@scope.hk', 'store_manager', [shop.stores[0]!.id]);
  await addUser(database().pool, shop.merchantId, 'viewer@scope.hk', 'viewer');
});
afterAll(async () => {
  await server?.close();
});

async function as(email: string): Promise<HqClient> {
  const client = new HqClient(server.base);
  expect((await client.login(email)).status).toBe(200);
  return client;
}

describe('what each role sees and may do', () => {
  it('the dashboard sums today per store and channel from the cloud’s own figures; a register’s push shows at once', async () => {
    const owner = await as('owner@scope.hk');
    const dash = (await owner.request('GET', '/hq/api/dashboard')).body as {
      total: number;
      documents: number;
      openQuarantine: number;
      sales: { storeCode: string; channel: string; total: number; documents: number }[];
      registers: { registerCode: string; online: boolean }[];
    };
    expect(dash.sales.filter((s) => s.channel === 'register').map((s) => [s.storeCode, s.total, s.documents])).toEqual([
      ['MK', 2000, 1],
      ['TST', 2000, 1],
    ]);
    expect(dash).toMatchObject({ total: 4000, documents: 2, openQuarantine: 1 });
    expect(dash.registers.every((r) => r.online)).toBe(true);
  });

  it('a store manager sees only their store: dashboard, registers, quarantine; another store’s register cannot be revoked', async () => {
    const manager = await as('mk@scope.hk');
    const dash = (await manager.request('GET', '/hq/api/dashboard')).body as {
      total: number;
      sales: { storeCode: string }[];
      registers: unknown[];
    };
    expect(new Set(dash.sales.map((s) => s.storeCode))).toEqual(new Set(['MK']));
    expect(dash.total).toBe(2000);
    expect(dash.registers).toHaveLength(1);
    const registers = (await manager.request('GET', '/hq/api/registers')).body.registers as { registerId: string }[];
    expect(registers.map((r) => r.registerId)).toEqual([mk.registerId]);
    const stores = (await manager.request('GET', '/hq/api/stores')).body.stores as { code: string }[];
    expect(stores.map((s) => s.code)).toEqual(['MK']);
    expect(((await manager.request('GET', '/hq/api/quarantine')).body.items as unknown[]).length).toBe(1);
    // Another store's own price is not in the price schedule they read.
    const owner = await as('owner@scope.hk');
    const priced = await owner.request('POST', '/hq/api/products/P3/store-price', { storeId: shop.stores[1]!.id, price: 900 });
    expect(priced.status).toBe(200);
    const schedule = (await manager.request('GET', '/hq/api/products/P3/prices')).body.prices as { storeCode: string | null }[];
    expect(schedule.map((p) => p.storeCode)).toEqual([null]);
    const all = (await owner.request('GET', '/hq/api/products/P3/prices')).body.prices as { storeCode: string | null }[];
    expect(all.map((p) => p.storeCode)).toEqual(['TST', null]);

    const before = await fingerprint(database().pool, ['enrol_bucket', 'hq_session', 'hq_audit', 'hq_user']);
    const other = await manager.request('POST', `/hq/api/registers/${tst.registerId}/revoke`);
    expect([other.status, other.body.error]).toEqual([404, 'NOT_FOUND']);
    const code = await manager.request('POST', `/hq/api/stores/${shop.stores[1]!.id}/enrol-codes`, {});
    expect([code.status, code.body.error]).toEqual([404, 'NOT_FOUND']);
    const dismiss = await manager.request('POST', '/hq/api/quarantine/1/dismiss', { reason: 'x' });
    expect(dismiss.body.error).toBe('PERMISSION_DENIED');
    expect(await fingerprint(database().pool, ['enrol_bucket', 'hq_session', 'hq_audit', 'hq_user'])).toEqual(before);
    // Their own store's register they may revoke.
    expect((await manager.request('POST', `/hq/api/registers/${mk.registerId}/revoke`)).status).toBe(200);
  });

  it('a viewer reads but every write is refused at the API, and nothing is written', async () => {
    const viewer = await as('viewer@scope.hk');
    expect((await viewer.request('GET', '/hq/api/products?q=P')).status).toBe(200);
    const before = await fingerprint(database().pool, ['enrol_bucket', 'hq_session', 'hq_audit', 'hq_user']);
    const writes: [string, string, unknown][] = [
      ['PUT', '/hq/api/products/P1', { nameZh: '改', nameEn: 'x', categoryCode: null, active: true, barcodes: [] }],
      ['POST', '/hq/api/products/P1/price', { price: 1 }],
      ['POST', '/hq/api/stores', { code: 'NEW', nameZh: '新', nameEn: 'New' }],
      ['POST', `/hq/api/stores/${shop.stores[0]!.id}/enrol-codes`, {}],
      ['POST', `/hq/api/registers/${tst.registerId}/revoke`, undefined],
      ['POST', '/hq/api/users', { email: 'x@y.hk', name: 'x', role: 'owner', password: 'long enough pw' }],
    ];
    for (const [method, path, body] of writes) {
      const answer = await viewer.request(method, path, body);
      expect([path, answer.status, answer.body.error]).toEqual([path, 403, 'PERMISSION_DENIED']);
    }
    expect((await viewer.request('GET', '/hq/api/audit')).body.error).toBe('PERMISSION_DENIED');
    expect(await fingerprint(database().pool, ['enrol_bucket', 'hq_session', 'hq_audit', 'hq_user'])).toEqual(before);
  });

  it('an owner manages users: a demoted or deactivated user’s next request reflects it; the audit keeps before and after', async () => {
    const owner = await as('owner@scope.hk');
    const created = await owner.request('POST', '/hq/api/users', {
      email: 'Temp@Scope.hk',
      name: '臨時',
      role: 'hq_manager',
      password: 'short',
    });
    expect([created.status, created.body.error]).toEqual([400, 'BAD_REQUEST']);
    const made = await owner.request('POST', '/hq/api/users', {
      email: 'Temp@Scope.hk',
      name: '臨時',
      role: 'hq_manager',
      password: 'a long password',
    });
    expect(made.status).toBe(200);
    const id = (made.body.user as { id: number }).id;
    expect(
      (await owner.request('POST', '/hq/api/users', { email: 'temp@scope.hk', name: 'again', role: 'viewer', password: 'a long password' }))
        .body.error,
    ).toBe('CONFLICT');

    const temp = new HqClient(server.base);
    expect((await temp.login('temp@scope.hk', 'a long password')).status).toBe(200);
    expect((await temp.request('POST', '/hq/api/products/P2/price', { price: 1200 })).status).toBe(200);
    await owner.request('PUT', `/hq/api/users/${id}`, { name: '臨時', role: 'viewer', storeIds: [], active: true });
    expect((await temp.request('POST', '/hq/api/products/P2/price', { price: 1300 })).body.error).toBe('PERMISSION_DENIED');
    await owner.request('PUT', `/hq/api/users/${id}`, { name: '臨時', role: 'viewer', storeIds: [], active: false });
    expect((await temp.request('GET', '/hq/api/dashboard')).body.error).toBe('SESSION_REQUIRED');
    expect((await temp.login('temp@scope.hk', 'a long password')).body.error).toBe('LOGIN_FAILED');

    const audit = (await owner.request('GET', '/hq/api/audit')).body.entries as {
      action: string;
      target: string;
      before: { role?: string };
      after: { role?: string };
    }[];
    const demotion = audit.find((e) => e.action === 'user.edit' && e.after.role === 'viewer' && e.before.role === 'hq_manager');
    expect(demotion?.target).toBe('temp@scope.hk');
    expect(audit.some((e) => e.action === 'price.set' && e.target === 'P2')).toBe(true);
    expect(JSON.stringify(audit)).not.toContain('a long password');
    // An owner cannot demote themselves (another owner can).
    const self = (await owner.request('GET', '/hq/api/session')).body.user as { id: number };
    expect(
      (await owner.request('PUT', `/hq/api/users/${self.id}`, { name: 'o', role: 'viewer', storeIds: [], active: true })).body.error,
    ).toBe('BAD_REQUEST');
  });

  it('a quarantined document is listed with its reason and dismissed with one, audited', async () => {
    const owner = await as('owner@scope.hk');
    const items = (await owner.request('GET', '/hq/api/quarantine')).body.items as { id: number; reason: string; ref: string }[];
    expect(items).toEqual([expect.objectContaining({ reason: 'UNKNOWN_SKU', ref: 'MK-01-000002' })]);
    expect((await owner.request('POST', `/hq/api/quarantine/${items[0]!.id}/dismiss`, { reason: '' })).body.error).toBe('BAD_REQUEST');
    expect((await owner.request('POST', `/hq/api/quarantine/${items[0]!.id}/dismiss`, { reason: '貨品已停售，已人手入帳' })).status).toBe(
      200,
    );
    expect((await owner.request('GET', '/hq/api/quarantine')).body.items).toEqual([]);
    const all = (await owner.request('GET', '/hq/api/quarantine?all=1')).body.items as { resolution: string }[];
    expect(all[0]?.resolution).toBe('貨品已停售，已人手入帳');
    expect((await owner.request('POST', `/hq/api/quarantine/${items[0]!.id}/dismiss`, { reason: 'again' })).body.error).toBe('NOT_FOUND');
  });

  it('the sales report and the CSV exports: merchant days, the store manager’s stores only, Excel-safe CSV', async () => {
    await database().pool.query("UPDATE product SET name_zh = '=HYPERLINK(\"x\")' WHERE merchant_id = $1 AND sku = 'P3'", [
      shop.merchantId,
    ]);
    const owner = await as('owner@scope.hk');
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Hong_Kong' }).format(new Date());
    const report = (await owner.request('GET', `/hq/api/reports/sales?from=${today}&to=${today}`)).body.rows as {
      storeCode: string;
      total: number;
    }[];
    expect(report.map((r) => [r.storeCode, r.total])).toEqual([
      ['MK', 2000],
      ['TST', 2000],
    ]);
    expect((await owner.request('GET', `/hq/api/reports/sales?from=${today}&to=2000-01-01`)).body.error).toBe('BAD_REQUEST');
    const csv = await fetch(`${server.base}/hq/api/reports/sales.csv?from=${today}&to=${today}`, { headers: { cookie: owner.cookie! } });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.headers.get('content-disposition')).toContain('attachment');
    // fetch's text() drops a BOM, so the bytes are read: Excel needs EF BB BF first.
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    expect(text.startsWith('\uFEFFday,store,channel')).toBe(true);
    expect(text).toContain(`${today},MK,register,1,0,0,20.00\r\n`);

    const manager = await as('mk@scope.hk');
    const scoped = (await manager.request('GET', `/hq/api/reports/sales?from=${today}&to=${today}`)).body.rows as { storeCode: string }[];
    expect(scoped.map((r) => r.storeCode)).toEqual(['MK']);

    const products = Buffer.from(
      await (await fetch(`${server.base}/hq/api/products.csv`, { headers: { cookie: owner.cookie! } })).arrayBuffer(),
    ).toString('utf8');
    expect(products.split('\r\n')[0]).toBe('\uFEFFsku,name_zh,name_en,category,active,barcodes,price_hkd,parent_sku,option_zh,option_en');
    expect(products).toContain('P1,產品1,Product 1,,1,4890000000001,10.00');
    // A name a spreadsheet would run as a formula is defused.
    expect(products).toContain(`P3,"'=HYPERLINK(""x"")"`);
    expect((await fetch(`${server.base}/hq/api/products.csv`)).status).toBe(401);
  });
});
