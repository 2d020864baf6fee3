import { describe, expect, it } from 'vitest';
import { channelNames } from '../../../src/shared/channels';
import { MAX_REQUEST_BYTES } from '../../../src/shared/wire';
import { snapshotDatabase } from '../helpers/db-snapshot';
import { DEMO_CASHIER } from '../helpers/demo-register';
import { blankPage, useKioskHosts, wsUrl } from '../helpers/kiosk-host';
import { connect } from '../helpers/ws-client';

const startHost = useKioskHosts();
const start = () => startHost({ 'index.html': blankPage('t'), 'assets/app.js': 'console.log(1)' });

describe('kiosk host over HTTP', () => {
  it('serves the page on loopback with the session secret and a strict CSP', async () => {
    const { host, secret } = await start();
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(secret).toMatch(/^[\w-]{43}$/);
    const res = await fetch(host.url);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('content-security-policy')).not.toContain('unsafe');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect((await fetch(new URL('/assets/app.js', host.url))).status).toBe(200);
    expect((await fetch(new URL('/assets/../../../etc/passwd', host.url))).status).toBe(404);
    expect((await fetch(new URL('/assets/%2e%2e/%2e%2e/package.json', host.url))).status).toBe(404);
    const health = (await (await fetch(new URL('/healthz', host.url))).json()) as { status: { store: { nameZh: string } } };
    expect(health.status.store.nameZh).toBe('算盤士多 旺角店');
  });

  it('answers nothing useful to a foreign Host header (DNS rebinding)', async () => {
    const { host } = await start();
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      request({ host: '127.0.0.1', port: host.port, path: '/', headers: { host: `evil.example:${host.port}` }, timeout: 10_000 }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
        .on('error', reject)
        .on('timeout', () => reject(new Error('the host did not answer a foreign Host header within 10 s')))
        .end();
    });
    expect(status).toBe(421);
  });
});

describe('kiosk host WebSocket', () => {
  it('refuses a socket without the secret, with a wrong one, or from a foreign or missing Origin', async () => {
    const { host, secret, origin } = await start();
    await expect(connect(wsUrl(host), origin)).rejects.toThrow('HTTP 401');
    await expect(connect(wsUrl(host, 'x'.repeat(43)), origin)).rejects.toThrow('HTTP 401');
    await expect(connect(wsUrl(host, secret), 'http://evil.example')).rejects.toThrow('HTTP 403');
    await expect(connect(wsUrl(host, secret), `http://127.0.0.1:${host.port + 1}`)).rejects.toThrow('HTTP 403');
    await expect(connect(wsUrl(host, secret), undefined)).rejects.toThrow('HTTP 403');
    const client = await connect(wsUrl(host, secret), origin);
    expect(await client.call('register:status', {})).toMatchObject({ ok: true, value: { store: { code: 'MK01' } } });
    client.ws.close();
  });

  it('answers malformed frames with BAD_MESSAGE and unknown channels with UNKNOWN_CHANNEL, changing nothing', async () => {
    const { host, register, secret, origin } = await start();
    const client = await connect(wsUrl(host, secret), origin);
    const before = snapshotDatabase(register.dbFile);
    for (const text of [
      'not json',
      '{"id":1}',
      '[]',
      'null',
      '{"id":-1,"channel":"register:status"}',
      '{"id":"1","channel":"x","payload":{}}',
    ]) {
      expect((await client.sendRaw(text)).result).toMatchObject({ ok: false, error: { code: 'BAD_MESSAGE' } });
    }
    expect((await client.sendRaw(Buffer.from([1, 2, 3]))).result).toMatchObject({ ok: false, error: { code: 'BAD_MESSAGE' } });
    expect(await client.call('sale:drop-table', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    expect(snapshotDatabase(register.dbFile)).toBe(before);
    client.ws.close();
  });

  it.each(channelNames)(
    '%s: an oversized request closes the socket with 1009 before it is parsed, and is never dispatched',
    async (channel) => {
      const { host, register, secret, origin } = await start();
      const client = await connect(wsUrl(host, secret), origin);
      const before = snapshotDatabase(register.dbFile);
      const payload = { staffId: DEMO_CASHIER.id, pin: DEMO_CASHIER.pin, code: '4891234000012', padding: 'x'.repeat(MAX_REQUEST_BYTES) };
      client.ws.send(JSON.stringify({ id: 77, channel, payload }));
      expect((await client.closed).code).toBe(1009);
      expect(snapshotDatabase(register.dbFile)).toBe(before);
      const again = await connect(wsUrl(host, secret), origin);
      expect(await again.call('register:status', {})).toMatchObject({ ok: true, value: { staff: null } });
      again.ws.close();
    },
  );

  it('pushes a status event to every window when a cashier logs in', async () => {
    const { host, secret, origin } = await start();
    const till = await connect(wsUrl(host, secret), origin);
    const customerWindow = await connect(wsUrl(host, secret), origin);
    expect(await till.call('staff:login', { staffId: DEMO_CASHIER.id, pin: DEMO_CASHIER.pin })).toMatchObject({ ok: true });
    // Other status events (the background integrity check finishing) may come too; one carries the cashier.
    await expect
      .poll(() =>
        customerWindow.events.some(
          (e) => (e as { event: string; payload: { staff: { nameZh: string } | null } }).payload.staff?.nameZh === '陳小明',
        ),
      )
      .toBe(true);
    expect(customerWindow.events.every((e) => (e as { event: string }).event === 'register:status')).toBe(true);
    till.ws.close();
    customerWindow.ws.close();
  });
});
