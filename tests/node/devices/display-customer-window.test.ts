import { describe, expect, it } from 'vitest';
import { customerWindowMayCall, windowReceives } from '../../../src/main/host/customer-window-access';
import type { PosEvent } from '../../../src/shared/channels';
import { customerWindowPlacement } from '../../../src/main/devices/customer-window-placement';
import { channelNames } from '../../../src/shared/channels';
import type { CustomerView } from '../../../src/shared/customer-display-schemas';
import { DEMO_CASHIER } from '../helpers/demo-register';
import { blankPage, sessionSecretIn, useKioskHosts, wsUrl } from '../helpers/kiosk-host';
import { connect } from '../helpers/ws-client';

const MILK_TEA = '4891234000012';
const startHost = useKioskHosts();
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The kiosk host over a renderer folder holding both pages, as `npm run build` leaves it. */
async function start() {
  const { host, origin, secret: tillSecret } = await startHost({ 'index.html': blankPage('till'), 'customer.html': blankPage('customer') });
  const customerPage = await fetch(new URL('/customer.html', host.url));
  const customerSecret = sessionSecretIn(await customerPage.text());
  const ws = (secret: string) => wsUrl(host, secret);
  return { origin, tillSecret, customerSecret, customerPage, ws };
}

describe('the customer window reaches the customer view and nothing else', () => {
  it('gets its own secret, reads the view, and is refused every other channel, logged in or not', async () => {
    const { origin, tillSecret, customerSecret, customerPage, ws } = await start();
    expect(customerPage.status).toBe(200);
    expect(customerPage.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(customerSecret).toMatch(/^[\w-]{43}$/);
    expect(customerSecret).not.toBe(tillSecret);

    const till = await connect(ws(tillSecret), origin);
    const customer = await connect(ws(customerSecret), origin);
    const view = await customer.call('customer:view', {});
    expect(view).toMatchObject({ ok: true, value: { phase: 'idle', lines: [], store: { nameZh: '算盤士多 旺角店' } } });

    // The cashier logs in on the till: the register's one session must not reach the customer's socket.
    expect((await till.call('staff:login', { staffId: DEMO_CASHIER.id, pin: DEMO_CASHIER.pin })).ok).toBe(true);
    for (const [channel, payload] of [
      ['cart:scan', { code: MILK_TEA }],
      ['cart:get', {}],
      ['cart:void', { reason: 'x' }],
      ['sale:complete', { cartId: 1, tenders: [] }],
      ['sale:find', { receiptNo: 'MK01-01-000001' }],
      ['staff:login', { staffId: DEMO_CASHIER.id, pin: DEMO_CASHIER.pin }],
      ['staff:logout', {}],
      ['register:status', {}],
      ['customer:show-total', {}],
      ['display:configure', { uri: null, profile: 'epson', idleMessage: 'HI' }],
      ['no:such-channel', {}],
    ] as const) {
      expect(await customer.call(channel, payload), channel).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    const cart = await till.call('cart:get', {});
    expect(cart).toMatchObject({ ok: true, value: { lines: [] } });

    // What the till does shows on the customer's screen, in both languages; nothing else is pushed to it.
    expect((await till.call('cart:scan', { code: MILK_TEA })).ok).toBe(true);
    for (let k = 0; k < 100 && !customer.events.some((e) => (e as { event: string }).event === 'customer:cart'); k++) await pause(10);
    const pushed = customer.events as Array<{ event: string; payload: CustomerView }>;
    expect(pushed.map((e) => e.event)).toEqual(['customer:cart']);
    expect(pushed[0]!.payload).toMatchObject({
      phase: 'cart',
      total: 1800,
      lines: [{ nameZh: '港式奶茶', nameEn: 'HK Milk Tea', quantity: 1, amount: 1800 }],
    });
    // The till never reads the customer view: it is not sent there (at 300 lines it is ~50 KB a scan).
    expect((till.events as Array<{ event: string }>).map((e) => e.event)).not.toContain('customer:cart');
    till.ws.close();
    customer.ws.close();
  });

  it('the rule: only the channels named for the customer window', () => {
    expect(channelNames.filter(customerWindowMayCall)).toEqual(['customer:view']);
    expect(customerWindowMayCall('customer:show-total')).toBe(false);
    expect(customerWindowMayCall(undefined)).toBe(false);
  });

  it('the rule for events: the customer view to the customer window only, everything else to the till only', () => {
    const view = { event: 'customer:cart', payload: {} } as unknown as PosEvent;
    const scan = { event: 'scanner:scan', payload: { code: '4891234567890' } } as unknown as PosEvent;
    expect([windowReceives('customer', view), windowReceives('till', view)]).toEqual([true, false]);
    expect([windowReceives('customer', scan), windowReceives('till', scan)]).toEqual([false, true]);
  });

  it('Electron puts the customer window full screen on the monitor that is not the till’s, or windowed with one monitor', () => {
    const till = { id: 1, bounds: { x: 0, y: 0, width: 1366, height: 768 } };
    const customer = { id: 7, bounds: { x: 1366, y: 0, width: 1920, height: 1080 } };
    expect(customerWindowPlacement([till, customer], 1)).toEqual({ bounds: customer.bounds, fullscreen: true });
    expect(customerWindowPlacement([customer, till], 1)).toEqual({ bounds: customer.bounds, fullscreen: true });
    expect(customerWindowPlacement([till], 1)).toEqual({ bounds: { x: 40, y: 40, width: 1024, height: 640 }, fullscreen: false });
  });
});
