import { describe, expect, it } from 'vitest';
import type { CountResult, DayStatus, OpenShift, SalesReport, ShiftCash, ShiftState, ZReport } from '../../../../src/shared/shift-schemas';
import { createDayCloseStore } from '../../../../src/renderer/back-office/stores/day-close-store';
import { createReportsStore } from '../../../../src/renderer/back-office/stores/reports-store';
import { createShiftStore } from '../../../../src/renderer/back-office/stores/shift-store';
import { chan, createFakePosApi, deferred, fail, lee, ok, syncStatus, wong } from '../fake-pos-api';

const openShift: OpenShift = {
  shiftId: 4,
  staffId: 1,
  staffNameZh: '陳小明',
  staffNameEn: 'Chan Siu Ming',
  openedAt: 1_000,
  float: 50_000,
  movements: [],
  counted: null,
};
const shiftState = (shift: OpenShift | null): ShiftState => ({ shift, blindCount: true, toleranceCents: 2000, expected: null });
const countResult: CountResult = {
  shiftId: 4,
  counted: 30_000,
  expected: 50_000,
  overShort: -20_000,
  toleranceCents: 2000,
  needsReason: true,
  needsApproval: true,
};
const closedCash = { shiftId: 4, expected: 50_000, counted: 30_000, overShort: -20_000 } as ShiftCash;

describe('the shift section store', () => {
  const setup = () => {
    const fake = createFakePosApi();
    const store = createShiftStore(fake.api, { currentStaff: () => chan });
    return { fake, store, s: () => store.getState() };
  };

  it('loads the shift, and its count when the blind count is already in', async () => {
    const { fake, s } = setup();
    fake.answer('shift:state', ok(shiftState({ ...openShift, counted: 30_000 })));
    fake.answer('shift:counted', ok(countResult));
    await s().load();
    expect(s().state?.shift?.shiftId).toBe(4);
    expect(s().count).toEqual(countResult);
  });

  it('a refusal goes on the error line and the next success clears it', async () => {
    const { fake, s } = setup();
    await s().load();
    expect(await s().moveCash({ kind: 'pay-out', amount: 500, reason: '買膠袋' })).toBe(false);
    expect(s().error?.code).toBe('CONFLICT');
    const moved: OpenShift = {
      ...openShift,
      movements: [{ id: 1, kind: 'pay-out', amount: 500, reason: '買膠袋', staffId: 1, at: 2_000 }],
    };
    fake.answer('shift:cash-movement', ok(moved));
    fake.answer('shift:state', ok(shiftState(moved)));
    expect(await s().moveCash({ kind: 'pay-out', amount: 500, reason: '買膠袋' })).toBe(true);
    expect(s()).toMatchObject({ error: null, notice: 'moved' });
    expect(s().state?.shift?.movements).toHaveLength(1);
    expect(fake.calls('shift:cash-movement')[1]).toEqual({ kind: 'pay-out', amount: 500, reason: '買膠袋' });
  });

  it('opens with the float, counts, and closes with a manager’s approval, then shows the closed shift', async () => {
    const { fake, s } = setup();
    fake.answer('shift:open', ok(openShift));
    fake.answer('shift:state', ok(shiftState(null)), ok(shiftState(openShift)), ok(shiftState(null)));
    await s().load();
    expect(await s().openShift([{ value: 10_000, count: 5 }])).toBe(true);
    expect(s().state?.shift?.float).toBe(50_000);
    fake.answer('shift:count', ok(countResult));
    expect(await s().submitCount([{ value: 10_000, count: 3 }])).toBe(true);
    expect(s().count?.overShort).toBe(-20_000);
    fake.answer('shift:close', fail('APPROVAL_REQUIRED'), ok(closedCash));
    expect(await s().close({ reason: '交收錯誤' })).toBe(false);
    expect(s().error?.code).toBe('APPROVAL_REQUIRED');
    expect(await s().close({ reason: '交收錯誤', approval: { staffId: 3, pin: '9999' } })).toBe(true);
    expect(s()).toMatchObject({ closed: closedCash, count: null, error: null });
    expect(s().state?.shift).toBeNull();
    expect(fake.calls('shift:close')[1]).toEqual({ reason: '交收錯誤', approval: { staffId: 3, pin: '9999' } });
  });

  it('a close refused because the over/short moved meanwhile (a sale completed) shows the count as it is now, asking for the reason', async () => {
    const { fake, s } = setup();
    fake.answer('shift:count', ok({ ...countResult, counted: 50_000, overShort: 0, needsReason: false, needsApproval: false }));
    expect(await s().submitCount([{ value: 10_000, count: 5 }])).toBe(true);
    const moved: CountResult = { ...countResult, counted: 50_000, expected: 50_800, overShort: -800, needsApproval: false };
    fake.answer('shift:close', fail('CONFLICT'));
    fake.answer('shift:counted', ok(moved));
    expect(await s().close({})).toBe(false);
    expect(s().error?.code).toBe('CONFLICT');
    expect(s().count).toEqual(moved);
  });

  it('offers as approvers only others whose role may close the day (the till’s rule)', async () => {
    const { fake, s } = setup();
    fake.answer('staff:list-for-login', ok([chan, wong, lee]));
    await s().loadApprovers();
    expect(s().approvers.map((a) => a.id)).toEqual([wong.id, lee.id]);
    const asWong = createShiftStore(fake.api, { currentStaff: () => wong });
    await asWong.getState().loadApprovers();
    expect(asWong.getState().approvers.map((a) => a.id)).toEqual([lee.id]);
  });

  it('a slower, older load never overwrites a newer one', async () => {
    const { fake, s } = setup();
    const slow = deferred<ReturnType<typeof ok<ShiftState>>>();
    fake.answer('shift:state', slow.promise, ok(shiftState(openShift)));
    const first = s().load();
    await s().load();
    slow.resolve(ok(shiftState(null)));
    await first;
    expect(s().state?.shift?.shiftId).toBe(4);
  });
});

