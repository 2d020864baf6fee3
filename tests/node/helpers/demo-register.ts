import { createRegister, type Register } from '../../../src/main/register';
import { silentLogger } from '../../../src/main/log';
import type { Clock } from '../../../src/main/clock';

export const DEMO_CASHIER = { id: 1, pin: '1234' }; // 陳小明
export const DEMO_MANAGER = { id: 3, pin: '9999' }; // 李志強

export async function openDemoRegister(dataDir: string, clock?: Clock): Promise<Register> {
  return createRegister({ dataDir, demo: true, log: silentLogger, ...(clock ? { clock } : {}) });
}
