import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { channelNames, channels } from '../../../src/shared/channels';
import type { Register } from '../../../src/main/register';
import { createApiRouter, type Handlers } from '../../../src/main/api/router';
import { useTempDirs } from '../helpers/temp-dir';
import { snapshotDatabase } from '../helpers/db-snapshot';
import { DEMO_CASHIER, DEMO_MANAGER, openDemoRegister } from '../helpers/demo-register';

const tempDir = useTempDirs();
let register: Register | null = null;
afterEach(() => {
  register?.close();
  register = null;
});

async function demo(): Promise<Register> {
  register = await openDemoRegister(tempDir());
  return register;
}

describe('the api router', () => {
  it.each(channelNames)('%s: a malformed payload gets BAD_REQUEST and changes nothing', async (channel) => {
    const reg = await demo();
    // Logged in as a manager, so only the payload can be what is refused.
    expect((await reg.dispatch('staff:login', { staffId: DEMO_MANAGER.id, pin: DEMO_MANAGER.pin })).ok).toBe(true);
    const before = snapshotDatabase(reg.dbFile);
    const schema = channels[channel].req;
    const malformed = fc
      .oneof(
        fc.anything(),
        fc.dictionary(fc.string(), fc.anything()),
        fc.record({ code: fc.string({ minLength: 65, maxLength: 5000 }), staffId: fc.anything(), pin: fc.anything() }),
        fc.string({ minLength: 70_000, maxLength: 70_000 }),
      )
      .filter((payload) => !schema.safeParse(payload).success);
    await fc.assert(
      fc.asyncProperty(malformed, async (payload) => {
        const result = await reg.dispatch(channel, payload);
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.error.code).toBe('BAD_REQUEST');
      }),
      { numRuns: 60 },
    );
    expect(snapshotDatabase(reg.dbFile)).toBe(before);
  });

  it('an unknown channel gets UNKNOWN_CHANNEL and changes nothing', async () => {
    const reg = await demo();
    const before = snapshotDatabase(reg.dbFile);
    for (const name of ['sale:delete-everything', '', '__proto__', 'constructor', 'toString', 42, null, { channel: 'x' }]) {
      const result = await reg.dispatch(name, {});
      expect(result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    }
    expect(snapshotDatabase(reg.dbFile)).toBe(before);
  });

  it('a channel that needs a staff member refuses a caller nobody logged in', async () => {
    const reg = await demo();
    expect(await reg.dispatch('catalog:lookup', { code: '4891234000012' })).toMatchObject({ ok: false, error: { code: 'NOT_LOGGED_IN' } });
    expect(await reg.dispatch('staff:logout', {})).toMatchObject({ ok: false, error: { code: 'NOT_LOGGED_IN' } });
    expect((await reg.dispatch('register:status', {})).ok).toBe(true);
  });

  it('a cashier who logged in can look up a demo barcode and sees its Chinese name', async () => {
    const reg = await demo();
    expect(await reg.dispatch('staff:login', { staffId: DEMO_CASHIER.id, pin: DEMO_CASHIER.pin })).toMatchObject({
      ok: true,
      value: { nameZh: '陳小明', role: 'cashier' },
    });
    expect(await reg.dispatch('catalog:lookup', { code: '4891234000012' })).toMatchObject({
      ok: true,
      value: { nameZh: '港式奶茶', price: 1800 },
    });
    expect(await reg.dispatch('catalog:lookup', { code: '0000000000000' })).toEqual({ ok: true, value: null });
    const favourites = await reg.dispatch('catalog:favourites', {});
    expect(favourites.ok && (favourites.value as unknown[]).length).toBeGreaterThan(5);
  });

  it('a handler that breaks its response schema or throws answers INTERNAL, and the log says why', async () => {
    const logged: string[] = [];
    const log = { info() {}, warn() {}, error: (message: string) => logged.push(message) };
    const handlers = {
      'register:status': () => ({ not: 'a status' }),
      'staff:list-for-login': () => {
        throw new Error('disk on fire');
      },
    } as unknown as Handlers;
    const router = createApiRouter({ handlers, currentStaff: () => null, log });
    expect(await router.dispatch('register:status', {})).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    const thrown = await router.dispatch('staff:list-for-login', {});
    expect(thrown).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(thrown)).not.toContain('disk on fire'); // details stay in the log
    expect(logged).toEqual(['handler answered outside its schema', 'handler failed']);
  });

  it('a request that arrives while the register closes answers INTERNAL instead of rejecting', async () => {
    const logged: string[] = [];
    const log = { info() {}, warn() {}, error: (message: string) => logged.push(message) };
    const currentStaff = () => {
      throw new TypeError('The database connection is not open');
    };
    const router = createApiRouter({ handlers: {} as Handlers, currentStaff, log });
    await expect(router.dispatch('register:status', {})).resolves.toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(logged).toEqual(['handler failed']);
  });
});
