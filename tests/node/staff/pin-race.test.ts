/**
 * The PIN lockout against requests sent all at once (issue 11, item 1): 60 attempts without waiting
 * for answers, the right PIN at #46. Only the lockout's 5 wrong PINs may ever be checked, and #46 is
 * refused, however the answers interleave.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { Result } from '../../../src/shared/errors';
import type { Cart } from '../../../src/shared/checkout-schemas';
import { LOCK_AFTER_FAILED_PINS, LOCK_MINUTES } from '../../../src/main/staff/pin-attempts';
import { connect } from '../helpers/ws-client';
import { useKioskHosts, wsUrl } from '../helpers/kiosk-host';
import { useDemoRegisters } from '../helpers/register-session';
import { CASHIER, CASHIER_2, MANAGER, MILK_TEA } from './staff-helpers';

const startHost = useKioskHosts();
const openTill = useDemoRegisters();

const ATTEMPTS = 60;
const RIGHT_AT = 46;
const guesses = (right: string) =>
  Array.from({ length: ATTEMPTS }, (_, i) => (i + 1 === RIGHT_AT ? right : String(5000 + i).padStart(4, '0')));

function auditCount(dbFile: string, kind: string, subject: string): number {
  const db = new Database(dbFile, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM audit_log WHERE kind = ? AND subject = ?').get(kind, subject) as { n: number }).n;
  } finally {
    db.close();
  }
}

const codes = (results: Result<unknown>[]) => results.map((r) => (r.ok ? 'OK' : r.error.code));

describe('PIN lockout under a burst of attempts', () => {
  it(`checks at most ${LOCK_AFTER_FAILED_PINS} wrong staff:login PINs from 60 sent at once on one socket, and refuses the right one at #${RIGHT_AT}`, async () => {
    const { host, register, secret, origin } = await startHost();
    const client = await connect(wsUrl(host, secret), origin);
    const answers = new Map<number, Result<unknown>>();
    const all = new Promise<void>((done) => {
      client.ws.on('message', (data) => {
        const frame = JSON.parse(data.toString()) as { id?: number; result?: Result<unknown> };
        if (frame.id !== undefined && frame.result) answers.set(frame.id, frame.result);
        if (answers.size === ATTEMPTS) done();
      });
    });
    guesses(CASHIER.pin).forEach((pin, i) =>
      client.ws.send(JSON.stringify({ id: i + 1, channel: 'staff:login', payload: { staffId: CASHIER.id, pin } })),
    );
    await all;
    client.ws.close();

    const results = Array.from({ length: ATTEMPTS }, (_, i) => answers.get(i + 1) as Result<unknown>);
    expect(results[RIGHT_AT - 1]).toMatchObject({ ok: false, error: { code: 'LOCKED_OUT' } });
    const tally = codes(results).reduce<Record<string, number>>((acc, code) => ({ ...acc, [code]: (acc[code] ?? 0) + 1 }), {});
    expect(tally).toEqual({ PIN_INVALID: LOCK_AFTER_FAILED_PINS - 1, LOCKED_OUT: ATTEMPTS - LOCK_AFTER_FAILED_PINS + 1 });
    // What was checked is what was audited: exactly the lockout's wrong PINs, and one lock.
    expect(auditCount(register.dbFile, 'staff.login-failed', 'login')).toBe(LOCK_AFTER_FAILED_PINS);
    expect(auditCount(register.dbFile, 'staff.locked', 'login')).toBe(1);
    expect(await register.dispatch('register:status', {})).toMatchObject({ ok: true, value: { staff: null } });
  });

  it('does the same for clock-in PINs', async () => {
    const t = await openTill();
    const results = await Promise.all(
      guesses(CASHIER.pin).map((pin) => t.reg.dispatch('staff:clock', { staffId: CASHIER.id, pin, direction: 'in' })),
    );
    expect(results[RIGHT_AT - 1]).toMatchObject({ ok: false, error: { code: 'LOCKED_OUT' } });
    expect(codes(results).filter((c) => c === 'PIN_INVALID')).toHaveLength(LOCK_AFTER_FAILED_PINS - 1);
    expect(codes(results)).not.toContain('OK');
    expect(auditCount(t.reg.dbFile, 'staff.login-failed', 'clock-in')).toBe(LOCK_AFTER_FAILED_PINS);
  });

  it('still lets a right PIN in after four wrong ones, one at a time, and clears the count', async () => {
    const t = await openTill();
    for (let i = 1; i < LOCK_AFTER_FAILED_PINS; i++)
      expect(await t.reg.dispatch('staff:login', { staffId: CASHIER.id, pin: '0000' })).toMatchObject({ error: { code: 'PIN_INVALID' } });
    expect(await t.reg.dispatch('staff:login', { staffId: CASHIER.id, pin: CASHIER.pin })).toMatchObject({ ok: true });
    for (let i = 1; i < LOCK_AFTER_FAILED_PINS; i++)
      expect(await t.reg.dispatch('staff:login', { staffId: CASHIER.id, pin: '0000' })).toMatchObject({ error: { code: 'PIN_INVALID' } });
  });

  it("locks the approval pad for the requester, not the manager's account, after 5 wrong approval PINs sent at once", async () => {
    let now = Date.UTC(2026, 10, 27, 2, 0);
    const t = await openTill({ clock: { now: () => now }, staff: CASHIER });
    const cart = await t.call<Cart>('cart:scan', { code: MILK_TEA });
    const lineId = cart.lines[0]?.id as number;
    const setPrice = (pin: string) => t.reg.dispatch('cart:set-price', { lineId, unitPrice: 100, approval: { staffId: MANAGER.id, pin } });
    const results = await Promise.all(guesses(MANAGER.pin).map(setPrice));
    expect(results[RIGHT_AT - 1]).toMatchObject({ ok: false, error: { code: 'LOCKED_OUT' } });
    expect(codes(results).filter((c) => c === 'PIN_INVALID')).toHaveLength(LOCK_AFTER_FAILED_PINS - 1);
    expect(auditCount(t.reg.dbFile, 'staff.login-failed', 'approval')).toBe(LOCK_AFTER_FAILED_PINS);
    expect(auditCount(t.reg.dbFile, 'staff.locked', 'approval-pad')).toBe(1);
    // The pad stays locked for this cashier, even with the right PIN …
    expect(await setPrice(MANAGER.pin)).toMatchObject({ ok: false, error: { code: 'LOCKED_OUT' } });
    // … while the manager's own account is untouched, and another cashier's pad works.
    await t.as(CASHIER_2);
    expect(await t.reg.dispatch('cart:get', {})).toMatchObject({ ok: true });
    const other = await t.call<Cart>('cart:scan', { code: MILK_TEA });
    const otherLine = other.lines.at(-1)?.id as number;
    expect(
      await t.reg.dispatch('cart:set-price', { lineId: otherLine, unitPrice: 100, approval: { staffId: MANAGER.id, pin: MANAGER.pin } }),
    ).toMatchObject({ ok: true });
    await t.as(MANAGER);
    // Logging out and in again does not reset the requester's pad; the lock period does.
    await t.as(CASHIER);
    expect(await setPrice(MANAGER.pin)).toMatchObject({ ok: false, error: { code: 'LOCKED_OUT' } });
    now += LOCK_MINUTES * 60_000 + 1;
    expect(await setPrice(MANAGER.pin)).toMatchObject({ ok: true });
  });
});
