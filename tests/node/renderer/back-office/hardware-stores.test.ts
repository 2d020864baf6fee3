import { describe, expect, it, vi } from 'vitest';
import type { DisplayStatus } from '../../../../src/shared/customer-display-schemas';
import type { HardwareConfig, PrintJobView, PrinterStatusReport } from '../../../../src/shared/hardware-schemas';
import {
  createCustomerScreenStore,
  createDisplayStore,
  createDrawerStore,
  createLogoStore,
  createPrinterStore,
  createScannerStore,
  DEVICE_POLL_MS,
  LOGO_FILE_MAX_BYTES,
} from '../../../../src/renderer/back-office/stores/hardware-stores';
import { createFakePosApi, deferred, fail, ok } from '../fake-pos-api';

const config = (overrides: Partial<HardwareConfig> = {}): HardwareConfig => ({
  printer: null,
  demoPrinter: null,
  drawerRule: 'cash',
  profiles: ['epson-tm-t88', 'xprinter-xp58'],
  problem: null,
  ...overrides,
});

const job = (id: number, state: PrintJobView['state'] = 'printed'): PrintJobView => ({
  id,
  kind: 'receipt',
  ref: `MK01-01-00000${id}`,
  state,
  attempts: 1,
  error: null,
  createdAt: id,
  printedAt: null,
});

const display = (overrides: Partial<DisplayStatus> = {}): DisplayStatus => ({
  config: { uri: 'serial:///dev/ttyUSB1?baud=9600', profile: 'epson', idleMessage: 'WELCOME' },
  state: 'connected',
  lines: ['WELCOME'.padEnd(20), ' '.repeat(20)],
  error: null,
  ...overrides,
});

/** A poll timer the test ticks by hand. */
function manualTimer() {
  const timer = { tick: null as (() => void) | null, cleared: [] as unknown[] };
  return {
    timer,
    options: {
      setInterval: (callback: () => void, ms: number) => {
        expect(ms).toBe(DEVICE_POLL_MS);
        timer.tick = callback;
        return 'timer';
      },
      clearInterval: (handle: unknown) => void timer.cleared.push(handle),
    },
  };
}

describe('the printer panel store', () => {
  it('loads the setting and the queue; saving takes main’s new setting, busy meanwhile', async () => {
    const fake = createFakePosApi();
    fake.answer('hardware:config', ok(config({ demoPrinter: 'tcp://127.0.0.1:9100' })));
    fake.answer('print:jobs', ok([job(2), job(1)]));
    const store = createPrinterStore(fake.api);
    await store.getState().load();
    expect(store.getState().config?.demoPrinter).toBe('tcp://127.0.0.1:9100');
    expect(store.getState().jobs.map((j) => j.id)).toEqual([2, 1]);

    const saved = deferred<ReturnType<typeof ok<HardwareConfig>>>();
    fake.answer('hardware:set-printer', saved.promise);
    const saving = store.getState().save({ uri: 'tcp://10.0.0.20:9100', profile: 'xprinter-xp58' });
    expect(store.getState().busy).toBe(true);
    saved.resolve(ok(config({ printer: { uri: 'tcp://10.0.0.20:9100', profile: 'xprinter-xp58' } })));
    expect(await saving).toBe(true);
    expect(fake.calls('hardware:set-printer')).toEqual([{ printer: { uri: 'tcp://10.0.0.20:9100', profile: 'xprinter-xp58' } }]);
    expect(store.getState()).toMatchObject({
      busy: false,
      config: { printer: { uri: 'tcp://10.0.0.20:9100' } },
      outcome: { bad: false, say: 'hardware.printer.saved' },
    });
  });

  it('shows main’s refusal and keeps the setting; a test print names the printer; a status read shows the flags', async () => {
    const fake = createFakePosApi();
    const store = createPrinterStore(fake.api);
    await store.getState().load();
    fake.answer('hardware:set-printer', fail('DEVICE_URI_INVALID', 'unknown scheme "lpt"'));
    expect(await store.getState().save({ uri: 'lpt://printer', profile: 'epson-tm-t88' })).toBe(false);
    expect(store.getState().outcome).toEqual({ bad: true, error: { code: 'DEVICE_URI_INVALID', message: 'unknown scheme "lpt"' } });
    expect(store.getState().config?.printer).toBeNull();

    fake.answer('hardware:test-print', ok({ uri: 'tcp://10.0.0.20:9100', confirmed: true }));
    await store.getState().testPrint({ uri: 'tcp://10.0.0.20:9100' });
    expect(fake.calls('hardware:test-print')).toEqual([{ uri: 'tcp://10.0.0.20:9100' }]);
    expect(store.getState().outcome).toEqual({ bad: false, say: 'hardware.printer.testPrinted', values: { uri: 'tcp://10.0.0.20:9100' } });

    const report: PrinterStatusReport = {
      supported: true,
      online: true,
      coverOpen: false,
      paperNearEnd: true,
      paperOut: false,
      drawerOpen: null,
      error: false,
      raw: [0x12],
    };
    fake.answer('hardware:status', ok(report));
    await store.getState().readStatus({});
    expect(store.getState()).toMatchObject({ report, outcome: null });
  });

  it('a queue read answered after a newer one is dropped', async () => {
    const fake = createFakePosApi();
    const slow = deferred<ReturnType<typeof ok<PrintJobView[]>>>();
    fake.answer('print:jobs', slow.promise, ok([job(5, 'queued')]));
    const store = createPrinterStore(fake.api);
    const first = store.getState().refreshJobs();
    await store.getState().refreshJobs();
    slow.resolve(ok([job(1)]));
    await first;
    expect(store.getState().jobs.map((j) => [j.id, j.state])).toEqual([[5, 'queued']]);
  });
});

