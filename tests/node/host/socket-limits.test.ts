/**
 * What one WebSocket may cost the register (issue 11, item 6): over-size frames are refused by the
 * socket before parsing, deep nesting before JSON.parse, and a flood from one socket is answered
 * RATE_LIMITED while a second window is still served: fairness is counted in requests (how many of
 * the flood's requests were answered while one of the second window's waited), never in time, so a
 * busy machine cannot fail it.
 */
import { describe, expect, it } from 'vitest';
import { jsonNestingExceeds, MAX_JSON_DEPTH } from '../../../src/main/host/socket-limits';
import type { Result } from '../../../src/shared/errors';
import { MAX_REQUEST_BYTES } from '../../../src/shared/wire';
import { snapshotDatabase } from '../helpers/db-snapshot';
import { useKioskHosts, wsUrl } from '../helpers/kiosk-host';
import { connect, type TestClient } from '../helpers/ws-client';
import { CASHIER } from '../staff/staff-helpers';

const startHost = useKioskHosts();
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

/**
 * The second window's searches, one after another: for each, how many of the flood's requests were
 * served (answered OK) between its send and its answer.
 */
async function searchesServedBehind(client: TestClient, count: number, floodServed: () => number): Promise<number[]> {
  const behind: number[] = [];
  for (let i = 0; i < count; i++) {
    const before = floodServed();
    expect(await client.call('catalog:search', { text: '奶茶' })).toMatchObject({ ok: true });
    behind.push(floodServed() - before);
  }
  return behind;
}

describe('WebSocket limits', () => {
  it('closes a socket whose frame is over 64 KiB with 1009 before parsing it, and dispatches nothing', async () => {
    const { host, register, secret, origin } = await startHost();
    const client = await connect(wsUrl(host, secret), origin);
    const before = snapshotDatabase(register.dbFile);
    client.ws.send(
      JSON.stringify({ id: 1, channel: 'staff:login', payload: { staffId: 1, pin: '1234', padding: 'x'.repeat(MAX_REQUEST_BYTES) } }),
    );
    expect((await client.closed).code).toBe(1009);
    expect(snapshotDatabase(register.dbFile)).toBe(before);
    const again = await connect(wsUrl(host, secret), origin);
    expect(await again.call('register:status', {})).toMatchObject({ ok: true, value: { staff: null } });
    again.ws.close();
  });

  it('refuses a frame nested deeper than the limit with BAD_MESSAGE and keeps the socket open', async () => {
    const { host, secret, origin } = await startHost();
    const client: TestClient = await connect(wsUrl(host, secret), origin);
    const deep = 30_000;
    const frame = `{"id":5,"channel":"register:status","payload":${'['.repeat(deep)}${']'.repeat(deep)}}`;
    expect(frame.length).toBeLessThan(MAX_REQUEST_BYTES);
    expect((await client.sendRaw(frame)).result).toMatchObject({
      ok: false,
      error: { code: 'BAD_MESSAGE', message: expect.stringContaining(`${MAX_JSON_DEPTH} levels`) },
    });
    expect(await client.call('register:status', {})).toMatchObject({ ok: true });
    client.ws.close();
  });

  it('counts nesting on the text: brackets inside strings and escaped quotes do not count', () => {
    const nested = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
    expect(jsonNestingExceeds(nested(MAX_JSON_DEPTH), MAX_JSON_DEPTH)).toBe(false);
    expect(jsonNestingExceeds(nested(MAX_JSON_DEPTH + 1), MAX_JSON_DEPTH)).toBe(true);
    expect(jsonNestingExceeds(JSON.stringify({ text: '['.repeat(100) + '"\\' + '{'.repeat(100) }), 2)).toBe(false);
    expect(jsonNestingExceeds(`["\\"", ${'['.repeat(5)}${']'.repeat(5)}]`, 5)).toBe(true);
  });

  it('answers a flooding socket RATE_LIMITED beyond its budget, while a second window is served about as fast as when all is quiet', async () => {
    const { host, secret, origin } = await startHost();
    const flooder = await connect(wsUrl(host, secret), origin);
    const other = await connect(wsUrl(host, secret), origin);
    // Searching needs a cashier at the till.
    expect(await flooder.call('staff:login', { staffId: CASHIER.id, pin: CASHIER.pin })).toMatchObject({ ok: true });

    const floodCodes = new Map<string, number>();
    flooder.ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as { result?: Result<unknown> };
      if (frame.result)
        floodCodes.set(
          frame.result.ok ? 'OK' : frame.result.error.code,
          (floodCodes.get(frame.result.ok ? 'OK' : frame.result.error.code) ?? 0) + 1,
        );
    });
    let id = 1000;
    // About 1,000 searches a second (the outside test's flood), for as long as the second window measures.
    const flood = setInterval(() => {
      for (let i = 0; i < 10; i++)
        flooder.ws.send(JSON.stringify({ id: id++, channel: 'catalog:search', payload: { text: i % 2 ? '奶茶' : 'milk' } }));
    }, 10);
    try {
      await expect.poll(() => floodCodes.get('RATE_LIMITED') ?? 0).toBeGreaterThan(0);
      const behind = await searchesServedBehind(other, 15, () => floodCodes.get('OK') ?? 0);
      console.log(
        `second window's searches waited behind ${behind.join(', ')} of the flood's requests (${floodCodes.get('OK') ?? 0} served, ${floodCodes.get('RATE_LIMITED') ?? 0} refused)`,
      );
      // Fair turns: one request per socket per turn, so a search waits behind a turn or two of the
      // flood's, not behind the up to 64 (MAX_WAITING_PER_SOCKET) the flooding socket may have waiting.
      expect(median(behind)).toBeLessThanOrEqual(4);
    } finally {
      clearInterval(flood);
    }
    expect(floodCodes.get('OK') ?? 0).toBeGreaterThan(0);
    flooder.ws.close();
    other.ws.close();
  });
});
