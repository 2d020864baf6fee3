import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { CountResult, DayStatus, DayTotals, OpenShift, ShiftCash, ShiftState, ZReport } from '../../../src/shared/shift-schemas';
import { expectedCash } from '../../../src/main/shifts/expected-cash';
import { snapshotDatabase } from '../helpers/db-snapshot';
import type { Receipt } from '../../../src/shared/checkout-schemas';
import { CASHIER, MANAGER, MILK_TEA, PINEAPPLE_BUN, WATER, notes, useTills, type Till } from './till';

const openTill = useTills();

async function cashierTill(): Promise<Till> {
  const till = await openTill();
  await till.login(CASHIER);
  return till;
}

/** Everything but what says when and which Z it was. */
function figures(t: DayTotals) {
  const { zNo: _z, closedAt: _c, ...rest } = t;
  return rest;
}

describe('expected cash', () => {
  it('is float + cash handed over − change − cash refunds + pay-ins − pay-outs − safe drops', () => {
    const flows = {
      float: 50_000,
      cashTendered: 10_000,
      changeGiven: 8_200,
      cashRefunds: 800,
      payIns: 2_000,
      payOuts: 1_500,
      safeDrops: 20_000,
    };
    expect(expectedCash(flows)).toBe(50_000 + 10_000 - 8_200 - 800 + 2_000 - 1_500 - 20_000);
  });

  it('takes change given out of the drawer, never counts it as cash in (the common register bug)', async () => {
    const t = await cashierTill();
    await t.call<OpenShift>('shift:open', { float: notes({ 10_000: 5 }) }); // HK$500
    const sale = await t.sell([MILK_TEA], { method: 'cash', tendered: 10_000 }); // HK$18 paid with HK$100
    expect(sale.change).toBe(8_200);
    const count = await t.call<CountResult>('shift:count', { counted: notes({ 10_000: 5, 1_000: 1, 500: 1, 100: 3 }) }); // HK$518
    expect(count.expected).toBe(50_000 + 1_800);
    expect(count.expected).not.toBe(50_000 + 10_000 + 8_200); // the bug: change added as cash in
    expect(count.overShort).toBe(0);
  });
});

