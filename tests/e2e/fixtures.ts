import { test as base } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServe, stopServe, type ServeProcess } from '../support/serve-process';

/** A host fixture's own time to start and stop: above any start bound a spec sets (two-registers.ts: 90 s). */
export const HOST_FIXTURE_TIMEOUT_MS = 150_000;

export interface RegisterHost extends ServeProcess {
  dataDir: string;
}

/**
 * A fresh demo register per test: the real built kiosk host on a free port. `registerArgs` adds
 * switches to its command line (a spec overrides it, e.g. `--printer` with an emulator's URI);
 * `registerStartBoundMs` widens how long it may take to start (a spec that starts several hosts).
 */
export const test = base.extend<{ register: RegisterHost; registerArgs: string[]; registerStartBoundMs: number | undefined }>({
  registerArgs: [[], { option: true }],
  registerStartBoundMs: [undefined, { option: true }],
  // its own time (not the test's): startServe bounds the start, a slow one fails saying so
  register: [
    async ({ registerArgs, registerStartBoundMs }, use) => {
      const dataDir = mkdtempSync(join(tmpdir(), 'suanpan-e2e-'));
      const serve = await startServe(['--data-dir', dataDir, '--port', '0', '--demo', ...registerArgs], registerStartBoundMs);
      await use({ ...serve, dataDir });
      await stopServe(serve);
      rmSync(dataDir, { recursive: true, force: true });
    },
    { timeout: HOST_FIXTURE_TIMEOUT_MS },
  ],
});

export { expect } from '@playwright/test';
