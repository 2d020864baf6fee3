/**
 * The kiosk host's preload: gives the page the same `window.pos` as Electron's preload, carried
 * over a WebSocket to the host. The host hands the per-launch secret to the page it serves in a
 * <meta> tag; a page from anywhere else has no secret and a foreign Origin, and is refused.
 *
 * When the host restarts it has a new secret, so after a lost connection we reload the page to get
 * it (the open cart lives in main, so nothing is lost), but only once our own host answers again:
 * a reload while it is down would leave a browser error page that never retries, and would cut
 * across whatever else is navigating this tab at that moment (e.g. someone opening the host that
 * came back on another port).
 */
import type { PosApi, PosEvent } from '../shared/channels';
import type { Result } from '../shared/errors';
import type { ServerFrame } from '../shared/wire';
import { SESSION_META_NAME, WS_PATH } from '../shared/wire-address';
import { createPosApi, type PosTransport } from './create-pos-api';

declare global {
  interface Window {
    pos?: PosApi;
  }
}

const RECONNECT_DELAYS_MS = [250, 500, 1000, 2000, 4000];
/** How long one "is the host back?" probe may take before it counts as no. */
const PROBE_TIMEOUT_MS = 2000;

/** Whether the host that served this page answers again (a HEAD of the page itself, never cached). */
async function hostAnswers(): Promise<boolean> {
  try {
    const response = await fetch(window.location.href, {
      method: 'HEAD',
      cache: 'no-store',
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    });
    return response.ok;
  } catch {
    return false;
  }
}

function createWebSocketTransport(url: string): PosTransport {
  let socket: WebSocket | null = null;
  let nextId = 1;
  let failures = 0;
  let everConnected = false;
  const pending = new Map<number, (result: Result<unknown>) => void>();
  const queued: string[] = [];
  const listeners = new Set<(event: PosEvent) => void>();

  const failAll = () => {
    for (const resolve of pending.values()) {
      resolve({ ok: false, error: { code: 'DISCONNECTED', message: 'The register core is not reachable' } });
    }
    pending.clear();
    queued.length = 0;
  };

  const delayAfter = (failed: number) => RECONNECT_DELAYS_MS[Math.min(failed, RECONNECT_DELAYS_MS.length - 1)];

  /** The host came back with a new secret, or is still down: reload once it answers, asking for both. */
  const reloadWhenHostAnswers = (probes: number) => {
    void hostAnswers().then((back) => {
      if (back) window.location.reload();
      else setTimeout(() => reloadWhenHostAnswers(probes + 1), delayAfter(probes + 1));
    });
  };

  const connect = () => {
    const ws = new WebSocket(url);
    socket = ws;
    ws.onopen = () => {
      failures = 0;
      everConnected = true;
      for (const frame of queued.splice(0)) ws.send(frame);
    };
    ws.onmessage = (message) => {
      const frame = JSON.parse(String(message.data)) as ServerFrame;
      if ('event' in frame) {
        for (const listener of listeners) listener(frame);
      } else if (frame.id !== null) {
        pending.get(frame.id)?.(frame.result);
        pending.delete(frame.id);
      }
    };
    ws.onclose = () => {
      socket = null;
      failAll();
      failures += 1;
      if (everConnected && failures > 2) {
        reloadWhenHostAnswers(failures);
        return;
      }
      setTimeout(connect, delayAfter(failures));
    };
  };
  connect();

  return {
    invoke(channel, payload) {
      const id = nextId++;
      const frame = JSON.stringify({ id, channel, payload });
      return new Promise((resolve) => {
        pending.set(id, resolve);
        if (socket?.readyState === WebSocket.OPEN) socket.send(frame);
        else queued.push(frame);
      });
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

function installWebPreload(): void {
  if (window.pos) return; // Electron's preload got here first
  const secret = document.querySelector<HTMLMetaElement>(`meta[name="${SESSION_META_NAME}"]`)?.content;
  if (!secret) return; // not served by the kiosk host (e.g. a static preview); the app shows it cannot connect
  const url = new URL(WS_PATH, window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.searchParams.set('session', secret);
  const api = createPosApi(createWebSocketTransport(url.href)) satisfies PosApi;
  Object.defineProperty(window, 'pos', { value: api, writable: false, configurable: false });
}

installWebPreload();
