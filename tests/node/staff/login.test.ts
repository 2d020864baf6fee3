import { describe, expect, it } from 'vitest';
import { LOCK_AFTER_FAILED_PINS, LOCK_MINUTES } from '../../../src/main/staff/staff-service';
import { hashPin, verifyPin } from '../../../src/main/staff/pin-hash';
import { DEMO_CASHIER } from '../helpers/demo-register';
import { useDemoRegisters } from '../helpers/register-session';
import Database from 'better-sqlite3';

const openRegister = useDemoRegisters();

describe('staff PIN login', () => {
  it('stores no PIN in clear and verifies only with the same pepper', async () => {
    const pepper = Buffer.alloc(32, 1);
    const hash = await hashPin('1234', pepper);
    expect(hash).not.toContain('1234');
    expect(hash).toMatch(/^scrypt\$16384\$8\$5\$/);
    expect(await verifyPin('1234', hash, pepper)).toBe(true);
    expect(await verifyPin('1235', hash, pepper)).toBe(false);
    expect(await verifyPin('1234', hash, Buffer.alloc(32, 2))).toBe(false);
    expect(await hashPin('1234', pepper)).not.toBe(hash); // salted
  });

  it(`locks the account after ${LOCK_AFTER_FAILED_PINS} wrong PINs, even for the right one, until the lock expires`, async () => {
    let now = Date.UTC(2026, 10, 27, 9, 0);
    const { reg: register } = await openRegister({ clock: { now: () => now } });
    const attempt = (pin: string) => register.dispatch('staff:login', { staffId: DEMO_CASHIER.id, pin });
    for (let i = 1; i < LOCK_AFTER_FAILED_PINS; i++)
      expect(await attempt('0000')).toMatchObject({ ok: false, error: { code: 'PIN_INVALID' } });
    expect(await attempt('0000')).toMatchObject({ ok: false, error: { code: 'LOCKED_OUT' } });
    expect(await attempt(DEMO_CASHIER.pin)).toMatchObject({ ok: false, error: { code: 'LOCKED_OUT' } });
    now += LOCK_MINUTES * 60_000 + 1;
    expect(await attempt(DEMO_CASHIER.pin)).toMatchObject({ ok: true, value: { id: DEMO_CASHIER.id } });
    const status = await register.dispatch('register:status', {});
    expect(status).toMatchObject({ ok: true, value: { staff: { id: DEMO_CASHIER.id } } });
  });

  it('keeps PIN hashes only, never the demo PINs, in register.db', async () => {
    const { reg: register } = await openRegister();
    const db = new Database(register.dbFile, { readonly: true });
    const hashes = db.prepare('SELECT pin_hash FROM staff').pluck().all() as string[];
    db.close();
    expect(hashes).toHaveLength(3);
    for (const hash of hashes) expect(hash.startsWith('scrypt$')).toBe(true);
  });
});
