/**
 * 練習模式 (issue 17): a training session of 20 documents between real ones leaves no trace in the
 * shop's figures: X and Z, shift cash, stock, the sync outbox, the audit's money rows and the real
 * receipt numbering are identical with and without it. Only a manager switches it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { Cart, Receipt } from '../../../src/shared/checkout-schemas';
import type { DayTotals, ZReport } from '../../../src/shared/shift-schemas';
import type { TrainingStatus } from '../../../src/shared/schemas';
import { DEMO_MANAGER } from '../helpers/demo-register';
import { useDemoRegisters, type RegisterSession } from '../helpers/register-session';
import { CASHIER, MANAGER, MILK_TEA, PINEAPPLE_BUN, WATER, notes, useTills, type Till } from '../shifts/till';

/** Every table that holds a figure of the shop: documents, carts, stock, cash, reports, sync, members, orders. */
const FIGURE_TABLES = [
  'cart',
  'cart_line',
  'sale',
  'sale_line',
  'payment',
  'stock_movement',
  'stock_level',
  'outbox',
  'business_day',
  'shift',
  'cash_movement',
  'report_rollup_state',
  'report_hour',
  'report_product_day',
  'report_product_month',
  'report_staff_day',
  'report_method_day',
  'report_channel_day',
  'member_enrolment',
  'customer_order',
  'order_handover',
] as const;

function figures(dataDir: string): Record<string, unknown[]> {
  const db = new Database(join(dataDir, 'register.db'), { readonly: true, fileMustExist: true });
  try {
    return Object.fromEntries(FIGURE_TABLES.map((table) => [table, db.prepare(`SELECT * FROM "${table}"`).raw().all()]));
  } finally {
    db.close();
  }
}

