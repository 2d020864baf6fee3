/**
 * Two counters, one cloud: the test's own kiosk host (register A, `register`) and a second real
 * kiosk host (register B, `registerB`), each started fresh for the test and stopped after it,
 * enrolled by IT through the back office like any till. The one set-up of the specs that need two
 * registers (stock-shared-count.spec.ts, stock-transfer.spec.ts): each test brings its own pair.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { startServe, stopServe } from '../support/serve-process';
import { enrolTill, type E2eCloud } from './cloud-steps';
import { HOST_FIXTURE_TIMEOUT_MS, test as base, type RegisterHost } from './fixtures';

export { expect } from './fixtures';

/** How long each host may take to start: two hosts beside the cloud on a loaded machine. */
const TWO_HOSTS_START_BOUND_MS = 90_000;

/** Register B: a second kiosk host with A's command line, beside A and the cloud. */
export const test = base.extend<{ registerB: RegisterHost }>({
  registerStartBoundMs: TWO_HOSTS_START_BOUND_MS,
  registerB: [
    async ({ registerArgs, registerStartBoundMs }, use) => {
      const dataDir = mkdtempSync(join(tmpdir(), 'suanpan-e2e-b-'));
      const serve = await startServe(['--data-dir', dataDir, '--port', '0', '--demo', ...registerArgs], registerStartBoundMs);
      await use({ ...serve, dataDir });
      await stopServe(serve);
      rmSync(dataDir, { recursive: true, force: true });
    },
    { timeout: HOST_FIXTURE_TIMEOUT_MS },
  ],
});

export interface TillEnrolment {
  /** the store head office made the enrolment code for (`MK01`) */
  store: string;
  /** what the register shows once enrolled (`MK01 · 02`) */
  label: string;
}

/**
 * IT enrols A on `page` and B on a new page of the same browser, both at `viewport`; the system
 * administrator stays logged in on both, at the till. Answers B's page (closed with the context).
 */
export async function enrolTwoRegisters(
  page: Page,
  cloud: E2eCloud,
  registers: { a: RegisterHost; b: RegisterHost },
  enrolments: { a: TillEnrolment; b: TillEnrolment },
  viewport: { width: number; height: number },
): Promise<Page> {
  await page.setViewportSize(viewport);
  const pageB = await page.context().newPage();
  await pageB.setViewportSize(viewport);
  await page.bringToFront();
  await enrolTill(page, cloud, registers.a.url, enrolments.a.store, enrolments.a.label);
  await pageB.bringToFront();
  await enrolTill(pageB, cloud, registers.b.url, enrolments.b.store, enrolments.b.label);
  await page.bringToFront();
  return pageB;
}