describe('the drawer panel store', () => {
  it('loads the rule, takes the chosen one from main, and words a failed opening with main’s error', async () => {
    const fake = createFakePosApi();
    fake.answer('hardware:config', ok(config({ drawerRule: 'change-due' })));
    const store = createDrawerStore(fake.api);
    await store.getState().load();
    expect(store.getState().rule).toBe('change-due');
    fake.answer('hardware:set-drawer-rule', ok(config({ drawerRule: 'always' })));
    expect(await store.getState().choose('always')).toBe(true);
    expect(store.getState()).toMatchObject({ rule: 'always', outcome: null, busy: false });
    expect(await store.getState().choose('never')).toBe(false); // the fake refuses by default
    expect(store.getState()).toMatchObject({ rule: 'always', outcome: { bad: true, error: { code: 'FORBIDDEN' } } });
    expect(await store.getState().open()).toBe(false);
    expect(store.getState().outcome).toMatchObject({ bad: true, error: { code: 'DEVICE_FAILED' } });
    fake.answer('hardware:open-drawer', ok({ uri: 'tcp://10.0.0.20:9100' }));
    await store.getState().open();
    expect(store.getState().outcome).toEqual({ bad: false, say: 'hardware.drawer.opened', values: { uri: 'tcp://10.0.0.20:9100' } });
  });
});

describe('the logo panel store', () => {
  it('sends a PBM as base64, refuses a file too big to be a logo without sending it, and removes the logo', async () => {
    const fake = createFakePosApi();
    fake.answer('hardware:logo', ok({ width: 360, height: 120 }));
    const store = createLogoStore(fake.api);
    expect(store.getState().logo).toBeUndefined();
    await store.getState().load();
    expect(store.getState().logo).toEqual({ width: 360, height: 120 });

    const pbm = new TextEncoder().encode('P4\n16 2\n\xff\xff\x00\x00');
    fake.answer('hardware:set-logo', ok({ width: 16, height: 2 }));
    expect(await store.getState().upload(pbm)).toBe(true);
    expect(Buffer.from(fake.calls('hardware:set-logo')[0]!.pbm!, 'base64')).toEqual(Buffer.from(pbm));
    expect(store.getState()).toMatchObject({
      logo: { width: 16, height: 2 },
      outcome: { say: 'hardware.logo.saved', values: { width: 16 } },
    });

    expect(await store.getState().upload(new Uint8Array(LOGO_FILE_MAX_BYTES + 1))).toBe(false);
    expect(fake.calls('hardware:set-logo')).toHaveLength(1);
    expect(store.getState().outcome).toEqual({ bad: true, say: 'hardware.logo.tooBig' });

    fake.answer('hardware:set-logo', fail('BAD_REQUEST', 'Not a PBM'));
    await store.getState().upload(new Uint8Array([1, 2, 3]));
    expect(store.getState()).toMatchObject({ logo: { width: 16 }, outcome: { bad: true, error: { message: 'Not a PBM' } } });

    await store.getState().remove();
    expect(fake.calls('hardware:set-logo').at(-1)).toEqual({ pbm: null });
    expect(store.getState()).toMatchObject({ logo: null, outcome: { bad: false, say: 'hardware.logo.removed' } });
  });
});

