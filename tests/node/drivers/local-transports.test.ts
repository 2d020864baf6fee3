import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTransport } from '../../../drivers/transports/open-transport';
import { windowsSharePath } from '../../../drivers/transports/spooler-transport';
import { TransportOpenError, TransportWriteError, UnsupportedTransportError } from '../../../drivers/transports/transport';
import { resolveUsbPrinterNode } from '../../../drivers/transports/usb-transport';

const dir = mkdtempSync(join(tmpdir(), 'suanpan-transport-'));

describe('file:// transport', () => {
  it('appends each write to the file (a capture file, or /dev/usb/lp0)', async () => {
    const path = join(dir, 'receipt.bin');
    writeFileSync(path, 'old|');
    const t = await openTransport(`file://${path}`);
    await t.write(Buffer.from('\x1b@'));
    await t.write(Buffer.from('AB\n'));
    await t.close();
    expect(await t.closed).toEqual({ reason: 'local' });
    expect(readFileSync(path, 'latin1')).toBe('old|\x1b@AB\n');
    expect(t.read).toBeUndefined();
  });

  it('fails to open a missing device node with a clear error', async () => {
    await expect(openTransport('file:///dev/usb/lp99')).rejects.toMatchObject({
      code: 'TRANSPORT_OPEN_FAILED',
      osCode: 'ENOENT',
      mayHavePrinted: false,
    });
  });
});

describe('spooler:// transport', () => {
  const fakeLp = (name: string, body: string): string => {
    const path = join(dir, name);
    writeFileSync(path, `#!/bin/sh\n${body}\n`);
    chmodSync(path, 0o755);
    return path;
  };

  it('spools each write as one raw job through lp -d NAME -o raw', async () => {
    const out = join(dir, 'spooled.bin');
    const lp = fakeLp('lp-ok', `echo "$@" > "${out}.args"; cat > "${out}"`);
    const t = await openTransport('spooler://EPSON_TM_T88', { spooler: { command: lp } });
    await t.write(Buffer.from([0x1b, 0x40, 0x41, 0x0a]));
    await t.close();
    expect(readFileSync(out)).toEqual(Buffer.from([0x1b, 0x40, 0x41, 0x0a]));
    expect(readFileSync(`${out}.args`, 'utf8').trim()).toBe('-d EPSON_TM_T88 -o raw');
  });

  it("reports lp's own message when the queue refuses the job (nothing printed)", async () => {
    const lp = fakeLp('lp-fail', 'cat > /dev/null; echo "lp: The printer or class does not exist." >&2; exit 1');
    const t = await openTransport('spooler://NOPE', { spooler: { command: lp } });
    const error = await t.write(Buffer.from('x')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportWriteError);
    expect(error).toMatchObject({ mayHavePrinted: false, message: expect.stringContaining('The printer or class does not exist') });
    await t.close();
  });

  it('says to install the CUPS client when lp is missing', async () => {
    const t = await openTransport('spooler://X', { spooler: { command: join(dir, 'no-such-lp') } });
    await expect(t.write(Buffer.from('x'))).rejects.toBeInstanceOf(UnsupportedTransportError);
    await t.close();
  });

  it('writes to the printer share on Windows (RAW spooling without native code)', () => {
    expect(windowsSharePath('EPSON_TM_T88')).toBe('\\\\localhost\\EPSON_TM_T88');
  });
});

describe('usb:// transport', () => {
  // A fake sysfs laid out like Linux's: device 1-1 (Epson 04b8:0202) with printer interface 1-1:1.0 → lp0.
  const sys = join(dir, 'sys');
  const devices = join(sys, 'bus', 'usb', 'devices');
  mkdirSync(join(devices, '1-1:1.0', 'usbmisc', 'lp0'), { recursive: true });
  mkdirSync(join(devices, '1-1'), { recursive: true });
  mkdirSync(join(devices, '1-2'), { recursive: true });
  mkdirSync(join(devices, '1-2:1.0'), { recursive: true });
  writeFileSync(join(devices, '1-1', 'idVendor'), '04b8\n');
  writeFileSync(join(devices, '1-1', 'idProduct'), '0202\n');
  writeFileSync(join(devices, '1-2', 'idVendor'), '05e0\n');
  writeFileSync(join(devices, '1-2', 'idProduct'), '1200\n');

  it('resolves vendor:product to the usblp device node through sysfs', async () => {
    expect(await resolveUsbPrinterNode(0x04b8, 0x0202, { sysRoot: sys, devRoot: '/dev' })).toBe('/dev/usb/lp0');
  });

  it('tells a missing device from a device that is not a USB printer', async () => {
    await expect(resolveUsbPrinterNode(0x04b8, 0x0e15, { sysRoot: sys })).rejects.toBeInstanceOf(TransportOpenError);
    await expect(resolveUsbPrinterNode(0x05e0, 0x1200, { sysRoot: sys })).rejects.toThrow(/no \/dev\/usb\/lp node/);
  });

  it('is unsupported outside Linux, pointing at spooler://', async () => {
    await expect(openTransport('usb://04b8:0202', { usb: { platform: 'win32' } })).rejects.toThrow(/spooler:\/\//);
  });
});
