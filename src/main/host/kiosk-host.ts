/**
 * The kiosk host: serves the built renderer on loopback and carries the channels over a WebSocket.
 * This is the only place in the core that opens a listening socket.
 *
 * Trust: the page we serve gets a per-launch secret in a <meta> tag. A WebSocket must present it,
 * come from our own Origin, and name our loopback Host (DNS rebinding), or the upgrade is refused.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import type { RawData, WebSocket, WebSocketServer } from 'ws';
import { fail } from '../../shared/errors';
import { MAX_REQUEST_BYTES, RequestFrame, SESSION_META_NAME, WS_PATH, type ResponseFrame } from '../../shared/wire';
import type { Logger } from '../log';
import type { Register } from '../register-types';
import { contentSecurityPolicy, isAllowedHost, isAllowedOrigin, secretMatches } from './security';
import { readStaticFile } from './static-files';
import { loadWebSocketModule } from './websocket-module';
import {
  MAX_JSON_DEPTH,
  REQUEST_BURST,
  REQUESTS_PER_SECOND,
  createFairTurns,
  createTokenBucket,
  jsonNestingExceeds,
} from './socket-limits';
import { dispatchInScope, windowReceives, type WindowScope } from './customer-window-access';

export interface KioskHostOptions {
  register: Register;
  rendererDir: string;
  /** 0 picks a free port. */
  port: number;
  log: Logger;
}

export interface KioskHost {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * node:http as its CommonJS object. An ES import of it reads every export, and `http.WebSocket`'s
 * getter then loads undici and http2: 30–100 ms of the host's start (register-start) for a client
 * the host never uses.
 */
const { createServer } = process.getBuiltinModule('node:http');

export class RendererNotBuiltError extends Error {
  constructor(dir: string) {
    super(`The register screens are not built (${join(dir, 'index.html')} is missing). Run "npm run build" first.`);
    this.name = 'RendererNotBuiltError';
  }
}

async function loadIndexHtml(rendererDir: string): Promise<string> {
  try {
    return await readFile(join(rendererDir, 'index.html'), 'utf8');
  } catch {
    throw new RendererNotBuiltError(rendererDir);
  }
}

/** Best effort: the id of a frame we will not dispatch, so the caller can match the error. */
function frameId(json: unknown): number | null {
  const parsed = RequestFrame.pick({ id: true }).safeParse(json);
  return parsed.success ? parsed.data.id : null;
}

export async function startKioskHost(options: KioskHostOptions): Promise<KioskHost> {
  const { register, rendererDir, log } = options;
  const secret = randomBytes(32).toString('base64url');
  const indexTemplate = await loadIndexHtml(rendererDir);
  const indexHtml = indexTemplate.replace('<head>', `<head>\n    <meta name="${SESSION_META_NAME}" content="${secret}">`);
  // The customer screen gets its own secret: a socket opened with it reaches only the customer view.
  const customerSecret = randomBytes(32).toString('base64url');
  const customerTemplate = await readFile(join(rendererDir, 'customer.html'), 'utf8').catch(() => null);
  const customerHtml =
    customerTemplate?.replace('<head>', `<head>\n    <meta name="${SESSION_META_NAME}" content="${customerSecret}">`) ?? null;
  const scopes = new WeakMap<WebSocket, WindowScope>();
  let closing: Promise<void> | null = null;
  const turns = createFairTurns<WebSocket>();
  let port = options.port;

  const securityHeaders = () => ({
    'Content-Security-Policy': contentSecurityPolicy(port),
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  });

  const send = (res: ServerResponse, status: number, contentType: string, body: string | Buffer, cache = 'no-store') => {
    res.writeHead(status, { ...securityHeaders(), 'Content-Type': contentType, 'Cache-Control': cache });
    res.end(body);
  };

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!isAllowedHost(req.headers.host, port)) return send(res, 421, 'text/plain; charset=utf-8', 'Wrong host\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain; charset=utf-8', 'Method not allowed\n');
    const path = new URL(req.url ?? '/', `http://127.0.0.1:${port}`).pathname;
    if (path === '/' || path === '/index.html') return send(res, 200, 'text/html; charset=utf-8', indexHtml);
    if (path === '/customer.html')
      return customerHtml === null
        ? send(res, 404, 'text/plain; charset=utf-8', 'Not found\n')
        : send(res, 200, 'text/html; charset=utf-8', customerHtml);
    if (path === '/healthz') {
      const status = await register.dispatch('register:status', {});
      const body = status.ok ? { ok: true, status: status.value } : { ok: false, error: status.error };
      return send(res, status.ok ? 200 : 503, 'application/json; charset=utf-8', JSON.stringify(body));
    }
    const file = await readStaticFile(rendererDir, path);
    if (!file) return send(res, 404, 'text/plain; charset=utf-8', 'Not found\n');
    // Vite fingerprints everything under /assets/, so those can be cached for good.
    return send(res, 200, file.contentType, file.body, path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-store');
  }

