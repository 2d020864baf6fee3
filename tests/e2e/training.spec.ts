/**
 * 練習模式 (issue 17), as a manager and a cashier meet it: the manager switches training on in the
 * back office, the till shows its banner, a sale takes a TRN-… number and prints 練習 TRAINING — NOT
 * A RECEIPT without kicking the drawer; training off, the next real sale takes the next real number.
 * Screenshots of the till in training at 1024×768 and 1366×768 go to test-results/screens/.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect as baseExpect } from '@playwright/test';
import { startPrinterEmulator, type PrinterEmulator } from '../../drivers/emulators';
import { withTimeout } from '../support/bounded.mjs';
import { startServe, stopServe, type ServeProcess } from '../support/serve-process';
import { MILK_TEA, PINEAPPLE_BUN, expectLines, payExactCash, tillReady, wedgeScan } from './till-steps';
import { TEXT_FIT_PROBE } from './text-fit';

// The counter PC these run on may be busy (the suite runs beside CPU burners): waits are bounded, but generously.
const expect = baseExpect.configure({ timeout: 20_000 });
test.setTimeout(180_000);

let emulator: PrinterEmulator | null = null;
let serve: ServeProcess | null = null;
let dataDir = '';

test.afterEach(async () => {
  try {
    if (serve) await stopServe(serve);
  } finally {
    serve = null;
    await withTimeout(emulator?.stop() ?? Promise.resolve(), 10_000, 'the printer emulator to stop');
    emulator = null;
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
});

async function startRegister(printer: PrinterEmulator): Promise<string> {
  dataDir = mkdtempSync(join(tmpdir(), 'suanpan-e2e-training-'));
  serve = await startServe(['--data-dir', dataDir, '--port', '0', '--demo', '--printer', printer.uri]);
  return serve.url;
}

async function loginAs(page: Page, staffId: number, pin: string): Promise<void> {
  await page.getByTestId(`login-staff-${staffId}`).click({ timeout: 30_000 });
  for (const digit of pin) await page.getByTestId(`pin-key-${digit}`).click();
  await page.getByTestId('pin-enter').click();
  await expect(page.locator('[data-testid^="favourite-"]').first()).toBeVisible({ timeout: 30_000 });
  await tillReady(page);
}

const receiptJobs = (emu: PrinterEmulator, receiptNo: string) =>
  emu.printedJobs().filter((j) => j.transcript.includes(receiptNo) && j.state === 'closed');
const drawerKicks = (emu: PrinterEmulator) => emu.printedJobs().filter((j) => j.transcript.includes('[drawer'));

async function switchTraining(page: Page, on: boolean): Promise<void> {
  await page.keyboard.press('F11');
  await page.getByTestId('back-office-tab-training').click();
  await page.getByTestId(on ? 'training-on' : 'training-off').click();
  await expect(page.getByTestId('training-state')).toHaveAttribute('data-on', String(on));
  if (on) await screenshotFits(page, 'training-back-office');
  await page.keyboard.press('F11');
  await expect(page.getByTestId('scan-input')).toBeVisible();
}

async function screenshotFits(page: Page, name: string): Promise<void> {
  const { width, height } = page.viewportSize()!;
  await page.waitForFunction(() => true, undefined, { polling: 'raf' });
  await page.screenshot({ path: `test-results/screens/${width}x${height}/${name}.png` });
  const findings = (await page.evaluate(TEXT_FIT_PROBE)) as string[];
  expect.soft(findings, `${name} at ${width}×${height}`).toEqual([]);
}

test.describe('training mode', () => {
  test('a manager switches training on: banner, TRN number, TRAINING on paper, no drawer; off: the next real number; a cashier has no switch', async ({
    page,
  }) => {
    emulator = await startPrinterEmulator();
    await page.goto(await startRegister(emulator));
    await loginAs(page, 3, '9999');

    // One real sale first: MK01-01-000001.
    await wedgeScan(page, MILK_TEA);
    await expectLines(page, 1);
    await payExactCash(page, 'MK01-01-000001');
    await expect.poll(() => drawerKicks(emulator!).length, { timeout: 20_000 }).toBe(1);
    await expect(page.getByTestId('training-banner')).toHaveCount(0);

    await switchTraining(page, true);
    await expect(page.getByTestId('training-banner')).toBeVisible();
    await expect(page.getByTestId('training-banner')).toContainText('練習模式 TRAINING MODE');

    await wedgeScan(page, MILK_TEA);
    await wedgeScan(page, PINEAPPLE_BUN);
    await expectLines(page, 2);
    for (const size of [
      { width: 1024, height: 768 },
      { width: 1366, height: 768 },
    ]) {
      await page.setViewportSize(size);
      await screenshotFits(page, 'training-till');
    }
    await payExactCash(page, 'TRN-MK01-01-000001');

    await expect.poll(() => receiptJobs(emulator!, 'TRN-MK01-01-000001').length, { timeout: 20_000 }).toBe(1);
    const paper = receiptJobs(emulator, 'TRN-MK01-01-000001')[0]!.transcript;
    expect(paper).toContain('練習 TRAINING');
    expect(paper).toContain('NOT A RECEIPT');
    expect(paper).toContain('練習銷售 TRAINING SALE');
    expect(paper).not.toContain('收據 RECEIPT');
    expect(paper).toContain('港式奶茶');
    // The drawer stays shut in training (the manager did not choose otherwise).
    expect(drawerKicks(emulator)).toHaveLength(1);

    await switchTraining(page, false);
    await expect(page.getByTestId('training-banner')).toHaveCount(0);
    await wedgeScan(page, PINEAPPLE_BUN);
    await expectLines(page, 1);
    await payExactCash(page, 'MK01-01-000002');
    await expect.poll(() => receiptJobs(emulator!, 'MK01-01-000002').length, { timeout: 20_000 }).toBe(1);
    expect(receiptJobs(emulator, 'MK01-01-000002')[0]!.transcript).not.toContain('TRAINING');
    await expect.poll(() => drawerKicks(emulator!).length, { timeout: 20_000 }).toBe(2);

    // A cashier has no training switch in the back office (main refuses training:set too: tests/node/training).
    await page.keyboard.press('F7');
    await loginAs(page, 1, '1234');
    await page.keyboard.press('F11');
    await expect(page.locator('[data-testid^="back-office-tab-"]').first()).toBeVisible();
    await expect(page.getByTestId('back-office-tab-training')).toHaveCount(0);
  });
});
