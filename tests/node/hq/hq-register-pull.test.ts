/**
 * What head office edits in the console reaches a running register through the change feed: a
 * real register core (its own SQLite, the bundled sync worker) enrolled with a real cloud on
 * PostgreSQL pulls register staff (names, roles, stores; the PIN is still set at the register),
 * a price for its own store that starts at a set time (and ignores another store's), and a
 * promotion made in the promotions editor, which its pricing engine then applies.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cart } from '../../../src/shared/checkout-schemas';
import type { StaffRecord } from '../../../src/shared/staff-schemas';
import { createStore } from '../../../cloud/domain/merchants';
import { BUN, MILK_TEA, call, createCloudShop, enrol, enrolmentCode, eventually, useSyncRig } from '../sync/helpers';
import { HqClient, addUser, startHq } from './hq-helpers';

const rig = useSyncRig();
let hq: Awaited<ReturnType<typeof startHq>>;
beforeAll(async () => {
  hq = await startHq(rig.database().pool, { now: () => Date.now() });
});
afterAll(async () => {
  await hq?.close();
});

async function scanOne(register: Parameters<typeof call>[0], code: string): Promise<Cart['lines'][number]> {
  const cart = await call<Cart>(register, 'cart:scan', { code });
  await call(register, 'cart:void', { reason: 'price check' });
  return cart.lines.at(-1)!;
}

let shop: Awaited<ReturnType<typeof createCloudShop>>;
let other: Awaited<ReturnType<typeof createStore>>;
let register: Parameters<typeof call>[0];
let owner: HqClient;
beforeAll(async () => {
  const pool = rig.database().pool;
  shop = await createCloudShop(pool);
  other = await createStore(pool, shop.merchantId, { code: 'TST01', nameZh: '尖沙咀店', nameEn: 'Tsim Sha Tsui' });
  await addUser(pool, shop.merchantId, 'owner@pull.hk', 'owner');
  await addUser(pool, shop.merchantId, 'viewer@pull.hk', 'viewer');
  register = (await rig.openRegister()).register;
  await enrol(register, rig.server.base, await enrolmentCode(pool, shop.store));
  owner = new HqClient(hq.base);
  expect((await owner.login('owner@pull.hk')).status).toBe(200);
}, 120_000);

describe('a running register pulls what head office edits', () => {
  it('register staff: names, roles and stores from the console; the PIN still set at the register', async () => {
    // 1. staff: a new cashier for this store, and an existing one moved to the other store
    const put = (code: string, body: unknown) => owner.request('PUT', `/hq/api/register-staff/${code}`, body);
    expect(
      (await put('C009', { nameZh: '何家明', nameEn: 'Ho Ka Ming', role: 'cashier', active: true, storeIds: [shop.store.id] })).status,
    ).toBe(200);
    expect(
      (await put('C002', { nameZh: '黃美玲', nameEn: 'Wong Mei Ling', role: 'supervisor', active: true, storeIds: [other.id] })).status,
    ).toBe(200);
    expect((await put('C010', { nameZh: '張三', nameEn: 'Cheung Sam', role: 'owner', active: true, storeIds: null })).status).toBe(400);
    const staff = await eventually(
      () => call<StaffRecord[]>(register, 'staff:list'),
      (list) => list.some((s) => s.code === 'C009') && list.find((s) => s.code === 'C002')?.active === false,
      'the staff changes to arrive',
    );
    const ho = staff.find((s) => s.code === 'C009')!;
    expect(ho).toMatchObject({ nameZh: '何家明', nameEn: 'Ho Ka Ming', role: 'cashier', active: true });
    expect(staff.find((s) => s.code === 'C002')).toMatchObject({ role: 'supervisor', active: false });
    // no PIN comes from the cloud: nobody logs in as the new cashier until a manager here sets one
    expect(await register.dispatch('staff:login', { staffId: ho.id, pin: '4321' })).toMatchObject({
      ok: false,
      error: { code: 'PIN_INVALID' },
    });
    await call(register, 'staff:save', {
      id: ho.id,
      code: 'C009',
      nameZh: '何家明',
      nameEn: 'Ho Ka Ming',
      role: 'cashier',
      active: true,
      pin: '4321',
    });
    await call(register, 'staff:logout');
    await call(register, 'staff:login', { staffId: ho.id, pin: '4321' });
    await call(register, 'staff:logout');
    await call(register, 'staff:login', { staffId: 3, pin: '9999' });
  });

  it('a price for its own store from a set time (another store’s price never applies here)', async () => {
    // 2. a price for this store from a set time, and another store's price that must not apply here
    const startsAt = Date.now() + 4_000;
    const storePrice = (storeId: number, price: number, validFrom?: number) =>
      owner.request('POST', `/hq/api/products/${MILK_TEA.sku}/store-price`, { storeId, price, ...(validFrom ? { validFrom } : {}) });
    expect((await storePrice(shop.store.id, 1_500, startsAt)).status).toBe(200);
    expect((await storePrice(other.id, 1_200)).status).toBe(200);
    const schedule = (await owner.request('GET', `/hq/api/products/${MILK_TEA.sku}/prices`)).body.prices as {
      storeCode: string | null;
      price: number;
      current: boolean;
    }[];
    expect(schedule).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ storeCode: 'MK01', price: 1_500, current: false }),
        expect.objectContaining({ storeCode: 'TST01', price: 1_200, current: true }),
        expect.objectContaining({ storeCode: null, price: MILK_TEA.price, current: true }),
      ]),
    );
    // pulled but not yet due: still the list price
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    if (Date.now() < startsAt - 500) expect((await scanOne(register, MILK_TEA.barcode)).listPrice).toBe(MILK_TEA.price);
    const due = await eventually(
      () => scanOne(register, MILK_TEA.barcode),
      (line) => line.listPrice === 1_500,
      'the store price to start',
    );
    expect(Date.now()).toBeGreaterThanOrEqual(startsAt);
    expect(due.listPrice).toBe(1_500);
  });

  it('a promotion from the editor, priced by the register’s engine; a bad one or a viewer’s is refused', async () => {
    // 3. a promotion from the editor: 20 % off the bun, priced by the register's engine
    const promotion = {
      code: 'HQ-BUN20',
      nameZh: '菠蘿包八折',
      nameEn: 'Pineapple bun 20% off',
      kind: 'percent',
      params: { target: { skus: [BUN.sku] }, basisPoints: 2_000 },
      priority: 10,
      startsAt: null,
      endsAt: null,
      active: true,
    };
    const bad = await owner.request('PUT', '/hq/api/promotions/HQ-BAD', {
      ...promotion,
      params: { target: { skus: [BUN.sku] }, basisPoints: 0 },
    });
    expect(bad.status).toBe(400);
    const viewer = new HqClient(hq.base);
    expect((await viewer.login('viewer@pull.hk')).status).toBe(200);
    expect((await viewer.request('PUT', '/hq/api/promotions/HQ-BUN20', promotion)).status).toBe(403);
    expect(
      (
        await viewer.request('PUT', '/hq/api/register-staff/C009', {
          nameZh: 'x',
          nameEn: 'x',
          role: 'cashier',
          active: true,
          storeIds: null,
        })
      ).status,
    ).toBe(403);
    expect((await owner.request('PUT', '/hq/api/promotions/HQ-BUN20', promotion)).status).toBe(200);
    const line = await eventually(
      () => scanOne(register, BUN.barcode),
      (l) => l.promotions.some((p) => p.nameEn === 'Pineapple bun 20% off'),
      'the promotion to price the bun',
    );
    expect(line.promotions.find((p) => p.nameEn === 'Pineapple bun 20% off')?.amount).toBe(Math.round(BUN.price * 0.2));

    // every change is in the audit trail
    const audit = (await owner.request('GET', '/hq/api/audit')).body as { entries: { action: string }[] };
    const actions = audit.entries.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['register-staff.save', 'price.set-store', 'promotion.save']));
  });
});
