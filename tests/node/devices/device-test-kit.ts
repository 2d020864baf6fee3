/**
 * Helpers for the receipt printer tests: a demo register whose receipt printer is a real TCP
 * printer emulator, with short retry timings, and calls as a logged-in staff member.
 */
import { afterEach } from 'vitest';
import { startPrinterEmulator, type EmulatedJob, type PrinterEmulator, type PrinterEmulatorOptions } from '../../../drivers/emulators';
import { createRegister, type Register } from '../../../src/main/register';
import { silentLogger } from '../../../src/main/log';
import type { HardwareOptions } from '../../../src/main/devices/device-manager';
import type { Result } from '../../../src/shared/errors';
import type { Cart, Receipt } from '../../../src/shared/checkout-schemas';
import { DEMO_CASHIER, openDemoRegister } from '../helpers/demo-register';
import { useTempDirs } from '../helpers/temp-dir';
import type { RegisterSession } from '../helpers/register-session';

export const MILK_TEA = '4891234000012'; // 港式奶茶 HK$18.00
export const PINEAPPLE_BUN = '4891234000128'; // 菠蘿包 HK$8.50
export const FAST = { retryBaseMs: 50, retryMaxMs: 200, notReadyPollMs: 100, idlePollMs: 60_000, jobTimeoutMs: 10_000 };

export function value<T>(result: Result<unknown>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

/** A demo register (seeded once per worker, copied) reopened with these hardware options. */
export async function openRegisterWithHardware(dataDir: string, hardware: HardwareOptions): Promise<Register> {
  (await openDemoRegister(dataDir)).close();
  return reopen(dataDir, hardware);
}

export function reopen(dataDir: string, hardware: HardwareOptions): Promise<Register> {
  return createRegister({ dataDir, demo: true, log: silentLogger, hardware: { timing: FAST, ...hardware } });
}

export interface PrinterRig {
  emulator: PrinterEmulator;
  register: Register;
  dataDir: string;
}

/**
 * Call at the top of a test file. `start` runs a printer emulator and a demo register printing to it
 * (`hardware` adds to or overrides that), logged in as `staff` (the cashier unless null); `reopen`
 * starts a closed register's folder again. Registers and emulators are stopped after each test.
 */
export function usePrinterRigs() {
  const tempDir = useTempDirs();
  const registers = new Set<Register>();
  const emulators: PrinterEmulator[] = [];
  afterEach(async () => {
    for (const reg of registers) reg.close();
    registers.clear();
    for (const emu of emulators.splice(0)) await emu.stop();
  });
  const track = (reg: Register) => (registers.add(reg), reg);
  return {
    tempDir,
    async start(
      options: {
        emulator?: PrinterEmulatorOptions;
        hardware?: HardwareOptions;
        staff?: { id: number; pin: string } | null;
        dataDir?: string;
      } = {},
    ): Promise<PrinterRig> {
      const emulator = await startPrinterEmulator(options.emulator);
      emulators.push(emulator);
      const dataDir = options.dataDir ?? tempDir();
      const register = track(await openRegisterWithHardware(dataDir, { printer: emulator.uri, ...options.hardware }));
      if (options.staff !== null) await login(register, options.staff);
      return { emulator, register, dataDir };
    },
    /** A demo register printing to `hardware` only (no emulator). */
    async open(dataDir: string, hardware: HardwareOptions): Promise<Register> {
      return track(await openRegisterWithHardware(dataDir, hardware));
    },
    async reopen(dataDir: string, hardware: HardwareOptions): Promise<Register> {
      return track(await reopen(dataDir, hardware));
    },
    close(reg: Register): void {
      if (registers.delete(reg)) reg.close();
    },
  };
}

export async function login(reg: Register, who: { id: number; pin: string } = DEMO_CASHIER): Promise<void> {
  value(await reg.dispatch('staff:login', { staffId: who.id, pin: who.pin }));
}

export function call<T>(reg: Register) {
  return async (channel: string, payload: unknown): Promise<T> => value<T>(await reg.dispatch(channel, payload));
}

/** Scans the codes and pays: cash (exact, or `tendered`) or card. */
export async function sell(reg: Register, codes: string[], pay: { cash: number } | 'cash' | 'card'): Promise<Receipt> {
  let cart: Cart | null = null;
  for (const code of codes) cart = value<Cart>(await reg.dispatch('cart:scan', { code }));
  const total = cart!.total;
  const tenders =
    pay === 'card'
      ? [{ method: 'card', amount: total, approvalCode: 'AB1234', cardLast4: '4242' }]
      : [{ method: 'cash', amount: total, ...(pay === 'cash' ? {} : { tendered: pay.cash }) }];
  return value<Receipt>(await reg.dispatch('sale:complete', { cartId: cart!.id, tenders }));
}

export async function until<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>): Promise<T> {
  for (;;) {
    const got = await probe();
    if (got) return got;
    await new Promise((resolve) => setTimeout(resolve, 25));
    if (process.env.DEVICE_TEST_DEBUG) console.log('waiting for', what);
  }
}

/** Polls a device's status channel (display:status, scanner:status) until it reports `state`. */
export function untilDeviceState<S extends { state: string }>(
  call: RegisterSession['call'],
  channel: string,
  state: S['state'],
): Promise<S> {
  return until(`${channel} ${state}`, async () => {
    const status = await call<S>(channel);
    return status.state === state && status;
  });
}

export const receiptJobs = (emu: PrinterEmulator, receiptNo: string): EmulatedJob[] =>
  emu.printedJobs().filter((j) => j.transcript.includes(receiptNo) && j.state === 'closed');
export const drawerJobs = (emu: PrinterEmulator): EmulatedJob[] => emu.printedJobs().filter((j) => /\[drawer/.test(j.transcript));

export { startPrinterEmulator };
