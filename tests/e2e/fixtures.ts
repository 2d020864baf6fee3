import { test as base } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServe, stopServe, type ServeProcess } from '../support/serve-process';

export interface RegisterHost extends ServeProcess {
  dataDir: string;
}

/**
 * A fresh demo register per test: the real built kiosk host on a free port. `registerArgs` adds
 * switches to its command line (a spec overrides it, e.g. `--printer` with an emulator's URI).
 */
export const test = base.extend<{ register: RegisterHost; registerArgs: string[] }>({
  registerArgs: [[], { option: true }],
  register: async ({ registerArgs }, use) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'suanpan-e2e-'));
    const serve = await startServe(['--data-dir', dataDir, '--port', '0', '--demo', ...registerArgs]);
    await use({ ...serve, dataDir });
    await stopServe(serve);
    rmSync(dataDir, { recursive: true, force: true });
  },
});

export { expect } from '@playwright/test';