/** The audit log without the two rows training may add (switched on, switched off). */
function auditRows(dataDir: string): unknown[] {
  const db = new Database(join(dataDir, 'register.db'), { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare("SELECT seq, kind, staff_id, subject, detail FROM audit_log WHERE kind NOT LIKE 'training.%' ORDER BY seq")
      .raw()
      .all();
  } finally {
    db.close();
  }
}

function trainingAudit(dataDir: string): { kind: string; detail: string }[] {
  const db = new Database(join(dataDir, 'register.db'), { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare<[], { kind: string; detail: string }>("SELECT kind, detail FROM audit_log WHERE kind LIKE 'training.%' ORDER BY seq")
      .all();
  } finally {
    db.close();
  }
}

/** The shop's figures a manager reads: the X report and the open shift's expected cash. */
async function readings(t: Till) {
  return { x: await t.call<DayTotals>('report:x'), shift: await t.call('shift:state') };
}

async function voidCart(t: Till, codes: readonly string[]): Promise<void> {
  for (const code of codes) await t.call<Cart>('cart:scan', { code });
  await t.call('cart:void', { reason: '客人不要 customer changed mind' });
}

/** 20 training documents: 17 sales (cash, card, Octopus), 2 returns, 1 voided sale. */
async function trainingSession(t: Till): Promise<Receipt[]> {
  const made: Receipt[] = [];
  const methods = ['cash', 'card', 'octopus'] as const;
  for (let i = 0; i < 17; i++)
    made.push(await t.sell(i % 2 ? [MILK_TEA, MILK_TEA, PINEAPPLE_BUN] : [WATER], { method: methods[i % 3]!, extra: 1000 }));
  made.push(await t.refund(made[0]!));
  made.push(await t.refund(made[1]!));
  await voidCart(t, [MILK_TEA, WATER]);
  return made;
}

describe('training mode', () => {
  const openTill = useTills();
  const openRegister = useDemoRegisters();

  it('20 training documents between real ones leave X, Z, shift cash, stock, outbox, audit and receipt numbers as they were', async () => {
    // The same day twice: `plain` without training, `trained` with a session of 20 training documents in the middle.
    const days = {} as Record<'plain' | 'trained', { z: ZReport; receipts: string[] }>;
    for (const mode of ['plain', 'trained'] as const) {
      const t = await openTill();
      await t.login(MANAGER);
      await t.call('shift:open', { float: notes({ 10_000: 5 }) });
      const before1 = await t.sell([MILK_TEA, MILK_TEA], { method: 'cash', extra: 2000 });
      const before2 = await t.sell([PINEAPPLE_BUN, WATER], { method: 'card' });
      await t.refund(before2);
      await voidCart(t, [WATER]);

      const dataDir = t.reg.dataDir;
      const seen = await readings(t);
      const stored = figures(dataDir);
      const audited = auditRows(dataDir);
      if (mode === 'trained') {
        const on = await t.call<TrainingStatus>('training:set', { on: true });
        expect(on).toMatchObject({ on: true, kickDrawer: false, documents: 0, by: '李志強' });
        const made = await trainingSession(t);
        expect(made.map((r) => r.receiptNo)).toEqual(Array.from({ length: 19 }, (_, i) => `TRN-MK01-01-${String(i + 1).padStart(6, '0')}`));
        expect(made.every((r) => r.training === true)).toBe(true);
        expect(made.filter((r) => r.kind === 'return')).toHaveLength(2);
        // A training receipt is found (and reprinted) in training; the real register never sees it.
        expect((await t.call<Receipt>('sale:find', { receiptNo: made[3]!.receiptNo })).total).toBe(made[3]!.total);
        // What would change the real figures is refused while training.
        for (const [channel, payload] of [
          ['shift:cash-movement', { kind: 'pay-in', amount: 1000, reason: 'practice' }],
          ['drawer:no-sale', { reason: 'practice' }],
          ['day:close', {}],
        ] as const)
          expect(await t.attempt(channel, payload), channel).toMatchObject({ ok: false, error: { code: 'TRAINING_MODE' } });
        expect(await t.call<TrainingStatus>('training:status')).toMatchObject({ on: true, documents: 19 });
        // While training, the shop's figures are already untouched.
        expect(figures(dataDir)).toEqual(stored);
        expect(await readings(t)).toEqual(seen);

        const off = await t.call<TrainingStatus>('training:set', { on: false });
        expect(off).toMatchObject({ on: false, documents: 0 });
        expect(existsSync(join(dataDir, 'training.db'))).toBe(false);
        expect(trainingAudit(dataDir)).toEqual([
          { kind: 'training.started', detail: JSON.stringify({ kickDrawer: false }) },
          { kind: 'training.stopped', detail: JSON.stringify({ trainingDocuments: 19 }) },
        ]);
        // A training receipt number means nothing to the real register.
        expect(await t.attempt('sale:find', { receiptNo: made[0]!.receiptNo })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      }
      expect(figures(dataDir)).toEqual(stored);
      expect(await readings(t)).toEqual(seen);
      expect(auditRows(dataDir)).toEqual(audited);

      // The next real sale takes the next real number, and the day closes as it would have.
      const after = await t.sell([MILK_TEA], { method: 'cash' });
      expect([before1.receiptNo, before2.receiptNo, after.receiptNo]).toEqual(['MK01-01-000001', 'MK01-01-000002', 'MK01-01-000004']);
      days[mode] = { z: await closeDay(t), receipts: [before1.receiptNo, after.receiptNo] };
      t.close();
    }
    const { plain, trained } = days;
    // Times differ (training took minutes on the clock); every figure is the same.
    const timeless = (z: ZReport): unknown => JSON.parse(JSON.stringify(z.totals, (key, value: unknown) => (/At$/.test(key) ? 0 : value)));
    expect(timeless(trained.z)).toEqual(timeless(plain.z));
    expect(trained.receipts).toEqual(plain.receipts);
  });

  it('only a role with training.manage switches training: a cashier is refused, and sees the state', async () => {
    const t = await openTill();
    await t.login(CASHIER);
    expect(await t.attempt('training:set', { on: true })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await t.call<TrainingStatus>('training:status')).toMatchObject({ on: false });
    expect(trainingAudit(t.reg.dataDir)).toEqual([]);
    await t.login(MANAGER);
    await t.call('training:set', { on: true });
    await t.login(CASHIER);
    // The cashier sells in training, and cannot switch it off either.
    expect((await t.sell([WATER])).receiptNo).toBe('TRN-MK01-01-000001');
    expect(await t.attempt('training:set', { on: false })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect((await t.call<{ training: TrainingStatus }>('register:status')).training).toMatchObject({ on: true, documents: 1 });
  });

  it('a restart keeps the register in training with its training documents', async () => {
    const first = await openRegister({ staff: DEMO_MANAGER });
    await first.call('training:set', { on: true });
    expect((await sellWater(first)).receiptNo).toBe('TRN-MK01-01-000001');
    first.close();
    const again = await openRegister({ staff: DEMO_MANAGER, dataDir: first.dataDir });
    expect(await again.call<TrainingStatus>('training:status')).toMatchObject({ on: true, documents: 1 });
    expect((await sellWater(again)).receiptNo).toBe('TRN-MK01-01-000002');
    await again.call('training:set', { on: false });
    expect((await sellWater(again)).receiptNo).toBe('MK01-01-000001');
  });
});

async function closeDay(t: Till): Promise<ZReport> {
  await t.call('shift:count', { counted: notes({ 10_000: 5 }) });
  await t.call('shift:close', { reason: '測試 test day' });
  return t.call<ZReport>('day:close');
}

async function sellWater(session: RegisterSession): Promise<Receipt> {
  const cart = await session.call<Cart>('cart:scan', { code: WATER });
  return session.call<Receipt>('sale:complete', { cartId: cart.id, tenders: [{ method: 'cash', amount: cart.total }] });
}
