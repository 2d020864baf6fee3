/**
 * The kiosk host on a demo register, serving a temp renderer folder that holds the given pages (as
 * `npm run build` leaves it); host and register are closed after the test.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach } from 'vitest';
import { startKioskHost, type KioskHost } from '../../../src/main/host/kiosk-host';
import { silentLogger, type Logger } from '../../../src/main/log';
import type { Register } from '../../../src/main/register';
import { useTempDirs } from './temp-dir';
import { openDemoRegister } from './demo-register';

export interface TestHost {
  host: KioskHost;
  register: Register;
  /** The page's origin, for the socket's Origin header. */
  origin: string;
  /** The session secret written into index.html. */
  secret: string;
}

export const blankPage = (title: string) => `<!doctype html><html><head><title>${title}</title></head><body></body></html>`;

export const sessionSecretIn = (html: string) => /name="suanpan-session" content="([^"]+)"/.exec(html)?.[1] ?? '';

export const wsUrl = (host: KioskHost, secret?: string) =>
  `ws://127.0.0.1:${host.port}/ws${secret === undefined ? '' : `?session=${encodeURIComponent(secret)}`}`;

/** Call at the top of a test file; the function it returns starts a host over `pages` (path in the renderer folder → text), logging to `log` (default: nowhere). */
export function useKioskHosts(): (pages?: Record<string, string>, options?: { log?: Logger }) => Promise<TestHost> {
  const tempDir = useTempDirs();
  const running: { host: KioskHost; register: Register }[] = [];
  afterEach(async () => {
    for (const { host, register } of running.splice(0)) {
      await host.close();
      register.close();
    }
  });
  return async (pages = { 'index.html': blankPage('t') }, { log = silentLogger } = {}) => {
    const rendererDir = join(tempDir(), 'renderer');
    for (const [path, text] of Object.entries(pages)) {
      mkdirSync(dirname(join(rendererDir, path)), { recursive: true });
      writeFileSync(join(rendererDir, path), text);
    }
    const register = await openDemoRegister(tempDir());
    const host = await startKioskHost({ register, rendererDir, port: 0, log });
    running.push({ host, register });
    const secret = sessionSecretIn(await (await fetch(host.url)).text());
    return { host, register, secret, origin: host.url.replace(/\/$/, '') };
  };
}
