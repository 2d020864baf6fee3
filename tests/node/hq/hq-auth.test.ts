import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAdmin } from '../../../cloud/admin/commands';
import { totpCode, totpStep } from '../../../cloud/hq/totp';
import { MAX_FAILED_ATTEMPTS } from '../../../cloud/hq/users';
import { MIGRATIONS_DIR, createShop, useTestDatabase, type Shop } from '../cloud/helpers';
import { HqClient, PASSWORD, addUser, startHq } from './hq-helpers';

const database = useTestDatabase();
let server: Awaited<ReturnType<typeof startHq>>;
let shop: Shop;

beforeAll(async () => {
  server = await startHq(database().pool, { now: () => Date.now() });
  shop = await createShop(database().pool);
});
afterAll(async () => {
  await server?.close();
});

describe('console login', () => {
  it('cloud:admin create-user makes the first owner, who logs in with an httpOnly, Secure, SameSite=Strict cookie', async () => {
    const out: string[] = [];
    await runAdmin(['create-user', 'Owner@Example.HK', '--role', 'owner', '--merchant', String(shop.merchantId)], {
      pool: database().pool,
      clock: { now: () => Date.now() },
      migrationsDir: MIGRATIONS_DIR,
      out: (l) => out.push(l),
      err: () => {},
    });
    const printed = JSON.parse(out.join('\n')) as { user: { email: string; role: string }; password: string };
    expect(printed.user).toMatchObject({ email: 'owner@example.hk', role: 'owner' });
    expect(printed.password).toMatch(/^[A-Za-z0-9]{20}$/);

    const client = new HqClient(server.base);
    const answer = await client.login('owner@example.hk', printed.password);
    expect(answer.status).toBe(200);
    const cookie = answer.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^__Host-suanpan-hq=[A-Za-z0-9_-]{43};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('Secure');
    expect(cookie).toContain('SameSite=Strict');
    expect(answer.body).toMatchObject({ user: { role: 'owner' }, permissions: expect.arrayContaining(['users.manage', 'audit.view']) });

    const session = await client.request('GET', '/hq/api/session');
    expect(session.status).toBe(200);
    expect(session.headers.get('cache-control')).toBe('no-store');
    // The stored hash is scrypt, never the password.
    const stored = (
      await database().pool.query<{ password_hash: string }>("SELECT password_hash FROM hq_user WHERE email = 'owner@example.hk'")
    ).rows[0]!;
    expect(stored.password_hash).toMatch(/^scrypt\$15\$8\$3\$/);
    expect(stored.password_hash).not.toContain(printed.password);

    await client.request('POST', '/hq/api/logout');
    expect((await client.request('GET', '/hq/api/session')).body.error).toBe('SESSION_REQUIRED');
  });

  it('a wrong password and an unknown address get the same LOGIN_FAILED', async () => {
    await addUser(database().pool, shop.merchantId, 'staff1@example.hk', 'viewer');
    const client = new HqClient(server.base);
    const wrong = await client.login('staff1@example.hk', 'not the password');
    const unknown = await client.login('nobody@example.hk', 'not the password');
    expect([wrong.status, wrong.body.error]).toEqual([401, 'LOGIN_FAILED']);
    expect([unknown.status, unknown.body.error]).toEqual([401, 'LOGIN_FAILED']);
    expect(unknown.body.message).toBe(wrong.body.message);
    const bad = await client.request('POST', '/hq/api/login', { email: 'not an address', password: 'x' });
    expect([bad.status, bad.body.error]).toEqual([400, 'BAD_REQUEST']);
  });

  it('60 guesses sent at once check at most 5 passwords: the right one at #46 is refused LOCKED_OUT too', async () => {
    await addUser(database().pool, shop.merchantId, 'target@example.hk', 'hq_manager');
    const client = new HqClient(server.base);
    const attempts = Array.from({ length: 60 }, (_, i) => client.login('target@example.hk', i === 45 ? PASSWORD : `guess ${i}`));
    const answers = await Promise.all(attempts);
    const codes = answers.map((a) => a.body.error);
    expect(codes.filter((c) => c === 'LOGIN_FAILED')).toHaveLength(MAX_FAILED_ATTEMPTS - 1);
    expect(codes.filter((c) => c === 'LOCKED_OUT')).toHaveLength(60 - (MAX_FAILED_ATTEMPTS - 1));
    expect(answers[45]!.body.error).toBe('LOCKED_OUT');
    expect(answers.every((a) => a.status !== 200)).toBe(true);
    // Exactly five passwords were checked: four failures and the one that locked, each audited.
    const audited = (
      await database().pool.query<{ action: string; n: number }>(
        "SELECT action, count(*)::int AS n FROM hq_audit WHERE user_email = 'target@example.hk' GROUP BY action ORDER BY action",
      )
    ).rows;
    expect(audited).toEqual([
      { action: 'login.failed', n: 4 },
      { action: 'login.locked', n: 1 },
    ]);
    // Still locked for the right password afterwards; an owner's unlock lets it in.
    expect((await client.login('target@example.hk')).body.error).toBe('LOCKED_OUT');
    await database().pool.query("UPDATE hq_user SET failed_attempts = 0, locked_until = NULL WHERE email = 'target@example.hk'");
    expect((await client.login('target@example.hk')).status).toBe(200);
  });

  it('TOTP: set up by the user, then required at login; a wrong or replayed code is refused', async () => {
    await addUser(database().pool, shop.merchantId, 'totp@example.hk', 'owner');
    const client = new HqClient(server.base);
    expect((await client.login('totp@example.hk')).status).toBe(200);
    const started = await client.request('POST', '/hq/api/me/totp/start');
    const secret = started.body.secret as string;
    expect(started.body.uri).toContain(`secret=${secret}`);
    expect(
      (
        await client.request('POST', '/hq/api/me/totp/confirm', {
          code: '000000' === totpCode(secret, totpStep(Date.now())) ? '111111' : '000000',
        })
      ).body.error,
    ).toBe('TOTP_INVALID');
    expect((await client.request('POST', '/hq/api/me/totp/confirm', { code: totpCode(secret, totpStep(Date.now())) })).status).toBe(200);

    const again = new HqClient(server.base);
    expect((await again.login('totp@example.hk')).body.error).toBe('TOTP_REQUIRED');
    expect((await again.login('totp@example.hk', PASSWORD, '12345')).body.error).toBe('BAD_REQUEST');
    // The code used to confirm is spent; the next step's code logs in, once.
    const next = totpCode(secret, totpStep(Date.now()) + 1);
    expect((await again.login('totp@example.hk', PASSWORD, next)).status).toBe(200);
    expect((await new HqClient(server.base).login('totp@example.hk', PASSWORD, next)).body.error).toBe('TOTP_INVALID');
    // TOTP_REQUIRED gave its attempt back: a person who types the password then the code is not locked by it.
    const row = (
      await database().pool.query<{ failed_attempts: number }>("SELECT failed_attempts FROM hq_user WHERE email = 'totp@example.hk'")
    ).rows[0]!;
    expect(row.failed_attempts).toBe(1);
  });

  it('writes need the session’s CSRF token and the console’s own origin', async () => {
    await addUser(database().pool, shop.merchantId, 'csrf@example.hk', 'owner');
    const client = new HqClient(server.base);
    await client.login('csrf@example.hk');
    const body = { ttlMinutes: 30 };
    const path = `/hq/api/stores/${shop.stores[0]!.id}/enrol-codes`;
    expect((await client.request('POST', path, body, { 'x-csrf-token': 'forged' })).body.error).toBe('CSRF_FAILED');
    expect((await client.request('POST', path, body, { origin: 'https://evil.example' })).body.error).toBe('CSRF_FAILED');
    expect((await client.request('POST', path, body, { 'sec-fetch-site': 'cross-site' })).body.error).toBe('CSRF_FAILED');
    expect(
      (await client.request('POST', '/hq/api/login', { email: 'csrf@example.hk', password: PASSWORD }, { origin: 'https://evil.example' }))
        .body.error,
    ).toBe('CSRF_FAILED');
    const ok = await client.request('POST', path, body);
    expect(ok.status).toBe(200);
    expect(ok.body.code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  });

  it('the console page is served under /hq/ with a strict CSP, and client routes fall back to it', async () => {
    for (const path of ['/hq/', '/hq/catalogue']) {
      const response = await fetch(`${server.base}${path}`);
      expect(response.status).toBe(200);
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(await response.text()).toContain('<div id="root">');
    }
    expect((await fetch(`${server.base}/hq/assets/missing.js`)).status).toBe(404);
    expect((await fetch(`${server.base}/hq/api/nothing`)).status).toBe(404);
  });
});
