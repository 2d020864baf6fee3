import { beforeAll, describe, expect, it } from 'vitest';
import {
  call,
  createShop,
  enrolRegister,
  fingerprint,
  saleMutation,
  useTestDatabase,
  useTestServer,
  type EnrolledRegister,
} from './helpers';
import { issueEnrolmentCode } from '../../../cloud/domain/enrolment';

const db = useTestDatabase();
const server = useTestServer(db);
let register: EnrolledRegister;
let code: string;

beforeAll(async () => {
  const shop = await createShop(db().pool, { initialStock: 5 });
  register = await enrolRegister(db().pool, server.base, shop.stores[0]!);
  await call(server.base, 'POST', `/v1/registers/${register.registerId}/mutations`, {
    token: register.token,
    body: { mutations: [saleMutation(register, 1)] },
  });
  // A valid, unused code: bad requests carrying it must not spend it.
  code = (await issueEnrolmentCode(db().pool, shop.stores[0]!.id, { ttlMinutes: 60, now: Date.now() })).code;
});

const MiB = 1024 * 1024;
const huge = (bytes: number) => JSON.stringify({ code: 'x', name: 'y'.repeat(bytes) });

interface Case {
  name: string;
  method: string;
  path: () => string;
  token?: () => string;
  body?: () => unknown;
  headers?: Record<string, string>;
  status: number;
  error: string;
}

const mutations = () => `/v1/registers/${register.registerId}/mutations`;
/** A push body over 16 KiB (parsed in pieces: routes/raw-json.ts) as text, its mutations' JSON joined by `between`. */
const bigPush = (between = ',', last = '{"seq":99,"kind":"x.y","ref":"","payload":{}}') =>
  `{"mutations":[${Array.from({ length: 40 }, (_, i) => JSON.stringify({ seq: i + 2, kind: 'x.y', ref: '', payload: { note: '旺角'.repeat(200) } })).join(between)},${last}]}`;
const rotate = () => `/v1/registers/${register.registerId}/token/rotate`;
const token = () => register.token;
const validMutation = () => saleMutation(register, 2);

