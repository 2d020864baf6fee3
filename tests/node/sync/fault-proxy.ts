/**
 * A loopback TCP proxy that misbehaves on purpose, between the register's sync worker and the
 * cloud: it resets connections as a request starts, hangs others (the client times out), and
 * cuts responses after the server has committed and answered (the client never hears, retries,
 * and the cloud must absorb the replay). `offline` refuses everything, as a dead link would.
 * `answerWith` makes it answer every request itself, as a load balancer in front of a sick cloud
 * does (e.g. 502 with an HTML page and Retry-After). Optionally (faulty mode) a share of requests
 * is answered 500 by the proxy itself (the cloud never sees them) and the rest are held back a random
 * while before they are forwarded. Every request that starts is logged.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface FaultOptions {
  /** Share of requests whose connection is reset when the request starts. */
  resetRate: number;
  /** Share of requests that are swallowed: no answer ever. */
  hangRate: number;
  /** Every n-th response is cut off (never reaches the client) after the server sent it. */
  cutEvery: number;
  /** Share of requests answered 500 by the proxy (never forwarded: nothing is committed). */
  errorRate?: number;
  /** Each forwarded request is held up to this many ms (random) before it goes on. */
  maxDelayMs?: number;
  random?: () => number;
}

export interface FaultCounts {
  connections: number;
  resets: number;
  hangs: number;
  cuts: number;
  refused: number;
  errors: number;
  delays: number;
}

