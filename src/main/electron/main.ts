/**
 * The desktop app's bootstrap: one instance per data folder, the app:// scheme, the hardening rules,
 * the register core and its window. Everything that is not Electron glue lives in src/main.
 */
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, dialog, Menu, type BrowserWindow } from 'electron';
import { appPaths } from '../app-paths';
import { createConsoleLogger } from '../log';
import { createRegister } from '../register';
import type { Logger, Register } from '../register-types';
import { registerAppScheme, serveAppScheme } from './app-protocol';
import { installHardening } from './harden';
import { createIpcBridge, type IpcBridge } from './ipc-bridge';
import { parseLaunchOptions } from './launch-options';
import { createMainWindow } from './window';

const PRELOAD_PATH = join(dirname(fileURLToPath(import.meta.url)), '..', 'preload', 'electron-preload.cjs');

const launch = parseLaunchOptions(process.argv, process.env, process.cwd());

// Both must happen before `ready`: privileged schemes are fixed at startup, and the single-instance
// lock is taken in the userData folder, so a --data-dir register gets its own lock.
registerAppScheme();
if (launch.dataDir !== null) app.setPath('userData', launch.dataDir);

/** A packaged app has no console: IT reads the log from the data folder. */
function createLogger(): Logger {
  if (!app.isPackaged) return createConsoleLogger();
  const logDir = join(app.getPath('userData'), 'logs');
  mkdirSync(logDir, { recursive: true });
  return createConsoleLogger(createWriteStream(join(logDir, 'main.log'), { flags: 'a' }));
}

async function start(log: Logger): Promise<void> {
  installHardening(log);
  await app.whenReady();
  Menu.setApplicationMenu(null);

  let register: Register;
  try {
    register = await createRegister({ dataDir: app.getPath('userData'), demo: launch.demo, appVersion: app.getVersion(), log });
  } catch (error) {
    log.error('register failed to start', { error: String(error) });
    dialog.showErrorBox('Suanpan cannot start', `The register could not open its data.\n\n${String(error)}`);
    app.exit(1);
    return;
  }

  const bridge: IpcBridge = createIpcBridge(register, log);
  app.once('will-quit', () => {
    // Windows are gone by now, so no request is in flight; close() checkpoints the WAL.
    bridge.close();
    register.close();
    log.info('register closed');
  });

  serveAppScheme(appPaths().rendererDir);
  const display = { kiosk: launch.kiosk, fullscreen: launch.fullscreen, devTools: launch.devTools || !app.isPackaged };
  const win: BrowserWindow = createMainWindow(PRELOAD_PATH, display, bridge, log);

  app.on('second-instance', () => {
    if (win.isDestroyed()) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  // A till has one window: closing it ends the app on every platform, macOS included.
  app.on('window-all-closed', () => app.quit());
  log.info('suanpan started', { version: app.getVersion(), dataDir: register.dataDir, demo: launch.demo, kiosk: launch.kiosk });
}

if (app.requestSingleInstanceLock()) {
  const log = createLogger();
  start(log).catch((error: unknown) => {
    log.error('startup failed', { error: String(error) });
    app.exit(1);
  });
} else {
  // Another Suanpan already runs on this data folder; its 'second-instance' handler brings it forward.
  app.quit();
}
