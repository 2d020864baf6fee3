/**
 * Rules every web contents gets the moment it exists, whoever created it: it stays on app://suanpan,
 * opens no windows, embeds no <webview> and is granted no browser permission. The register talks to
 * hardware from main, so the page never needs camera, HID, serial, notifications or the like.
 */
import { app, type Event, type Session, type WebContents } from 'electron';
import type { Logger } from '../log';
import { isAllowedAppUrl } from './security';

function denyAllPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}

function hardenWebContents(contents: WebContents, log: Logger): void {
  const refuseForeign = (kind: string) => (event: Event<{ url: string }>) => {
    if (isAllowedAppUrl(event.url)) return;
    event.preventDefault();
    log.warn('navigation refused', { kind, url: event.url });
  };
  contents.on('will-navigate', refuseForeign('navigate'));
  const refuseForeignSubframe = refuseForeign('frame-navigate');
  // will-frame-navigate fires for the main frame too; will-navigate already rules on that one.
  contents.on('will-frame-navigate', (event) => {
    if (!event.isMainFrame) refuseForeignSubframe(event);
  });
  contents.on('will-redirect', refuseForeign('redirect'));
  contents.setWindowOpenHandler(({ url }) => {
    log.warn('window.open refused', { url });
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log.warn('webview refused');
  });
}

export function installHardening(log: Logger): void {
  const hardenedSessions = new WeakSet<Session>();
  app.on('web-contents-created', (_event, contents) => {
    if (!hardenedSessions.has(contents.session)) {
      denyAllPermissions(contents.session);
      hardenedSessions.add(contents.session);
    }
    hardenWebContents(contents, log);
  });
}
