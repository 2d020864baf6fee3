/**
 * 練習模式 on paper: a training document prints 練習 TRAINING — NOT A RECEIPT (the bytes the printer
 * gets, decoded by the printer emulator), and the drawer opens in training only when the manager chose so.
 */
import { describe, expect, it } from 'vitest';
import { withTimeout } from '../../support/bounded.mjs';
import { DEMO_MANAGER } from '../helpers/demo-register';
import { call, drawerJobs, MILK_TEA, receiptJobs, sell, until, usePrinterRigs } from '../devices/device-test-kit';

const bounded = <T>(what: string, probe: () => T | undefined | false) => withTimeout(until(what, probe), 20_000, what);

describe('training receipts', () => {
  const rigs = usePrinterRigs();

  it('print TRAINING and NOT A RECEIPT, keep the drawer shut unless chosen, and reprint as training copies', async () => {
    const { emulator, register } = await rigs.start({ staff: DEMO_MANAGER });
    await call(register)('training:set', { on: true, kickDrawer: false });
    const first = await sell(register, [MILK_TEA], 'cash');
    expect(first.receiptNo).toBe('TRN-MK01-01-000001');
    const [job] = await bounded(
      'the training receipt',
      () => receiptJobs(emulator, first.receiptNo).length === 1 && receiptJobs(emulator, first.receiptNo),
    );
    const paper = job!.transcript;
    expect(paper.indexOf('練習 TRAINING')).toBeLessThan(paper.indexOf('港式奶茶'));
    expect(paper.lastIndexOf('練習 TRAINING')).toBeGreaterThan(paper.indexOf('港式奶茶'));
    expect(paper).toContain('NOT A RECEIPT');
    expect(paper).toContain('練習銷售 TRAINING SALE');
    expect(paper).not.toContain('收據 RECEIPT');
    expect(paper).toContain('[barcode code128 "TRN-MK01-01-000001"');
    expect(drawerJobs(emulator)).toHaveLength(0);

    // A reprint in training is a training copy.
    await call(register)('sale:reprint', { receiptNo: first.receiptNo });
    const copies = await bounded(
      'the copy',
      () => receiptJobs(emulator, first.receiptNo).length === 2 && receiptJobs(emulator, first.receiptNo),
    );
    expect(copies[1]!.transcript).toContain('副本 COPY');
    expect(copies[1]!.transcript).toContain('練習 TRAINING');

    // The manager lets training sales open the drawer (to practise giving change).
    await call(register)('training:set', { on: true, kickDrawer: true });
    const second = await sell(register, [MILK_TEA], { cash: 5000 });
    await bounded('the drawer kick', () => drawerJobs(emulator).length === 1);
    await bounded('the second receipt', () => receiptJobs(emulator, second.receiptNo).length === 1);
    expect(drawerJobs(emulator)).toHaveLength(1);
  });
});
