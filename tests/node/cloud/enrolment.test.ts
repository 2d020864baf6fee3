import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueEnrolmentCode } from '../../../cloud/domain/enrolment';
import { revokeRegister } from '../../../cloud/domain/registers';
import { call, createShop, enrolRegister, manualClock, startServer, useTestDatabase, type Server, type Shop } from './helpers';

const db = useTestDatabase();
const clock = manualClock();
let server: Server;
let shop: Shop;

beforeAll(async () => {
  // A generous limit here: the rate-limit test below runs its own server with the real one.
  server = await startServer({ pool: db().pool, clock, enrolAttemptsPerMinute: 1000 });
  shop = await createShop(db().pool, { now: clock.now() });
});
afterAll(async () => {
  await server.close();
});

const store = () => shop.stores[0]!;

describe('enrolment', () => {
  it('trades a one-time code for a register id, a token and the store, with server time', async () => {
    const { code } = await issueEnrolmentCode(db().pool, store().id, { ttlMinutes: 60, now: clock.now() });
    // Typed as IT might: lower case, spaces instead of dashes.
    const answer = await call(server.base, 'POST', '/v1/enroll', {
      body: { code: code.toLowerCase().replaceAll('-', ' '), name: '收銀機 1' },
    });
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({
      registerId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      registerCode: expect.stringMatching(/^\d{2}$/),
      name: '收銀機 1',
      token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      store: { code: 'MK', nameZh: '旺角店', nameEn: 'Mong Kok' },
      serverTime: clock.now(),
    });
    expect(answer.headers.get('date')).toBeTruthy();
    expect(answer.headers.get('cache-control')).toBe('no-store');
    // Only hashes are stored.
    const stored = (await db().pool.query('SELECT token_hash FROM register WHERE id = $1', [answer.body.registerId])).rows[0] as {
      token_hash: Buffer;
    };
    expect(stored.token_hash.toString('utf8')).not.toContain(answer.body.token as string);
    const codes = (await db().pool.query('SELECT code_hash::text AS h FROM enrolment_code')).rows as { h: string }[];
    expect(codes.some((r) => r.h.includes(code))).toBe(false);
    // The token works.
    const status = await call(server.base, 'GET', `/v1/registers/${answer.body.registerId as string}`, {
      token: answer.body.token as string,
    });
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ lastAppliedSeq: 0, store: { code: 'MK' } });
  });

  it('gives each register of a store its own code for receipt numbers', async () => {
    const a = await enrolRegister(db().pool, server.base, store(), clock.now());
    const b = await enrolRegister(db().pool, server.base, store(), clock.now());
    expect(a.registerCode).not.toBe(b.registerCode);
  });

  it('refuses a replayed code, an expired code and an unknown code, and enrols nobody', async () => {
    const { code } = await issueEnrolmentCode(db().pool, store().id, { ttlMinutes: 60, now: clock.now() });
    expect((await call(server.base, 'POST', '/v1/enroll', { body: { code } })).status).toBe(201);
    const count = async () => (await db().pool.query('SELECT count(*) AS n FROM register')).rows[0] as { n: number };
    const before = await count();

    const replay = await call(server.base, 'POST', '/v1/enroll', { body: { code } });
    expect(replay.status).toBe(409);
    expect(replay.body).toMatchObject({ error: 'ENROLMENT_CODE_USED', serverTime: clock.now() });

    const old = await issueEnrolmentCode(db().pool, store().id, { ttlMinutes: 5, now: clock.now() - 6 * 60_000 });
    const expired = await call(server.base, 'POST', '/v1/enroll', { body: { code: old.code } });
    expect(expired.status).toBe(410);
    expect(expired.body.error).toBe('ENROLMENT_CODE_EXPIRED');

    const unknown = await call(server.base, 'POST', '/v1/enroll', { body: { code: 'AAAA-BBBB-CCCC' } });
    expect(unknown.status).toBe(401);
    expect(unknown.body.error).toBe('ENROLMENT_CODE_INVALID');
    expect(await count()).toEqual(before);
  });

  it('lets one of two registers racing with the same code enrol', async () => {
    const { code } = await issueEnrolmentCode(db().pool, store().id, { ttlMinutes: 60, now: clock.now() });
    const answers = await Promise.all([1, 2, 3].map(() => call(server.base, 'POST', '/v1/enroll', { body: { code } })));
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409]);
  });

  it('rate-limits attempts per address, across instances, answering 429 with Retry-After', async () => {
    const limited = await startServer({ pool: db().pool, clock, enrolAttemptsPerMinute: 5, trustProxy: true });
    const other = await startServer({ pool: db().pool, clock, enrolAttemptsPerMinute: 5, trustProxy: true });
    try {
      // Another address's bucket for this test, so the attempts above do not count.
      const address = { 'x-forwarded-for': '203.0.113.7' };
      const statuses: number[] = [];
      for (let i = 0; i < 6; i += 1) {
        const target = i % 2 === 0 ? limited : other;
        statuses.push((await call(target.base, 'POST', '/v1/enroll', { body: { code: `WRONG-CODE-${i}` }, headers: address })).status);
      }
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
      // Even a valid code waits: the limit is on attempts, before the code is looked at.
      const { code } = await issueEnrolmentCode(db().pool, store().id, { ttlMinutes: 60, now: clock.now() });
      const refused = await call(limited.base, 'POST', '/v1/enroll', { body: { code }, headers: address });
      expect(refused.status).toBe(429);
      expect(refused.body.error).toBe('RATE_LIMITED');
      // 5 a minute: one attempt back every 12 s
      expect(refused.headers.get('retry-after')).toBe('12');
      clock.advance(11_000);
      expect((await call(limited.base, 'POST', '/v1/enroll', { body: { code }, headers: address })).status).toBe(429);
      clock.advance(1_000);
      expect((await call(limited.base, 'POST', '/v1/enroll', { body: { code }, headers: address })).status).toBe(201);
    } finally {
      await limited.close();
      await other.close();
    }
  });
});

