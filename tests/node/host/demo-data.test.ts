/**
 * A newcomer's first run (issue 10): the demo store never ends up where the real register lives.
 * `--demo` without `--data-dir` seeds its own folder, and a real register refuses a demo database.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultDataDir, demoDataDir } from '../../../src/main/host/default-data-dir';
import { silentLogger } from '../../../src/main/log';
import { createRegister } from '../../../src/main/register';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('demo data stays out of the real register', () => {
  it('--demo without --data-dir uses a folder of its own beside the real one', () => {
    const real = defaultDataDir({ XDG_CONFIG_HOME: '/home/shop/.config' }, 'linux');
    expect(real).toBe('/home/shop/.config/Suanpan');
    expect(demoDataDir(real)).toBe('/home/shop/.config/Suanpan-demo');
  });

  it('a register started without --demo on the demo database refuses, unless told to allow it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'suanpan-demo-guard-'));
    dirs.push(dir);
    (await createRegister({ dataDir: dir, demo: true, log: silentLogger })).close();

    await expect(createRegister({ dataDir: dir, log: silentLogger })).rejects.toThrow(/holds the demo store.*--allow-demo-data/);
    // The refusal let go of the folder: the demo itself and an explicit override both start.
    (await createRegister({ dataDir: dir, demo: true, log: silentLogger })).close();
    (await createRegister({ dataDir: dir, allowDemoData: true, log: silentLogger })).close();
  });
});
