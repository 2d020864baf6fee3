/**
 * Claim ids (issue 15; cloud/domain/order-claims.ts, released-claims.ts, migration 0034), on real
 * PostgreSQL over real sockets: a register asking to collect an order (or take a pickup of it)
 * before a sale names its cart's claim, and the claim's release (`order.claim-released`) names it
 * too. A claim arriving after its release is refused CLAIM_RELEASED; a release undoes only the claim
 * made with its id; a claim and its release arriving at once never leave the order collected by
 * that claim; a release without an id (a register of the version before) undoes as it always did.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createShopKey } from '../../../cloud/domain/shop-keys';
import type { CreateOrderInput, Order } from '../../../src/shared/order-schemas';
import { call, createShop, enrolRegister, pushMutations, useTestServer, useTestDatabase, type EnrolledRegister } from './helpers';

const db = useTestDatabase();
const server = useTestServer(db);

/** One register of its own shop, its outbox's next seq, and the shop's order key. */
interface Till {
  register: EnrolledRegister;
  key: string;
  merchantId: number;
  seq: number;
  /** Another register of the same store. */
  neighbour: () => Promise<Till>;
}

async function till(): Promise<Till> {
  const shop = await createShop(db().pool, { products: 2, initialStock: 10 });
  const { key } = await createShopKey(db().pool, shop.merchantId, { label: 'Online shop', scopes: ['orders'] }, Date.now());
  const at = async (): Promise<Till> => ({
    register: await enrolRegister(db().pool, server.base, shop.stores[0]!),
    key,
    merchantId: shop.merchantId,
    seq: 0,
    neighbour: at,
  });
  return at();
}

let orderCounter = 0;
/** A pay-at-pickup order of two P1 (HK$20.00): the sale that pays it collects it. */
async function payAtPickupOrder(t: Till): Promise<string> {
  orderCounter += 1;
  const body: CreateOrderInput = {
    orderNo: `CLAIM-${orderCounter}`,
    store: 'MK',
    channel: 'online',
    customer: { name: '陳大文', phone: '9123 4567' },
    lines: [{ sku: 'P1', quantity: 2 }],
    paid: null,
  };
  const answer = await call<{ order: Order }>(server.base, 'POST', '/v1/orders', { token: t.key, body });
  expect(answer.status).toBe(201);
  return answer.body.order.orderNo;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const newClaimId = () => randomBytes(16).toString('hex');
const receiptNo = (t: Till, n: number) => `MK-${t.register.registerCode}-${String(n).padStart(6, '0')}`;

/** Earlier claims a question supersedes: released by the register, their releases not delivered yet. */
type Superseded = { receiptNo: string; claimId: string }[];
const supersedesField = (supersedes?: Superseded) => (supersedes !== undefined ? { supersedes } : {});

/** The register asks to collect the whole order on `receipt` before the sale, naming `claimId` (none: a register of the version before). */
const claimCollect = (t: Till, orderNo: string, receipt: string, claimId?: string, supersedes?: Superseded) =>
  call<{ order?: Order; error?: string }>(server.base, 'POST', `/v1/registers/${t.register.registerId}/orders/${orderNo}/status`, {
    token: t.register.token,
    body: { to: 'collected', receiptNo: receipt, ...(claimId !== undefined ? { claimId } : {}), ...supersedesField(supersedes) },
  });

/** The register asks to take line 1 of the order on `receipt` before the sale, naming `claimId`. */
const claimPickup = (t: Till, orderNo: string, receipt: string, claimId: string, supersedes?: Superseded) =>
  call<{ order?: Order; error?: string }>(server.base, 'POST', `/v1/registers/${t.register.registerId}/orders/${orderNo}/pickups`, {
    token: t.register.token,
    body: {
      orderNo,
      receiptNo: receipt,
      collect: [{ line: 1, quantityMilli: 1000 }],
      release: [],
      applied: 0,
      claimId,
      ...supersedesField(supersedes),
    },
  });

/** The register's outbox row `order.claim-released`, pushed (at `seq`: its retry; else the next); answers the batch. */
async function pushRelease(t: Till, orderNo: string, receipt: string, claimId?: string, seq?: number) {
  if (seq === undefined) t.seq += 1;
  const payload = { orderNo, receiptNo: receipt, ...(claimId !== undefined ? { claimId } : {}) };
  return pushMutations(server.base, t.register, [{ seq: seq ?? t.seq, kind: 'order.claim-released', ref: orderNo, payload }]);
}

async function expectReleaseApplied(answer: Awaited<ReturnType<typeof pushRelease>>): Promise<void> {
  expect(answer.status).toBe(200);
  expect(answer.body).toMatchObject({ quarantined: 0 });
}

async function cloudOrder(t: Till, orderNo: string) {
  const row = (
    await db().pool.query<{ status: string; final_receipt_no: string | null; collected: string }>(
      `SELECT o.status, o.final_receipt_no, (SELECT coalesce(sum(collected_milli), 0) FROM customer_order_line l WHERE l.order_id = o.id) AS collected
         FROM customer_order o WHERE o.merchant_id = $1 AND o.order_no = $2`,
      [t.merchantId, orderNo],
    )
  ).rows[0]!;
  return { status: row.status, receiptNo: row.final_receipt_no, collectedMilli: Number(row.collected) };
}

const OPEN = { status: 'new', receiptNo: null, collectedMilli: 0 };

describe('a claim that reaches the cloud after its release', () => {
  it('collecting the whole order is refused CLAIM_RELEASED, and the order stays open', async () => {
    const t = await till();
    const orderNo = await payAtPickupOrder(t);
    const claimId = newClaimId();
    await expectReleaseApplied(await pushRelease(t, orderNo, receiptNo(t, 1), claimId));

    const late = await claimCollect(t, orderNo, receiptNo(t, 1), claimId);
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ error: 'CLAIM_RELEASED', claimId, receiptNo: receiptNo(t, 1) });
    expect(await cloudOrder(t, orderNo)).toEqual(OPEN);
    // the same question again (an HTTP layer's retry) is refused the same
    expect((await claimCollect(t, orderNo, receiptNo(t, 1), claimId)).body).toMatchObject({ error: 'CLAIM_RELEASED' });
  });

  it('taking a pickup is refused CLAIM_RELEASED, and no goods count as taken', async () => {
    const t = await till();
    const orderNo = await payAtPickupOrder(t);
    const claimId = newClaimId();
    await expectReleaseApplied(await pushRelease(t, orderNo, receiptNo(t, 1), claimId));

    expect((await claimPickup(t, orderNo, receiptNo(t, 1), claimId)).body).toMatchObject({ error: 'CLAIM_RELEASED' });
    expect(await cloudOrder(t, orderNo)).toEqual(OPEN);
  });
});

