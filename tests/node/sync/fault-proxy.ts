/**
 * A loopback TCP proxy that misbehaves on purpose, between the register's sync worker and the
 * cloud: it resets connections as a request starts, hangs others (the client times out), and
 * cuts responses after the server has committed and answered (the client never hears, retries,
 * and the cloud must absorb the replay). `offline` refuses everything, as a dead link would.
 * `answerWith` makes it answer every request itself, as a load balancer in front of a sick cloud
 * does (e.g. 502 with an HTML page and Retry-After). Every request that starts is logged.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface FaultOptions {
  /** Share of requests whose connection is reset when the request starts. */
  resetRate: number;
  /** Share of requests that are swallowed: no answer ever. */
  hangRate: number;
  /** Every n-th response is cut off (never reaches the client) after the server sent it. */
  cutEvery: number;
  random?: () => number;
}

export interface FaultCounts {
  connections: number;
  resets: number;
  hangs: number;
  cuts: number;
  refused: number;
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
  /** Answer every new request with this (null: forward again). */
  answerWith(answer: CannedAnswer | null): void;
  setTarget(port: number): void;
  setMode(mode: 'pass' | 'faulty' | 'offline'): void;
  close(): Promise<void>;
}

export async function startFaultProxy(targetPort: number, options: FaultOptions): Promise<FaultProxy> {
  const random = options.random ?? Math.random;
  const counts: FaultCounts = { connections: 0, resets: 0, hangs: 0, cuts: 0, refused: 0 };
  let target = targetPort;
  let mode: 'pass' | 'faulty' | 'offline' = 'pass';
  let responses = 0;
  let canned: CannedAnswer | null = null;
  const requests: LoggedRequest[] = [];
  const sockets = new Set<Socket>();

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
    client.on('data', (chunk: Buffer) => {
      if (hung) return;
      if (!awaitingResponse) {
        const [method = '?', path = '?'] = chunk.toString('latin1', 0, Math.min(chunk.length, 300)).split(' ', 2);
        requests.push({ at: Date.now(), method, path, canned: canned !== null });
        if (canned) {
          const head = [
            `HTTP/1.1 ${canned.status} Proxy Answer`,
            ...Object.entries({ ...canned.headers, 'content-length': String(Buffer.byteLength(canned.body)), connection: 'close' }).map(
              ([k, v]) => `${k}: ${v}`,
            ),
          ];
          // the cloud never sees it; its socket goes without taking the answer down with it
          upstream.removeAllListeners('close');
          upstream.on('close', () => sockets.delete(upstream));
          upstream.destroy();
          client.end(`${head.join('\r\n')}\r\n\r\n${canned.body}`);
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
      }
      awaitingResponse = true;
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
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
    answerWith(answer) {
      canned = answer;
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
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
