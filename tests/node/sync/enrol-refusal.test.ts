/**
 * A refused enrolment says what happened in the reader's language: each way IT's enrolment can go
 * wrong (a code unknown, used or expired, too many attempts, no answer, a certificate refused, a
 * web page or a wrong path at the address, a cloud failing) reaches the back office as its own
 * error code, worded in zh-HK and English by what shop IT does next, with the other side's own
 * words apart as the detail for IT, never in the words themselves.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type RequestListener, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { issueEnrolmentCode } from '../../../cloud/domain/enrolment';
import type { PosErrorBody } from '../../../src/shared/errors';
import { errorText } from '../../../src/renderer/hooks/use-error-text';
import { createI18n } from '../../../src/renderer/i18n/create-i18n';
import { startServer } from '../cloud/helpers';
import { createCloudShop, enrolmentCode, syncStatus, useSyncRig } from './helpers';

const { database, server, openRegister } = useSyncRig();

const servers: Server[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((done) => s.close(done))));
});

async function listening(s: Server, scheme: 'http' | 'https'): Promise<string> {
  servers.push(s);
  await new Promise<void>((done) => s.listen(0, '127.0.0.1', done));
  return `${scheme}://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

/** A loopback server that is not a Suanpan cloud, answering every request with `listener`. */
const answering = (listener: RequestListener) => listening(createServer(listener), 'http');

async function refusal(cloudUrl: string, code = 'AAAA-BBBB-CCCC'): Promise<PosErrorBody> {
  const { register } = await openRegister();
  const answer = await register.dispatch('sync:enrol', { cloudUrl, code });
  if (answer.ok) throw new Error('the enrolment was not refused');
  expect((await syncStatus(register)).state).toBe('not-enrolled');
  return answer.error;
}

/** The refusal as 雲端同步 words it, in zh-HK and in English. */
async function words(error: PosErrorBody): Promise<{ zh: string; en: string }> {
  const i18n = createI18n({ getItem: () => null, setItem: () => undefined });
  const zh = errorText(i18n, error);
  await i18n.changeLanguage('en');
  return { zh, en: errorText(i18n, error) };
}

/** zh-HK words are Chinese throughout: no English sentence of the cloud's or of main's inside them. */
function expectChinese(zh: string, error: PosErrorBody): void {
  expect(zh).toMatch(/[\u4e00-\u9fff]/);
  expect(zh).not.toMatch(/[A-Za-z]{4,} [A-Za-z]{2,}/);
  if (error.detail) expect(zh).not.toContain(error.detail);
  expect(zh).not.toContain(error.message);
}