describe('a release undoes the claim made with its id, and only that one', () => {
  it('claim A, release A, claim B on the same order and number: B stands, and release A again (or claim A again) changes nothing', async () => {
    const t = await till();
    const orderNo = await payAtPickupOrder(t);
    const [a, b] = [newClaimId(), newClaimId()];
    const receipt = receiptNo(t, 1);

    expect((await claimCollect(t, orderNo, receipt, a)).status).toBe(200);
    // the same question again while it stands: an idempotent replay
    expect((await claimCollect(t, orderNo, receipt, a)).body.order).toMatchObject({ status: 'collected', receiptNo: receipt });
    await expectReleaseApplied(await pushRelease(t, orderNo, receipt, a));
    expect(await cloudOrder(t, orderNo)).toEqual(OPEN);

    // the register collects the order again after the void, on the same next number
    expect((await claimCollect(t, orderNo, receipt, b)).status).toBe(200);
    await expectReleaseApplied(await pushRelease(t, orderNo, receipt, a));
    expect((await claimCollect(t, orderNo, receipt, a)).body).toMatchObject({ error: 'CLAIM_RELEASED' });
    expect(await cloudOrder(t, orderNo)).toEqual({ status: 'collected', receiptNo: receipt, collectedMilli: 0 });

    // B's own release undoes B
    await expectReleaseApplied(await pushRelease(t, orderNo, receipt, b));
    expect(await cloudOrder(t, orderNo)).toEqual(OPEN);
  });

  it('a pickup stands against a release naming another claim, or a claim made without an id; its own release undoes it', async () => {
    const t = await till();
    const orderNo = await payAtPickupOrder(t);
    const [a, other] = [newClaimId(), newClaimId()];
    const receipt = receiptNo(t, 1);

    expect((await claimPickup(t, orderNo, receipt, a)).status).toBe(200);
    await expectReleaseApplied(await pushRelease(t, orderNo, receipt, other));
    expect(await cloudOrder(t, orderNo)).toEqual({ status: 'new', receiptNo: null, collectedMilli: 1000 });
    await expectReleaseApplied(await pushRelease(t, orderNo, receipt, a));
    expect(await cloudOrder(t, orderNo)).toEqual(OPEN);

    // a whole collection made without an id (its outbox row, or a register of the version before)
    expect((await claimCollect(t, orderNo, receiptNo(t, 2))).status).toBe(200);
    await expectReleaseApplied(await pushRelease(t, orderNo, receiptNo(t, 2), other));
    expect(await cloudOrder(t, orderNo)).toEqual({ status: 'collected', receiptNo: receiptNo(t, 2), collectedMilli: 0 });
  });
});

