import { describe, expect, it, vi } from 'vitest';
import type { AuditEntryView } from '../../../../src/shared/staff-schemas';
import { createAuditStore } from '../../../../src/renderer/back-office/stores/audit-store';
import { createPaymentMethodsStore } from '../../../../src/renderer/back-office/stores/payment-methods-store';
import { createSyncStore, SYNC_POLL_MS } from '../../../../src/renderer/back-office/stores/sync-store';
import { dayRange } from '../../../../src/renderer/back-office/staff/date-range';
import { chan, createFakePosApi, deferred, fail, ok, paymentMethods, syncStatus, wong } from '../fake-pos-api';

const row = (seq: number, kind = 'staff.login'): AuditEntryView =>
  ({ seq, at: 1_000 * seq, kind, staff: null, approver: null, subject: null, detail: {} }) as AuditEntryView;

describe('the audit store', () => {
  const now = Date.parse('2026-11-27T12:00:00+08:00');

  it('loads the filter lists and the last seven days; a filter change reloads the log for it', async () => {
    const fake = createFakePosApi();
    fake.answer('staff:list-for-login', ok([chan, wong]));
    fake.answer('audit:list', ok([row(2), row(1)]), ok([row(2, 'cart.void')]));
    const store = createAuditStore(fake.api, { now: () => now });
    await store.getState().load();
    expect(store.getState()).toMatchObject({ staff: [chan, wong], kinds: ['staff.login'], error: null });
    expect(store.getState().rows.map((r) => r.seq)).toEqual([2, 1]);
    expect(fake.calls('audit:list')[0]).toEqual({ ...dayRange('2026-11-21', '2026-11-27', 'Asia/Hong_Kong'), limit: 500 });
    // The store's days, whatever the machine's zone: Hong Kong midnight to Hong Kong midnight.
    expect(fake.calls('audit:list')[0]).toMatchObject({
      from: Date.parse('2026-11-21T00:00:00+08:00'),
      to: Date.parse('2026-11-28T00:00:00+08:00'),
    });
    await store.getState().setFilter({ staffId: '2', kind: 'cart.void' });
    expect(fake.calls('audit:list')[1]).toEqual({
      ...dayRange('2026-11-21', '2026-11-27', 'Asia/Hong_Kong'),
      staffId: 2,
      kinds: ['cart.void'],
      limit: 500,
    });
    expect(store.getState().rows.map((r) => r.kind)).toEqual(['cart.void']);
  });

  it('a filter changed while an older one loads shows only the newer answer', async () => {
    const fake = createFakePosApi();
    const slow = deferred<ReturnType<typeof ok<AuditEntryView[]>>>();
    fake.answer('audit:list', slow.promise, ok([row(7)]));
    const store = createAuditStore(fake.api, { now: () => now });
    const first = store.getState().setFilter({ kind: 'staff.login' });
    await store.getState().setFilter({ kind: 'cart.void' });
    slow.resolve(ok([row(1)]));
    await first;
    expect(store.getState().rows.map((r) => r.seq)).toEqual([7]);
  });

  it('shows the hash chain check, or main’s refusal', async () => {
    const fake = createFakePosApi();
    fake.answer('audit:verify', ok({ ok: false, rows: 40, firstBadSeq: 17, problem: 'altered' as const }), fail('FORBIDDEN'));
    const store = createAuditStore(fake.api);
    await store.getState().verify();
    expect(store.getState().verification).toEqual({ ok: false, rows: 40, firstBadSeq: 17, problem: 'altered' });
    await store.getState().verify();
    expect(store.getState().error?.code).toBe('FORBIDDEN');
  });
});

describe('the payment methods store', () => {
  const all = paymentMethods.map((m, i) => ({ ...m, active: true, sort: i + 1, builtIn: true }));

  it('takes main’s list after each change and tells the till; a refusal changes nothing', async () => {
    const fake = createFakePosApi();
    const onChanged = vi.fn();
    const store = createPaymentMethodsStore(fake.api, { onChanged });
    await store.getState().load();
    expect(store.getState().methods).toEqual(all);
    const moved = [all[1]!, all[0]!, ...all.slice(2)];
    fake.answer('payment:move-method', ok(moved), fail('BAD_REQUEST'));
    expect(await store.getState().move('card', 'up')).toBe(true);
    expect(fake.calls('payment:move-method')).toEqual([{ code: 'card', direction: 'up' }]);
    expect(store.getState().methods).toEqual(moved);
    expect(onChanged).toHaveBeenCalledOnce();
    expect(await store.getState().move('card', 'up')).toBe(false);
    expect(store.getState()).toMatchObject({ methods: moved, error: { code: 'BAD_REQUEST' } });
    expect(onChanged).toHaveBeenCalledOnce();
  });
});

describe('the sync store', () => {
  it('polls the status while watched, and stops', async () => {
    const fake = createFakePosApi();
    let tick: (() => void) | null = null;
    const cleared: unknown[] = [];
    const store = createSyncStore(fake.api, {
      setInterval: (callback, ms) => {
        expect(ms).toBe(SYNC_POLL_MS);
        tick = callback;
        return 'timer';
      },
      clearInterval: (handle) => cleared.push(handle),
    });
    await store.getState().load();
    expect(store.getState().status?.state).toBe('not-enrolled');
    const stop = store.getState().watch();
    fake.answer('sync:status', ok(syncStatus({ pending: 3 })));
    tick!();
    await vi.waitFor(() => expect(store.getState().status?.pending).toBe(3));
    stop();
    expect(cleared).toEqual(['timer']);
  });

  it('enrols with the address and code trimmed, busy meanwhile; a refusal keeps the status', async () => {
    const fake = createFakePosApi();
    const store = createSyncStore(fake.api);
    await store.getState().load();
    const answer = deferred<ReturnType<typeof ok<ReturnType<typeof syncStatus>>>>();
    const used = {
      code: 'ENROLMENT_CODE_USED' as const,
      message: 'This code has already been used',
      detail: 'already been used (the cloud)',
    };
    fake.answer('sync:enrol', { ok: false, error: used }, answer.promise);
    expect(await store.getState().enrol(' https://cloud.example ', ' ABCD-1234 ')).toBe(false);
    // the cloud's words stay with the refusal, for the section's line labelled for IT
    expect(store.getState()).toMatchObject({ enrolling: false, error: used, status: { state: 'not-enrolled' } });
    const second = store.getState().enrol('https://cloud.example', 'ABCD-5678');
    expect(store.getState().enrolling).toBe(true);
    answer.resolve(ok(syncStatus({ state: 'online' })));
    expect(await second).toBe(true);
    expect(store.getState()).toMatchObject({ enrolling: false, error: null, status: { state: 'online' } });
    expect(fake.calls('sync:enrol')[0]).toEqual({ cloudUrl: 'https://cloud.example', code: 'ABCD-1234' });
  });
});
