import { describe, expect, it } from 'vitest';
import type { RoleInfo, StaffRecord, Timesheet } from '../../../../src/shared/staff-schemas';
import { createRolesStore } from '../../../../src/renderer/back-office/stores/roles-store';
import { createStaffStore } from '../../../../src/renderer/back-office/stores/staff-store';
import { dayRange } from '../../../../src/renderer/back-office/staff/date-range';
import { createFakePosApi, fail, ok } from '../fake-pos-api';

const record: StaffRecord = {
  id: 1,
  code: 'C001',
  nameZh: '陳小明',
  nameEn: 'Chan Siu Ming',
  role: 'cashier',
  active: true,
  failedPins: 5,
  lockedUntil: 9_000,
  clockedInSince: null,
};
const cashier: RoleInfo = {
  code: 'cashier',
  nameZh: '收銀員',
  nameEn: 'Cashier',
  builtIn: true,
  discountLimitBasisPoints: 1000,
  permissions: ['sale.checkout'],
  staffCount: 1,
};
const sheet: Timesheet = {
  staffId: 1,
  nameZh: '陳小明',
  nameEn: 'Chan Siu Ming',
  periods: [{ in: 1_000, out: 3_601_000 }],
  workedMs: 3_600_000,
};

describe('the staff section store', () => {
  const now = Date.parse('2026-11-27T12:00:00+08:00');

  it('loads the staff, the roles and the last seven days’ timesheet', async () => {
    const fake = createFakePosApi();
    fake.answer('staff:list', ok([record]));
    fake.answer('roles:list', ok([cashier]));
    fake.answer('staff:timesheet', ok([sheet]));
    const store = createStaffStore(fake.api, { now: () => now });
    await store.getState().load();
    expect(store.getState()).toMatchObject({
      staff: [record],
      roles: [cashier],
      sheets: [sheet],
      sheetDays: { from: '2026-11-21', to: '2026-11-27' },
    });
    expect(fake.calls('staff:timesheet')).toEqual([dayRange('2026-11-21', '2026-11-27', 'Asia/Hong_Kong')]);
  });

  it('a refused save keeps the error and says nothing saved; a good one reloads the list', async () => {
    const fake = createFakePosApi();
    const store = createStaffStore(fake.api, { now: () => now });
    const input = { code: 'C002', nameZh: '李四', nameEn: 'Lee Sze', role: 'cashier', active: true, pin: '2468' };
    expect(await store.getState().save(input)).toBe(false);
    expect(store.getState()).toMatchObject({ saved: false, error: { code: 'FORBIDDEN' } });
    fake.answer('staff:save', ok({ ...record, id: 2, code: 'C002' }));
    fake.answer('staff:list', ok([record, { ...record, id: 2, code: 'C002' }]));
    expect(await store.getState().save(input)).toBe(true);
    expect(store.getState()).toMatchObject({ saved: true, error: null });
    expect(store.getState().staff).toHaveLength(2);
  });

  it('unlocks and shows the account unlocked; another range reloads the timesheet only', async () => {
    const fake = createFakePosApi();
    const store = createStaffStore(fake.api, { now: () => now });
    fake.answer('staff:unlock', ok({ ...record, failedPins: 0, lockedUntil: null }));
    fake.answer('staff:list', ok([{ ...record, failedPins: 0, lockedUntil: null }]));
    await store.getState().unlock(1);
    expect(fake.calls('staff:unlock')).toEqual([{ staffId: 1 }]);
    expect(store.getState().staff[0]?.lockedUntil).toBeNull();
    await store.getState().showTimesheet({ from: '2026-11-01', to: '2026-11-30' });
    expect(fake.calls('staff:timesheet').at(-1)).toEqual(dayRange('2026-11-01', '2026-11-30', 'Asia/Hong_Kong'));
    expect(fake.calls('staff:list')).toHaveLength(1);
  });
});

describe('the roles store', () => {
  const setup = async () => {
    const fake = createFakePosApi();
    fake.answer('roles:list', ok([cashier]));
    const store = createRolesStore(fake.api);
    await store.getState().load();
    return { fake, store, s: () => store.getState() };
  };

  it('shows each limit in percent and saves a typed one as basis points', async () => {
    const { fake, s } = await setup();
    expect(s().limits).toEqual({ cashier: '10' });
    fake.answer('roles:save', ok([{ ...cashier, discountLimitBasisPoints: 1250 }]));
    s().typeLimit('cashier', '12.5');
    expect(await s().saveLimit(cashier)).toBe(true);
    expect(fake.calls('roles:save')).toEqual([expect.objectContaining({ code: 'cashier', discountLimitBasisPoints: 1250 })]);
    expect(s().limits).toEqual({ cashier: '12.5' });
  });

  it('puts the saved limit back for anything that is not 0–100 % to the hundredth, and sends nothing', async () => {
    const { fake, s } = await setup();
    for (const typed of ['101', '-5', 'abc', '', '12.345']) {
      s().typeLimit('cashier', typed);
      expect(await s().saveLimit(cashier), typed).toBe(false);
      expect(s().limits.cashier).toBe('10');
    }
    s().typeLimit('cashier', '10.00');
    expect(await s().saveLimit(cashier)).toBe(true); // unchanged: nothing to send
    expect(fake.calls('roles:save')).toEqual([]);
  });

  it('ticks a permission, adds a role selling only, and shows a refused delete', async () => {
    const { fake, s } = await setup();
    await s().setPermission(cashier, 'drawer.no-sale', true);
    expect(fake.calls('roles:save')[0]?.permissions).toEqual(['sale.checkout', 'drawer.no-sale']);
    await s().saveName({ code: ' Senior ', nameZh: ' 高級收銀員 ', nameEn: 'Senior cashier' });
    expect(fake.calls('roles:save')[1]).toEqual({
      code: 'senior',
      nameZh: '高級收銀員',
      nameEn: 'Senior cashier',
      discountLimitBasisPoints: 0,
      permissions: ['sale.checkout'],
    });
    fake.answer('roles:delete', fail('CONFLICT'));
    expect(await s().remove('senior')).toBe(false);
    expect(s().error?.code).toBe('CONFLICT');
  });
});
