/**
 * The cloud side of register events (cloud/domain/register-events.ts): every listed kind is kept
 * whole in register_event, exactly once; a payload that is not an object is quarantined; an
 * unlisted kind still is, and neither blocks the queue.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerEventKinds } from '../../../src/shared/outbox-kinds';
import { call, createShop, enrolRegister, saleMutation, startServer, useTestDatabase, type Server, type Shop } from '../cloud/helpers';

const db = useTestDatabase();
let server: Server;
let shop: Shop;

beforeAll(async () => {
  server = await startServer({ pool: db().pool, enrolAttemptsPerMinute: 1000 });
  shop = await createShop(db().pool);
});
afterAll(async () => {
  await server.close();
});

describe('register events in the cloud', () => {
  it('keeps each listed kind once, quarantines a non-object payload and an unknown kind, and the queue goes on', async () => {
    const register = await enrolRegister(db().pool, server.base, shop.stores[0]!);
    const events = registerEventKinds.map((kind, index) => ({
      seq: index + 1,
      kind,
      ref: `ref-${index + 1}`,
      payload: { n: index + 1, note: '更期' },
    }));
    const next = events.length + 1;
    const mutations = [
      ...events,
      { seq: next, kind: 'shift.opened', ref: 'bad', payload: [1, 2] },
      { seq: next + 1, kind: 'shift.teleported', ref: 'x', payload: {} },
      saleMutation(register, next + 2),
    ];
    const push = () =>
      call<{ lastAppliedSeq: number; applied: number; duplicates: number; quarantinedSeqs: number[] }>(
        server.base,
        'POST',
        `/v1/registers/${register.registerId}/mutations`,
        { token: register.token, body: { mutations } },
      );

    const first = await push();
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ lastAppliedSeq: next + 2, applied: events.length + 1, quarantinedSeqs: [next, next + 1] });
    const again = await push();
    expect(again.body).toMatchObject({ lastAppliedSeq: next + 2, applied: 0, duplicates: mutations.length });

    const rows = (
      await db().pool.query<{ seq: number; kind: string; payload: unknown }>(
        'SELECT seq::int, kind, payload FROM register_event WHERE register_id = $1 ORDER BY seq',
        [register.registerId],
      )
    ).rows;
    expect(rows).toEqual(events.map((e) => ({ seq: e.seq, kind: e.kind, payload: e.payload })));
    const reasons = (
      await db().pool.query<{ seq: number; reason_code: string }>(
        'SELECT seq::int, reason_code FROM quarantine WHERE register_id = $1 ORDER BY seq',
        [register.registerId],
      )
    ).rows;
    expect(reasons).toEqual([
      { seq: next, reason_code: 'INVALID_PAYLOAD' },
      { seq: next + 1, reason_code: 'UNKNOWN_KIND' },
    ]);
  });
});
