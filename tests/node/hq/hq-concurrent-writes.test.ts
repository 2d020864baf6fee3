/**
 * The console's writes sent all at once, as an attacker's script (or a double-clicking person on a
 * slow line) sends them: 20 to 40 of the same or of conflicting requests at the same moment, on real
 * PostgreSQL over a real socket. Each change must land once, a limit must hold, and two owners
 * acting against each other must not leave the merchant without one.
 */
import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { upsertMember } from '../../../cloud/domain/catalogue';
import { issueGiftCards } from '../../../cloud/domain/gift-cards';
import { withTimeout } from '../../support/bounded.mjs';
import { createShop, useTestDatabase, type Shop } from '../cloud/helpers';
import { HqClient, addUser, startHq } from './hq-helpers';

const database = useTestDatabase();
let server: Awaited<ReturnType<typeof startHq>>;
let shop: Shop;

beforeAll(async () => {
  server = await startHq(database().pool, { now: () => Date.now() });
  shop = await createShop(database().pool);
});
afterAll(async () => {
  await server?.close();
});

async function loggedIn(email: string, role: Parameters<typeof addUser>[3] = 'owner'): Promise<{ client: HqClient; id: number }> {
  const id = await addUser(database().pool, shop.merchantId, email, role);
  const client = new HqClient(server.base);
  expect((await client.login(email)).status).toBe(200);
  return { client, id };
}

const auditCount = async (action: string): Promise<number> =>
  (
    await database().pool.query<{ n: number }>('SELECT count(*)::int AS n FROM hq_audit WHERE merchant_id = $1 AND action = $2', [
      shop.merchantId,
      action,
    ])
  ).rows[0]!.n;

/** Until `count` connections of the test database wait for a lock (bounded). */
async function waitersAtLeast(count: number): Promise<void> {
  const probe = async () => {
    for (;;) {
      const row = (
        await database().pool.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
        )
      ).rows[0];
      if ((row?.n ?? 0) >= count) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  await withTimeout(probe(), 10_000, `${count} requests waiting for a lock`);
}

/**
 * Sends `requests` while the users' rows are held by another transaction, so every request has
 * passed its session check and waits at the same point; then lets them all go at once.
 */
async function allAtOnce<T>(userIds: number[], requests: () => Promise<T>[]): Promise<T[]> {
  const holder = await database().pool.connect();
  try {
    await holder.query('BEGIN');
    await holder.query('SELECT id FROM hq_user WHERE id = ANY($1::bigint[]) FOR UPDATE', [userIds]);
    const sent = Promise.all(requests());
    await waitersAtLeast(userIds.length);
    await holder.query('COMMIT');
    return await sent;
  } finally {
    holder.release();
  }
}

const activeOwners = async (like: string): Promise<number> =>
  (
    await database().pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM hq_user WHERE merchant_id = $1 AND role = 'owner' AND active AND email LIKE $2",
      [shop.merchantId, like],
    )
  ).rows[0]!.n;

describe('owners acting against each other at once', () => {
  it('two owners demoting each other at the same moment leave one owner: the other is refused PERMISSION_DENIED', async () => {
    const a = await loggedIn('owner-a@example.hk');
    const b = await loggedIn('owner-b@example.hk');
    const demote = (by: HqClient, id: number) =>
      by.request('PUT', `/hq/api/users/${id}`, { name: 'x', role: 'viewer', storeIds: [], active: true });
    const answers = await allAtOnce([a.id, b.id], () => [demote(a.client, b.id), demote(b.client, a.id)]);
    expect(await activeOwners('owner-_@example.hk')).toBe(1);
    expect(answers.map((x) => x.status).sort()).toEqual([200, 403]);
    expect(answers.find((x) => x.status === 403)?.body.error).toBe('PERMISSION_DENIED');
    // one audit entry: the edit that happened
    expect(await auditCount('user.edit')).toBe(1);
  });

  it('four owners each deactivating the next at once (a ring): someone is left who can manage users', async () => {
    const owners: { client: HqClient; id: number }[] = [];
    for (let i = 0; i < 4; i += 1) owners.push(await loggedIn(`ring-${i}@example.hk`));
    const answers = await allAtOnce(
      owners.map((o) => o.id),
      () =>
        owners.map((o, i) => {
          const next = owners[(i + 1) % owners.length]!;
          return o.client.request('PUT', `/hq/api/users/${next.id}`, { name: 'x', role: 'owner', storeIds: [], active: false });
        }),
    );
    expect(await activeOwners('ring-%')).toBeGreaterThanOrEqual(1);
    expect(answers.filter((x) => x.status === 403).every((x) => x.body.error === 'PERMISSION_DENIED')).toBe(true);
    expect(answers.every((x) => x.status === 200 || x.status === 403)).toBe(true);
  });
});

describe('stored value changed at once (these held before: kept as evidence)', () => {
  it('40 voids of one gift card at once: one void, one audit entry, the rest CONFLICT', async () => {
    const owner = await loggedIn('voider@example.hk');
    const [card] = await issueGiftCards(
      database().pool,
      shop.merchantId,
      { count: 1, value: 5_000, batch: 'race', source: 'admin' },
      Date.now(),
    );
    const id = (
      await database().pool.query<{ id: number }>('SELECT id FROM gift_card WHERE last4 = $1 ORDER BY id DESC LIMIT 1', [card!.last4])
    ).rows[0]!.id;
    const answers = await Promise.all(
      Array.from({ length: 40 }, () => owner.client.request('POST', `/hq/api/gift-cards/${id}/void`, { reason: 'lost' })),
    );
    expect(answers.filter((x) => x.status === 200)).toHaveLength(1);
    expect(answers.filter((x) => x.status === 409)).toHaveLength(39);
    const voids = (
      await database().pool.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM ledger_entry e JOIN ledger_account a ON a.id = e.account_id WHERE a.gift_card_id = $1 AND e.reason = 'void'",
        [id],
      )
    ).rows[0]!.n;
    expect(voids).toBe(1);
    expect(await auditCount('gift-card.void')).toBe(1);
  });

  it('40 store credit deductions at once, each its own key, never take the balance below zero; 40 of one key apply once', async () => {
    const owner = await loggedIn('adjuster@example.hk');
    await upsertMember(database().pool, shop.merchantId, { code: 'RACE1', name: '陳太', phone: '93330001', tier: 'standard' }, Date.now());
    const adjust = (amount: number, key: string) =>
      owner.client.request('POST', '/hq/api/members/RACE1/adjust', { kind: 'credit', amount, reason: 'race', idempotencyKey: key });
    expect((await adjust(1_000, 'race-load-0001')).status).toBe(200);
    const takes = await Promise.all(Array.from({ length: 40 }, (_, i) => adjust(-300, `race-take-${String(i).padStart(4, '0')}`)));
    expect(takes.filter((x) => x.status === 200)).toHaveLength(3);
    expect(takes.filter((x) => x.body.error === 'INSUFFICIENT_BALANCE')).toHaveLength(37);
    const same = await Promise.all(Array.from({ length: 40 }, () => adjust(500, 'race-once-0001')));
    expect(same.every((x) => x.status === 200)).toBe(true);
    expect(same.filter((x) => x.body.replayed === false)).toHaveLength(1);
    expect(same.map((x) => x.body.balance)).toEqual(Array.from({ length: 40 }, () => 600));
  });
});
