/**
 * The customer screen's window for a second monitor. Same hardening as the till's window, its own
 * preload that exposes only the customer view, and a bridge scope that refuses every other channel.
 */
import { BrowserWindow, screen } from 'electron';
import { customerWindowPlacement } from '../devices/customer-window-placement';
import type { Logger } from '../log';
import type { IpcBridge } from './ipc-bridge';
import { APP_HOST, APP_SCHEME, mainWindowOptions } from './security';

export const CUSTOMER_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/customer.html`;

export function createCustomerWindow(preloadPath: string, bridge: IpcBridge, log: Logger): BrowserWindow {
  const placement = customerWindowPlacement(screen.getAllDisplays(), screen.getPrimaryDisplay().id);
  const { webPreferences, ...frame } = mainWindowOptions(preloadPath, { kiosk: false, fullscreen: placement.fullscreen, devTools: false });
  const win = new BrowserWindow({
    ...frame,
    ...placement.bounds,
    minWidth: 640,
    minHeight: 400,
    title: 'Suanpan 顧客屏幕',
    // The customer cannot take focus from the till by touching their screen.
    focusable: false,
    webPreferences: { ...webPreferences, contextIsolation: true, sandbox: true, nodeIntegration: false },
  });
  bridge.trustCustomer(win.webContents);
  win.once('ready-to-show', () => win.showInactive());
  win.webContents.on('render-process-gone', (_event, details) => {
    log.error('customer screen renderer gone', { reason: details.reason });
    if (details.reason !== 'clean-exit' && !win.isDestroyed()) void win.loadURL(CUSTOMER_ENTRY_URL);
  });
  win.loadURL(CUSTOMER_ENTRY_URL).catch((error: unknown) => log.error('cannot load the customer screen', { error: String(error) }));
  return win;
}