/** A response the proxy sends itself instead of forwarding. */
export interface CannedAnswer {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

export interface LoggedRequest {
  at: number;
  method: string;
  path: string;
  /** Answered by the proxy itself (answerWith), not forwarded. */
  canned: boolean;
}

export interface FaultProxy {
  url: string;
  counts: FaultCounts;
  /** Every request that started through the proxy, in order (refused connections are not requests). */
  requests: LoggedRequest[];
  /** Answer every new request with this (null: forward again); with `only`, the requests whose path matches. */
  answerWith(answer: CannedAnswer | null, only?: RegExp): void;
  /**
   * Requests whose path matches go to the cloud, but their answer is held for `holdMs`, then cut
   * (the cloud committed; the client never hears) or delivered late, whatever the mode (null: none).
   */
  holdAnswersTo(path: RegExp | null, holdMs?: number, then?: 'cut' | 'deliver'): void;
  /** The requests whose answer the cloud gave and the proxy holds now (holdAnswersTo), oldest first. */
  heldAnswers(): LoggedRequest[];
  /** Ends the hold of those answers now (all, or those `which` picks): cut or delivered, as held. */
  releaseHeld(which?: (request: LoggedRequest) => boolean): void;
  setTarget(port: number): void;
  setMode(mode: 'pass' | 'faulty' | 'offline'): void;
  close(): Promise<void>;
}

export async function startFaultProxy(targetPort: number, options: FaultOptions): Promise<FaultProxy> {
  const random = options.random ?? Math.random;
  const counts: FaultCounts = { connections: 0, resets: 0, hangs: 0, cuts: 0, refused: 0, errors: 0, delays: 0 };
  let target = targetPort;
  let mode: 'pass' | 'faulty' | 'offline' = 'pass';
  let responses = 0;
  let canned: CannedAnswer | null = null;
  let cannedOnly: RegExp | null = null;
  let hold: { path: RegExp; holdMs: number; then: 'cut' | 'deliver' } | null = null;
  const requests: LoggedRequest[] = [];
  const sockets = new Set<Socket>();
  /** Answers held now, by their request: each ends its hold when called. */
  const held = new Map<LoggedRequest, () => void>();

  const server: Server = createServer((client) => {
    counts.connections += 1;
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    if (mode === 'offline') {
      counts.refused += 1;
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(target, '127.0.0.1');
    sockets.add(upstream);
    upstream.on('close', () => {
      sockets.delete(upstream);
      client.destroy();
    });
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    let hung = false;
    let awaitingResponse = false;
    /** The answer to the request on this connection is held, then cut or delivered. */
    let holdThis: { holdMs: number; then: 'cut' | 'deliver' } | null = null;
    let request: LoggedRequest | null = null;
    client.on('data', (chunk: Buffer) => {
      if (hung) return;
      if (!awaitingResponse) {
        const [method = '?', path = '?'] = chunk.toString('latin1', 0, Math.min(chunk.length, 300)).split(' ', 2);
        const answer = canned !== null && (cannedOnly === null || cannedOnly.test(path)) ? canned : null;
        request = { at: Date.now(), method, path, canned: answer !== null };
        requests.push(request);
        if (hold?.path.test(path)) holdThis = { holdMs: hold.holdMs, then: hold.then };
        if (answer) {
          const head = [
            `HTTP/1.1 ${answer.status} Proxy Answer`,
            ...Object.entries({ ...answer.headers, 'content-length': String(Buffer.byteLength(answer.body)), connection: 'close' }).map(
              ([k, v]) => `${k}: ${v}`,
            ),
          ];
          // the cloud never sees it; its socket goes without taking the answer down with it
          upstream.removeAllListeners('close');
          upstream.on('close', () => sockets.delete(upstream));
          upstream.destroy();
          client.end(`${head.join('\r\n')}\r\n\r\n${answer.body}`);
          hung = true; // nothing more on this connection
          return;
        }
      }
      if (!awaitingResponse && mode === 'faulty') {
        // a new request starts on this connection
        const roll = random();
        if (roll < options.resetRate) {
          counts.resets += 1;
          client.resetAndDestroy();
          upstream.destroy();
          return;
        }
        if (roll < options.resetRate + options.hangRate) {
          counts.hangs += 1;
          hung = true;
          return;
        }
        if (roll < options.resetRate + options.hangRate + (options.errorRate ?? 0)) {
          counts.errors += 1;
          const body = JSON.stringify({ error: 'INTERNAL', message: 'fault proxy: 500' });
          upstream.removeAllListeners('close');
          upstream.on('close', () => sockets.delete(upstream));
          upstream.destroy();
          client.end(
            `HTTP/1.1 500 Internal Server Error\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
          );
          hung = true; // nothing more on this connection
          return;
        }
        if ((options.maxDelayMs ?? 0) > 0) {
          // held a while, the rest of the request with it, then forwarded
          counts.delays += 1;
          awaitingResponse = true;
          client.pause();
          setTimeout(
            () => {
              upstream.write(chunk);
              client.resume();
            },
            Math.floor(random() * (options.maxDelayMs as number)),
          );
          return;
        }
      }
      awaitingResponse = true;
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      // Holding was lifted (holdAnswersTo(null)) while this answer was on its way: it goes through.
      // Held regardless, it waited out its whole hold after the test had let every answer go.
      if (hold === null) holdThis = null;
      if (holdThis !== null) {
        // the cloud has committed and answered: held, then the connection dies with the answer, or it goes on late
        const { holdMs, then } = holdThis;
        holdThis = null;
        if (then === 'cut') counts.cuts += 1;
        upstream.pause();
        const heldFor = request as LoggedRequest;
        const end = () => {
          clearTimeout(timer);
          held.delete(heldFor);
          if (then === 'cut') {
            client.resetAndDestroy();
            upstream.destroy();
            return;
          }
          awaitingResponse = false;
          client.write(chunk);
          upstream.resume();
        };
        const timer = setTimeout(end, holdMs);
        held.set(heldFor, end);
        return;
      }
      if (awaitingResponse) {
        awaitingResponse = false;
        responses += 1;
        if (mode === 'faulty' && options.cutEvery > 0 && responses % options.cutEvery === 0) {
          // the server has committed and answered; the client never hears it
          counts.cuts += 1;
          client.resetAndDestroy();
          upstream.destroy();
          return;
        }
      }
      client.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return {
    url: `http://127.0.0.1:${address.port}`,
    counts,
    requests,
    answerWith(answer, only) {
      canned = answer;
      cannedOnly = only ?? null;
    },
    holdAnswersTo(path, holdMs = 0, then = 'cut') {
      hold = path === null ? null : { path, holdMs, then };
    },
    heldAnswers() {
      return [...held.keys()];
    },
    releaseHeld(which = () => true) {
      for (const [request, end] of [...held]) if (which(request)) end();
    },
    setTarget(port) {
      target = port;
    },
    setMode(next) {
      mode = next;
      // a dead link also kills the connections already open
      if (next === 'offline') for (const socket of sockets) socket.destroy();
    },
    async close() {
      for (const end of [...held.values()]) end();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
