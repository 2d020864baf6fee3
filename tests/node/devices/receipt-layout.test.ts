import { afterEach, describe, expect, it } from 'vitest';
import type { Register } from '../../../src/main/register';
import type { PrinterEmulator } from '../../../drivers/emulators';
import { displayWidth } from '../../../drivers/escpos';
import type { Receipt } from '../../../src/shared/checkout-schemas';
import { useTempDirs } from '../helpers/temp-dir';
import { DEMO_MANAGER } from '../helpers/demo-register';
import { call, login, MILK_TEA, openRegisterWithHardware, PINEAPPLE_BUN, receiptJobs, sell, startPrinterEmulator, until } from './device-test-kit';

const tempDir = useTempDirs();
let register: Register | null = null;
let emulator: PrinterEmulator | null = null;
afterEach(async () => {
  register?.close();
  register = null;
  await emulator?.stop();
  emulator = null;
});

describe('receipt layout', () => {
  it('prints on 58 mm paper in GB18030 with the same content (xprinter-xp58)', async () => {
    emulator = await startPrinterEmulator({ decode: { codeSystem: 'gb18030', chineseMode: 'fs-ampersand' } });
    register = await openRegisterWithHardware(tempDir(), { printer: emulator.uri, printerProfile: 'xprinter-xp58' });
    await login(register);
    const receipt = await sell(register, [MILK_TEA, PINEAPPLE_BUN], { cash: 5000 });
    const [job] = await until('the receipt', () => receiptJobs(emulator!, receipt.receiptNo).length === 1 && receiptJobs(emulator!, receipt.receiptNo));
    expect(job!.transcript).toContain('港式奶茶');
    expect(job!.transcript).toContain(receipt.receiptNo);
    const textLines = job!.transcript.split('\n').filter((l) => !l.startsWith('['));
    expect(Math.max(...textLines.map(displayWidth))).toBeLessThanOrEqual(32);
    expect(Math.max(...textLines.map(displayWidth))).toBeGreaterThan(28);
  });

  it('previews the receipt as the paper lays it out, for the on-screen preview', async () => {
    emulator = await startPrinterEmulator();
    register = await openRegisterWithHardware(tempDir(), { printer: emulator.uri });
    await login(register);
    const receipt = await sell(register, [MILK_TEA, MILK_TEA], { cash: 5000 });
    const preview = await call<{ columns: number; lines: string[] }>(register)('print:preview', { receiptNo: receipt.receiptNo });
    expect(preview.columns).toBe(42);
    expect(preview.lines.every((l) => displayWidth(l) <= 42)).toBe(true);
    expect(preview.lines).toContainEqual(expect.stringMatching(/^港式奶茶\s+HK\$36\.00$/));
    expect(preview.lines).toContainEqual(expect.stringMatching(/^總計 TOTAL\s+HK\$27\.00$/));
    expect(preview.lines).toContainEqual(expect.stringContaining(`[||| ${receipt.receiptNo} |||]`));
    const [job] = await until('the receipt', () => receiptJobs(emulator!, receipt.receiptNo).length === 1 && receiptJobs(emulator!, receipt.receiptNo));
    // the same engine: every text line of the preview is a line of the paper
    for (const line of preview.lines.filter((l) => l.includes('HK$'))) expect(job!.transcript).toContain(line.trim());
  });

  it('marks a reprint as a copy, on the paper', async () => {
    emulator = await startPrinterEmulator();
    register = await openRegisterWithHardware(tempDir(), { printer: emulator.uri });
    await login(register, DEMO_MANAGER);
    const receipt = await sell(register, [MILK_TEA], 'card');
    await until('the original', () => receiptJobs(emulator!, receipt.receiptNo).length === 1);
    const copy = await call<Receipt>(register)('sale:reprint', { receiptNo: receipt.receiptNo });
    expect(copy.copy).toBe(true);
    const jobs = await until('the copy', () => receiptJobs(emulator!, receipt.receiptNo).length === 2 && receiptJobs(emulator!, receipt.receiptNo));
    expect(jobs[0]!.transcript).not.toContain('COPY');
    expect(jobs[1]!.transcript).toContain('副本 COPY');
  });

  it('refuses a scanner URI as the receipt printer', async () => {
    emulator = await startPrinterEmulator();
    register = await openRegisterWithHardware(tempDir(), { printer: emulator.uri });
    await login(register, DEMO_MANAGER);
    expect(await register.dispatch('hardware:set-printer', { printer: { uri: 'hid://05e0:1200', profile: 'epson-tm-t88' } })).toMatchObject({ ok: false, error: { code: 'DEVICE_URI_INVALID' } });
  });
});