describe('a claim and its release arriving at once', () => {
  it('never leave the order collected by that claim, whichever takes the order’s lock first (24 rounds, whole and pickups)', async () => {
    const t = await till();
    for (let round = 1; round <= 24; round += 1) {
      const orderNo = await payAtPickupOrder(t);
      const claimId = newClaimId();
      const receipt = receiptNo(t, round);
      // sent together, each in turn sent first (the push has more to do before it reaches the order's
      // lock: the claim sent after it waits a few ms, or it would nearly always come second); the claim collects the order or takes a pickup of it
      const asking = () => (round % 4 < 2 ? claimCollect(t, orderNo, receipt, claimId) : claimPickup(t, orderNo, receipt, claimId));
      const releasing = () => pushRelease(t, orderNo, receipt, claimId);
      const [claim, release] =
        round % 2 === 0
          ? await Promise.all([asking(), releasing()])
          : await Promise.all([releasing(), pause((round * 7) % 25).then(asking)]).then(([r, c]) => [c, r] as const);
      await expectReleaseApplied(release);
      // the claim first: it took the order and the release undid it; the release first: the claim is
      // refused. (The two also deadlock now and then, the push's FOR UPDATE of the register's row
      // against the claim's foreign key to it: PostgreSQL aborts one after deadlock_timeout, and it
      // runs again, so either may end up second.)
      const outcome = claim.status === 200 ? 'claimed, then released' : String(claim.body.error);
      expect(['claimed, then released', 'CLAIM_RELEASED']).toContain(outcome);
      expect(await cloudOrder(t, orderNo)).toEqual(OPEN);
    }
  });
});

describe('a release without a claim id (a register of the version before)', () => {
  it('undoes the claim standing on its number, made with an id or without, as before', async () => {
    const t = await till();
    const orderNo = await payAtPickupOrder(t);
    expect((await claimCollect(t, orderNo, receiptNo(t, 1))).status).toBe(200);
    await expectReleaseApplied(await pushRelease(t, orderNo, receiptNo(t, 1)));
    expect(await cloudOrder(t, orderNo)).toEqual(OPEN);

    expect((await claimCollect(t, orderNo, receiptNo(t, 2), newClaimId())).status).toBe(200);
    await expectReleaseApplied(await pushRelease(t, orderNo, receiptNo(t, 2)));
    expect(await cloudOrder(t, orderNo)).toEqual(OPEN);

    const pickup = await claimPickup(t, orderNo, receiptNo(t, 3), newClaimId());
    expect(pickup.status).toBe(200);
    await expectReleaseApplied(await pushRelease(t, orderNo, receiptNo(t, 3)));
    expect(await cloudOrder(t, orderNo)).toEqual(OPEN);
  });
});

/**
 * Claim A stands, the cart is voided (A's release goes into the outbox), and the register claims the
 * order again on the same number (the void took no number) with claim B, naming A as superseded:
 * its question and A's release reach the cloud in any order, and so may A's own question when it
 * was late. B is what the register's sale relies on: it stands, with its own id, whatever the order.
 */
