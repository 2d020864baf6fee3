import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Register } from '../../../src/main/register';
import type { PrinterEmulator } from '../../../drivers/emulators';
import { createBitmap, encodePbm, encodePng, fitToWidth, parsePbm, type Bitmap } from '../../../drivers/escpos';
import type { ReceiptPreview } from '../../../src/shared/hardware-schemas';
import { inflateSync } from 'node:zlib';
import { appPaths } from '../../../src/main/app-paths';
import { useTempDirs } from '../helpers/temp-dir';
import { DEMO_CASHIER, DEMO_MANAGER } from '../helpers/demo-register';
import { call, login, MILK_TEA, openRegisterWithHardware, receiptJobs, sell, startPrinterEmulator, until } from './device-test-kit';

const tempDir = useTempDirs();
let register: Register | null = null;
let emulator: PrinterEmulator | null = null;
afterEach(async () => {
  register?.close();
  register = null;
  await emulator?.stop();
  emulator = null;
});

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

/** Reads back a 1-bit greyscale PNG as written by encodePng (filter 0 rows), checking each chunk's CRC by length. */
function decodePng(png: Buffer): Bitmap {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  let at = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  while (at < png.length) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect([...data.subarray(8)]).toEqual([1, 0, 0, 0, 0]);
    } else if (type === 'IDAT') idat.push(data);
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const rowBytes = Math.ceil(width / 8);
  const bitmap = createBitmap(width, height);
  for (let y = 0; y < height; y++) {
    expect(raw[y * (rowBytes + 1)]).toBe(0);
    for (let x = 0; x < width; x++) {
      const white = (raw[y * (rowBytes + 1) + 1 + (x >> 3)]! >> (7 - (x & 7))) & 1;
      bitmap.data[y * width + x] = white ? 0 : 1;
    }
  }
  return bitmap;
}

describe('the receipt logo', () => {
  it('encodes a bitmap as a PNG with the same dots (ink black, paper white), any width', () => {
    for (const [w, h] of [
      [1, 1],
      [9, 3],
      [360, 120],
    ] as const) {
      const bitmap = createBitmap(w, h);
      for (let i = 0; i < bitmap.data.length; i++) bitmap.data[i] = (i * 7919) % 3 === 0 ? 1 : 0;
      expect(decodePng(Buffer.from(encodePng(bitmap)))).toEqual(bitmap);
    }
  });

  it('the demo shop prints its abacus above the store name, shrunk to 58 mm paper', async () => {
    emulator = await startPrinterEmulator({ decode: { codeSystem: 'gb18030', chineseMode: 'fs-ampersand' } });
    register = await openRegisterWithHardware(tempDir(), { printer: emulator.uri, printerProfile: 'xprinter-xp58' });
    await login(register);
    const receipt = await sell(register, [MILK_TEA], 'cash');
    const [job] = await until(
      'the receipt',
      () => receiptJobs(emulator!, receipt.receiptNo).length === 1 && receiptJobs(emulator!, receipt.receiptNo),
    );
    const transcript = job!.transcript;
    expect(transcript).toContain('[raster 384x120]');
    expect(transcript.indexOf('[raster 384x120]')).toBeLessThan(transcript.indexOf('算盤士多'));
    const preview = await call<ReceiptPreview>(register)('print:preview', { receiptNo: receipt.receiptNo });
    // the preview shows the logo's own dots: a PNG of the bitmap the printer got, 30 columns of 12 dots
    const [logo] = preview.lines;
    expect(logo).toMatchObject({ kind: 'image', width: 360, height: 120, columns: 30, align: 'center' });
    const png = Buffer.from((logo as { src: string }).src.replace(/^data:image\/png;base64,/, ''), 'base64');
    expect(decodePng(png)).toEqual(fitToWidth(parsePbm(readFileSync(join(appPaths().root, 'assets', 'demo', 'logo.pbm'))), 384));
  });

  it('a manager replaces and removes the logo; bad files are refused and change nothing; each change is audited', async () => {
    const dataDir = tempDir();
    register = await openRegisterWithHardware(dataDir, {});
    await login(register, DEMO_MANAGER);
    const hardware = call<{ width: number; height: number } | null>(register);
    expect(await hardware('hardware:logo', {})).toEqual({ width: 360, height: 120 });

    const refused = async (pbm: string, code: string, message: RegExp) => {
      const result = await register!.dispatch('hardware:set-logo', { pbm });
      expect(result.ok ? 'ok' : result.error.code).toBe(code);
      if (!result.ok) expect(result.error.message).toMatch(message);
    };
    await refused(base64(readFileSync(join(appPaths().root, 'src', 'renderer', 'assets', 'favicon.svg'))), 'BAD_REQUEST', /Not a PBM/);
    await refused(base64(encodePbm(createBitmap(600, 40))), 'BAD_REQUEST', /at most 576×400/);
    await refused('not base64 at all!', 'BAD_REQUEST', /pbm/);
    expect(await hardware('hardware:logo', {})).toEqual({ width: 360, height: 120 });

    const small = createBitmap(200, 50);
    small.data.fill(1, 0, 200);
    expect(await hardware('hardware:set-logo', { pbm: base64(encodePbm(small)) })).toEqual({ width: 200, height: 50 });
    expect(await hardware('hardware:set-logo', { pbm: null })).toBeNull();
    expect(await hardware('hardware:logo', {})).toBeNull();

    const db = new Database(join(dataDir, 'register.db'), { readonly: true });
    const audited = db.prepare("SELECT staff_id FROM audit_log WHERE kind = 'hardware.changed' AND subject = 'receipt-logo'").pluck().all();
    db.close();
    expect(audited).toEqual([DEMO_MANAGER.id, DEMO_MANAGER.id]);
  });

  it('is for hardware set-up only: a cashier is refused', async () => {
    register = await openRegisterWithHardware(tempDir(), {});
    await login(register, DEMO_CASHIER);
    const result = await register.dispatch('hardware:set-logo', { pbm: null });
    expect(result.ok ? 'ok' : result.error.code).toBe('FORBIDDEN');
  });
});
