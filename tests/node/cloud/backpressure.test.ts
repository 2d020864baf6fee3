/**
 * Issue 18: requests queue for a database connection while there is room and are answered 503
 * (with Retry-After) only when the queue is full: real backpressure, not a refusal of a burst.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, type Pool } from '../../../cloud/db/pool';
import {
  call,
  createShop,
  enrolRegister,
  saleMutation,
  startServer,
  useTestDatabase,
  type EnrolledRegister,
  type Server,
  type Shop,
} from './helpers';

const db = useTestDatabase();
let shop: Shop;
let pool: Pool;
let server: Server;

beforeAll(async () => {
  shop = await createShop(db().pool);
  // One connection, room for two waiting requests.
  pool = createPool(db().url, { max: 1 });
  server = await startServer({ pool, enrolAttemptsPerMinute: 1000, queueLimit: 2 });
});
afterAll(async () => {
  await server.close();
  await pool.end();
});

describe('a burst of pushes', () => {
  it('queues while there is room and answers 503 with Retry-After only beyond it', async () => {
    const registers: EnrolledRegister[] = [];
    for (let i = 0; i < 3; i += 1) registers.push(await enrolRegister(db().pool, server.base, shop.stores[0]!));
    // The only connection is busy: the next requests must wait for it.
    const held = await pool.connect();
    const push = (r: EnrolledRegister) =>
      call(server.base, 'POST', `/v1/registers/${r.registerId}/mutations`, { token: r.token, body: { mutations: [saleMutation(r, 1)] } });
    // Each push first authenticates (a query): two of them fill the queue.
    const queued = [push(registers[0]!), push(registers[1]!)];
    for (let i = 0; pool.waitingCount < 2; i += 1) {
      if (i > 1000) throw new Error('the pushes never queued');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const refused = await push(registers[2]!);
    expect(refused.status).toBe(503);
    expect(refused.body.error).toBe('UNAVAILABLE');
    expect(refused.headers.get('retry-after')).toBe('2');
    held.release();
    const answers = await Promise.all(queued);
    expect(answers.map((a) => [a.status, a.body.applied])).toEqual([
      [200, 1],
      [200, 1],
    ]);
    // and the refused one goes through on its retry
    expect((await push(registers[2]!)).body).toMatchObject({ applied: 1 });
  });
});
