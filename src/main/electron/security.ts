/**
 * The desktop app's security decisions as pure functions: what the window may do, which URLs are
 * ours, which file a request may read, which IPC sender is trusted. Nothing here imports Electron
 * at run time, so tests/node/electron checks every rule without an Electron binary.
 */
import { resolve, sep } from 'node:path';
import type { BrowserWindowConstructorOptions } from 'electron';

export const APP_SCHEME = 'app';
export const APP_HOST = 'suanpan';
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/**
 * Sent with every response of the app:// scheme. The page needs nothing beyond its own bundle:
 * IPC goes through the preload, so `connect-src 'none'` costs nothing and stops exfiltration.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export interface WindowDisplay {
  /** Locks the till to the app: no window frame, no task switching from the keyboard. */
  kiosk: boolean;
  fullscreen: boolean;
  devTools: boolean;
}

const WINDOWED: WindowDisplay = { kiosk: false, fullscreen: false, devTools: false };

export function mainWindowOptions(preloadPath: string, display: WindowDisplay = WINDOWED): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 800,
    minWidth: 1024,
    minHeight: 700,
    show: false,
    backgroundColor: '#ffffff',
    title: 'Suanpan',
    kiosk: display.kiosk,
    fullscreen: display.kiosk || display.fullscreen,
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      enableWebSQL: false,
      safeDialogs: true,
      // A middle click would otherwise ask for a new window; the open handler denies it anyway.
      disableBlinkFeatures: 'Auxclick',
      devTools: display.devTools,
    },
  };
}

function parseUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * Ours means exactly `app://suanpan`: no credentials, no port, no lookalike host. Electron hands us
 * canonical URLs (lower-case host), so anything else is refused rather than normalised.
 */
function isAppOrigin(url: URL): boolean {
  return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST && url.username === '' && url.password === '';
}

export function isAllowedAppUrl(url: string): boolean {
  const parsed = parseUrl(url);
  return parsed !== null && isAppOrigin(parsed);
}

/**
 * One path segment as a file name, or null. Segments are decoded one by one so an encoded `/` or
 * `\` cannot join two of them into a traversal, and dot-files (`.env`, `..`) are never served. A
 * colon is refused because on Windows it names a drive or an alternate data stream.
 */
function safeSegment(raw: string): string | null {
  let segment: string;
  try {
    segment = decodeURIComponent(raw);
  } catch {
    return null;
  }
  if (segment === '' || segment.startsWith('.')) return null;
  if (/[/\\:\0]/.test(segment)) return null;
  return segment;
}

/** The file under `rendererDir` that an app:// request names, or null if it names nothing we serve. */
export function resolveAppFile(rendererDir: string, requestUrl: string): string | null {
  const url = parseUrl(requestUrl);
  if (url === null || !isAppOrigin(url)) return null;
  const rawSegments = url.pathname === '/' || url.pathname === '' ? ['index.html'] : url.pathname.slice(1).split('/');
  const segments: string[] = [];
  for (const raw of rawSegments) {
    const segment = safeSegment(raw);
    if (segment === null) return null;
    segments.push(segment);
  }
  const base = resolve(rendererDir);
  const file = resolve(base, ...segments);
  return file.startsWith(base + sep) ? file : null;
}

export interface IpcSender {
  /** `event.senderFrame.url`; null when the frame navigated away or was destroyed. */
  frameUrl: string | null;
  isMainFrame: boolean;
  webContentsId: number;
}

/**
 * Only the main frame of a window we opened, still showing our own page, may call the register.
 * A subframe, a window we did not open, or our window after a navigation all fail.
 */
export function isTrustedSender(sender: IpcSender, trustedIds: { has(webContentsId: number): boolean }): boolean {
  return sender.isMainFrame && trustedIds.has(sender.webContentsId) && sender.frameUrl !== null && isAllowedAppUrl(sender.frameUrl);
}