const cases: Case[] = [
  {
    name: 'enroll: malformed JSON',
    method: 'POST',
    path: () => '/v1/enroll',
    body: () => `{"code": "${code}"`,
    status: 400,
    error: 'INVALID_JSON',
  },
  {
    name: 'enroll: empty body',
    method: 'POST',
    path: () => '/v1/enroll',
    body: () => '',
    headers: { 'content-type': 'application/json' },
    status: 400,
    error: 'INVALID_JSON',
  },
  {
    name: 'enroll: code of the wrong type',
    method: 'POST',
    path: () => '/v1/enroll',
    body: () => ({ code: 123456 }),
    status: 400,
    error: 'BAD_REQUEST',
  },
  {
    name: 'enroll: name of the wrong type',
    method: 'POST',
    path: () => '/v1/enroll',
    body: () => ({ code, name: ['a'] }),
    status: 400,
    error: 'BAD_REQUEST',
  },
  { name: 'enroll: no code', method: 'POST', path: () => '/v1/enroll', body: () => ({ name: 'x' }), status: 400, error: 'BAD_REQUEST' },
  { name: 'enroll: an array', method: 'POST', path: () => '/v1/enroll', body: () => [code], status: 400, error: 'BAD_REQUEST' },
  {
    name: 'enroll: prototype poisoning',
    method: 'POST',
    path: () => '/v1/enroll',
    body: () => `{"code":"${code}","__proto__":{"admin":true}}`,
    status: 400,
    error: 'INVALID_JSON',
  },
  {
    name: 'enroll: not JSON at all',
    method: 'POST',
    path: () => '/v1/enroll',
    body: () => `code=${code}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    status: 415,
    error: 'UNSUPPORTED_MEDIA_TYPE',
  },
  {
    name: 'enroll: 2 MiB body',
    method: 'POST',
    path: () => '/v1/enroll',
    body: () => huge(2 * MiB),
    status: 413,
    error: 'PAYLOAD_TOO_LARGE',
  },
  {
    name: 'mutations: malformed JSON',
    method: 'POST',
    path: mutations,
    token,
    body: () => '{"mutations": [',
    status: 400,
    error: 'INVALID_JSON',
  },
  {
    name: 'mutations: malformed JSON, 40 KB',
    method: 'POST',
    path: mutations,
    token,
    body: () => bigPush().slice(0, -1),
    status: 400,
    error: 'INVALID_JSON',
  },
  {
    name: 'mutations: two mutations with no comma between, 40 KB',
    method: 'POST',
    path: mutations,
    token,
    body: () => bigPush(' '),
    status: 400,
    error: 'INVALID_JSON',
  },
  {
    name: 'mutations: text after the body, 40 KB',
    method: 'POST',
    path: mutations,
    token,
    body: () => `${bigPush()} {}`,
    status: 400,
    error: 'INVALID_JSON',
  },
  {
    name: 'mutations: prototype poisoning in a mutation, 40 KB',
    method: 'POST',
    path: mutations,
    token,
    body: () => bigPush(',', '{"seq":99,"kind":"x.y","ref":"","payload":{"__proto__":{"admin":true}}}'),
    status: 400,
    error: 'INVALID_JSON',
  },
  {
    name: 'mutations: prototype poisoning at the top, 40 KB',
    method: 'POST',
    path: mutations,
    token,
    body: () => `{"__proto__":{"admin":true},${bigPush().slice(1)}`,
    status: 400,
    error: 'INVALID_JSON',
  },
  {
    name: 'mutations: constructor.prototype in a mutation, 40 KB',
    method: 'POST',
    path: mutations,
    token,
    body: () => bigPush(',', '{"seq":99,"kind":"x.y","ref":"","payload":{"constructor":{"prototype":{"admin":true}}}}'),
    status: 400,
    error: 'INVALID_JSON',
  },
  {
    name: 'mutations: mutations not an array',
    method: 'POST',
    path: mutations,
    token,
    body: () => ({ mutations: 'all of them' }),
    status: 400,
    error: 'BAD_REQUEST',
  },
  {
    name: 'mutations: seq as a string',
    method: 'POST',
    path: mutations,
    token,
    body: () => ({ mutations: [{ ...validMutation(), seq: '2' }] }),
    status: 400,
    error: 'BAD_REQUEST',
  },
  {
    name: 'mutations: seq 0',
    method: 'POST',
    path: mutations,
    token,
    body: () => ({ mutations: [{ ...validMutation(), seq: 0 }] }),
    status: 400,
    error: 'BAD_REQUEST',
  },
  {
    name: 'mutations: fractional seq',
    method: 'POST',
    path: mutations,
    token,
    body: () => ({ mutations: [{ ...validMutation(), seq: 2.5 }] }),
    status: 400,
    error: 'BAD_REQUEST',
  },
  {
    name: 'mutations: kind a number',
    method: 'POST',
    path: mutations,
    token,
    body: () => ({ mutations: [{ ...validMutation(), kind: 7 }] }),
    status: 400,
    error: 'BAD_REQUEST',
  },
  {
    name: 'mutations: kind with a NUL',
    method: 'POST',
    path: mutations,
    token,
    body: () => ({ mutations: [{ ...validMutation(), kind: 'document.sale\u0000' }] }),
    status: 400,
    error: 'BAD_REQUEST',
  },
  {
    name: 'mutations: no payload',
    method: 'POST',
    path: mutations,
    token,
    body: () => ({ mutations: [{ seq: 2, kind: 'document.sale', ref: 'x' }] }),
    status: 400,
    error: 'BAD_REQUEST',
  },
  {
    name: 'mutations: 501 in one batch',
    method: 'POST',
    path: mutations,
    token,
    body: () => ({ mutations: Array.from({ length: 501 }, (_, i) => ({ seq: i + 2, kind: 'x.y', ref: '', payload: {} })) }),
    status: 400,
    error: 'BAD_REQUEST',
  },
  {
    name: 'mutations: 1.5 MiB body',
    method: 'POST',
    path: mutations,
    token,
    body: () => ({ mutations: [{ ...validMutation(), payload: { blob: 'z'.repeat(1.5 * MiB) } }] }),
    status: 413,
    error: 'PAYLOAD_TOO_LARGE',
  },
  {
    name: 'mutations: no token, huge body',
    method: 'POST',
    path: mutations,
    body: () => huge(2 * MiB),
    status: 401,
    error: 'UNAUTHORIZED',
  },
  {
    name: 'mutations: plain text',
    method: 'POST',
    path: mutations,
    token,
    body: () => 'seq=2',
    headers: { 'content-type': 'text/plain' },
    status: 415,
    error: 'UNSUPPORTED_MEDIA_TYPE',
  },
  {
    name: 'mutations: a path that is no register id',
    method: 'POST',
    path: () => '/v1/registers/../mutations',
    token,
    body: () => ({ mutations: [validMutation()] }),
    status: 404,
    error: 'NOT_FOUND',
  },
  { name: 'rotate: malformed JSON', method: 'POST', path: rotate, token, body: () => '{', status: 400, error: 'INVALID_JSON' },
  {
    name: 'changes: since not a number',
    method: 'GET',
    path: () => '/v1/changes?since=yesterday',
    token,
    status: 400,
    error: 'BAD_REQUEST',
  },
  { name: 'changes: limit too large', method: 'GET', path: () => '/v1/changes?limit=100000', token, status: 400, error: 'BAD_REQUEST' },
  { name: 'unknown route', method: 'GET', path: () => '/v1/sales', token, status: 404, error: 'NOT_FOUND' },
  { name: 'wrong method', method: 'DELETE', path: mutations, token, status: 404, error: 'NOT_FOUND' },
];

describe('bad input to every endpoint', () => {
  it.each(cases)('$name → $status $error, nothing written', async (c) => {
    const before = await fingerprint(db().pool);
    const answer = await call(server.base, c.method, c.path(), {
      ...(c.token ? { token: c.token() } : {}),
      ...(c.body ? { body: c.body() } : {}),
      ...(c.headers ? { headers: c.headers } : {}),
    });
    expect(answer.status).toBe(c.status);
    expect(answer.body).toMatchObject({ error: c.error, message: expect.any(String), serverTime: expect.any(Number) });
    expect(answer.headers.get('date')).toBeTruthy();
    expect(await fingerprint(db().pool)).toEqual(before);
  });

  it('after all that, the code is unspent, the token works and the queue is where it was', async () => {
    expect((await call(server.base, 'POST', '/v1/enroll', { body: { code } })).status).toBe(201);
    const status = await call(server.base, 'GET', `/v1/registers/${register.registerId}`, { token: register.token });
    expect(status.body).toMatchObject({ lastAppliedSeq: 1 });
  });

  it('field-level issues name the field', async () => {
    const answer = await call<{ issues: { path: string; message: string }[] }>(server.base, 'POST', mutations(), {
      token: register.token,
      body: { mutations: [{ ...validMutation(), seq: 'x' }] },
    });
    expect(answer.body.issues).toEqual([{ path: 'mutations.0.seq', message: expect.any(String) }]);
  });
});
