import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Register } from '../../../src/main/register';
import type { PrinterEmulator } from '../../../drivers/emulators';
import { createBitmap, encodePbm } from '../../../drivers/escpos';
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

describe('the receipt logo', () => {
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
    const preview = await call<{ lines: string[] }>(register)('print:preview', { receiptNo: receipt.receiptNo });
    expect(preview.lines.slice(0, 2).join('\n')).toContain('[圖像 image 360×120]');
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