describe('the enrolment rate limit across a minute boundary (issue 11 item 9)', () => {
  it('lets no more than the limit through in any minute: 10 wrong codes within 1.7 s over a boundary get 5 × 401', async () => {
    const limited = await startServer({ pool: db().pool, clock, enrolAttemptsPerMinute: 5, trustProxy: true });
    try {
      const address = { 'x-forwarded-for': '198.51.100.23' };
      // 0.5 s before a minute ends, then 1.2 s after it began
      clock.set(Math.floor(clock.now() / 60_000) * 60_000 + 119_500);
      const statuses: number[] = [];
      for (let i = 0; i < 10; i += 1) {
        if (i === 5) clock.advance(1_700);
        statuses.push((await call(limited.base, 'POST', '/v1/enroll', { body: { code: `WRONG-${i}` }, headers: address })).status);
      }
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429, 429, 429]);
      // and it refills steadily: a minute later the whole allowance is back, not more
      clock.advance(60_000);
      const later: number[] = [];
      for (let i = 0; i < 6; i += 1)
        later.push((await call(limited.base, 'POST', '/v1/enroll', { body: { code: `LATER-${i}` }, headers: address })).status);
      expect(later).toEqual([401, 401, 401, 401, 401, 429]);
    } finally {
      await limited.close();
    }
  });
});

describe('health', () => {
  it('answers ok with the server time, without a token', async () => {
    const answer = await call(server.base, 'GET', '/v1/health');
    expect(answer).toMatchObject({ status: 200, body: { ok: true, serverTime: clock.now() } });
  });
});

describe('tokens', () => {
  it('rotation gives a new token and the old one stops working', async () => {
    const register = await enrolRegister(db().pool, server.base, store(), clock.now());
    const path = `/v1/registers/${register.registerId}`;
    const rotated = await call<{ token: string }>(server.base, 'POST', `${path}/token/rotate`, { token: register.token });
    expect(rotated.status).toBe(200);
    expect(rotated.body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(rotated.body.token).not.toBe(register.token);

    const withOld = await call(server.base, 'GET', path, { token: register.token });
    expect(withOld.status).toBe(401);
    expect(withOld.body.error).toBe('TOKEN_ROTATED');
    expect((await call(server.base, 'GET', path, { token: rotated.body.token })).status).toBe(200);
    // Once the new token has been used, the old one is dead even for a rotation.
    const late = await call(server.base, 'POST', `${path}/token/rotate`, { token: register.token });
    expect(late.status).toBe(401);
    expect(late.body.error).toBe('TOKEN_INVALID');
  });

  it('a rotation whose answer was lost can be retried with the old token', async () => {
    const register = await enrolRegister(db().pool, server.base, store(), clock.now());
    const path = `/v1/registers/${register.registerId}/token/rotate`;
    const lost = await call<{ token: string }>(server.base, 'POST', path, { token: register.token });
    const retried = await call<{ token: string }>(server.base, 'POST', path, { token: register.token });
    expect(retried.status).toBe(200);
    // The token of the lost answer was replaced by the retry's.
    expect((await call(server.base, 'GET', `/v1/registers/${register.registerId}`, { token: lost.body.token })).status).toBe(401);
    expect((await call(server.base, 'GET', `/v1/registers/${register.registerId}`, { token: retried.body.token })).status).toBe(200);
  });

  it('a revoked register gets 401 TOKEN_REVOKED everywhere', async () => {
    const register = await enrolRegister(db().pool, server.base, store(), clock.now());
    await revokeRegister(db().pool, register.registerId, clock.now());
    for (const [method, path] of [
      ['GET', `/v1/registers/${register.registerId}`],
      ['GET', '/v1/changes'],
      ['GET', '/v1/snapshot'],
      ['POST', `/v1/registers/${register.registerId}/token/rotate`],
    ] as const) {
      const answer = await call(server.base, method, path, { token: register.token });
      expect(answer.status, `${method} ${path}`).toBe(401);
      expect(answer.body.error).toBe('TOKEN_REVOKED');
    }
  });

  it('no token, a malformed one or an unknown one is 401', async () => {
    expect((await call(server.base, 'GET', '/v1/changes')).body.error).toBe('UNAUTHORIZED');
    expect((await call(server.base, 'GET', '/v1/changes', { headers: { authorization: 'Basic abc' } })).body.error).toBe('TOKEN_INVALID');
    expect((await call(server.base, 'GET', '/v1/changes', { token: 'x'.repeat(43) })).body.error).toBe('TOKEN_INVALID');
  });
});
