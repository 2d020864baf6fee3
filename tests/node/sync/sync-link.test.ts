/**
 * How the worker treats the link (issue 18, sync blind spots 3–6), through the fault proxy between
 * the register and a real cloud on PostgreSQL: Retry-After holds on any status and any body (a
 * load balancer's HTML page too) and beats a person's "sync now"; a new sale probes the link at
 * once during a long backoff, rate-limited; a long queue does not keep price changes away.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { setPrice } from '../../../cloud/domain/catalogue';
import type { SyncTuning } from '../../../src/main/sync/worker-protocol';
import { startFaultProxy, type CannedAnswer, type FaultProxy } from './fault-proxy';
import {
  BUN,
  TEST_TUNING,
  WATER,
  call,
  createCloudShop,
  enrol,
  enrolmentCode,
  eventually,
  sell,
  syncStatus,
  useSyncRig,
  type SyncRegister,
} from './helpers';

const { database, server, openRegister } = useSyncRig();
const proxies: FaultProxy[] = [];

afterAll(async () => {
  for (const p of proxies) await p.close();
});

/** A demo register enrolled with the cloud through its own proxy, after its first pull. */
async function enrolledThroughProxy(
  tuning: SyncTuning,
): Promise<{ register: SyncRegister['register']; proxy: FaultProxy; shop: Awaited<ReturnType<typeof createCloudShop>> }> {
  const proxy = await startFaultProxy(Number(new URL(server.base).port), { resetRate: 0, hangRate: 0, cutEvery: 0 });
  proxies.push(proxy);
  const r = await openRegister(tuning);
  const shop = await createCloudShop(database().pool);
  await enrol(r.register, proxy.url, await enrolmentCode(database().pool, shop.store));
  await eventually(
    () => syncStatus(r.register),
    (s) => s.state === 'online' && s.lastSyncAt !== null && s.lastError === null,
    'the first pull',
  );
  return { register: r.register, proxy, shop };
}

const pushes = (proxy: FaultProxy, from = 0) =>
  proxy.requests.slice(from).filter((r) => r.method === 'POST' && r.path.includes('/mutations'));

describe('the sync worker and the link', () => {
  const overloaded: [string, CannedAnswer][] = [
    [
      'a load balancer’s 502 with an HTML page',
      {
        status: 502,
        headers: { 'content-type': 'text/html', 'retry-after': '3' },
        body: '<html><body><h1>502 Bad Gateway</h1></body></html>',
      },
    ],
    [
      'the cloud’s own 503 in JSON',
      {
        status: 503,
        headers: { 'content-type': 'application/json', 'retry-after': '3' },
        body: JSON.stringify({ error: 'OVERLOADED', message: 'try later', serverTime: Date.now() }),
      },
    ],
  ];
  for (const [what, answer] of overloaded) {
    it(`honours Retry-After on ${what}, over "sync now" pressed during the wait and new sales`, async () => {
      const { register, proxy } = await enrolledThroughProxy(TEST_TUNING);
      proxy.answerWith(answer);
      const before = proxy.requests.length;
      await sell(register, [BUN.barcode]);
      const refused = (
        await eventually(
          () => pushes(proxy, before),
          (p) => p.length >= 1,
          'the push the proxy refuses',
        )
      )[0];
      // A person presses "sync now" twice and two more sales come while the cloud asked for 3 s
      await call(register, 'sync:now');
      await sell(register, [WATER.barcode]);
      await call(register, 'sync:now');
      await sell(register, [BUN.barcode]);
      const next = await eventually(
        () => proxy.requests.slice(before).filter((r) => r.at > (refused?.at ?? 0)),
        (r) => r.length >= 1,
        'the next request',
      );
      expect((next[0]?.at ?? 0) - (refused?.at ?? 0)).toBeGreaterThanOrEqual(2_900);
      // and once the cloud is back, everything goes
      proxy.answerWith(null);
      await call(register, 'sync:now');
      await eventually(
        () => syncStatus(register),
        (s) => s.pending === 0 && s.state === 'online',
        'the queue to empty',
      );
    });
  }

  it('a new sale probes the link at once during a long backoff, at most once per probe gap', async () => {
    // A backoff of up to 10 minutes: without the probe, nothing would go for minutes.
    const { register, proxy } = await enrolledThroughProxy({
      ...TEST_TUNING,
      backoffBaseMs: 600_000,
      backoffCapMs: 600_000,
      probeGapMs: 1_000,
    });
    proxy.setMode('offline');
    await sell(register, [BUN.barcode]);
    await eventually(
      () => syncStatus(register),
      (s) => s.state === 'offline',
      'the register to see the link down',
    );
    // a burst of sales while the link is down: a probe, not a storm
    const refusedBefore = proxy.counts.refused;
    const burstAt = Date.now();
    for (let i = 0; i < 5; i += 1) await sell(register, [WATER.barcode]);
    await eventually(
      () => proxy.counts.refused,
      (n) => n > refusedBefore,
      'a probe after the burst',
    );
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const probes = proxy.counts.refused - refusedBefore;
    expect(probes).toBeLessThanOrEqual(Math.ceil((Date.now() - burstAt) / 1_000) + 1);
    // the link comes back: the next sale takes the whole queue with it
    proxy.setMode('pass');
    await sell(register, [BUN.barcode]);
    const synced = await eventually(
      () => syncStatus(register),
      (s) => s.pending === 0,
      'the next sale to push the queue',
    );
    expect(synced).toMatchObject({ state: 'online', pendingSales: 0 });
  });

  it('pulls between pushes while a long queue drains, so a new price reaches a busy register', async () => {
    const { register, proxy, shop } = await enrolledThroughProxy({ ...TEST_TUNING, batchSize: 1, pullEveryPushes: 3 });
    proxy.setMode('offline');
    for (let i = 0; i < 12; i += 1) await sell(register, [BUN.barcode]);
    await setPrice(database().pool, shop.merchantId, WATER.sku, 1_250, undefined, Date.now());
    const from = proxy.requests.length;
    proxy.setMode('pass');
    await call(register, 'sync:now');
    await eventually(
      () => syncStatus(register),
      (s) => s.pending === 0,
      'the queue to empty',
    );
    const sequence = proxy.requests
      .slice(from)
      .map((r) => (r.path.includes('/mutations') ? 'push' : r.path.startsWith('/v1/changes') ? 'pull' : 'other'));
    let run = 0;
    let longest = 0;
    for (const kind of sequence) {
      run = kind === 'push' ? run + 1 : kind === 'pull' ? 0 : run;
      longest = Math.max(longest, run);
    }
    expect(sequence.filter((k) => k === 'push')).toHaveLength(12);
    expect(longest).toBeLessThanOrEqual(3);
    // the price arrived while sales were still queued
    expect(sequence.indexOf('pull')).toBeLessThan(sequence.lastIndexOf('push'));
    await eventually(
      async () => (await call<{ price: number }>(register, 'catalog:lookup', { code: WATER.barcode })).price,
      (price) => price === 1_250,
      'the new price',
    );
  });
});
