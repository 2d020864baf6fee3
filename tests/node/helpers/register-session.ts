/**
 * A demo register per call, each in its own temp folder (or a given one), optionally logged in, and
 * closed after the test; with typed calls through its channels.
 */
import { afterEach } from 'vitest';
import type { Result } from '../../../src/shared/errors';
import type { Register, RegisterConfig } from '../../../src/main/register';
import type { Clock } from '../../../src/main/clock';
import { useTempDirs } from './temp-dir';
import { openDemoRegister } from './demo-register';

export interface StaffPin {
  id: number;
  pin: string;
}

export interface RegisterSession {
  reg: Register;
  dataDir: string;
  /** Dispatches and returns the value; an error result throws. */
  call<T = unknown>(channel: string, payload?: unknown): Promise<T>;
  /** Logs `who` in at this register. */
  as(who: StaffPin): Promise<void>;
  /** Closes the register before the test ends (e.g. to edit its file or reopen the folder). */
  close(): void;
}

export interface OpenOptions {
  /** Logged in at once. */
  staff?: StaffPin;
  /** Reopen this folder instead of a fresh one. */
  dataDir?: string;
  clock?: Clock;
  config?: Omit<RegisterConfig, 'dataDir'>;
}

/** The value of an ok result; an error result throws with its code. */
export function unwrap<T>(result: Result<unknown>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

/** Call at the top of a test file; the function it returns opens a demo register. */
export function useDemoRegisters(): (options?: OpenOptions) => Promise<RegisterSession> {
  const tempDir = useTempDirs();
  const open = new Set<Register>();
  afterEach(() => {
    for (const reg of open) reg.close();
    open.clear();
  });
  return async (options = {}) => {
    const dataDir = options.dataDir ?? tempDir();
    const reg = await openDemoRegister(dataDir, options.clock, options.config);
    open.add(reg);
    const call = async <T>(channel: string, payload: unknown = {}) => unwrap<T>(await reg.dispatch(channel, payload));
    const session: RegisterSession = {
      reg,
      dataDir,
      call,
      async as(who) {
        await call('staff:login', { staffId: who.id, pin: who.pin });
      },
      close() {
        if (open.delete(reg)) reg.close();
      },
    };
    if (options.staff) await session.as(options.staff);
    return session;
  };
}