describe('a new claim on the same number as the register’s released claim', () => {
  type Step = 'claim A' | 'claim B' | 'release A';
  const orders: Step[][] = [
    ['claim A', 'claim B', 'release A'],
    ['claim A', 'release A', 'claim B'],
    ['claim B', 'claim A', 'release A'],
    ['claim B', 'release A', 'claim A'],
    ['release A', 'claim A', 'claim B'],
    ['release A', 'claim B', 'claim A'],
  ];
  const HELD = { status: 'collected', collectedMilli: 0 };
  const TAKEN = { status: 'new', receiptNo: null, collectedMilli: 1000 };

  for (const kind of ['whole', 'pickup'] as const)
    it(`${kind === 'whole' ? 'collecting the whole order' : 'a pickup'}: B stands in each order of arrival, every request sent twice (its answer cut); only B's release undoes it`, async () => {
      const t = await till();
      for (const [round, steps] of orders.entries()) {
        const orderNo = await payAtPickupOrder(t);
        const receipt = receiptNo(t, round + 1);
        const [a, b] = [newClaimId(), newClaimId()];
        const ask = (claimId: string, supersedes?: Superseded) =>
          kind === 'whole' ? claimCollect(t, orderNo, receipt, claimId, supersedes) : claimPickup(t, orderNo, receipt, claimId, supersedes);
        let releaseSeq: number | undefined;
        const run: Record<Step, () => Promise<unknown>> = {
          'claim A': async () => {
            const answer = await ask(a);
            expect([200, 409]).toContain(answer.status);
            if (answer.status === 409) expect(answer.body).toMatchObject({ error: 'CLAIM_RELEASED', claimId: a });
          },
          'claim B': async () => expect((await ask(b, [{ receiptNo: receipt, claimId: a }])).status).toBe(200),
          'release A': async () => {
            await expectReleaseApplied(await pushRelease(t, orderNo, receipt, a, releaseSeq));
            releaseSeq = t.seq;
          },
        };
        for (const step of steps) {
          await run[step]();
          // the same request again: its first answer never reached the register
          await run[step]();
        }
        const standing = kind === 'whole' ? { ...HELD, receiptNo: receipt } : TAKEN;
        expect(await cloudOrder(t, orderNo), steps.join(' → ')).toEqual(standing);
        // A, asked again, is refused; released again, changes nothing
        expect((await ask(a)).body).toMatchObject({ error: 'CLAIM_RELEASED' });
        await expectReleaseApplied(await pushRelease(t, orderNo, receipt, a));
        expect(await cloudOrder(t, orderNo), steps.join(' → ')).toEqual(standing);
        // B stands with its own id: its release undoes it
        await expectReleaseApplied(await pushRelease(t, orderNo, receipt, b));
        expect(await cloudOrder(t, orderNo), steps.join(' → ')).toEqual(OPEN);
      }
    });

  it('all three at once, 12 rounds (whole and pickups): B stands, and the order is never open for another register meanwhile', async () => {
    const t = await till();
    const other = await t.neighbour();
    for (let round = 1; round <= 12; round += 1) {
      const orderNo = await payAtPickupOrder(t);
      const receipt = receiptNo(t, round);
      const [a, b] = [newClaimId(), newClaimId()];
      const whole = round % 2 === 0;
      const ask = (claimId: string, supersedes?: Superseded) =>
        whole ? claimCollect(t, orderNo, receipt, claimId, supersedes) : claimPickup(t, orderNo, receipt, claimId, supersedes);
      expect((await ask(a)).status).toBe(200);
      // A's question again (late), B's naming A, A's release, and another register collecting the order
      const [lateA, claimB, release, elsewhere] = await Promise.all([
        ask(a),
        pause(round % 5).then(() => ask(b, [{ receiptNo: receipt, claimId: a }])),
        pause((round * 3) % 7).then(() => pushRelease(t, orderNo, receipt, a)),
        pause((round * 5) % 9).then(() => claimCollect(other, orderNo, receiptNo(other, round), newClaimId())),
      ]);
      expect([200, 409]).toContain(lateA.status);
      expect(claimB.status).toBe(200);
      await expectReleaseApplied(release);
      // B took over from A in one move: the other register never found the order open
      expect(elsewhere.body).toMatchObject({ error: 'ORDER_FINAL' });
      expect(await cloudOrder(t, orderNo)).toEqual(whole ? { status: 'collected', receiptNo: receipt, collectedMilli: 0 } : TAKEN);
      await expectReleaseApplied(await pushRelease(t, orderNo, receipt, b));
      expect(await cloudOrder(t, orderNo)).toEqual(OPEN);
    }
  });

  it('a claim with another id while A stands, naming none superseded (a register of the version before): refused CLAIM_STANDING, nothing taken; after A’s release it is taken', async () => {
    const t = await till();
    for (const kind of ['whole', 'pickup'] as const) {
      const orderNo = await payAtPickupOrder(t);
      const receipt = receiptNo(t, kind === 'whole' ? 1 : 2);
      const [a, b] = [newClaimId(), newClaimId()];
      const ask = (claimId: string) =>
        kind === 'whole' ? claimCollect(t, orderNo, receipt, claimId) : claimPickup(t, orderNo, receipt, claimId);
      expect((await ask(a)).status).toBe(200);
      const standing = await cloudOrder(t, orderNo);

      const refused = await ask(b);
      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({ error: 'CLAIM_STANDING', claimId: b, receiptNo: receipt });
      expect(await cloudOrder(t, orderNo)).toEqual(standing);
      // A's own question again is still its replay
      expect((await ask(a)).status).toBe(200);

      await expectReleaseApplied(await pushRelease(t, orderNo, receipt, a));
      expect((await ask(b)).status).toBe(200);
      expect(await cloudOrder(t, orderNo)).toEqual(standing);
      await expectReleaseApplied(await pushRelease(t, orderNo, receipt, b));
      expect(await cloudOrder(t, orderNo)).toEqual(OPEN);
    }
  });
});
