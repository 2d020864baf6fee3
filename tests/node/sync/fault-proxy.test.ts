/**
 * The fault proxy's holds, which the sync tests time their steps by: an answer already on its way
 * when a test lifts every hold (holdAnswersTo(null)) must go through, not wait out a hold nobody
 * wants any more (stale-pull.test.ts once waited 30 s for a pull answer held so, under CI's load).
 */
import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startFaultProxy, type FaultProxy } from './fault-proxy';

/** A server that answers every request after `delayMs` (the cloud, busy). */
async function slowServer(delayMs: number): Promise<{ server: Server; port: number }> {
  const server = createServer((_request, response) => {
    setTimeout(() => response.end('{"ok":true}'), delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return { server, port: address.port };
}

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

async function proxyToSlowServer(delayMs: number): Promise<FaultProxy> {
  const { server, port } = await slowServer(delayMs);
  const proxy = await startFaultProxy(port, { resetRate: 0, hangRate: 0, cutEvery: 0 });
  cleanups.push(
    () => new Promise<void>((resolve) => server.close(() => resolve())),
    () => proxy.close(),
  );
  return proxy;
}

/** Milliseconds from the request to its answer, or null when none came within `boundMs`. */
async function answeredWithin(url: string, boundMs: number): Promise<number | null> {
  const started = Date.now();
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(boundMs) });
    await response.text();
    return Date.now() - started;
  } catch {
    return null;
  }
}

describe('fault proxy holds', () => {
  it('an answer still on its way when every hold is lifted goes through at once', async () => {
    const proxy = await proxyToSlowServer(300);
    proxy.holdAnswersTo(/\/pull/, 60_000, 'deliver');
    const answer = answeredWithin(`${proxy.url}/pull`, 3_000);
    // the request has reached the server; its answer comes in 300 ms
    await new Promise((resolve) => setTimeout(resolve, 100));
    proxy.holdAnswersTo(null);
    proxy.releaseHeld();
    expect(await answer).not.toBeNull();
  });

  it('an answer that comes while its hold stands is held until released', async () => {
    const proxy = await proxyToSlowServer(0);
    proxy.holdAnswersTo(/\/pull/, 60_000, 'deliver');
    const answer = answeredWithin(`${proxy.url}/pull`, 3_000);
    const deadline = Date.now() + 3_000;
    while (proxy.heldAnswers().length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(proxy.heldAnswers()).toHaveLength(1);
    proxy.releaseHeld();
    expect(await answer).not.toBeNull();
  });
});
