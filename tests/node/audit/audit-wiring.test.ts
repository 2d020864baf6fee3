import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AuditEntryView, AuditVerification, ExceptionCounts } from '../../../src/shared/staff-schemas';
import { LOCK_AFTER_FAILED_PINS } from '../../../src/main/staff/staff-service';
import { useDemoRegisters } from '../helpers/register-session';
import { CASHIER, MANAGER, WATER } from '../staff/staff-helpers';

const openTill = useDemoRegisters();

const T0 = Date.UTC(2026, 10, 27, 2, 0);

describe('the audit log, wired', () => {
  it(`locks an account after ${LOCK_AFTER_FAILED_PINS} wrong PINs, and the log and the exceptions report show it`, async () => {
    let now = T0;
    const t = await openTill({ clock: { now: () => now } });
    for (let i = 0; i < LOCK_AFTER_FAILED_PINS; i++) {
      now += 1000;
      await t.reg.dispatch('staff:login', { staffId: CASHIER.id, pin: '0000' });
    }
    expect(await t.reg.dispatch('staff:login', { staffId: CASHIER.id, pin: CASHIER.pin })).toMatchObject({
      ok: false,
      error: { code: 'LOCKED_OUT' },
    });
    await t.as(MANAGER);
    const rows = await t.call<AuditEntryView[]>('audit:list', { staffId: CASHIER.id });
    expect(rows.map((r) => r.kind)).toEqual(['staff.locked', ...Array<string>(LOCK_AFTER_FAILED_PINS).fill('staff.login-failed')]);
    expect(rows[0]).toMatchObject({ staff: { id: CASHIER.id, nameZh: '陳小明' }, subject: 'login' });
    expect(rows.at(-1)!.detail).toEqual({ failedPins: 1 });
    const report = await t.call<ExceptionCounts[]>('audit:exceptions', { from: T0, to: now + 1 });
    expect(report.find((r) => r.staffId === CASHIER.id)).toMatchObject({ failedPins: LOCK_AFTER_FAILED_PINS, lockouts: 1, voids: 0 });
    expect(await t.call<ExceptionCounts[]>('audit:exceptions', { from: now + 1, to: now + 2 })).toEqual([]);

    // A manager unlocks the account: audited, and the cashier logs in at once.
    await t.call('staff:unlock', { staffId: CASHIER.id });
    await t.as(CASHIER);
    await t.as(MANAGER);
    const latest = await t.call<AuditEntryView[]>('audit:list', { limit: 5 });
    expect(latest.map((r) => [r.kind, r.staff?.id])).toEqual([
      ['staff.login', MANAGER.id],
      ['staff.logout', CASHIER.id],
      ['staff.login', CASHIER.id],
      ['staff.logout', MANAGER.id],
      ['staff.changed', MANAGER.id],
    ]);
    expect(latest[4]!.detail).toMatchObject({ action: 'unlocked', failedPins: LOCK_AFTER_FAILED_PINS });
    expect(await t.call<AuditVerification>('audit:verify')).toEqual({
      ok: true,
      rows: expect.any(Number),
      firstBadSeq: null,
      problem: null,
    });
  });

  it('refuses UPDATE and DELETE on the log, and the verifier finds the one row edited behind its back', async () => {
    let till = await openTill();
    const { dataDir } = till;
    await till.as(CASHIER);
    await till.call('cart:scan', { code: WATER });
    await till.call('cart:void', { reason: 'customer changed mind' });
    await till.as(MANAGER);
    const before = await till.call<AuditVerification>('audit:verify');
    expect(before.ok).toBe(true);
    expect(before.rows).toBeGreaterThanOrEqual(4);
    const voidRow = (await till.call<AuditEntryView[]>('audit:list', { kinds: ['cart.void'] }))[0]!;
    till.close();

    const db = new Database(join(dataDir, 'register.db'));
    expect(() => db.prepare('UPDATE audit_log SET detail = ? WHERE seq = ?').run('{}', voidRow.seq)).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log WHERE seq = ?').run(voidRow.seq)).toThrow(/append-only/);
    // Someone with the file drops the trigger and rewrites the void's reason.
    db.exec('DROP TRIGGER audit_log_no_update');
    db.prepare("UPDATE audit_log SET detail = json_set(detail, '$.reason', 'scanned twice') WHERE seq = ?").run(voidRow.seq);
    db.close();

    till = await openTill({ dataDir });
    await till.as(MANAGER);
    expect(await till.call<AuditVerification>('audit:verify')).toEqual({
      ok: false,
      rows: voidRow.seq - 1,
      firstBadSeq: voidRow.seq,
      problem: 'altered',
    });
  });

  it('audits logins, switching and logouts with who and when', async () => {
    let now = T0;
    const till = await openTill({ clock: { now: () => (now += 1000) } });
    await till.as(CASHIER);
    await till.as(MANAGER); // fast switch: the cashier's session ends in the same step
    await till.call('staff:logout');
    await till.as(MANAGER);
    const rows = await till.call<AuditEntryView[]>('audit:list', { kinds: ['staff.login', 'staff.logout'] });
    expect(rows.map((r) => [r.kind, r.staff?.id])).toEqual([
      ['staff.login', MANAGER.id],
      ['staff.logout', MANAGER.id],
      ['staff.login', MANAGER.id],
      ['staff.logout', CASHIER.id],
      ['staff.login', CASHIER.id],
    ]);
    expect(rows[3]!.detail).toEqual({ switchedTo: MANAGER.id });
    expect(await till.reg.dispatch('audit:list', { kinds: ['no.such-kind'] })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
  });
});
