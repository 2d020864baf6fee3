/**
 * The console's list of shared stocktakes (多機盤點, GET /hq/api/stock/count-sessions) against the
 * real cloud on PostgreSQL: registers open, join and scan into counts through the sync API as
 * their workers do (count.session / count.entry / count.leave mutations, POST …/join, POST …/post);
 * head office reads per session who opened it, each register's scans / products / units / last
 * scan, scans refused after the post, a register that left (when, who, its scans still counted),
 * and how it ended. Open and recently closed sessions only; a store manager sees only their stores
 * (another store answers NOT_FOUND); a viewer reads it too.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CountSessionRow } from '../../../cloud/hq/contract';
import { call, createShop, enrolRegister, pushMutations, useTestDatabase, type EnrolledRegister, type Shop } from '../cloud/helpers';
import { HqClient, addUser, startHq } from './hq-helpers';

const database = useTestDatabase();
let server: Awaited<ReturnType<typeof startHq>>;
let shop: Shop;
let a: EnrolledRegister;
let b: EnrolledRegister;
let t: EnrolledRegister;
const seqs = new Map<string, number>();
const T0 = Date.now() - 60_000;

async function push(register: EnrolledRegister, kind: string, ref: string, payload: unknown): Promise<void> {
  const seq = (seqs.get(register.registerId) ?? 0) + 1;
  seqs.set(register.registerId, seq);
  const answer = await pushMutations(server.base, register, [{ seq, kind, ref, payload }]);
  expect(answer.status).toBe(200);
  expect(answer.body.quarantined).toBe(0);
}

async function open(register: EnrolledRegister, docNo: string, openedAt: number): Promise<string> {
  const sessionId = randomUUID();
  await push(register, 'count.session', docNo, {
    sessionId,
    docNo,
    scope: { kind: 'category', categoryCode: 'DRINK' },
    blind: true,
    openedAt,
    staffName: 'Amy',
  });
  return sessionId;
}

async function scan(
  register: EnrolledRegister,
  sessionId: string,
  docNo: string,
  entrySeq: number,
  sku: string,
  units: number,
  at: number,
) {
  await push(register, 'count.entry', `${docNo}:${entrySeq}`, {
    sessionId,
    entrySeq,
    sku,
    quantityMilli: units * 1000,
    scannedAt: at,
    staffName: 'Ben',
  });
}

async function post(register: EnrolledRegister, sessionId: string): Promise<void> {
  const answer = await call(server.base, 'POST', `/v1/count-sessions/${sessionId}/post`, {
    token: register.token,
    body: { staffName: 'Amy', acceptUnsent: true },
  });
  expect(answer.status).toBe(200);
}

let open1: string;
let posted2: string;

beforeAll(async () => {
  const pool = database().pool;
  server = await startHq(pool, { now: () => Date.now() });
  shop = await createShop(pool, { products: 4, initialStock: 10 });
  a = await enrolRegister(pool, server.base, shop.stores[0]!);
  b = await enrolRegister(pool, server.base, shop.stores[0]!);
  t = await enrolRegister(pool, server.base, shop.stores[1]!);
  // MK: A opens a count and scans P1 twice and P2; B joins and scans P2.
  open1 = await open(a, 'CNT-01-000001', T0);
  await scan(a, open1, 'CNT-01-000001', 1, 'P1', 3, T0 + 1_000);
  await scan(a, open1, 'CNT-01-000001', 2, 'P1', 2, T0 + 2_000);
  await scan(a, open1, 'CNT-01-000001', 3, 'P2', 1, T0 + 3_000);
  expect((await call(server.base, 'POST', `/v1/count-sessions/${open1}/join`, { token: b.token, body: {} })).status).toBe(200);
  await scan(b, open1, 'CNT-01-000001', 7, 'P2', 4, T0 + 5_000);
  // B leaves, keeping its scan in the count (its register's outbox says so after the scan)
  await push(b, 'count.leave', 'CNT-01-000001:leave', { sessionId: open1, leftAt: T0 + 6_000, staffName: 'Ben', withdraw: false });
  // TST: a count opened, scanned, posted; one scan arrives after the post (kept, refused).
  posted2 = await open(t, 'CNT-01-000002', T0);
  await scan(t, posted2, 'CNT-01-000002', 1, 'P3', 5, T0 + 1_000);
  await post(t, posted2);
  await scan(t, posted2, 'CNT-01-000002', 2, 'P3', 1, T0 + 9_000);
  // MK: a count posted eight days ago is no longer listed.
  const old = await open(a, 'CNT-01-000003', T0);
  await scan(a, old, 'CNT-01-000003', 4, 'P4', 1, T0 + 1_000);
  await post(a, old);
  await pool.query(
    "UPDATE count_session SET opened_at = opened_at - interval '8 days', posted_at = posted_at - interval '8 days' WHERE session_id = $1",
    [old],
  );
  await addUser(pool, shop.merchantId, 'owner@counts.hk', 'owner');
  await addUser(pool, shop.merchantId, 'tst@counts.hk', 'store_manager', [shop.stores[1]!.id]);
  await addUser(pool, shop.merchantId, 'viewer@counts.hk', 'viewer');
}, 300_000);
afterAll(async () => {
  await server?.close();
});

async function list(email: string, query = ''): Promise<{ status: number; sessions: CountSessionRow[] }> {
  const client = new HqClient(server.base);
  expect((await client.login(email)).status).toBe(200);
  const answer = await client.request('GET', `/hq/api/stock/count-sessions${query}`);
  return { status: answer.status, sessions: (answer.body as { sessions?: CountSessionRow[] }).sessions ?? [] };
}

describe('shared counts on the console', () => {
  it('per session: who opened it, each register’s scans, products, units, last scan and whether it left, and how it ended; open first, recent only', async () => {
    const { status, sessions } = await list('owner@counts.hk');
    expect(status).toBe(200);
    expect(sessions.map((s) => [s.docNo, s.storeCode, s.status])).toEqual([
      ['CNT-01-000001', 'MK', 'open'],
      ['CNT-01-000002', 'TST', 'posted'],
    ]);
    const [mk, tst] = sessions as [CountSessionRow, CountSessionRow];
    expect(mk).toMatchObject({
      scope: 'DRINK',
      blind: true,
      openedAt: T0,
      openedByRegister: a.registerCode,
      openedBy: 'Amy',
      closedAt: null,
      closedBy: null,
      lastScanAt: T0 + 5_000,
    });
    expect(mk.participants).toEqual([
      expect.objectContaining({ registerCode: a.registerCode, scans: 3, lines: 2, unitsMilli: 6000, refused: 0, lastScanAt: T0 + 3_000 }),
      expect.objectContaining({
        registerCode: b.registerCode,
        scans: 1,
        lines: 1,
        unitsMilli: 4000,
        refused: 0,
        lastScanAt: T0 + 5_000,
        leftAt: T0 + 6_000,
        leftBy: 'Ben',
        leftScans: 'kept',
      }),
    ]);
    expect(mk.participants[0]).toMatchObject({ leftAt: null, leftBy: null, leftScans: null });
    expect(tst.closedBy).toBe(`TST-${t.registerCode} Amy`);
    expect(tst.closedAt).toBeGreaterThan(T0);
    expect(tst.participants).toEqual([
      expect.objectContaining({ registerCode: t.registerCode, scans: 1, lines: 1, unitsMilli: 5000, refused: 1, lastScanAt: T0 + 1_000 }),
    ]);
    // one store asked for
    expect((await list('owner@counts.hk', `?store=${shop.stores[1]!.id}`)).sessions.map((s) => s.docNo)).toEqual(['CNT-01-000002']);
  });

  it('a store manager sees only their stores; a viewer reads them', async () => {
    const mine = await list('tst@counts.hk');
    expect(mine.status).toBe(200);
    expect(mine.sessions.map((s) => s.docNo)).toEqual(['CNT-01-000002']);
    expect((await list('tst@counts.hk', `?store=${shop.stores[0]!.id}`)).status).toBe(404);
    const viewer = await list('viewer@counts.hk');
    expect(viewer.status).toBe(200);
    expect(viewer.sessions.map((s) => s.docNo)).toEqual(['CNT-01-000001', 'CNT-01-000002']);
  });
});
