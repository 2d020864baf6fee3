import { afterEach, describe, expect, it } from 'vitest';
import type { HidDeviceLike } from '../../../drivers/scanner';
import type { PosEvent } from '../../../src/shared/channels';
import type { Cart } from '../../../src/shared/checkout-schemas';
import type { ScannerScan, ScannerStatus } from '../../../src/shared/customer-display-schemas';
import { DEMO_MANAGER } from '../helpers/demo-register';
import { readHexReports, RecordedHidDevice } from '../helpers/hid-recording';
import { useDemoRegisters } from '../helpers/register-session';
import { untilDeviceState } from './device-test-kit';

const DEMO_ITEMS = readHexReports(new URL('./fixtures/scanner-demo-items.hex', import.meta.url));
const QR_CONTINUED = readHexReports(new URL('../drivers/fixtures/hid-pos-qr-continued.hex', import.meta.url));

const openRegister = useDemoRegisters();
const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

async function tillWithHidScanner() {
  const opened: Array<{ vendorId: number; productId: number; device: RecordedHidDevice }> = [];
  let unplugged = false;
  const openHid = (vendorId: number, productId: number): Promise<HidDeviceLike> => {
    if (unplugged) return Promise.reject(new Error('hid://05e0:1200: no such HID device is connected'));
    const device = new RecordedHidDevice();
    opened.push({ vendorId, productId, device });
    return Promise.resolve(device);
  };
  const { reg: register, call } = await openRegister({
    staff: DEMO_MANAGER,
    config: { customerDevices: { scannerUri: 'hid://05e0:1200', openHid, backoff: { initialMs: 10, maxMs: 40 } } },
  });
  const scans: ScannerScan[] = [];
  const waiters: Array<() => void> = [];
  cleanups.push(
    register.onEvent((event: PosEvent) => {
      if (event.event !== 'scanner:scan') return;
      scans.push(event.payload);
      for (const wake of waiters.splice(0)) wake();
    }),
  );
  const nextScan = async (): Promise<ScannerScan> => {
    const seen = scans.length;
    while (scans.length === seen) await new Promise<void>((resolve) => waiters.push(resolve));
    return scans[seen]!;
  };
  const untilState = (state: ScannerStatus['state']) => untilDeviceState<ScannerStatus>(call, 'scanner:status', state);
  await untilState('connected');
  return {
    call,
    untilState,
    nextScan,
    opened,
    setUnplugged: (v: boolean) => {
      unplugged = v;
    },
  };
}

describe('HID POS scanner in main', () => {
  it('a recorded scan becomes a scanner:scan event, and the till puts that code in the cart', async () => {
    const { call, nextScan, opened } = await tillWithHidScanner();
    expect(opened.map(({ vendorId, productId }) => [vendorId, productId])).toEqual([[0x05e0, 0x1200]]);

    const first = nextScan();
    opened[0]!.device.replay(DEMO_ITEMS.slice(0, 1));
    expect(await first).toEqual({ code: '4891234000012', symbology: 'EAN-13' });
    // What the renderer's scan router does with the event: the same channel as a wedge scan.
    const cart = await call<Cart>('cart:scan', { code: (await first).code });
    expect(cart.lines.map((l) => [l.nameZh, l.quantity])).toEqual([['港式奶茶', 1]]);

    const status = await call<ScannerStatus>('scanner:status');
    expect(status).toMatchObject({
      config: { uri: 'hid://05e0:1200' },
      state: 'connected',
      lastScan: { code: '4891234000012', symbology: 'EAN-13' },
    });
  });

  it('unplugged: drops the half-read scan, says disconnected, reopens when the scanner is back and reads on', async () => {
    const { untilState, nextScan, opened, setUnplugged } = await tillWithHidScanner();
    const first = opened[0]!.device;
    first.replay(QR_CONTINUED.slice(0, 1)); // a QR code half read when the cable is pulled
    setUnplugged(true);
    first.emit('error', new Error('could not read from HID device'));
    const down = await untilState('disconnected');
    expect(first.closed).toBe(true);
    expect(down.error).toMatch(/HID/);

    setUnplugged(false);
    await untilState('connected');
    expect(opened).toHaveLength(2);
    const scan = nextScan();
    opened[1]!.device.replay(QR_CONTINUED);
    expect(await scan).toEqual({
      code: 'https://suanpan.hk/r/S01-R02-000123?lang=zh-HK&channel=counter&utm_source=receipt-qr-code-v2',
      symbology: 'QR Code',
    });
    // Reports from the unplugged device are not read any more.
    first.replay(DEMO_ITEMS);
    const after = nextScan();
    opened[1]!.device.replay(DEMO_ITEMS.slice(1, 2));
    expect(await after).toEqual({ code: '4891234000050', symbology: 'EAN-13' });
  });

  it('a report that does not parse is skipped and the next scan still arrives', async () => {
    const { nextScan, opened } = await tillWithHidScanner();
    const broken = Buffer.alloc(64);
    broken[0] = 0x02;
    broken[1] = 60; // longer than the report can carry
    const scan = nextScan();
    opened[0]!.device.replay([broken, ...DEMO_ITEMS.slice(1, 2)]);
    expect(await scan).toEqual({ code: '4891234000050', symbology: 'EAN-13' });
  });

  it('the hardware screen sets and clears the scanner; a URI that is not hid://vid:pid is refused', async () => {
    const { call, opened } = await tillWithHidScanner();
    const bad = await (async () => {
      try {
        await call('scanner:configure', { uri: 'usb://05e0:1200' });
        return 'accepted';
      } catch (error) {
        return String(error);
      }
    })();
    expect(bad).toMatch(/^Error: BAD_REQUEST: .*hid:\/\/vid:pid/);
    const cleared = await call<ScannerStatus>('scanner:configure', { uri: null });
    expect(cleared).toMatchObject({ config: { uri: null }, state: 'not-configured' });
    expect(opened[0]!.device.closed).toBe(true);
  });
});
