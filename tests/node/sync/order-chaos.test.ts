/**
 * Orders under a faulty link (issue 15): N online orders (ORDER_CHAOS_N, default 20), collected or
 * cancelled at random at two registers at once, each talking to the real cloud through its own
 * loopback proxy that resets, hangs and cuts answers after the cloud committed (and now and then
 * goes offline). Afterwards, with the links healed and the queues drained: every order ends in
 * exactly one final state (one final event in the cloud), a register that lost a race offline shows
 * a conflict naming the winner, and the cloud's stock equals the opening stock less what was
 * collected, with nothing left reserved.
 */
import { describe, expect, it } from 'vitest';
import { createShopKey } from '../../../cloud/domain/shop-keys';
import type { Order, TillOrderList } from '../../../src/shared/order-schemas';
import { openDatabase } from '../../../src/main/db/open';
import { BUN, MILK_TEA, call, createCloudShop, enrol, enrolmentCode, eventually, useSyncRig, TEST_TUNING } from './helpers';
import { startFaultProxy, type FaultProxy } from './fault-proxy';

/** mulberry32: the same run for the same seed. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const N = Number(process.env.ORDER_CHAOS_N ?? 20);
const SEED = Number(process.env.ORDER_CHAOS_SEED ?? 15);
const { database, server, openRegister } = useSyncRig();

describe('orders through a faulty link', () => {
  it(`${N} orders collected or cancelled at random at two registers each end in exactly one final state, stock consistent`, async () => {
    const random = seededRandom(SEED);
    const opening = 10 * N;
    const shop = await createCloudShop(database().pool, { initialStock: opening });
    const { key } = await createShopKey(database().pool, shop.merchantId, { label: 'Online shop', scopes: ['orders'] }, Date.now());
    const port = Number(new URL(server.base).port);
    const proxies: FaultProxy[] = [];
    try {
      const tills = [];
      for (let i = 0; i < 2; i += 1) {
        const proxy = await startFaultProxy(port, { resetRate: 0.15, hangRate: 0.03, cutEvery: 5, random });
        proxies.push(proxy);
        const till = await openRegister({ ...TEST_TUNING, requestTimeoutMs: 1_500, ordersPollMs: 300 });
        proxy.setMode('pass');
        await enrol(till.register, proxy.url, await enrolmentCode(database().pool, shop.store));
        proxy.setMode('faulty');
        tills.push(till);
      }

      // The online shop places N prepaid orders of 1–3 milk teas and a bun.
      const orders: Order[] = [];
      for (let i = 0; i < N; i += 1) {
        const tea = 1 + Math.floor(random() * 3);
        const response = await fetch(`${server.base}/v1/orders`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            orderNo: `CH${SEED}-${i}`,
            store: 'MK01',
            channel: 'online',
            customer: { name: `客人 ${i}`, phone: null },
            lines: [
              { sku: MILK_TEA.sku, quantity: tea },
              { sku: BUN.sku, quantity: 1 },
            ],
            paid: { amount: tea * MILK_TEA.price + BUN.price, method: 'online', reference: null },
          }),
        });
        expect(response.status).toBe(201);
        orders.push(((await response.json()) as { order: Order }).order);
      }
      for (const till of tills)
        await eventually(
          async () => (await call<TillOrderList>(till.register, 'order:list', { filter: 'all' })).orders.length,
          (n) => n === N,
          'every order on both registers',
          120_000,
        );

      // Both registers work through the orders in their own random order, collecting or cancelling;
      // now and then a link goes offline for a while.
      const outcomes = { ok: 0, refused: 0 };
      await Promise.all(
        tills.map(async (till, index) => {
          const mine = [...orders].sort(() => random() - 0.5);
          for (const order of mine) {
            if (random() < 0.05) proxies[index]!.setMode(random() < 0.5 ? 'offline' : 'faulty');
            const answer =
              random() < 0.7
                ? await till.register.dispatch('order:collect', { code: `ORD:${order.orderNo}` })
                : await till.register.dispatch('order:move', { orderNo: order.orderNo, to: 'cancelled', reason: 'chaos' });
            if (answer.ok) outcomes.ok += 1;
            else {
              expect(['ORDER_FINAL', 'ORDER_TRANSITION_INVALID']).toContain(answer.error.code);
              outcomes.refused += 1;
            }
          }
        }),
      );

      // Heal the links and let both queues drain and both pulls catch up.
      for (const proxy of proxies) proxy.setMode('pass');
      for (const till of tills) {
        await call(till.register, 'sync:now');
        await eventually(
          async () => (await call<{ pending: number }>(till.register, 'sync:status')).pending,
          (n) => n === 0,
          'the queue drained',
          180_000,
        );
      }

      // Exactly one final state per order, with exactly one final event.
      const finals = (
        await database().pool.query<{ order_no: string; status: string; finals: number; final_by_name: string }>(
          `SELECT o.order_no, o.status, o.final_by_name,
                  (SELECT count(*)::int FROM customer_order_event e WHERE e.order_id = o.id AND e.to_status IN ('collected', 'cancelled')) AS finals
           FROM customer_order o WHERE o.order_no LIKE $1`,
          [`CH${SEED}-%`],
        )
      ).rows;
      expect(finals).toHaveLength(N);
      for (const row of finals) {
        expect(['collected', 'cancelled']).toContain(row.status);
        expect(row.finals).toBe(1);
      }

      // Each register agrees with the cloud, or shows the clash with who won.
      for (const till of tills) {
        await call(till.register, 'sync:now');
        await eventually(
          async () => (await call<TillOrderList>(till.register, 'order:list', { filter: 'all' })).orders,
          (list) =>
            list.every((o) => {
              const cloud = finals.find((f) => f.order_no === o.orderNo);
              return !o.pending && o.status === cloud?.status && (o.conflict === null || o.conflict.by === cloud.final_by_name);
            }),
          'each register agrees with the cloud',
          120_000,
        );
      }

      // Stock: opening less what was collected; nothing reserved any more, in the cloud or on a register.
      const collected = finals.filter((f) => f.status === 'collected').map((f) => orders.find((o) => o.orderNo === f.order_no)!);
      const teaSold = collected.reduce((sum, o) => sum + (o.lines.find((l) => l.sku === MILK_TEA.sku)?.quantityMilli ?? 0), 0);
      const onHand = async (sku: string) =>
        Number(
          (
            await database().pool.query<{ q: string }>(
              'SELECT coalesce(sum(quantity_milli), 0)::text AS q FROM stock_movement WHERE sku = $1',
              [sku],
            )
          ).rows[0]?.q,
        );
      expect(await onHand(MILK_TEA.sku)).toBe(opening * 1000 - teaSold);
      expect(await onHand(BUN.sku)).toBe(opening * 1000 - collected.length * 1000);
      for (const till of tills) {
        const db = openDatabase(`${till.dir}/register.db`, { checkIntegrity: false });
        try {
          expect(db.prepare('SELECT coalesce(sum(quantity_milli), 0) FROM order_reservation').pluck().get()).toBe(0);
        } finally {
          db.close();
        }
      }
      console.log(
        `order chaos: ${N} orders, ${collected.length} collected, ${N - collected.length} cancelled; ${outcomes.ok} moves accepted, ${outcomes.refused} refused; faults: ${proxies
          .map((p) => JSON.stringify(p.counts))
          .join(' ')}`,
      );
    } finally {
      for (const proxy of proxies) await proxy.close();
    }
  });
});
