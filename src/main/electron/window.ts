import { BrowserWindow } from 'electron';
import type { Logger } from '../log';
import type { IpcBridge } from './ipc-bridge';
import { APP_ENTRY_URL, mainWindowOptions, type WindowDisplay } from './security';

export function createMainWindow(preloadPath: string, display: WindowDisplay, bridge: IpcBridge, log: Logger): BrowserWindow {
  const { webPreferences, ...frame } = mainWindowOptions(preloadPath, display);
  const win = new BrowserWindow({
    ...frame,
    // The three settings that keep a script injected into the page out of Node are restated here,
    // last so they win, because a static scan of the shipped bundle (scripts/electronegativity.mjs)
    // trusts only literals at the construction site. security.test.ts pins mainWindowOptions to
    // the same values, and to the rest of the hardening.
    webPreferences: { ...webPreferences, contextIsolation: true, sandbox: true, nodeIntegration: false },
  });
  bridge.trust(win.webContents);
  win.once('ready-to-show', () => win.show());

  // A crashed renderer must not leave the till on a blank screen. The open cart lives in main, so
  // reloading loses nothing.
  win.webContents.on('render-process-gone', (_event, details) => {
    log.error('renderer gone', { reason: details.reason, exitCode: details.exitCode });
    if (details.reason !== 'clean-exit' && !win.isDestroyed()) void loadApp(win, log);
  });

  void loadApp(win, log);
  return win;
}

async function loadApp(win: BrowserWindow, log: Logger): Promise<void> {
  try {
    await win.loadURL(APP_ENTRY_URL);
  } catch (error) {
    log.error('cannot load the app page', { url: APP_ENTRY_URL, error: String(error) });
  }
}