  const server = createServer((req, res) => {
    handleHttp(req, res).catch((error: unknown) => {
      log.error('http request failed', { error: String(error) });
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'Internal error\n');
      else res.destroy();
    });
  });
  /**
   * `ws` is loaded with the first WebSocket, not before the URL is printed: with node:https, tls
   * and zlib it is about 25 ms of the host's CPU at start (register-start), and the page opens its
   * socket only once it has fetched and run its first script.
   */
  let wss: WebSocketServer | null = null;
  let loadingWss: Promise<WebSocketServer> | null = null;
  /** One load for the upgrades that arrive while it runs; a failed load is tried again by the next upgrade. */
  const webSocketServer = () =>
    (loadingWss ??= loadWebSocketModule().then(
      ({ WebSocketServer }) => {
        // A frame over the limit closes the socket with 1009 inside ws, before it is parsed.
        wss = new WebSocketServer({ noServer: true, maxPayload: MAX_REQUEST_BYTES });
        wss.on('connection', onConnection);
        return wss;
      },
      (error: unknown) => {
        loadingWss = null;
        throw error;
      },
    ));

  const refuse = (socket: Duplex, status: string) => {
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  };

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (url.pathname !== WS_PATH) return refuse(socket, '404 Not Found');
    if (!isAllowedHost(req.headers.host, port)) return refuse(socket, '421 Misdirected Request');
    if (!isAllowedOrigin(req.headers.origin, port)) return refuse(socket, '403 Forbidden');
    const given = url.searchParams.get('session');
    const scope: WindowScope | null = secretMatches(given, secret) ? 'till' : secretMatches(given, customerSecret) ? 'customer' : null;
    if (scope === null) return refuse(socket, '401 Unauthorized');
    void webSocketServer().then(
      (server) => {
        if (closing) return void socket.destroy();
        server.handleUpgrade(req, socket, head, (ws) => {
          scopes.set(ws, scope);
          server.emit('connection', ws);
        });
      },
      (error: unknown) => {
        log.error('websocket server failed to load', { error: String(error) });
        refuse(socket, '500 Internal Server Error');
      },
    );
  });

  const reply = (ws: WebSocket, frame: ResponseFrame) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
  };

  function onConnection(ws: WebSocket): void {
    const bucket = createTokenBucket({ capacity: REQUEST_BURST, perSecond: REQUESTS_PER_SECOND, now: () => performance.now() });
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (isBinary) return reply(ws, { id: null, result: fail('BAD_MESSAGE', 'Send JSON text frames') });
      const text = data.toString();
      if (jsonNestingExceeds(text, MAX_JSON_DEPTH)) {
        return reply(ws, { id: null, result: fail('BAD_MESSAGE', `A request may nest at most ${MAX_JSON_DEPTH} levels`) });
      }
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        return reply(ws, { id: null, result: fail('BAD_MESSAGE', 'The message is not JSON') });
      }
      const frame = RequestFrame.safeParse(json);
      if (!frame.success) {
        return reply(ws, {
          id: frameId(json),
          result: fail('BAD_MESSAGE', 'A request is {"id": number, "channel": string, "payload": …}'),
        });
      }
      const { id, channel, payload } = frame.data;
      const scope = scopes.get(ws) ?? 'customer';
      const start = () => void dispatchInScope(scope, channel, payload, register.dispatch).then((result) => reply(ws, { id, result }));
      if (!bucket.take() || !turns.enqueue(ws, start)) {
        return reply(ws, {
          id,
          result: fail('RATE_LIMITED', `More than ${REQUESTS_PER_SECOND} requests a second from this window; slow down`),
        });
      }
    });
    ws.on('close', () => turns.drop(ws));
    ws.on('error', (error) => log.warn('websocket error', { error: String(error) }));
  }

  const unsubscribe = register.onEvent((event) => {
    let text: string | null = null;
    for (const client of wss?.clients ?? []) {
      if (client.readyState === client.OPEN && windowReceives(scopes.get(client) ?? 'customer', event))
        client.send((text ??= JSON.stringify(event)));
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : options.port;

  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        unsubscribe();
        for (const client of wss?.clients ?? []) client.close(1001, 'register shutting down');
        wss?.close();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
