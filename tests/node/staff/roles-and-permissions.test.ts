import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRegister } from '../../../src/main/register';
import { silentLogger } from '../../../src/main/log';
import { describe, expect, it } from 'vitest';
import type { RoleInfo, StaffRecord } from '../../../src/shared/staff-schemas';
import type { StaffSummary } from '../../../src/shared/schemas';
import type { Cart, Receipt } from '../../../src/shared/checkout-schemas';
import type { AuditEntryView } from '../../../src/shared/staff-schemas';
import { permissions } from '../../../src/shared/permissions';
import { useTempDirs } from '../helpers/temp-dir';
import { unwrap, useDemoRegisters } from '../helpers/register-session';
import { CASHIER, CASHIER_2, MANAGER, MILK_TEA, WATER } from './staff-helpers';

const tempDir = useTempDirs();
const start = useDemoRegisters();

const roleOf = (roles: RoleInfo[], code: string) => roles.find((r) => r.code === code)!;
const roleInput = ({ code, nameZh, nameEn, discountLimitBasisPoints, permissions }: RoleInfo) => ({
  code,
  nameZh,
  nameEn,
  discountLimitBasisPoints,
  permissions,
});

describe('roles and the permission matrix', () => {
  it('seeds the four built-in roles with their defaults and gives the logged-in staff member their permissions', async () => {
    const t = await start();
    await t.as(CASHIER);
    const roles = await t.call<RoleInfo[]>('roles:list');
    expect(roles.map((r) => [r.code, r.builtIn])).toEqual([
      ['cashier', true],
      ['supervisor', true],
      ['manager', true],
      ['admin', true],
    ]);
    expect(roleOf(roles, 'cashier').permissions).toEqual(expect.arrayContaining(['sale.checkout', 'refund.with-receipt']));
    expect(roleOf(roles, 'cashier').permissions).not.toContain('refund.without-receipt');
    expect(roleOf(roles, 'supervisor').permissions).toContain('price.override');
    expect(roleOf(roles, 'admin').permissions).toEqual([...permissions]);
    // The old setting's limits moved onto the role rows.
    expect(roleOf(roles, 'cashier').discountLimitBasisPoints).toBe(1000);
    expect(roleOf(roles, 'manager').discountLimitBasisPoints).toBe(10_000);
    const status = await t.call<{ staff: StaffSummary }>('register:status');
    expect(status.staff).toMatchObject({ id: CASHIER.id, role: 'cashier', roleNameZh: '收銀員', discountLimitBasisPoints: 1000 });
    expect(status.staff.permissions).toEqual(roleOf(roles, 'cashier').permissions);
  });

  it("keeps a manager's edits across restarts, and grants a permission new to the database its defaults once", async () => {
    let till = await start();
    const { dataDir } = till;
    await till.as(MANAGER);
    const supervisor = roleOf(await till.call<RoleInfo[]>('roles:list'), 'supervisor');
    await till.call('roles:save', { ...roleInput(supervisor), permissions: supervisor.permissions.filter((p) => p !== 'price.override') });
    till.close();
    // As if audit.view had just been added by a newer version.
    const db = new Database(join(dataDir, 'register.db'));
    db.exec("DELETE FROM role_permission WHERE permission = 'audit.view'; DELETE FROM permission_seen WHERE permission = 'audit.view'");
    db.close();

    till = await start({ dataDir });
    await till.as(MANAGER);
    const roles = await till.call<RoleInfo[]>('roles:list');
    expect(roleOf(roles, 'supervisor').permissions).not.toContain('price.override');
    expect(roles.filter((r) => r.permissions.includes('audit.view')).map((r) => r.code)).toEqual(['manager', 'admin']);
  });

  it('a new register without the demo starts with one administrator who holds every permission', async () => {
    const dataDir = tempDir();
    const reg = await createRegister({ dataDir, log: silentLogger });
    try {
      const pin = readFileSync(join(dataDir, 'secrets', 'first-manager-pin.txt'), 'utf8')
        .trim()
        .match(/\d{6}/)![0];
      const [admin] = unwrap<StaffSummary[]>(await reg.dispatch('staff:list-for-login', {}));
      const summary = unwrap<StaffSummary>(await reg.dispatch('staff:login', { staffId: admin!.id, pin }));
      expect(summary).toMatchObject({ role: 'admin', roleNameZh: '系統管理員', discountLimitBasisPoints: 10_000 });
      expect(summary.permissions).toEqual([...permissions]);
    } finally {
      reg.close();
    }
  });

  it('refuses manager-only channels to a cashier and allows them to a manager', async () => {
    const t = await start();
    await t.as(CASHIER);
    for (const [channel, payload] of [
      ['staff:list', {}],
      [
        'roles:save',
        { code: 'cashier', nameZh: '收銀員', nameEn: 'Cashier', discountLimitBasisPoints: 10_000, permissions: [...permissions] },
      ],
      ['audit:verify', {}],
      ['staff:unlock', { staffId: CASHIER.id }],
    ] as const) {
      expect(await t.reg.dispatch(channel, payload)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    expect(roleOf(await t.call<RoleInfo[]>('roles:list'), 'cashier').discountLimitBasisPoints).toBe(1000);
    await t.as(MANAGER);
    expect((await t.call<StaffRecord[]>('staff:list')).map((s) => s.id).sort()).toEqual([1, 2, 3]);
  });

  it('a matrix edit takes effect on the very next call', async () => {
    const t = await start();
    await t.as(CASHIER);
    await t.call<Cart>('cart:scan', { code: WATER });
    const cart = await t.call<Cart>('cart:get');
    const sale = await t.call<Receipt>('sale:complete', { cartId: cart.id, tenders: [{ method: 'cash', amount: 800, tendered: 1000 }] });
    const saleLineId = sale.lines[0]!.id;

    await t.as(MANAGER);
    const cashier = roleOf(await t.call<RoleInfo[]>('roles:list'), 'cashier');
    await t.call('roles:save', { ...roleInput(cashier), permissions: cashier.permissions.filter((p) => p !== 'refund.with-receipt') });
    await t.as(CASHIER);
    expect(await t.reg.dispatch('cart:add-return', { receiptNo: sale.receiptNo, lines: [{ saleLineId, quantity: 1 }] })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect((await t.call<{ staff: StaffSummary }>('register:status')).staff.permissions).not.toContain('refund.with-receipt');

    // Given back while the cashier stays logged in: the next call works.
    const selfService = await t.reg.dispatch('roles:save', roleInput(cashier));
    expect(selfService).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } }); // the cashier cannot do it
    await t.as(MANAGER);
    await t.call('roles:save', { ...roleInput(cashier), discountLimitBasisPoints: 500 });
    await t.as(CASHIER);
    expect((await t.call<Cart>('cart:add-return', { receiptNo: sale.receiptNo, lines: [{ saleLineId, quantity: 1 }] })).lines).toHaveLength(
      1,
    );
    expect((await t.call<{ staff: StaffSummary }>('register:status')).staff.discountLimitBasisPoints).toBe(500);

    await t.as(MANAGER);
    const changes = await t.call<AuditEntryView[]>('audit:list', { kinds: ['role.changed'] });
    expect(changes.map((c) => c.detail)).toEqual([
      expect.objectContaining({ added: ['refund.with-receipt'], removed: [], discountLimitBasisPoints: 500, discountLimitBefore: 1000 }),
      expect.objectContaining({ added: [], removed: ['refund.with-receipt'] }),
    ]);
    expect(changes.every((c) => c.staff?.id === MANAGER.id)).toBe(true);
  });

  it('supports a custom role: add, give to a new staff member who can log in, refuse to delete while in use, rename, delete', async () => {
    const t = await start();
    await t.as(MANAGER);
    const roles = await t.call<RoleInfo[]>('roles:save', {
      code: 'trainee',
      nameZh: '實習生',
      nameEn: 'Trainee',
      discountLimitBasisPoints: 0,
      permissions: ['sale.checkout'],
    });
    expect(roleOf(roles, 'trainee')).toMatchObject({ builtIn: false, permissions: ['sale.checkout'], staffCount: 0 });
    const trainee = await t.call<StaffRecord>('staff:save', {
      code: 'T001',
      nameZh: '新仔',
      nameEn: 'New Kid',
      role: 'trainee',
      active: true,
      pin: '4321',
    });
    expect(trainee).toMatchObject({ role: 'trainee', active: true, lockedUntil: null });
    expect(await t.reg.dispatch('roles:delete', { code: 'trainee' })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(await t.reg.dispatch('roles:delete', { code: 'cashier' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    await t.as({ id: trainee.id, pin: '4321' });
    const status = await t.call<{ staff: StaffSummary }>('register:status');
    expect(status.staff).toMatchObject({ role: 'trainee', roleNameEn: 'Trainee', permissions: ['sale.checkout'] });
    const cart = await t.call<Cart>('cart:scan', { code: MILK_TEA });
    // Any discount is over a zero limit; a price override needs a supervisor or above.
    expect(
      await t.reg.dispatch('cart:set-line-discount', { lineId: cart.lines[0]!.id, discount: { kind: 'percent', basisPoints: 100 } }),
    ).toMatchObject({ ok: false, error: { code: 'APPROVAL_REQUIRED' } });
    expect(await t.reg.dispatch('cart:set-price', { lineId: cart.lines[0]!.id, unitPrice: 1000 })).toMatchObject({
      ok: false,
      error: { code: 'APPROVAL_REQUIRED' },
    });
    expect(await t.reg.dispatch('cart:add-return', { receiptNo: 'MK01-01-000001', lines: [{ saleLineId: 1, quantity: 1 }] })).toMatchObject(
      { ok: false, error: { code: 'FORBIDDEN' } },
    );

    await t.as(MANAGER);
    await t.call('staff:save', { id: trainee.id, code: 'T001', nameZh: '新仔', nameEn: 'New Kid', role: 'cashier', active: false });
    await t.call('roles:save', {
      code: 'trainee',
      nameZh: '見習',
      nameEn: 'Apprentice',
      discountLimitBasisPoints: 0,
      permissions: ['sale.checkout'],
    });
    expect(roleOf(await t.call<RoleInfo[]>('roles:list'), 'trainee').nameZh).toBe('見習');
    const after = await t.call<RoleInfo[]>('roles:delete', { code: 'trainee' });
    expect(after.map((r) => r.code)).not.toContain('trainee');
    // Deactivated: off the login list and cannot log in.
    expect((await t.call<StaffSummary[]>('staff:list-for-login')).map((s) => s.id)).not.toContain(trainee.id);
    expect(await t.reg.dispatch('staff:login', { staffId: trainee.id, pin: '4321' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });

  it('nobody hands out what they do not hold, nor takes role management from their own role', async () => {
    const t = await start();
    await t.as(MANAGER);
    const manager = roleOf(await t.call<RoleInfo[]>('roles:list'), 'manager');
    expect(
      await t.reg.dispatch('roles:save', {
        code: 'manager',
        nameZh: manager.nameZh,
        nameEn: manager.nameEn,
        discountLimitBasisPoints: 10_000,
        permissions: manager.permissions.filter((p) => p !== 'roles.manage'),
      }),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    // A role that may sell and manage staff and roles, but not audit: its holder cannot grant audit.view.
    const cashierPermissions = roleOf(await t.call<RoleInfo[]>('roles:list'), 'cashier').permissions;
    const hrPermissions = [...cashierPermissions, 'staff.manage', 'roles.manage'];
    await t.call('roles:save', { code: 'hr', nameZh: '人事', nameEn: 'HR', discountLimitBasisPoints: 0, permissions: hrPermissions });
    const hr = await t.call<StaffRecord>('staff:save', {
      code: 'H001',
      nameZh: '人事部',
      nameEn: 'HR Person',
      role: 'hr',
      active: true,
      pin: '5555',
    });
    await t.as({ id: hr.id, pin: '5555' });
    expect(
      await t.reg.dispatch('roles:save', {
        code: 'hr',
        nameZh: '人事',
        nameEn: 'HR',
        discountLimitBasisPoints: 0,
        permissions: [...hrPermissions, 'audit.view'],
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    // … nor give a staff member the manager role, nor change their own role.
    expect(
      await t.reg.dispatch('staff:save', {
        id: CASHIER_2.id,
        code: 'C002',
        nameZh: '黃美玲',
        nameEn: 'Wong Mei Ling',
        role: 'manager',
        active: true,
      }),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(
      await t.reg.dispatch('staff:save', { id: hr.id, code: 'H001', nameZh: '人事部', nameEn: 'HR Person', role: 'admin', active: true }),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    // … nor set a new PIN for the manager (and then log in as them).
    expect(
      await t.reg.dispatch('staff:save', {
        id: MANAGER.id,
        code: 'M001',
        nameZh: '李志強',
        nameEn: 'Lee Chi Keung',
        role: 'manager',
        active: true,
        pin: '0001',
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await t.reg.dispatch('staff:login', { staffId: MANAGER.id, pin: MANAGER.pin })).toMatchObject({ ok: true });
    await t.as({ id: hr.id, pin: '5555' });
    // Within their reach: a cashier's new PIN.
    await t.call('staff:save', {
      id: CASHIER_2.id,
      code: 'C002',
      nameZh: '黃美玲',
      nameEn: 'Wong Mei Ling',
      role: 'cashier',
      active: true,
      pin: '7777',
    });
    expect(
      await t.reg.dispatch('staff:save', { code: 'C001', nameZh: '重複', nameEn: 'Duplicate', role: 'hr', active: true, pin: '1111' }),
    ).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    await t.as({ id: CASHIER_2.id, pin: '7777' });
  });

  it("records both people on an override, and checks the approver's role, not just any PIN", async () => {
    const t = await start();
    await t.as(MANAGER);
    // 黃美玲 becomes a supervisor: she may override prices but not approve a return without a receipt.
    await t.call('staff:save', {
      id: CASHIER_2.id,
      code: 'C002',
      nameZh: '黃美玲',
      nameEn: 'Wong Mei Ling',
      role: 'supervisor',
      active: true,
    });
    await t.as(CASHIER);
    const cart = await t.call<Cart>('cart:scan', { code: MILK_TEA });
    const lineId = cart.lines[0]!.id;
    expect(await t.reg.dispatch('cart:set-price', { lineId, unitPrice: 1500 })).toMatchObject({
      ok: false,
      error: { code: 'APPROVAL_REQUIRED' },
    });
    expect(
      await t.reg.dispatch('cart:set-price', { lineId, unitPrice: 1500, approval: { staffId: CASHIER.id, pin: CASHIER.pin } }),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const priced = await t.call<Cart>('cart:set-price', {
      lineId,
      unitPrice: 1500,
      approval: { staffId: CASHIER_2.id, pin: CASHIER_2.pin },
    });
    expect(priced.lines[0]).toMatchObject({ unitPrice: 1500, priceOverridden: true });
    expect(
      await t.reg.dispatch('cart:add-return-without-receipt', {
        code: WATER,
        quantity: 1,
        approval: { staffId: CASHIER_2.id, pin: CASHIER_2.pin },
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    // Over the cashier's 10 % limit but within the supervisor's 20 %: she may approve it; 30 % needs a manager.
    expect(
      await t.reg.dispatch('cart:set-cart-discount', {
        discount: { kind: 'percent', basisPoints: 3000 },
        approval: { staffId: CASHIER_2.id, pin: CASHIER_2.pin },
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    await t.call<Cart>('cart:set-cart-discount', {
      discount: { kind: 'percent', basisPoints: 1500 },
      approval: { staffId: CASHIER_2.id, pin: CASHIER_2.pin },
    });
    await t.call<Cart>('cart:add-return-without-receipt', {
      code: WATER,
      quantity: 1,
      approval: { staffId: MANAGER.id, pin: MANAGER.pin },
    });
    const current = await t.call<Cart>('cart:get');
    const receipt = await t.call<Receipt>('sale:complete', {
      cartId: current.id,
      tenders: current.total > 0 ? [{ method: 'cash', amount: current.total, tendered: 10_000 }] : [],
    });
    await t.call('cart:scan', { code: WATER });
    await t.call('cart:void', { reason: 'customer left' });

    await t.as(MANAGER);
    const rows = await t.call<AuditEntryView[]>('audit:list', { kinds: ['price.override', 'discount.over-limit', 'refund', 'cart.void'] });
    expect(rows.map((r) => [r.kind, r.staff?.id, r.approver?.id ?? null])).toEqual([
      ['cart.void', CASHIER.id, null],
      ['refund', CASHIER.id, MANAGER.id],
      ['discount.over-limit', CASHIER.id, CASHIER_2.id],
      ['price.override', CASHIER.id, CASHIER_2.id],
    ]);
    expect(rows[1]!.subject).toBe(receipt.receiptNo);
    expect(rows[3]!.detail).toMatchObject({ from: 1800, to: 1500 });
  });
});
