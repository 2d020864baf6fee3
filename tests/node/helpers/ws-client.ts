import WebSocket from 'ws';
import type { Result } from '../../../src/shared/errors';
import { withTimeout } from '../../support/bounded.mjs';

export interface TestClient {
  ws: WebSocket;
  /** Sends raw text; resolves with the next response frame (not events). */
  sendRaw(text: string | Buffer): Promise<{ id: number | null; result: Result<unknown> }>;
  call(channel: unknown, payload: unknown): Promise<Result<unknown>>;
  events: unknown[];
  closed: Promise<{ code: number }>;
}

/**
 * Opens a socket and resolves when it is open; rejects with the HTTP status if the upgrade is
 * refused. Bounded: opening gets `boundMs` (10 s), and each answer too, or they fail saying so.
 */
export function connect(url: string, origin: string | undefined, boundMs = 10_000): Promise<TestClient> {
  const opened = new Promise<TestClient>((resolve, reject) => {
    const ws = new WebSocket(url, origin ? { origin } : {});
    const events: unknown[] = [];
    const waiting: ((frame: { id: number | null; result: Result<unknown> }) => void)[] = [];
    let nextId = 1;
    const closed = new Promise<{ code: number }>((done) => ws.on('close', (code) => done({ code })));
    ws.on('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.on('error', reject);
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString());
      if ('event' in frame) events.push(frame);
      else waiting.shift()?.(frame);
    });
    ws.on('open', () => {
      const sendRaw = (text: string | Buffer) =>
        withTimeout(
          new Promise<{ id: number | null; result: Result<unknown> }>((done) => {
            waiting.push(done);
            ws.send(text);
          }),
          boundMs,
          `an answer to ${String(text).slice(0, 80)}`,
        );
      resolve({
        ws,
        events,
        closed,
        sendRaw,
        call: async (channel, payload) => (await sendRaw(JSON.stringify({ id: nextId++, channel, payload }))).result,
      });
    });
  });
  return withTimeout(opened, boundMs, `the WebSocket ${url} to open`);
}
