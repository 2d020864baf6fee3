import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { saleOpensDrawer, type DrawerRule } from '../../../src/main/devices/drawer-rule';
import type { HardwareConfig } from '../../../src/shared/hardware-schemas';
import { DEMO_MANAGER } from '../helpers/demo-register';
import { call, drawerJobs, login, MILK_TEA, receiptJobs, sell, until, usePrinterRigs } from './device-test-kit';

const printers = usePrinterRigs();

const cash = (amount: number) => ({ method: 'cash', amount });
const card = (amount: number) => ({ method: 'card', amount });

describe('drawer rule matrix', () => {
  const cases: [string, Parameters<typeof saleOpensDrawer>[1], Record<DrawerRule, boolean>][] = [
    ['cash, exact', { payments: [cash(1800)], change: 0 }, { cash: true, 'change-due': false, always: true, never: false }],
    ['cash with change', { payments: [cash(1800)], change: 200 }, { cash: true, 'change-due': true, always: true, never: false }],
    ['card only', { payments: [card(1800)], change: 0 }, { cash: false, 'change-due': false, always: true, never: false }],
    ['card + cash', { payments: [card(1000), cash(800)], change: 0 }, { cash: true, 'change-due': false, always: true, never: false }],
    ['cash refund', { payments: [cash(-1800)], change: 0 }, { cash: true, 'change-due': false, always: true, never: false }],
  ];
  for (const [name, receipt, expected] of cases) {
    it(name, () => {
      for (const rule of Object.keys(expected) as DrawerRule[])
        expect([rule, saleOpensDrawer(rule, receipt)]).toEqual([rule, expected[rule]]);
    });
  }

  it('follows the rule set on the hardware screen: change-due does not kick for exact cash', async () => {
    const { emulator, register } = await printers.start({ staff: DEMO_MANAGER });
    const config = await call<HardwareConfig>(register)('hardware:set-drawer-rule', { rule: 'change-due' });
    expect(config.drawerRule).toBe('change-due');
    const exact = await sell(register, [MILK_TEA], 'cash');
    const withChange = await sell(register, [MILK_TEA], { cash: 2000 });
    await until(
      'both receipts',
      () => receiptJobs(emulator, exact.receiptNo).length === 1 && receiptJobs(emulator, withChange.receiptNo).length === 1,
    );
    expect(drawerJobs(emulator)).toHaveLength(1);
  });
});

describe('No Sale', () => {
  function auditRows(dataDir: string): { kind: string; staff_id: number; approver_id: number | null; detail: string }[] {
    const db = new Database(join(dataDir, 'register.db'), { readonly: true });
    try {
      return db
        .prepare("SELECT kind, staff_id, approver_id, detail FROM audit_log WHERE kind = 'drawer.no-sale' ORDER BY seq")
        .all() as never;
    } finally {
      db.close();
    }
  }

  it('needs a reason, writes an audit row and kicks the drawer through the printer even with paper out', async () => {
    const { emulator, register, dataDir } = await printers.start({ emulator: { state: { paperOut: true } } });
    expect(await register.dispatch('drawer:no-sale', { reason: '  ' })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(auditRows(dataDir)).toHaveLength(0);
    await call(register)('drawer:no-sale', { reason: '找換零錢 change for a customer' });
    await until('the kick', () => drawerJobs(emulator).length === 1);
    expect(auditRows(dataDir)).toEqual([
      { kind: 'drawer.no-sale', staff_id: 1, approver_id: null, detail: JSON.stringify({ reason: '找換零錢 change for a customer' }) },
    ]);
  });

  it('asks for a manager when the role may not open the drawer, and records who approved', async () => {
    const { emulator, register: first, dataDir } = await printers.start({ staff: null });
    const db = new Database(join(dataDir, 'register.db'));
    db.prepare("DELETE FROM role_permission WHERE role_code = 'cashier' AND permission = 'drawer.no-sale'").run();
    db.close();
    printers.close(first);
    const register = await printers.open(dataDir, {});
    await login(register);
    expect(await register.dispatch('drawer:no-sale', { reason: 'float check' })).toMatchObject({
      ok: false,
      error: { code: 'APPROVAL_REQUIRED' },
    });
    expect(
      await register.dispatch('drawer:no-sale', { reason: 'float check', approval: { staffId: DEMO_MANAGER.id, pin: '0000' } }),
    ).toMatchObject({ ok: false });
    expect(auditRows(dataDir)).toHaveLength(0);
    await call(register)('drawer:no-sale', { reason: 'float check', approval: { staffId: DEMO_MANAGER.id, pin: DEMO_MANAGER.pin } });
    expect(auditRows(dataDir)).toMatchObject([{ staff_id: 1, approver_id: DEMO_MANAGER.id }]);
    await until('the kick', () => drawerJobs(emulator).length === 1);
  });
});
