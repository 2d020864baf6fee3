// The kiosk host loads `ws` with the first WebSocket (register-start). If that load fails (a
// damaged install, a file replaced mid-update, too many open files), the upgrade is answered 500
// and logged, and the next upgrade tries the load again instead of failing until a restart.
import { describe, expect, it, vi } from 'vitest';
import { blankPage, useKioskHosts, wsUrl } from '../helpers/kiosk-host';
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

const startHost = useKioskHosts();

describe('the kiosk host when ws cannot be loaded', () => {
  it('answers the upgrade 500, logs it, and loads ws again for the next socket', async () => {
    const errors: { message: string; fields?: Record<string, unknown> }[] = [];
    const log = { info() {}, warn() {}, error: (message: string, fields?: Record<string, unknown>) => errors.push({ message, fields }) };
    const { host, secret, origin } = await startHost({ 'index.html': blankPage('t') }, { log });

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
