import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PrintJobView } from '../../../src/shared/hardware-schemas';
import type { RegisterStatus } from '../../../src/shared/schemas';
import { call, drawerJobs, MILK_TEA, PINEAPPLE_BUN, receiptJobs, sell, until, usePrinterRigs } from './device-test-kit';

const printers = usePrinterRigs();

function jobRows(dataDir: string): { kind: string; ref: string; state: string; attempts: number }[] {
  const db = new Database(join(dataDir, 'register.db'), { readonly: true });
  try {
    return db.prepare('SELECT kind, ref, state, attempts FROM print_job ORDER BY id').all() as never;
  } finally {
    db.close();
  }
}

describe('printing a completed sale', () => {
  it('prints the receipt with Chinese names, totals and the receipt number, and kicks the drawer once for cash', async () => {
    const { emulator, register } = await printers.start();
    const receipt = await sell(register, [MILK_TEA, MILK_TEA, PINEAPPLE_BUN], { cash: 5000 });
    const [job] = await until(
      'the receipt',
      () => receiptJobs(emulator, receipt.receiptNo).length === 1 && receiptJobs(emulator, receipt.receiptNo),
    );
    expect(job!.transcript).toContain('港式奶茶');
    expect(job!.transcript).toContain('菠蘿包');
    expect(job!.transcript).toContain('HK$34.65'); // 27.00 + 7.65
    expect(job!.transcript).toContain(`[barcode code128 "${receipt.receiptNo}"`);
    expect(job!.transcript).toMatch(/\[qr "MK01-01-000001"/);
    expect(job!.transcript).toContain('找續 Change');
    expect(job!.transcript).not.toContain('COPY');
    await until('the drawer kick', () => drawerJobs(emulator).length === 1);
    // DLE DC4 1 m t: the TM-T88 profile pulses pin 2 for 100 ms in real time
    expect(drawerJobs(emulator)[0]!.bytes.subarray(0, 5)).toEqual(Buffer.from([0x10, 0x14, 0x01, 0x00, 0x01]));
    expect(drawerJobs(emulator)).toHaveLength(1);
  });

  it('does not kick the drawer for a card sale (default rule: cash)', async () => {
    const { emulator, register } = await printers.start();
    const receipt = await sell(register, [MILK_TEA], 'card');
    await until('the receipt', () => receiptJobs(emulator, receipt.receiptNo).length === 1);
    // a later cash sale does kick: so the card sale's absence of a kick is not a timing accident
    const cash = await sell(register, [MILK_TEA], 'cash');
    await until('the cash receipt', () => receiptJobs(emulator, cash.receiptNo).length === 1);
    // kicks go before queued receipts, so with the cash receipt printed every kick has been sent
    expect(drawerJobs(emulator)).toHaveLength(1);
  });

  it('keeps the job while the printer refuses connections and prints it exactly once when it is back', async () => {
    const { emulator, register, dataDir } = await printers.start({ emulator: { behaviour: { mode: 'refuse' } } });
    const receipt = await sell(register, [MILK_TEA], 'card');
    expect(jobRows(dataDir)).toEqual([{ kind: 'receipt', ref: receipt.receiptNo, state: 'queued', attempts: expect.any(Number) }]);
    await until('offline shown', async () => (await call<RegisterStatus>(register)('register:status', {})).printer.state === 'offline');
    expect((await call<RegisterStatus>(register)('register:status', {})).printer).toMatchObject({ queued: 1, needsAttention: 0 });
    await until('a few retries', () => jobRows(dataDir)[0]!.attempts >= 3);
    await emulator.setBehaviour({ mode: 'normal' });
    await until('the receipt', () => receiptJobs(emulator, receipt.receiptNo).length === 1);
    await until('printed in the queue', () => jobRows(dataDir)[0]!.state === 'printed');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(receiptJobs(emulator, receipt.receiptNo)).toHaveLength(1);
  });

  it('survives a restart: the queued job is in SQLite and prints once when the register starts again', async () => {
    const { emulator, register, dataDir } = await printers.start({ emulator: { behaviour: { mode: 'refuse' } } });
    const receipt = await sell(register, [PINEAPPLE_BUN], 'card');
    printers.close(register);
    expect(jobRows(dataDir)).toMatchObject([{ kind: 'receipt', ref: receipt.receiptNo, state: 'queued' }]);
    await emulator.setBehaviour({ mode: 'normal' });
    await printers.reopen(dataDir, {}); // the printer is remembered in settings
    await until('the receipt', () => receiptJobs(emulator, receipt.receiptNo).length === 1);
    await until('printed in the queue', () => jobRows(dataDir)[0]!.state === 'printed');
    expect(receiptJobs(emulator, receipt.receiptNo)).toHaveLength(1);
  });

  it('flags a job whose connection dropped mid-job as uncertain and never resends it; reprint prints a marked copy', async () => {
    const { emulator, register, dataDir } = await printers.start({ emulator: { behaviour: { mode: 'drop', afterBytes: 200 } } });
    const receipt = await sell(register, [MILK_TEA], 'card');
    await until('flagged', () => jobRows(dataDir)[0]!.state === 'uncertain');
    await emulator.setBehaviour({ mode: 'normal' });
    await new Promise((resolve) => setTimeout(resolve, 600)); // several retry periods
    expect(jobRows(dataDir)).toMatchObject([{ state: 'uncertain', attempts: 1 }]);
    expect(emulator.jobs().filter((j) => j.state === 'dropped')).toHaveLength(1);
    expect(receiptJobs(emulator, receipt.receiptNo)).toHaveLength(0);
    const status = await call<RegisterStatus>(register)('register:status', {});
    expect(status.printer.needsAttention).toBe(1);

    const jobs = await call<PrintJobView[]>(register)('print:jobs', {});
    expect(jobs[0]).toMatchObject({ state: 'uncertain', ref: receipt.receiptNo });
    const after = await call<PrintJobView[]>(register)('print:resolve', { jobId: jobs[0]!.id, action: 'reprint' });
    expect(after.find((j) => j.id === jobs[0]!.id)?.state).toBe('dismissed');
    expect(after.find((j) => j.id !== jobs[0]!.id)).toMatchObject({ kind: 'receipt-copy', ref: receipt.receiptNo });
    const [copy] = await until(
      'the copy',
      () => receiptJobs(emulator, receipt.receiptNo).length === 1 && receiptJobs(emulator, receipt.receiptNo),
    );
    expect(copy!.transcript).toContain('副本 COPY');
    const resolvedAgain = await register.dispatch('print:resolve', { jobId: jobs[0]!.id, action: 'reprint' });
    expect(resolvedAgain).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });

  it('waits while the cover is open or the paper is out, and prints when the printer is ready', async () => {
    const { emulator, register, dataDir } = await printers.start({ emulator: { state: { coverOpen: true } } });
    const receipt = await sell(register, [MILK_TEA], 'card');
    await until(
      'cover-open shown',
      async () => (await call<RegisterStatus>(register)('register:status', {})).printer.state === 'cover-open',
    );
    emulator.setState({ coverOpen: false, paperOut: true });
    await until('paper-out shown', async () => (await call<RegisterStatus>(register)('register:status', {})).printer.state === 'paper-out');
    expect(receiptJobs(emulator, receipt.receiptNo)).toHaveLength(0);
    expect(jobRows(dataDir)[0]!.state).toBe('queued');
    emulator.setState({ paperOut: false });
    await until('the receipt', () => receiptJobs(emulator, receipt.receiptNo).length === 1);
    await until('ready shown', async () => (await call<RegisterStatus>(register)('register:status', {})).printer.state === 'ready');
    expect(receiptJobs(emulator, receipt.receiptNo)).toHaveLength(1);
  });

  it('flags a job that was mid-send when the register stopped', async () => {
    const { emulator, register, dataDir } = await printers.start({ emulator: { behaviour: { mode: 'refuse' } } });
    await sell(register, [MILK_TEA], 'card');
    printers.close(register);
    const db = new Database(join(dataDir, 'register.db'));
    db.prepare("UPDATE print_job SET state = 'printing'").run();
    db.close();
    await emulator.setBehaviour({ mode: 'normal' });
    await printers.reopen(dataDir, {});
    expect(jobRows(dataDir)).toMatchObject([{ state: 'uncertain' }]);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(emulator.printedJobs()).toHaveLength(0);
  });
});
