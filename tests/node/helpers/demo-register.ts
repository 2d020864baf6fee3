import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRegister, type Register, type RegisterConfig } from '../../../src/main/register';
import { silentLogger } from '../../../src/main/log';
import type { Clock } from '../../../src/main/clock';

export const DEMO_CASHIER = { id: 1, pin: '1234' }; // 陳小明
export const DEMO_MANAGER = { id: 3, pin: '9999' }; // 李志強

let template: Promise<string> | null = null;

/**
 * Seeding the 3,000-item demo shop and hashing three PINs takes about a second, so each test
 * worker seeds once and every test starts from a copy of that folder (database + secrets).
 */
function demoTemplate(): Promise<string> {
  template ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'suanpan-demo-template-'));
    const register = await createRegister({ dataDir: dir, demo: true, log: silentLogger });
    register.close();
    return dir;
  })();
  return template;
}

/** `extra`: more of the register's configuration (e.g. `customerDevices` for the pole display tests). */
export async function openDemoRegister(dataDir: string, clock?: Clock, extra: Omit<RegisterConfig, 'dataDir'> = {}): Promise<Register> {
  const source = await demoTemplate();
  cpSync(join(source, 'register.db'), join(dataDir, 'register.db'), { force: false, errorOnExist: false });
  cpSync(join(source, 'secrets'), join(dataDir, 'secrets'), { recursive: true, force: false, errorOnExist: false });
  return createRegister({ dataDir, demo: true, log: silentLogger, ...(clock ? { clock } : {}), ...extra });
}
