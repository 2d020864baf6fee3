import { describe, expect, it } from 'vitest';
import { displayWidth } from '../../../drivers/escpos';
import type { Receipt } from '../../../src/shared/checkout-schemas';
import type { ReceiptPreview } from '../../../src/shared/hardware-schemas';
import { previewLineText } from '../../../src/main/devices/document-preview';
import { DEMO_MANAGER } from '../helpers/demo-register';
import { call, MILK_TEA, PINEAPPLE_BUN, receiptJobs, sell, until, usePrinterRigs } from './device-test-kit';

const printers = usePrinterRigs();

describe('receipt layout', () => {
  it('prints on 58 mm paper in GB18030 with the same content (xprinter-xp58)', async () => {
    const { emulator, register } = await printers.start({
      emulator: { decode: { codeSystem: 'gb18030', chineseMode: 'fs-ampersand' } },
      hardware: { printerProfile: 'xprinter-xp58' },
    });
    const receipt = await sell(register, [MILK_TEA, PINEAPPLE_BUN], { cash: 5000 });
    const [job] = await until(
      'the receipt',
      () => receiptJobs(emulator, receipt.receiptNo).length === 1 && receiptJobs(emulator, receipt.receiptNo),
    );
    expect(job!.transcript).toContain('港式奶茶');
    expect(job!.transcript).toContain(receipt.receiptNo);
    const textLines = job!.transcript.split('\n').filter((l) => !l.startsWith('['));
    expect(Math.max(...textLines.map(displayWidth))).toBeLessThanOrEqual(32);
    expect(Math.max(...textLines.map(displayWidth))).toBeGreaterThan(28);
  });

  it('previews the receipt as the paper lays it out, for the on-screen preview', async () => {
    const { emulator, register } = await printers.start();
    const receipt = await sell(register, [MILK_TEA, MILK_TEA], { cash: 5000 });
    const preview = await call<ReceiptPreview>(register)('print:preview', { receiptNo: receipt.receiptNo });
    expect(preview.columns).toBe(42);
    const lines = preview.lines.map(previewLineText);
    expect(lines.every((l) => displayWidth(l) <= 42)).toBe(true);
    // measured by the driver: each two-column cell is one wide character, the runs between are one column each
    for (const line of preview.lines) {
      if (line.kind !== 'text') continue;
      const width = line.segments.reduce((sum, s) => sum + (s.wide ? 2 : displayWidth(s.text)), 0);
      expect(width).toBe(displayWidth(previewLineText(line)));
      for (const s of line.segments) if (s.wide) expect(displayWidth(s.text)).toBe(2);
    }
    expect(lines).toContainEqual(expect.stringMatching(/^港式奶茶\s+HK\$36\.00$/));
    expect(lines).toContainEqual(expect.stringMatching(/^總計 TOTAL\s+HK\$27\.00$/));
    expect(lines).toContainEqual(expect.stringContaining(`[||| ${receipt.receiptNo} |||]`));
    const [job] = await until(
      'the receipt',
      () => receiptJobs(emulator, receipt.receiptNo).length === 1 && receiptJobs(emulator, receipt.receiptNo),
    );
    // the same engine: every text line of the preview is a line of the paper
    for (const line of lines.filter((l) => l.includes('HK$'))) expect(job!.transcript).toContain(line.trim());
  });

  it('marks a reprint as a copy, on the paper', async () => {
    const { emulator, register } = await printers.start({ staff: DEMO_MANAGER });
    const receipt = await sell(register, [MILK_TEA], 'card');
    await until('the original', () => receiptJobs(emulator, receipt.receiptNo).length === 1);
    const copy = await call<Receipt>(register)('sale:reprint', { receiptNo: receipt.receiptNo });
    expect(copy.copy).toBe(true);
    const jobs = await until(
      'the copy',
      () => receiptJobs(emulator, receipt.receiptNo).length === 2 && receiptJobs(emulator, receipt.receiptNo),
    );
    expect(jobs[0]!.transcript).not.toContain('COPY');
    expect(jobs[1]!.transcript).toContain('副本 COPY');
  });

  it('refuses a scanner URI as the receipt printer', async () => {
    const { register } = await printers.start({ staff: DEMO_MANAGER });
    expect(await register.dispatch('hardware:set-printer', { printer: { uri: 'hid://05e0:1200', profile: 'epson-tm-t88' } })).toMatchObject(
      { ok: false, error: { code: 'DEVICE_URI_INVALID' } },
    );
  });
});
