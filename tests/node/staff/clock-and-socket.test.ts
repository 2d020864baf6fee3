import { describe, expect, it } from 'vitest';
import type { ClockResult, StaffRecord } from '../../../src/shared/staff-schemas';
import type { AuditEntryView } from '../../../src/shared/staff-schemas';
import { channels, channelNames } from '../../../src/shared/channels';
import { snapshotDatabase } from '../helpers/db-snapshot';
import { connect } from '../helpers/ws-client';
import { useKioskHosts, wsUrl } from '../helpers/kiosk-host';
import { useDemoRegisters } from '../helpers/register-session';
import { CASHIER, MANAGER } from './staff-helpers';

const openTill = useDemoRegisters();
const startHost = useKioskHosts();

describe('clock in and out', () => {
  it('clocks in and out with a PIN, without logging in, refusing a double clock-in and a wrong PIN', async () => {
    let now = Date.UTC(2026, 10, 27, 1, 0);
    const t = await openTill({ clock: { now: () => now } });
    const clockIn = await t.call<ClockResult>('staff:clock', { staffId: CASHIER.id, pin: CASHIER.pin, direction: 'in' });
    expect(clockIn).toMatchObject({ staffId: CASHIER.id, nameZh: '陳小明', direction: 'in', at: now, workedMs: null });
    expect(await t.reg.dispatch('staff:clock', { staffId: CASHIER.id, pin: CASHIER.pin, direction: 'in' })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
    expect(await t.reg.dispatch('staff:clock', { staffId: CASHIER.id, pin: '0000', direction: 'out' })).toMatchObject({
      ok: false,
      error: { code: 'PIN_INVALID' },
    });
    expect(await t.reg.dispatch('staff:clock', { staffId: MANAGER.id, pin: MANAGER.pin, direction: 'out' })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
    expect((await t.call<{ staff: null }>('register:status')).staff).toBeNull();

    now += 8 * 3_600_000 + 30 * 60_000;
    await t.as(MANAGER);
    expect((await t.call<StaffRecord[]>('staff:list')).find((s) => s.id === CASHIER.id)).toMatchObject({
      clockedInSince: Date.UTC(2026, 10, 27, 1, 0),
      failedPins: 1,
    });
    const clockOut = await t.call<ClockResult>('staff:clock', { staffId: CASHIER.id, pin: CASHIER.pin, direction: 'out' });
    expect(clockOut).toMatchObject({ direction: 'out', workedMs: 8.5 * 3_600_000 });
    expect((await t.call<StaffRecord[]>('staff:list')).find((s) => s.id === CASHIER.id)).toMatchObject({
      clockedInSince: null,
      failedPins: 0,
    });
    const rows = await t.call<AuditEntryView[]>('audit:list', { kinds: ['staff.clock-in', 'staff.clock-out'] });
    expect(rows.map((r) => [r.kind, r.staff?.id, r.detail])).toEqual([
      ['staff.clock-out', CASHIER.id, { workedMs: 8.5 * 3_600_000 }],
      ['staff.clock-in', CASHIER.id, {}],
    ]);
  });
});

describe('timesheets', () => {
  it('adds up clocked time per staff member inside the range, counting a shift begun before it and one still open', async () => {
    const HOUR = 3_600_000;
    const day = Date.UTC(2026, 10, 27, 0, 0);
    let now = day - 2 * HOUR; // clocked in two hours before the range starts
    const t = await openTill({ clock: { now: () => now } });
    const punch = (who: { id: number; pin: string }, direction: 'in' | 'out') =>
      t.call<ClockResult>('staff:clock', { staffId: who.id, pin: who.pin, direction });
    await punch(CASHIER, 'in');
    now = day + 3 * HOUR;
    await punch(CASHIER, 'out');
    now = day + 4 * HOUR;
    await punch(CASHIER, 'in');
    now = day + 6 * HOUR;
    await punch(CASHIER, 'out');
    now = day + 7 * HOUR;
    await punch(MANAGER, 'in');
    now = day + 9 * HOUR;

    await t.as(MANAGER);
    const sheets = await t.call<{ staffId: number; workedMs: number; periods: { in: number; out: number | null }[] }[]>('staff:timesheet', {
      from: day,
      to: day + 24 * HOUR,
    });
    expect(sheets.map((s) => [s.staffId, s.workedMs / HOUR, s.periods.length])).toEqual([
      [CASHIER.id, 3 + 2, 2],
      [MANAGER.id, 2, 1],
    ]);
    expect(sheets[1]!.periods[0]).toEqual({ in: day + 7 * HOUR, out: null });
    expect(await t.call('staff:timesheet', { from: day + 3.25 * HOUR, to: day + 3.75 * HOUR })).toEqual([]);
    expect(await t.call('staff:timesheet', { from: day + 8 * HOUR, to: day + 8.5 * HOUR })).toEqual([
      expect.objectContaining({ staffId: MANAGER.id, workedMs: 0.5 * HOUR }),
    ]);
    expect(await t.reg.dispatch('staff:timesheet', { from: day, to: day })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
  });
});

describe('permissions at the protocol level', () => {
  it('a cashier cannot call any manager-only channel even by writing the WebSocket frames by hand', async () => {
    const { host, register, secret, origin } = await startHost();
    const client = await connect(wsUrl(host, secret), origin);

    const login = await client.call('staff:login', { staffId: CASHIER.id, pin: CASHIER.pin });
    expect(login).toMatchObject({ ok: true, value: { role: 'cashier' } });
    const granted = login.ok ? (login.value as { permissions: string[] }).permissions : [];
    expect(granted).not.toContain('staff.manage');
    const before = snapshotDatabase(register.dbFile);
    const attempts: [string, unknown][] = [
      ['staff:save', { code: 'X001', nameZh: '冒充', nameEn: 'Impostor', role: 'admin', active: true, pin: '1111' }],
      ['staff:save', { id: CASHIER.id, code: 'C001', nameZh: '陳小明', nameEn: 'Chan Siu Ming', role: 'manager', active: true }],
      ['staff:unlock', { staffId: MANAGER.id }],
      ['staff:list', {}],
      [
        'roles:save',
        {
          code: 'cashier',
          nameZh: '收銀員',
          nameEn: 'Cashier',
          discountLimitBasisPoints: 10_000,
          permissions: ['sale.checkout', 'staff.manage'],
        },
      ],
      ['roles:delete', { code: 'supervisor' }],
      ['audit:list', {}],
      ['audit:verify', {}],
      ['audit:exceptions', { from: 0, to: Date.now() }],
    ];
    for (const [channel, payload] of attempts) {
      expect(channels[channel as keyof typeof channels].req.safeParse(payload).success).toBe(true); // only the permission can refuse it
      expect(await client.call(channel, payload), channel).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    // Every channel whose permission the cashier's role lacks is refused the same way.
    const cashierPermissions = new Set<string>(['public', 'session', ...granted]);
    for (const channel of channelNames.filter((name) => !cashierPermissions.has(channels[name].access))) {
      const result = await client.call(channel, {});
      if (!result.ok && result.error.code === 'BAD_REQUEST') continue; // the payload is checked before the permission
      expect(result, channel).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    expect(snapshotDatabase(register.dbFile)).toBe(before);
    client.ws.close();
  });
});