describe('the day close store', () => {
  const status: DayStatus = { nextZNo: 3, documentsToday: 12, openShifts: 0, unsyncedSales: 5 };
  const z = { totals: { zNo: 3 }, copy: false } as ZReport;

  it('counts what the cloud has not acknowledged, else what the outbox holds', async () => {
    const fake = createFakePosApi();
    fake.answer('day:status', ok(status), ok(status));
    fake.answer('sync:status', ok(syncStatus({ pendingSales: 2 })), fail('INTERNAL'));
    const store = createDayCloseStore(fake.api);
    await store.getState().load();
    expect(store.getState()).toMatchObject({ status, unsynced: 2 });
    await store.getState().load();
    expect(store.getState().unsynced).toBe(5);
  });

  it('closes the day, shows the Z and reloads; a reprint says so and shows the copy', async () => {
    const fake = createFakePosApi();
    fake.answer('day:status', ok(status), ok({ ...status, nextZNo: 4 }), ok({ ...status, nextZNo: 4 }));
    fake.answer('day:close', ok(z));
    const store = createDayCloseStore(fake.api);
    await store.getState().load();
    await store.getState().closeDay();
    expect(store.getState()).toMatchObject({ shown: z, notice: { kind: 'closed', zNo: 3 }, error: null });
    expect(store.getState().status?.nextZNo).toBe(4);
    fake.answer('day:reprint-z', ok({ ...z, copy: true }));
    await store.getState().openZ(3, true);
    expect(store.getState()).toMatchObject({ shown: { copy: true }, notice: { kind: 'printed' } });
    await store.getState().openZ(2, false);
    expect(store.getState().error?.code).toBe('NOT_FOUND');
    expect(fake.calls('day:z')).toEqual([{ zNo: 2 }]);
  });
});

describe('the reports store', () => {
  const now = Date.UTC(2026, 10, 27, 20, 0); // 04:00 on the 28th in Hong Kong
  const report = { from: '2026-11-22', to: '2026-11-28' } as SalesReport;

  it('asks for the last seven Hong Kong days first, then whatever filter is run', async () => {
    const fake = createFakePosApi();
    fake.answer('report:sales', ok(report), fail('BAD_REQUEST'));
    const store = createReportsStore(fake.api, { now: () => now });
    await store.getState().load();
    expect(fake.calls('report:sales')).toEqual([{ from: '2026-11-22', to: '2026-11-28' }]);
    expect(store.getState().report).toBe(report);
    await store.getState().run({ from: '2026-11-01', to: '2026-11-30', storeCode: 'MK' });
    expect(store.getState()).toMatchObject({ asked: { from: '2026-11-01', storeCode: 'MK' }, report, error: { code: 'BAD_REQUEST' } });
  });
});
