// The kiosk host loads `ws` with the first WebSocket (register-start). If that load fails (a
// damaged install, a file replaced mid-update, too many open files), the upgrade is answered 500
// and logged, and the next upgrade tries the load again instead of failing until a restart.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startKioskHost, type KioskHost } from '../../../src/main/host/kiosk-host';
import type { Register } from '../../../src/main/register';
import { blankPage, sessionSecretIn, wsUrl } from '../helpers/kiosk-host';
import { openDemoRegister } from '../helpers/demo-register';
import { useTempDirs } from '../helpers/temp-dir';
import { connect } from '../helpers/ws-client';

const loads = vi.hoisted(() => ({ failuresLeft: 0, count: 0 }));
vi.mock('../../../src/main/host/websocket-module', () => ({
  loadWebSocketModule: async () => {
    loads.count += 1;
    if (loads.failuresLeft > 0) {
      loads.failuresLeft -= 1;
      throw new Error('Cannot find module ws (test)');
    }
    return import('ws');
  },
}));

const tempDir = useTempDirs();
const open: { host: KioskHost; register: Register }[] = [];
afterEach(async () => {
  for (const { host, register } of open.splice(0)) {
    await host.close();
    register.close();
  }
});

describe('the kiosk host when ws cannot be loaded', () => {
  it('answers the upgrade 500, logs it, and loads ws again for the next socket', async () => {
    const rendererDir = join(tempDir(), 'renderer');
    mkdirSync(rendererDir, { recursive: true });
    writeFileSync(join(rendererDir, 'index.html'), blankPage('t'));
    const register = await openDemoRegister(tempDir());
    const errors: { message: string; fields?: Record<string, unknown> }[] = [];
    const log = { info() {}, warn() {}, error: (message: string, fields?: Record<string, unknown>) => errors.push({ message, fields }) };
    const host = await startKioskHost({ register, rendererDir, port: 0, log });
    open.push({ host, register });
    const secret = sessionSecretIn(await (await fetch(host.url)).text());
    const origin = host.url.replace(/\/$/, '');

    loads.failuresLeft = 1;
    loads.count = 0;
    await expect(connect(wsUrl(host, secret), origin)).rejects.toThrow('HTTP 500');
    expect(errors).toEqual([{ message: 'websocket server failed to load', fields: { error: 'Error: Cannot find module ws (test)' } }]);

    const client = await connect(wsUrl(host, secret), origin);
    expect(await client.call('register:status', {})).toMatchObject({ ok: true, value: { store: { code: 'MK01' } } });
    // a second socket shares the loaded server
    const second = await connect(wsUrl(host, secret), origin);
    expect(await second.call('register:status', {})).toMatchObject({ ok: true });
    expect(loads.count).toBe(2);
    client.ws.close();
    second.ws.close();
  });
});
