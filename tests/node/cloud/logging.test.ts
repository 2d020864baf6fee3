import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool } from '../../../cloud/db/pool';
import { issueEnrolmentCode } from '../../../cloud/domain/enrolment';
import { call, createShop, saleMutation, startServer, useTestDatabase, type Server, type Shop } from './helpers';

const db = useTestDatabase();
const lines: string[] = [];
let server: Server;
let shop: Shop;

beforeAll(async () => {
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString('utf8'));
      callback();
    },
  });
  // The most talkative level, so anything a request could put in a log line is there to catch.
  server = await startServer({ pool: db().pool, logger: { level: 'trace', stream }, enrolAttemptsPerMinute: 1000 });
  shop = await createShop(db().pool, {});
});
afterAll(async () => {
  await server.close();
});

describe('logs', () => {
  it('never contain an enrolment code or a token, whatever the request', async () => {
    const secrets: string[] = [];
    const { code } = await issueEnrolmentCode(db().pool, shop.stores[0]!.id, { ttlMinutes: 60, now: Date.now() });
    const spare = (await issueEnrolmentCode(db().pool, shop.stores[0]!.id, { ttlMinutes: 60, now: Date.now() })).code;
    secrets.push(code, code.replaceAll('-', ''), spare, spare.replaceAll('-', ''));

    // A malformed body around a valid code, a body of the wrong shape, then the real enrolment.
    await call(server.base, 'POST', '/v1/enroll', { body: `{"code": "${spare}", ` });
    await call(server.base, 'POST', '/v1/enroll', { body: { code: spare, name: 42 } });
    const enrolled = await call<{ registerId: string; token: string }>(server.base, 'POST', '/v1/enroll', { body: { code } });
    expect(enrolled.status).toBe(201);
    const { registerId, token } = enrolled.body;
    secrets.push(token);

    const register = { storeCode: 'MK', registerCode: '01' };
    await call(server.base, 'POST', `/v1/registers/${registerId}/mutations`, { token, body: { mutations: [saleMutation(register, 1)] } });
    await call(server.base, 'POST', `/v1/registers/${registerId}/mutations`, { token, body: '{"mutations": [' });
    await call(server.base, 'GET', `/v1/changes?since=0`, { token });
    await call(server.base, 'GET', `/v1/changes?since=nonsense`, { token });
    const rotated = await call<{ token: string }>(server.base, 'POST', `/v1/registers/${registerId}/token/rotate`, { token });
    secrets.push(rotated.body.token);
    // The old token again (refused), and a made-up one.
    await call(server.base, 'GET', '/v1/snapshot', { token });
    const madeUp = 'A'.repeat(43);
    secrets.push(madeUp);
    await call(server.base, 'GET', '/v1/snapshot', { token: madeUp });

    const log = lines.join('');
    expect(log).toContain('/v1/enroll');
    expect(log).toContain('INVALID_JSON');
    for (const secret of secrets) expect(log, 'a secret reached the log').not.toContain(secret);
    expect(log.toLowerCase()).not.toContain('bearer');
  });

  it('a database outage is a 503 with Retry-After, logged with its cause and still without the token', async () => {
    const captured: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        captured.push(chunk.toString('utf8'));
        callback();
      },
    });
    // Nothing listens on port 1.
    const pool = createPool('postgres://postgres@127.0.0.1:1/test', { connectionTimeoutMs: 500 });
    const down = await startServer({ pool, logger: { level: 'info', stream } });
    try {
      const token = 'B'.repeat(43);
      const answer = await call(down.base, 'GET', '/v1/changes', { token });
      expect(answer.status).toBe(503);
      expect(answer.body).toMatchObject({ error: 'UNAVAILABLE', serverTime: expect.any(Number) });
      expect(answer.headers.get('retry-after')).toBe('5');
      expect((await call(down.base, 'GET', '/v1/health')).status).toBe(503);
      const log = captured.join('');
      expect(log).toContain('ECONNREFUSED');
      expect(log).not.toContain(token);
    } finally {
      await down.close();
      await pool.end();
    }
  });
});
