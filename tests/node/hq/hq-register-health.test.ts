/**
 * A register's version and queue on the console (issue 16): each push and pull carries the
 * register's app version and its outbox figures as headers; the cloud keeps the last ones with the
 * time, and the dashboard and the register list show them, to store managers for their stores only.
 * A malformed value is left out and logged; the push it came with is applied all the same.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegisterHealth } from '../../../cloud/hq/contract';
import { QUEUE_LONG_MS } from '../../../cloud/hq/contract';
import { reportHeaders } from '../../../src/shared/register-report';
import { call, saleMutation } from '../../support/register-documents';
import { createShop, enrolRegister, useTestDatabase, type EnrolledRegister, type Shop } from '../cloud/helpers';
import { HqClient, addUser, startHq } from './hq-helpers';

const database = useTestDatabase();
let at = Date.now();
const logLines: { level: number; msg: string; problems?: string[] }[] = [];
let server: Awaited<ReturnType<typeof startHq>>;
let shop: Shop;
let mk: EnrolledRegister;
let tst: EnrolledRegister;

beforeAll(async () => {
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) logLines.push(JSON.parse(line) as (typeof logLines)[number]);
      done();
    },
  });
  server = await startHq(database().pool, { now: () => at }, { logger: { level: 'warn', stream } });
  shop = await createShop(database().pool);
  mk = await enrolRegister(database().pool, server.base, shop.stores[0]!);
  tst = await enrolRegister(database().pool, server.base, shop.stores[1]!);
  await addUser(database().pool, shop.merchantId, 'owner@health.hk', 'owner');
  await addUser(database().pool, shop.merchantId, 'mk@health.hk', 'store_manager', [shop.stores[0]!.id]);
});
afterAll(async () => {
  await server?.close();
});

async function as(email: string): Promise<HqClient> {
  const client = new HqClient(server.base);
  expect((await client.login(email)).status).toBe(200);
  return client;
}

function push(register: EnrolledRegister, seq: number, headers: Record<string, string>) {
  return call<{ applied: number; lastAppliedSeq: number }>(server.base, 'POST', `/v1/registers/${register.registerId}/mutations`, {
    token: register.token,
    body: { mutations: [saleMutation(register, seq)] },
    headers,
  });
}

function pull(register: EnrolledRegister, headers: Record<string, string>) {
  return call(server.base, 'GET', '/v1/changes?since=0&limit=10', { token: register.token, headers });
}

async function dashboardRegisters(client: HqClient): Promise<RegisterHealth[]> {
  const answer = await client.request('GET', '/hq/api/dashboard');
  expect(answer.status).toBe(200);
  return answer.body.registers as RegisterHealth[];
}

const byCode = (rows: RegisterHealth[], register: EnrolledRegister) => rows.find((r) => r.registerId === register.registerId);

describe('a register’s version and queue on the console', () => {
  it('a push with a version and a queue shows on the dashboard and the register list; the next pull’s empty queue replaces it', async () => {
    const owner = await as('owner@health.hk');
    const pushedAt = at;
    const pushed = await push(mk, 1, reportHeaders({ appVersion: '1.4.2', queueDepth: 7, quarantined: 1 }));
    expect(pushed.status).toBe(200);
    expect(pushed.body).toMatchObject({ applied: 1, lastAppliedSeq: 1 });

    let row = byCode(await dashboardRegisters(owner), mk);
    expect(row).toMatchObject({
      appVersion: '1.4.2',
      queueDepth: 7,
      quarantined: 1,
      reportedAt: pushedAt,
      lastPushAt: pushedAt,
      lastPullAt: null,
      lastSyncAt: pushedAt,
      online: true,
      queueWaiting: false,
    });
    // A register of an older release says nothing: unknown, not zero.
    expect(byCode(await dashboardRegisters(owner), tst)).toMatchObject({ appVersion: null, queueDepth: null, online: false });

    at += 30_000;
    expect((await pull(mk, reportHeaders({ appVersion: '1.4.2', queueDepth: 0, quarantined: 1 }))).status).toBe(200);
    row = byCode(await dashboardRegisters(owner), mk);
    expect(row).toMatchObject({ queueDepth: 0, reportedAt: at, lastPullAt: at, lastSyncAt: at, lastPushAt: pushedAt, online: true });

    // The register list (Stores & registers) shows the same.
    const list = (await owner.request('GET', '/hq/api/registers')).body.registers as RegisterHealth[];
    expect(byCode(list, mk)).toEqual(row);
  });

  it('a queue that waits longer than QUEUE_LONG_MS, or a large one, is flagged; a register silent for 5 minutes is offline', async () => {
    const owner = await as('owner@health.hk');
    at += 60_000;
    await pull(tst, reportHeaders({ appVersion: '1.4.1', queueDepth: 3, quarantined: 0 }));
    expect(byCode(await dashboardRegisters(owner), tst)).toMatchObject({ queueDepth: 3, queueWaiting: false, online: true });
    // Still 3 waiting a few minutes on: the queue's start is kept, not moved by each report.
    at += QUEUE_LONG_MS - 60_000;
    await pull(tst, reportHeaders({ appVersion: '1.4.1', queueDepth: 3, quarantined: 0 }));
    at += 2 * 60_000;
    expect(byCode(await dashboardRegisters(owner), tst)).toMatchObject({ queueDepth: 3, queueWaiting: true, online: true });
    at += 6 * 60_000;
    expect(byCode(await dashboardRegisters(owner), tst)).toMatchObject({ queueWaiting: true, online: false });
    // Drained: no longer flagged. A large queue is flagged at once.
    await pull(tst, reportHeaders({ appVersion: '1.4.1', queueDepth: 0, quarantined: 0 }));
    expect(byCode(await dashboardRegisters(owner), tst)).toMatchObject({ queueDepth: 0, queueWaiting: false, online: true });
    await pull(tst, reportHeaders({ appVersion: '1.4.1', queueDepth: 250, quarantined: 0 }));
    expect(byCode(await dashboardRegisters(owner), tst)).toMatchObject({ queueDepth: 250, queueWaiting: true });
  });

  it('a store manager sees only their store’s registers, with their health', async () => {
    const manager = await as('mk@health.hk');
    const rows = await dashboardRegisters(manager);
    expect(rows.map((r) => r.registerId)).toEqual([mk.registerId]);
    expect(rows[0]).toMatchObject({ appVersion: '1.4.2', queueDepth: 0 });
    const list = (await manager.request('GET', '/hq/api/registers')).body.registers as RegisterHealth[];
    expect(list.map((r) => r.registerId)).toEqual([mk.registerId]);
  });

  it('malformed values are left out and logged; the push is applied all the same and the last good values stay', async () => {
    const owner = await as('owner@health.hk');
    logLines.length = 0;
    at += 60_000;
    const pushed = await push(mk, 2, { 'suanpan-app-version': 'latest; rm -rf', 'suanpan-queue-depth': '-3', 'suanpan-quarantined': '2' });
    expect(pushed.status).toBe(200);
    expect(pushed.body).toMatchObject({ applied: 1, lastAppliedSeq: 2 });
    const row = byCode(await dashboardRegisters(owner), mk);
    // The good field is taken; the bad ones keep what the register last said.
    expect(row).toMatchObject({ appVersion: '1.4.2', queueDepth: 0, quarantined: 2, reportedAt: at, lastPushAt: at });
    const warning = logLines.find((l) => l.msg.includes(`${mk.storeCode}-${mk.registerCode}`));
    expect(warning?.level).toBe(40);
    expect(warning?.problems?.join(' ')).toMatch(/suanpan-app-version: a semantic version like 1\.2\.3/);
    expect(warning?.problems?.join(' ')).toMatch(/suanpan-queue-depth/);

    // Too big a number, a version too long: the pull answers its page as ever.
    at += 60_000;
    const pulled = await pull(mk, { 'suanpan-app-version': `1.2.3-${'x'.repeat(80)}`, 'suanpan-queue-depth': '99999999999' });
    expect(pulled.status).toBe(200);
    expect(pulled.body).toHaveProperty('changes');
    expect(byCode(await dashboardRegisters(owner), mk)).toMatchObject({ appVersion: '1.4.2', queueDepth: 0, lastPullAt: at });
  });
});
