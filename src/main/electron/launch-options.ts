/**
 * What the desktop app was asked to do at launch, from its command line and environment. Pure, so
 * the switches IT types into a shortcut are tested without starting Electron.
 */
import { isAbsolute, resolve } from 'node:path';

export interface LaunchOptions {
  /** Seed the demo store on first run (an empty database only). */
  demo: boolean;
  kiosk: boolean;
  fullscreen: boolean;
  /** Where register.db lives instead of Electron's userData folder (e.g. a second drive). */
  dataDir: string | null;
  devTools: boolean;
  /** Open the customer screen (cart, total, payment QR) on the second monitor. */
  customerScreen: boolean;
}

function switchValue(argv: readonly string[], name: string): string | null {
  const prefix = `--${name}=`;
  const found = argv.find((arg) => arg.startsWith(prefix));
  return found === undefined ? null : found.slice(prefix.length);
}

function hasSwitch(argv: readonly string[], name: string): boolean {
  return argv.includes(`--${name}`);
}

const TRUE_VALUES = new Set(['1', 'true', 'yes']);

export function parseLaunchOptions(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, cwd: string): LaunchOptions {
  const dataDir = switchValue(argv, 'data-dir') ?? env.SUANPAN_DATA_DIR ?? null;
  return {
    demo: hasSwitch(argv, 'demo') || TRUE_VALUES.has((env.SUANPAN_DEMO ?? '').toLowerCase()),
    kiosk: hasSwitch(argv, 'kiosk'),
    fullscreen: hasSwitch(argv, 'fullscreen'),
    dataDir: dataDir === null || dataDir === '' ? null : isAbsolute(dataDir) ? dataDir : resolve(cwd, dataDir),
    devTools: hasSwitch(argv, 'devtools'),
    customerScreen: hasSwitch(argv, 'customer-screen') || TRUE_VALUES.has((env.SUANPAN_CUSTOMER_SCREEN ?? '').toLowerCase()),
  };
}