describe('the display and scanner panel stores', () => {
  it('polls the display while watched; a poll answered after a save does not undo it; a blank URI is sent as null', async () => {
    const fake = createFakePosApi();
    const { timer, options } = manualTimer();
    const store = createDisplayStore(fake.api, options);
    fake.answer('display:status', ok(display({ state: 'disconnected' })));
    await store.getState().load();
    expect(store.getState().status?.state).toBe('disconnected');
    const stop = store.getState().watch();
    fake.answer('display:status', ok(display()));
    timer.tick!();
    await vi.waitFor(() => expect(store.getState().status?.state).toBe('connected'));

    const slowPoll = deferred<ReturnType<typeof ok<DisplayStatus>>>();
    fake.answer('display:status', slowPoll.promise);
    timer.tick!();
    fake.answer('display:configure', ok(display({ config: { uri: null, profile: 'cd5220', idleMessage: 'HI' }, state: 'not-configured' })));
    expect(await store.getState().save({ uri: '  ', profile: 'cd5220', idleMessage: 'HI' })).toBe(true);
    expect(fake.calls('display:configure')).toEqual([{ uri: null, profile: 'cd5220', idleMessage: 'HI' }]);
    slowPoll.resolve(ok(display()));
    await slowPoll.promise;
    expect(store.getState()).toMatchObject({ status: { state: 'not-configured' }, outcome: { say: 'customerDevices.display.saved' } });

    fake.answer('display:status', fail('FORBIDDEN'));
    await store.getState().load();
    expect(store.getState().readError?.code).toBe('FORBIDDEN');
    stop();
    expect(timer.cleared).toEqual(['timer']);
  });

  it('sends a test message and shows what the display now holds, or main’s refusal', async () => {
    const fake = createFakePosApi();
    const store = createDisplayStore(fake.api);
    fake.answer('display:test', ok(display({ lines: ['HELLO'.padEnd(20), ' '.repeat(20)] })));
    await store.getState().test('HELLO', '');
    expect(fake.calls('display:test')).toEqual([{ line1: 'HELLO', line2: '' }]);
    expect(store.getState().status?.lines[0]).toBe('HELLO'.padEnd(20));
    fake.answer('display:test', fail('DEVICE_FAILED'));
    expect(await store.getState().test('x', 'y')).toBe(false);
    expect(store.getState().outcome).toMatchObject({ bad: true, error: { code: 'DEVICE_FAILED' } });
  });

  it('saves the scanner URI trimmed and takes main’s status; a bad URI shows main’s words', async () => {
    const fake = createFakePosApi();
    const store = createScannerStore(fake.api);
    await store.getState().load();
    expect(store.getState().status?.state).toBe('not-configured');
    fake.answer('scanner:configure', ok({ config: { uri: 'hid://05e0:1200' }, state: 'disconnected', lastScan: null, error: null }));
    expect(await store.getState().save(' hid://05e0:1200 ')).toBe(true);
    expect(fake.calls('scanner:configure')).toEqual([{ uri: 'hid://05e0:1200' }]);
    expect(store.getState()).toMatchObject({ status: { state: 'disconnected' }, outcome: { say: 'customerDevices.scanner.saved' } });
    fake.answer('scanner:configure', fail('DEVICE_URI_INVALID', 'hid://vid:pid'));
    expect(await store.getState().save('usb://x')).toBe(false);
    expect(store.getState()).toMatchObject({ status: { state: 'disconnected' }, outcome: { error: { message: 'hid://vid:pid' } } });
  });
});

describe('the customer screen panel store', () => {
  it('loads the payment QR and FPS payee and saves what main keeps', async () => {
    const fake = createFakePosApi();
    fake.answer('customer:settings', ok({ paymentQr: 'https://pay.example/shop', fps: null }));
    const store = createCustomerScreenStore(fake.api);
    expect(store.getState().settings).toBeNull();
    await store.getState().load();
    expect(store.getState().settings).toEqual({ paymentQr: 'https://pay.example/shop', fps: null });
    expect(await store.getState().save({ paymentQr: null, fps: null })).toBe(true);
    expect(fake.calls('customer:configure')).toEqual([{ paymentQr: null, fps: null }]);
    expect(store.getState()).toMatchObject({ settings: { paymentQr: null }, outcome: { say: 'customerDevices.customerScreen.saved' } });
  });
});
