import { protocol } from 'electron';
import { createAppRequestHandler } from './app-request-handler';
import { APP_SCHEME } from './security';

/**
 * Must run before `app` is ready. `standard` gives the page a real origin (app://suanpan), so
 * relative URLs, module scripts and localStorage work and the same-origin policy applies; `secure`
 * makes it a secure context. Deliberately not `corsEnabled`, `supportFetchAPI` or `bypassCSP`: no
 * other origin may read our files, and the page fetches nothing (connect-src 'none').
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, codeCache: true } }]);
}

/** Serves the built renderer; call once `app` is ready. */
export function serveAppScheme(rendererDir: string): void {
  protocol.handle(APP_SCHEME, createAppRequestHandler(rendererDir));
}
