import { test as base } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServe, stopServe, type ServeProcess } from '../support/serve-process';

export interface RegisterHost extends ServeProcess {
  dataDir: string;
}

/** A fresh demo register per test: the real built kiosk host on a free port. */
export const test = base.extend<{ register: RegisterHost }>({
  // Playwright reads the fixture's dependencies from this destructuring, so it must be there even when empty.
  // eslint-disable-next-line no-empty-pattern
  register: async ({}, use) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'suanpan-e2e-'));
    const serve = await startServe(['--data-dir', dataDir, '--port', '0', '--demo']);
    await use({ ...serve, dataDir });
    await stopServe(serve);
    rmSync(dataDir, { recursive: true, force: true });
  },
});

export { expect } from '@playwright/test';
