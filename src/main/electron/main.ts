/**
 * The desktop app's bootstrap: one instance per data folder, the app:// scheme, the hardening rules,
 * the register core and its window. Everything that is not Electron glue lives in src/main.
 */
import { demoDataDir } from '../host/default-data-dir';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, dialog, Menu, powerMonitor } from 'electron';
import { appPaths } from '../app-paths';
import { createConsoleLogger, type Logger } from '../log';
import { createRotatingLogger } from '../log-file';
import { createRegister } from '../register';
import type { Register } from '../register-types';
import { registerAppScheme, serveAppScheme } from './app-protocol';
import { installHardening } from './harden';
import { createIpcBridge } from './ipc-bridge';
import { parseLaunchOptions } from './launch-options';
import { safeStorageCodec } from './secret-codec';
import { createMainWindow } from './window';
import { createCustomerWindow } from './customer-window';
import { applyKioskAutostart, createInstaller, installerKind } from './updater';
import { loadPreset, presetPath } from '../settings/preset-config';
import { useChildLauncher } from '../process/node-child';
import { utilityLauncher } from './utility-child';
import { HEAP_CAP_RELAUNCH_MARK, heapCapDecision, type HeapCapDecision } from './heap-cap';

const PRELOAD_PATH = join(dirname(fileURLToPath(import.meta.url)), '..', 'preload', 'electron-preload.cjs');
const CUSTOMER_PRELOAD_PATH = join(dirname(fileURLToPath(import.meta.url)), '..', 'preload', 'customer-preload.cjs');

const launch = parseLaunchOptions(process.argv, process.env, process.cwd());

/** A packaged app has no console: IT reads the log from the data folder. */
function createLogger(): Logger {
  // Rotated, redacted JSON lines in <data>/logs (src/main/log-file.ts); the console too when unpackaged.
  return createRotatingLogger({ dir: join(app.getPath('userData'), 'logs'), ...(app.isPackaged ? {} : { also: createConsoleLogger() }) });
}

async function openRegister(log: Logger): Promise<Register | null> {
  try {
    const codec = safeStorageCodec();
    const kind = installerKind();
    const preset = loadPreset(presetPath());
    if (preset?.preset.kiosk) await applyKioskAutostart(preset.preset.kiosk.autostart, log);
    return await createRegister({
      preset,
      updates: { installerKind: kind, installer: kind === null ? null : createInstaller(kind, log) },
      dataDir: launch.demo ? demoDataDir(app.getPath('userData')) : app.getPath('userData'),
      demo: launch.demo,
      appVersion: app.getVersion(),
      log,
      sync: codec ? { codec } : {},
    });
  } catch (error) {
    log.error('register failed to start', { error: String(error) });
    dialog.showErrorBox('Suanpan cannot start', `The register could not open its data.\n\n${String(error)}`);
    return null;
  }
}

async function start(log: Logger, heapCap: HeapCapDecision | null): Promise<void> {
  installHardening(log);
  // Must equal electron-builder.yml's appId: Windows groups the taskbar button with the installed shortcut by it.
  app.setAppUserModelId('hk.suanpan.register');
  await app.whenReady();
  Menu.setApplicationMenu(null);
  // Backups and the database check run in processes of their own: utility processes here.
  useChildLauncher(utilityLauncher);

  const register = await openRegister(log);
  if (register === null) {
    app.exit(1);
    return;
  }
  const bridge = createIpcBridge(register, log);
  // Back from sleep: the network is probably back too, so sync now rather than at the next timer.
  powerMonitor.on('resume', () => register.resumed());
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    bridge.close();
    register.close();
    log.info('register closed');
  };
  // By will-quit every window is gone, so no request is in flight; close() checkpoints the WAL.
  app.once('will-quit', close);

  try {
    serveAppScheme(appPaths().rendererDir);
    const display = { kiosk: launch.kiosk, fullscreen: launch.fullscreen, devTools: launch.devTools || !app.isPackaged };
    const win = createMainWindow(PRELOAD_PATH, display, bridge, log);
    if (launch.customerScreen) {
      const customerWindow = createCustomerWindow(CUSTOMER_PRELOAD_PATH, bridge, log);
      // The till's window is the app: closing it closes the customer screen too.
      win.once('closed', () => {
        if (!customerWindow.isDestroyed()) customerWindow.close();
      });
    }
    app.on('second-instance', () => {
      if (win.isDestroyed()) return;
      if (win.isMinimized()) win.restore();
      win.focus();
    });
  } catch (error) {
    close();
    throw error;
  }
  // A till has one window: closing it ends the app on every platform, macOS included.
  app.on('window-all-closed', () => app.quit());
  log.info('suanpan started', {
    version: app.getVersion(),
    dataDir: register.dataDir,
    demo: launch.demo,
    kiosk: launch.kiosk,
    heapCap: heapCap === null ? 'not packaged' : heapCap.kind,
  });
  if (heapCap?.kind === 'uncapped')
    log.warn('started without the semi-space cap after a relaunch to add it', { argv: process.argv.slice(1) });
}

function boot(heapCap: HeapCapDecision | null): void {
  // All of these must happen before `ready`: the sandbox and privileged schemes are fixed at startup,
  // and the single-instance lock lives in the userData folder, so a --data-dir register gets its own.
  app.enableSandbox();
  registerAppScheme();
  if (launch.dataDir !== null) app.setPath('userData', launch.dataDir);
  if (app.requestSingleInstanceLock()) {
    const log = createLogger();
    start(log, heapCap).catch((error: unknown) => {
      log.error('startup failed', { error: String(error) });
      app.exit(1);
    });
  } else {
    // Another Suanpan already runs on this data folder; its 'second-instance' handler brings it forward.
    app.quit();
  }
}

// The packaged app's main process runs the register core: it starts with V8's young generation
// capped, as the kiosk host does (heap-cap.ts); a launcher that did not pass the flag costs one relaunch.
const heapCap = app.isPackaged ? heapCapDecision(process.argv.slice(1), process.env) : null;
if (heapCap?.kind === 'relaunch') {
  process.env[HEAP_CAP_RELAUNCH_MARK] = '1';
  app.relaunch({ args: heapCap.args, ...(process.env.APPIMAGE ? { execPath: process.env.APPIMAGE } : {}) });
  app.exit(0);
} else {
  boot(heapCap);
}
