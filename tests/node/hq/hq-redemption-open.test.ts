/**
 * An online redemption with neither a sale nor a release, taken by a really enrolled register, on
 * real PostgreSQL over real sockets: past its bound (24 h by the cloud's own clock) the console's
 * 未能入帳 list carries it once, with the facts naming that register by its code and store (the
 * console's sentence reads 「收銀機 <code>」 from them: hq-members.spec), and a store manager sees it
 * only at that register's store.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertMember } from '../../../cloud/domain/catalogue';
import { adjustBalance } from '../../../cloud/domain/members';
import { OPEN_REDEMPTION_BOUND_MS } from '../../../cloud/domain/online-redemptions';
import type { LedgerExceptionRow } from '../../../cloud/hq/contract';
import { call, createShop, enrolRegister, useTestDatabase, type EnrolledRegister, type Shop } from '../cloud/helpers';
import { HqClient, addUser, startHq } from './hq-helpers';

const database = useTestDatabase();
/** how far the cloud's clock runs ahead of the wall clock */
let ahead = 0;
let server: Awaited<ReturnType<typeof startHq>>;
let shop: Shop;
let till: EnrolledRegister;

beforeAll(async () => {
  const pool = database().pool;
  server = await startHq(pool, { now: () => Date.now() + ahead });
  shop = await createShop(pool);
  till = await enrolRegister(pool, server.base, shop.stores[0]!);
  await upsertMember(pool, shop.merchantId, { code: 'VIP1', name: '黃美玲', phone: null }, Date.now());
  await adjustBalance(
    pool,
    shop.merchantId,
    { memberCode: 'VIP1', kind: 'credit', amount: 5_000, reason: 'opening', ref: 'opening-vip1' },
    Date.now(),
  );
  await addUser(pool, shop.merchantId, 'owner@redeem.hk', 'owner');
  await addUser(pool, shop.merchantId, 'mk@redeem.hk', 'store_manager', [shop.stores[0]!.id]);
  await addUser(pool, shop.merchantId, 'tst@redeem.hk', 'store_manager', [shop.stores[1]!.id]);
}, 600_000);
afterAll(async () => {
  await server?.close();
});

async function exceptionsAs(email: string): Promise<LedgerExceptionRow[]> {
  const client = new HqClient(server.base);
  expect((await client.login(email)).status).toBe(200);
  const answer = await client.request('GET', '/hq/api/member-exceptions');
  expect(answer.status).toBe(200);
  return (answer.body as { exceptions: LedgerExceptionRow[] }).exceptions;
}

describe('an online redemption with no sale, by an enrolled register', () => {
  it('is listed after its bound naming the register by its code, at its store only', async () => {
    const taken = await call<{ balance: number }>(server.base, 'POST', '/v1/members/redeem', {
      token: till.token,
      body: { idempotencyKey: 'sv-lost-0001-c1-700', memberCode: 'VIP1', kind: 'credit', amount: 700 },
    });
    expect(taken).toMatchObject({ status: 200, body: { balance: 4_300 } });
    const takenAt = (
      await database().pool.query<{ at: Date }>('SELECT created_at AS at FROM online_redemption WHERE merchant_id = $1', [shop.merchantId])
    ).rows[0]!.at.getTime();

    // within the bound: not yet
    expect(await exceptionsAs('owner@redeem.hk')).toEqual([]);
    // past it, by the cloud's clock
    ahead = OPEN_REDEMPTION_BOUND_MS + 60_000;
    const listed = await exceptionsAs('owner@redeem.hk');
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ kind: 'redemption_open', amount: 700, memberCode: 'VIP1', account: 'credit', storeCode: 'MK' });
    expect(listed[0]!.facts).toEqual({
      case: 'redemption_open',
      registerCode: till.registerCode,
      source: `register:${till.registerId}`,
      account: 'credit',
      taken: 700,
      takenAt,
    });
    expect((await exceptionsAs('mk@redeem.hk')).map((x) => x.id)).toEqual([listed[0]!.id]);
    expect(await exceptionsAs('tst@redeem.hk')).toEqual([]);
  });
});