describe('shifts', () => {
  it('opens with a float by denomination, moves cash with reasons, and closes on a blind count', async () => {
    const t = await cashierTill();
    const opened = await t.call<OpenShift>('shift:open', { float: notes({ 100_000: 1, 2_000: 10, 50: 4, 10: 5 }) });
    expect(opened.float).toBe(100_000 + 20_000 + 200 + 50);
    await t.sell([WATER], { method: 'cash', tendered: 5_000 }); // +800
    const refunded = await t.sell([PINEAPPLE_BUN], { method: 'card' });
    await t.refund(refunded); // card sale refunded in cash: −HK$7.70 (HK$7.65 rounded) from the drawer
    await t.call('shift:cash-movement', { kind: 'pay-in', amount: 5_000, reason: '找續用散紙' });
    await t.call('shift:cash-movement', { kind: 'pay-out', amount: 3_500, reason: '買牛奶' });
    const after = await t.call<OpenShift>('shift:cash-movement', { kind: 'safe-drop', amount: 100_000, reason: '存入夾萬' });
    expect(after.movements.map((m) => m.kind)).toEqual(['pay-in', 'pay-out', 'safe-drop']);

    const state = await t.call<ShiftState>('shift:state');
    expect(state.blindCount).toBe(true);
    expect(state.expected).toBeNull(); // blind: the cashier counts before seeing it

    const expected = 120_250 + 800 - 770 + 5_000 - 3_500 - 100_000;
    const count = await t.call<CountResult>('shift:count', { counted: notes({ 10_000: 2, 1_000: 1 }) }); // HK$210: HK$7.80 short
    expect(count.expected).toBe(expected);
    expect(count.overShort).toBe(21_000 - expected);
    expect(count.needsReason).toBe(true);
    expect(count.needsApproval).toBe(false);
    const again = await t.attempt('shift:count', { counted: notes({ 2_000: 2 }) });
    expect(again).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });

    expect(await t.attempt('shift:close', {})).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    const closed = await t.call<ShiftCash>('shift:close', { reason: '找錯錢' });
    expect(closed).toMatchObject({
      float: 120_250,
      cashTendered: 5_000,
      changeGiven: 4_200,
      cashRefunds: 770,
      payIns: 5_000,
      payOuts: 3_500,
      safeDrops: 100_000,
      expected,
      counted: 21_000,
      overShort: 21_000 - expected,
      overShortReason: '找錯錢',
    });
    expect((await t.call<ShiftState>('shift:state')).shift).toBeNull();

    const db = new Database(t.reg.dbFile, { readonly: true });
    const audit = db.prepare("SELECT kind FROM audit_log WHERE kind LIKE 'shift.%' OR kind LIKE 'cash.%' ORDER BY seq").pluck().all();
    expect(audit).toEqual(['shift.opened', 'cash.pay-in', 'cash.pay-out', 'cash.safe-drop', 'shift.closed']);
    const outbox = db.prepare('SELECT seq, kind FROM outbox ORDER BY seq').all() as { seq: number; kind: string }[];
    expect(outbox.map((r) => r.seq)).toEqual(outbox.map((_, i) => i + 1)); // gapless with the sales' rows
    expect(outbox.map((r) => r.kind).filter((k) => !k.startsWith('document.'))).toEqual([
      'shift.opened',
      'cash.movement',
      'cash.movement',
      'cash.movement',
      'shift.closed',
    ]);
    db.close();
  });

  it('needs a manager beyond the tolerance, refuses a second shift, and refuses bad input without writing', async () => {
    const t = await cashierTill();
    await t.call('shift:open', { float: notes({ 50_000: 1 }) });
    expect(await t.attempt('shift:open', { float: notes({ 50_000: 1 }) })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    const before = snapshotDatabase(t.reg.dbFile);
    expect(await t.attempt('shift:cash-movement', { kind: 'pay-out', amount: 60_000, reason: 'too much' })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
    expect(await t.attempt('shift:cash-movement', { kind: 'pay-in', amount: 100, reason: '' })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
    expect(await t.attempt('shift:open', { float: [{ value: 3, count: 1 }] })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(snapshotDatabase(t.reg.dbFile)).toBe(before);

    const count = await t.call<CountResult>('shift:count', { counted: notes({ 10_000: 4 }) }); // HK$100 short
    expect(count).toMatchObject({ overShort: -10_000, needsApproval: true });
    expect(await t.attempt('shift:close', { reason: '不見咗' })).toMatchObject({ ok: false, error: { code: 'APPROVAL_REQUIRED' } });
    expect(await t.attempt('shift:close', { reason: '不見咗', approval: { staffId: 2, pin: '2345' } })).toMatchObject({ ok: false });
    const closed = await t.call<ShiftCash>('shift:close', { reason: '不見咗', approval: MANAGER });
    expect(closed.overShort).toBe(-10_000);
    const db = new Database(t.reg.dbFile, { readonly: true });
    expect(db.prepare("SELECT approver_id FROM audit_log WHERE kind = 'shift.closed'").pluck().get()).toBe(3);
    db.close();
  });

  it('counts no-sale drawer openings of the shift from the audit log', async () => {
    const t = await openTill({ printer: true });
    await t.login(CASHIER);
    await t.call('shift:open', { float: notes({ 50_000: 1 }) });
    await t.call('drawer:no-sale', { reason: '客人換錢' });
    await t.call('shift:count', { counted: notes({ 50_000: 1 }) });
    const closed = await t.call<ShiftCash>('shift:close', {});
    expect(closed.noSales).toBe(1);
  });
});

describe('X and Z reports', () => {
  it('numbers Zs 1, 2 without gaps, never redoes one, and puts sales after a Z in the next day', async () => {
    const t = await openTill();
    await t.login(MANAGER);
    await t.call('shift:open', { float: notes({ 10_000: 5 }) });
    const first = await t.sell([MILK_TEA], { method: 'cash', tendered: 2_000 });
    await t.sell([WATER], { method: 'card' });
    await t.call('shift:count', { counted: notes({ 10_000: 5, 1_000: 1, 500: 1, 200: 1, 100: 1 }) }); // 518 − HK$10 short? no: exact 518
    expect(await t.attempt('day:close')).toMatchObject({ ok: false, error: { code: 'CONFLICT' } }); // shift still open
    await t.call('shift:close', {});

    const x = await t.call<DayTotals>('report:x');
    const snapshot = snapshotDatabase(t.reg.dbFile);
    await t.call<DayTotals>('report:x');
    expect(snapshotDatabase(t.reg.dbFile)).toBe(snapshot); // an X changes nothing

    const z1 = await t.call<ZReport>('day:close');
    expect(z1.totals.zNo).toBe(1);
    expect(figures(z1.totals)).toEqual(figures(x)); // the X in between matches the Z
    expect(z1.totals.firstReceipt).toBe(first.receiptNo);
    expect(z1.totals.net).toBe(1_800 + 800);
    expect(await t.attempt('day:close')).toMatchObject({ ok: false, error: { code: 'CONFLICT' } }); // never redone

    t.clock.advance(12 * 3_600_000);
    const next = await t.sell([PINEAPPLE_BUN], { method: 'cash' });
    const x2 = await t.call<DayTotals>('report:x');
    expect(x2.firstReceipt).toBe(next.receiptNo);
    expect(x2.counts.documents).toBe(1);
    expect((await t.call<DayStatus>('day:status')).nextZNo).toBe(2);
    const z2 = await t.call<ZReport>('day:close');
    expect(z2.totals).toMatchObject({ zNo: 2, net: next.total, firstReceipt: next.receiptNo, lastReceipt: next.receiptNo, shifts: [] });
    expect(z2.totals.outsideShifts.cashTendered).toBe(next.payments[0]!.tendered);

    // stored, never recomputed: a reprint is the same Z marked as a copy
    const again = await t.call<ZReport>('day:z', { zNo: 1 });
    expect(again.totals).toEqual(z1.totals);
    const copy = await t.call<ZReport>('day:reprint-z', { zNo: 1 });
    expect(copy).toMatchObject({ copy: true, reprintCount: 1, totals: z1.totals });
    expect((await t.call<{ zNo: number }[]>('day:list-z')).map((z) => z.zNo)).toEqual([2, 1]);

    const db = new Database(t.reg.dbFile);
    expect(() => db.prepare("UPDATE business_day SET totals = '{}' WHERE z_no = 1").run()).toThrow(/final/);
    expect(() => db.prepare('DELETE FROM business_day WHERE z_no = 2').run()).toThrow(/never deleted/);
    expect(db.prepare("SELECT kind FROM outbox WHERE kind = 'day.closed'").pluck().all()).toHaveLength(2);
    expect(db.prepare("SELECT subject FROM audit_log WHERE kind = 'day.closed' ORDER BY seq").pluck().all()).toEqual([
      'MK01-01-Z1',
      'MK01-01-Z2',
    ]);
    db.close();
  });

  it('totals a day with returns, exchanges, voids, tenders, categories and staff, and the cash of each shift', async () => {
    const t = await openTill();
    await t.login(CASHIER);
    await t.call('shift:open', { float: notes({ 10_000: 5 }) });
    const tea = await t.sell([MILK_TEA, MILK_TEA], { method: 'cash', tendered: 5_000 }); // 27.00
    await t.sell([PINEAPPLE_BUN], { method: 'card' }); // 7.65
    await t.refund(tea); // −27.00 in cash
    // an exchange: return a water, take a bun
    const water = await t.sell([WATER], { method: 'octopus' });
    await t.call('cart:add-return', { receiptNo: water.receiptNo, lines: [{ saleLineId: water.lines[0]!.id, quantity: 1 }] });
    const exchangeCart = await t.call<{ id: number; total: number }>('cart:scan', { code: PINEAPPLE_BUN });
    expect(exchangeCart.total).toBe(765 - 800);
    const exchange = await t.call<Receipt>('sale:complete', { cartId: exchangeCart.id, tenders: [{ method: 'cash', amount: 35 }] });
    await t.call('cart:scan', { code: WATER });
    await t.call('cart:void', { reason: 'customer left' });
    await t.call('shift:count', { counted: notes({ 10_000: 5 }) });
    await t.call('shift:close', { reason: '測試' });
    await t.reg.dispatch('staff:logout', {});
    await t.login(MANAGER);
    const z = (await t.call<ZReport>('day:close')).totals;
    expect(z.counts).toMatchObject({ sales: 3, returns: 1, exchanges: 1, documents: 5, voids: 1 });
    expect(z.voidsValue).toBe(800);
    expect(z.returns).toBe(2_700 + 800);
    expect(z.net).toBe(2_700 + 765 - 2_700 + 800 + (765 - 800));
    const refundCash = tea.total; // HK$27.00 back in cash
    const exchangeCash = -exchange.payments[0]!.amount; // HK$0.35 back, rounded to cash
    expect(z.tenders.find((p) => p.method === 'cash')).toMatchObject({
      count: 3,
      amount: tea.payments[0]!.amount - refundCash - exchangeCash,
    });
    expect(z.tenders.map((p) => p.method)).toEqual(['cash', 'card', 'octopus']);
    const shift = z.shifts[0]!;
    expect(shift).toMatchObject({ cashTendered: 5_000, changeGiven: 5_000 - 2_700, cashRefunds: refundCash + exchangeCash });
    expect(shift.expected).toBe(50_000 + 5_000 - (5_000 - 2_700) - refundCash - exchangeCash);
    expect(z.overShort).toBe(50_000 - shift.expected);
    expect(z.rounding).toBe(tea.rounding + exchange.rounding);
    expect(z.staff.map((s) => s.staffId)).toEqual([1]);
    expect(z.categories.reduce((sum, c) => sum + c.net, 0)).toBe(z.net);
  });
});
