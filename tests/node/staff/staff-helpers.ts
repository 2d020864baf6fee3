/** Shared steps for the staff, roles and audit tests: a demo register and typed calls. */
import type { Result } from '../../../src/shared/errors';
import type { Register } from '../../../src/main/register';
import type { Clock } from '../../../src/main/clock';
import { openDemoRegister } from '../helpers/demo-register';

export const CASHIER = { id: 1, pin: '1234' }; // 陳小明
export const CASHIER_2 = { id: 2, pin: '2345' }; // 黃美玲
export const MANAGER = { id: 3, pin: '9999' }; // 李志強
export const MILK_TEA = '4891234000012';
export const WATER = '4891234000050';

export function value<T>(result: Result<unknown>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

export interface Till {
  reg: Register;
  call<T>(channel: string, payload?: unknown): Promise<T>;
  as(who: { id: number; pin: string }): Promise<void>;
}

export async function openTill(dataDir: string, clock?: Clock): Promise<Till> {
  const reg = await openDemoRegister(dataDir, clock);
  return {
    reg,
    call: async <T>(channel: string, payload: unknown = {}) => value<T>(await reg.dispatch(channel, payload)),
    async as(who) {
      value(await reg.dispatch('staff:login', { staffId: who.id, pin: who.pin }));
    },
  };
}
