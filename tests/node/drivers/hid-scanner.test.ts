import { describe, expect, it } from 'vitest';
import { createHidPosAssembler, HidReportError, parseHidPosReport, type Scan } from '../../../drivers/scanner/hid-pos-report';
import { createHidScanner, type HidScannerState } from '../../../drivers/scanner/hid-scanner';
import { createKeyboardReportDecoder } from '../../../drivers/scanner/keyboard-report';
import { readHexReports, RecordedHidDevice } from '../helpers/hid-recording';

const reports = (name: string) => readHexReports(new URL(`./fixtures/${name}`, import.meta.url));

const QR_URL = 'https://suanpan.hk/r/S01-R02-000123?lang=zh-HK&channel=counter&utm_source=receipt-qr-code-v2';

describe('HID POS reports', () => {
  it('parses length, AIM symbology and data from a scanned-data report', () => {
    const [r] = reports('hid-pos-ean13.hex');
    expect(parseHidPosReport(r!)).toMatchObject({ length: 13, aim: ']E0', continued: false });
    const scan = createHidPosAssembler().push(r!);
    expect(scan).toMatchObject({ text: '4897000123456', aim: ']E0', symbology: 'EAN-13', source: 'hid-pos' });
  });

  it('joins a scan continued across reports and ignores other report ids', () => {
    const asm = createHidPosAssembler();
    const out = reports('hid-pos-qr-continued.hex').map((r) => asm.push(r));
    expect(out.slice(0, 2)).toEqual([null, null]);
    expect(out[2]).toMatchObject({ text: QR_URL, aim: ']Q1', symbology: 'QR Code' });
  });

  it('rejects a report whose length byte lies', () => {
    const r = Buffer.alloc(64);
    r[0] = 0x02;
    r[1] = 60;
    expect(() => parseHidPosReport(r)).toThrow(HidReportError);
  });
});

describe('keyboard-mode reports', () => {
  it('decodes boot keyboard reports with the US layout up to Enter', () => {
    const kb = createKeyboardReportDecoder();
    const scans = reports('keyboard-scan.hex')
      .map((r) => kb.push(r))
      .filter((s) => s !== null);
    expect(scans).toEqual([expect.objectContaining({ text: 'S01-R02-000123', source: 'keyboard', aim: null })]);
  });

  it('types a repeated character once per press, not per report', () => {
    const kb = createKeyboardReportDecoder();
    const zero = Buffer.from([0, 0, 0x27, 0, 0, 0, 0, 0]);
    const up = Buffer.alloc(8);
    const enter = Buffer.from([0, 0, 0x28, 0, 0, 0, 0, 0]);
    const out = [zero, zero, up, zero, up, enter].map((r) => kb.push(r)).filter((s) => s !== null);
    expect(out.map((s) => s!.text)).toEqual(['00']);
  });
});

describe('HID scanner driver', () => {
  it('delivers scans, survives an unplug and reopens the device when it comes back', async () => {
    const devices: RecordedHidDevice[] = [];
    let plugged = true;
    let failedOpens = 0;
    let onFailedOpen: (() => void) | null = null;
    const scans: Scan[] = [];
    const states: HidScannerState[] = [];
    const waiters: Array<() => void> = [];
    const nextConnected = (): Promise<void> => new Promise((r) => waiters.push(r));
    let firstConnect = nextConnected();
    const scanner = createHidScanner({
      mode: 'hid-pos',
      backoff: { initialMs: 5, maxMs: 20 },
      open: async () => {
        if (!plugged) {
          failedOpens++;
          onFailedOpen?.();
          throw new Error('no such HID device is connected');
        }
        const d = new RecordedHidDevice();
        devices.push(d);
        return d;
      },
      onScan: (s) => scans.push(s),
      onStateChange: (s) => {
        states.push(s);
        if (s === 'connected') waiters.splice(0).forEach((w) => w());
      },
    });
    await firstConnect;
    devices[0]!.replay(reports('hid-pos-ean13.hex'));
    // Unplugged halfway through a continued scan: the half scan must not leak into the next one.
    devices[0]!.replay(reports('hid-pos-qr-continued.hex').slice(0, 1));
    plugged = false;
    firstConnect = nextConnected();
    devices[0]!.emit('error', new Error('could not read from HID device'));
    expect(devices[0]!.closed).toBe(true);
    await new Promise<void>((r) => (onFailedOpen = () => failedOpens >= 2 && r())); // retried while unplugged
    plugged = true;
    await firstConnect;
    devices[1]!.replay(reports('hid-pos-qr-continued.hex'));
    expect(scans.map((s) => s.text)).toEqual(['4897000123456', QR_URL]);
    expect(states[0]).toBe('connected');
    expect(states.filter((s) => s === 'connected')).toHaveLength(2);
    expect(states).toContain('disconnected');
    await scanner.close();
    expect(devices[1]!.closed).toBe(true);
    expect(scanner.state()).toBe('closed');
  });

  it('reports a corrupt report and keeps scanning', async () => {
    const device = new RecordedHidDevice();
    const scans: Scan[] = [];
    const errors: Error[] = [];
    const scanner = createHidScanner({
      mode: 'hid-pos',
      open: async () => device,
      onScan: (s) => scans.push(s),
      onReportError: (e) => errors.push(e),
    });
    await new Promise((r) => setImmediate(r));
    const bad = Buffer.alloc(64);
    bad[0] = 0x02;
    bad[1] = 200;
    device.replay([bad, ...reports('hid-pos-ean13.hex')]);
    expect(errors).toHaveLength(1);
    expect(scans.map((s) => s.text)).toEqual(['4897000123456']);
    await scanner.close();
  });
});