describe('a refused enrolment', () => {
  it('a code the cloud does not know, one already used and one expired: ask head office for a new code', async () => {
    const pool = database().pool;
    const shop = await createCloudShop(pool);

    const unknown = await refusal(server.base);
    expect(unknown).toMatchObject({ code: 'ENROLMENT_CODE_INVALID', detail: expect.stringMatching(/not valid/) });
    const unknownWords = await words(unknown);
    expectChinese(unknownWords.zh, unknown);
    expect(unknownWords.zh).toContain('請總部發出新的登記碼');
    expect(unknownWords.en).toContain('ask head office for a new one');

    const used = await enrolmentCode(pool, shop.store);
    const first = await fetch(`${server.base}/v1/enroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: used }),
    });
    expect(first.status).toBe(201);
    const usedRefusal = await refusal(server.base, used);
    expect(usedRefusal).toMatchObject({ code: 'ENROLMENT_CODE_USED', detail: expect.stringMatching(/already been used/) });
    const usedWords = await words(usedRefusal);
    expectChinese(usedWords.zh, usedRefusal);
    expect(usedWords.zh).toBe('此登記碼已使用過，不能再用：請總部發出新的登記碼');
    expect(usedWords.en).toBe('This enrolment code has already been used: ask head office for a new one');

    const expired = (await issueEnrolmentCode(pool, shop.store.id, { ttlMinutes: 60, now: Date.now() - 2 * 3_600_000 })).code;
    const expiredRefusal = await refusal(server.base, expired);
    expect(expiredRefusal).toMatchObject({ code: 'ENROLMENT_CODE_EXPIRED', detail: expect.stringMatching(/expired/) });
    const expiredWords = await words(expiredRefusal);
    expectChinese(expiredWords.zh, expiredRefusal);
    expect(expiredWords.zh).toContain('已過期');
    expect(expiredWords.en).toContain('has expired');
  });

  it('too many attempts: wait as long as the cloud’s Retry-After says', async () => {
    const strict = await startServer({ pool: database().pool, enrolAttemptsPerMinute: 1 });
    try {
      expect((await refusal(strict.base)).code).toBe('ENROLMENT_CODE_INVALID');
      const limited = await refusal(strict.base);
      expect(limited).toMatchObject({ code: 'ENROLMENT_RATE_LIMITED', detail: expect.stringMatching(/Too many enrolment attempts/) });
      // one attempt a minute: the next is let in within 60 s, as the cloud's Retry-After says
      const seconds = limited.values?.seconds as number;
      expect(seconds).toBeGreaterThanOrEqual(55);
      expect(seconds).toBeLessThanOrEqual(60);
      const { zh, en } = await words(limited);
      expectChinese(zh, limited);
      expect(zh).toBe(`登記嘗試次數過多，雲端暫停接受：請等 ${seconds} 秒後再試`);
      expect(en).toContain(`wait ${seconds} seconds`);
    } finally {
      await strict.close();
    }
  });

  it('too many attempts without a Retry-After: wait a minute', async () => {
    const url = await answering((_request, response) => {
      response.writeHead(429, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: 'RATE_LIMITED', message: 'Slow down' }));
    });
    const limited = await refusal(url);
    expect(limited).toMatchObject({ code: 'ENROLMENT_RATE_LIMITED', values: { seconds: 60 }, detail: 'Slow down' });
  });

  it('nothing answers at the address: check the address and the network, the connection’s error for IT', async () => {
    const closed = await listening(createServer(), 'http');
    await new Promise((done) => servers.pop()?.close(done));
    const unreachable = await refusal(closed);
    expect(unreachable).toMatchObject({ code: 'CLOUD_UNREACHABLE', detail: 'ECONNREFUSED' });
    const { zh, en } = await words(unreachable);
    expectChinese(zh, unreachable);
    expect(zh).toContain('請檢查雲端網址及此收銀機的網絡連線');
    expect(en).toContain('check the cloud address and this register’s network connection');
  });

  it('https to the cloud’s plain http port, and a self-signed certificate: no secure connection, check the address', async () => {
    const wrongScheme = await refusal(server.base.replace('http://', 'https://'));
    expect(wrongScheme).toMatchObject({ code: 'CLOUD_CERTIFICATE', detail: expect.stringMatching(/^ERR_SSL_/) });

    const dir = mkdtempSync(join(tmpdir(), 'suanpan-tls-'));
    try {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-days',
          '1',
          '-subj',
          '/CN=127.0.0.1',
          '-keyout',
          join(dir, 'key.pem'),
          '-out',
          join(dir, 'cert.pem'),
        ],
        {
          stdio: 'ignore',
        },
      );
      const url = await listening(
        createTlsServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (_request, response) =>
          response.end('{}'),
        ),
        'https',
      );
      const selfSigned = await refusal(url);
      expect(selfSigned).toMatchObject({ code: 'CLOUD_CERTIFICATE', detail: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
      const { zh, en } = await words(selfSigned);
      expectChinese(zh, selfSigned);
      expect(zh).toContain('HTTPS 憑證不被接受');
      expect(en).toContain('HTTPS certificate is not accepted');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a web page, the console’s path or another service at the address: not a Suanpan cloud, check the address', async () => {
    const webPage = await answering((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<html><body>Welcome to nginx!</body></html>');
    });
    const page = await refusal(webPage);
    expect(page).toMatchObject({ code: 'CLOUD_NOT_SUANPAN', detail: 'HTTP 200 without a JSON body' });
    const { zh, en } = await words(page);
    expectChinese(zh, page);
    expect(zh).toContain('不是算盤雲端：請檢查雲端網址');
    expect(en).toContain('it is not a Suanpan cloud: check the cloud address');

    // the console's address typed instead of the cloud's: the cloud has no enrolment under /hq
    expect(await refusal(`${server.base}/hq`)).toMatchObject({
      code: 'CLOUD_NOT_SUANPAN',
      detail: expect.stringMatching(/^404 NOT_FOUND: No route POST \/hq\/v1\/enroll/),
    });

    const otherService = await answering((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ hello: 'world' }));
    });
    expect(await refusal(otherService)).toMatchObject({ code: 'CLOUD_NOT_SUANPAN', detail: 'HTTP 200' });
  });

  it('a cloud that answers 500, and a load balancer’s 502 page: the cloud has a fault, try later, tell head office', async () => {
    const failing = await answering((_request, response) => {
      response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: 'INTERNAL', message: 'Something went wrong' }));
    });
    const failed = await refusal(failing);
    expect(failed).toMatchObject({ code: 'CLOUD_FAILED', detail: '500 INTERNAL: Something went wrong' });
    const { zh, en } = await words(failed);
    expectChinese(zh, failed);
    expect(zh).toContain('雲端出現故障');
    expect(zh).toContain('請通知總部');
    expect(en).toContain('tell head office');

    const gateway = await answering((_request, response) => {
      response.writeHead(502, { 'content-type': 'text/html' });
      response.end('<html><body>502 Bad Gateway</body></html>');
    });
    expect(await refusal(gateway)).toMatchObject({ code: 'CLOUD_FAILED', detail: 'HTTP 502 without a JSON body' });
  });

  it('a refusal this register has no words for keeps the cloud’s code and words for IT', async () => {
    const newer = await answering((_request, response) => {
      response.writeHead(403, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: 'STORE_CLOSED', message: 'This store is closed for enrolment' }));
    });
    const refused = await refusal(newer);
    expect(refused).toMatchObject({ code: 'ENROLMENT_REFUSED', detail: '403 STORE_CLOSED: This store is closed for enrolment' });
    expectChinese((await words(refused)).zh, refused);
  });

  it('an enrolled register is not enrolled again: forget the enrolment first', async () => {
    const shop = await createCloudShop(database().pool);
    const { register } = await openRegister();
    const enrolled = await register.dispatch('sync:enrol', {
      cloudUrl: server.base,
      code: await enrolmentCode(database().pool, shop.store),
    });
    expect(enrolled.ok).toBe(true);
    const again = await register.dispatch('sync:enrol', { cloudUrl: server.base, code: 'AAAA-BBBB-CCCC' });
    expect(again).toMatchObject({ ok: false, error: { code: 'ALREADY_ENROLLED' } });
    if (!again.ok) expect((await words(again.error)).zh).toContain('請先取消登記');
  });
});
