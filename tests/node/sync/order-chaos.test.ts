/**
 * Orders under a faulty link (issue 15): N prepaid online orders (ORDER_CHAOS_N, default 150, about
 * 40 s on a quiet 2-core machine; the issue's 500 with ORDER_CHAOS_N=500: the time grows about linearly
 * with N since the cloud stopped writing a push batch again for every refused order row) worked at two
 * registers at once, each talking to the real cloud through its own loopback proxy that
 * resets, hangs and cuts answers after the cloud committed (and now and then goes offline). Both
 * registers go through the orders in nearly the same order, so they race on the same orders: whole
 * collections, cancels, partial pickups (部分取貨: part of the milk teas on a hand-over slip) and
 * swaps (the bun for a water, paid back at the counter as a sale); each register is restarted twice
 * mid-run (its worker stops wherever it was).
 *
 * Afterwards, with the links healed and the queues drained (every wait bounded):
 * - the cloud: every order in exactly one state: collected or cancelled with exactly one final
 *   event, or still open with its pickups adding up to the lines' collected and swapped quantities;
 *   a whole collection on one hand-over slip, no slip or sale number used twice, each pickup paid
 *   by a sale matched by exactly one sale;
 * - every register's pulled copy equals the cloud's: status, per-line collected and swapped
 *   quantities, pickups (number, who, final), who closed it and on which number; nothing pending;
 *   a clash names the register that won (whoever closed the order, else the other register's last
 *   pickup), never the register showing it, even when its own later slip closed the order;
 * - a refused collection names who collected (or cancelled) the order;
 * - stock: the cloud's ledger is the opening less what the orders handed over and the swaps sold;
 *   what open orders still hold is reserved (the cloud's figure and each register's alike), nothing
 *   for final ones;
 * - every quarantined row has a reason, is an order row, and shows on the register that sent it as
 *   a clash (nothing the register cannot apply is skipped silently): a lost race (ORDER_FINAL), or a
 *   hand-over slip the prepayment no longer covered (ORDER_REFUSED) because both registers swapped
 *   the same line and the losing swap's sale had paid with the prepayment already;
 * - or is a swap's sale whose 已付訂金 the order no longer covered (DEPOSIT_NOT_COVERED: the other
 *   register's hand-over of the order, or its slip of the rest, reached the cloud first and took
 *   the prepayment): kept whole for head office, counted in the register's own quarantine, nothing
 *   of it booked in the cloud (its water not sold there), and no order's prepayment spent beyond
 *   what it was paid.
 */
import { describe, expect, it } from 'vitest';
import { createShopKey } from '../../../cloud/domain/shop-keys';
import type { CollectResult, Order, TillOrder, TillOrderList } from '../../../src/shared/order-schemas';
import type { Receipt } from '../../../src/shared/checkout-schemas';
import { openDatabase } from '../../../src/main/db/open';
import {
  BUN,
  MILK_TEA,
  WATER,
  call,
  createCloudShop,
  enrol,
  enrolmentCode,
  eventually,
  loginManager,
  useSyncRig,
  TEST_TUNING,
  type SyncRegister,
} from './helpers';
import { startFaultProxy, type FaultProxy } from './fault-proxy';
import { seededRandom } from '../../support/seeded-random';

const N = Number(process.env.ORDER_CHAOS_N ?? 150);
const SEED = Number(process.env.ORDER_CHAOS_SEED ?? 15);
const { database, server, openRegister } = useSyncRig();

/** What a refusal may say at the till while another register (or this one, earlier) got there first, or its clash stands unseen. */
const REFUSALS = [
  'ORDER_FINAL',
  'ORDER_TRANSITION_INVALID',
  'BAD_REQUEST',
  'CONFLICT',
  'ORDER_CLASH',
  'ORDER_CLAIM_STANDING',
  'ORDER_CLAIM_RELEASED',
];

interface CloudLine {
  line: number;
  sku: string;
  quantity_milli: number;
  collected_milli: number;
  released_milli: number;
}
interface CloudPickup {
  receipt_no: string;
  by_name: string;
  final: boolean;
  collect: { line: number; quantityMilli: number }[];
  release: { line: number; quantityMilli: number }[];
}
interface CloudOrder {
  id: number;
  order_no: string;
  status: string;
  final_by_name: string | null;
  final_receipt_no: string | null;
  finals: number;
  lines: CloudLine[];
  pickups: CloudPickup[];
}

describe('orders through a faulty link', () => {
  it(
    `${N} orders collected, cancelled, partly picked up and swapped at two registers each end in exactly one state, every copy and the stock consistent`,
    async () => {
      const random = seededRandom(SEED);
      const opening = 10 * N;
      const shop = await createCloudShop(database().pool, { initialStock: opening });
      const merchant = shop.merchantId;
      const { key } = await createShopKey(database().pool, merchant, { label: 'Online shop', scopes: ['orders'] }, Date.now());
      const port = Number(new URL(server.base).port);
      const proxies: FaultProxy[] = [];
      const started = Date.now();
      try {
        const tills: SyncRegister[] = [];
        for (let i = 0; i < 2; i += 1) {
          const proxy = await startFaultProxy(port, { resetRate: 0.12, hangRate: 0.005, cutEvery: 5, random });
          proxies.push(proxy);
          const till = await openRegister({ ...TEST_TUNING, requestTimeoutMs: 1_500, ordersPollMs: 1_000 });
          proxy.setMode('pass');
          await enrol(till.register, proxy.url, await enrolmentCode(database().pool, shop.store));
          proxy.setMode('faulty');
          tills.push(till);
        }
        const names = ['MK01-01', 'MK01-02'];

        // The online shop places N prepaid orders of 1–3 milk teas and a bun (ten at a time).
        const orders: Order[] = [];
        for (let from = 0; from < N; from += 10) {
          const batch = Array.from({ length: Math.min(10, N - from) }, (_, k) => from + k).map((i) => ({
            i,
            tea: 1 + Math.floor(random() * 3),
          }));
          const placed = await Promise.all(
            batch.map(async ({ i, tea }) => {
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
              return ((await response.json()) as { order: Order }).order;
            }),
          );
          orders.push(...placed);
        }
        for (const till of tills)
          await eventually(
            () => {
              const db = openDatabase(`${till.dir}/register.db`, { checkIntegrity: false });
              try {
                return db.prepare('SELECT count(*) FROM customer_order').pluck().get() as number;
              } finally {
                db.close();
              }
            },
            (n) => n === N,
            'every order on both registers',
            120_000,
          );
        const placedMs = Date.now() - started;

        // Both registers work through the orders in nearly the same order (so they race on the same
        // ones), each order with one to three moves; now and then a link goes offline for a while,
        // and each register is restarted twice.
        const raceStarted = Date.now();
        const outcomes = { ok: 0, refused: {} as Record<string, number>, swapsSold: 0, refusedCollectsWithoutWinner: [] as string[] };
        const waterSold = { milli: 0 };
        await Promise.all(
          tills.map(async (till, index) => {
            const mine = orders.map((o, i) => ({ o, at: i + random() * 6 })).sort((a, b) => a.at - b.at);
            const restarts = new Set([Math.floor(N / 3), Math.floor((2 * N) / 3)]);
            const refused = (code: string) => {
              expect(REFUSALS).toContain(code);
              outcomes.refused[code] = (outcomes.refused[code] ?? 0) + 1;
            };
            for (const [position, { o: order }] of mine.entries()) {
              if (restarts.has(position)) {
                await till.restart();
                await loginManager(till.register);
              }
              if (random() < 0.04) proxies[index]!.setMode(random() < 0.5 ? 'offline' : 'faulty');
              const moves = 1 + Math.floor(random() * 2);
              for (let m = 0; m < moves; m += 1) {
                const roll = random();
                const register = till.register;
                if (roll < 0.3) {
                  const answer = await register.dispatch('order:collect', { code: `ORD:${order.orderNo}` });
                  if (answer.ok) {
                    expect((answer.value as CollectResult).kind).toBe('handed-over');
                    outcomes.ok += 1;
                  } else {
                    refused(answer.error.code);
                    if (answer.error.code === 'ORDER_FINAL' && !answer.error.issues?.some((i) => i.path === 'finalBy' && i.message !== ''))
                      outcomes.refusedCollectsWithoutWinner.push(`${names[index]} ${order.orderNo}: ${answer.error.message}`);
                  }
                } else if (roll < 0.45) {
                  const answer = await register.dispatch('order:move', { orderNo: order.orderNo, to: 'cancelled', reason: 'chaos' });
                  if (answer.ok) outcomes.ok += 1;
                  else refused(answer.error.code);
                } else if (roll < 0.8) {
                  // 部分取貨: one milk tea now, on a hand-over slip (nothing to pay: prepaid)
                  const answer = await register.dispatch('order:pickup', {
                    orderNo: order.orderNo,
                    lines: [{ line: 1, collectMilli: 1000, swapMilli: 0 }],
                    add: [],
                  });
                  if (answer.ok) {
                    expect((answer.value as CollectResult).kind).toBe('handed-over');
                    outcomes.ok += 1;
                  } else refused(answer.error.code);
                } else {
                  // 換貨: the bun swapped for a water; the customer gets the difference back at the counter
                  const answer = await register.dispatch('order:pickup', {
                    orderNo: order.orderNo,
                    lines: [{ line: 2, collectMilli: 0, swapMilli: 1000 }],
                    add: [{ code: WATER.barcode, quantity: 1 }],
                  });
                  if (!answer.ok) {
                    refused(answer.error.code);
                    continue;
                  }
                  expect((answer.value as CollectResult).kind).toBe('in-cart');
                  const cart = await call<{ id: number; total: number; order: { paid: number } }>(register, 'cart:get');
                  const sale = await register.dispatch('sale:complete', {
                    cartId: cart.id,
                    tenders: [{ method: 'cash', amount: Math.abs(cart.order.paid - cart.total) }],
                  });
                  if (sale.ok) {
                    expect((sale.value as Receipt).order?.orderNo).toBe(order.orderNo);
                    outcomes.ok += 1;
                    outcomes.swapsSold += 1;
                    waterSold.milli += 1000;
                  } else {
                    refused(sale.error.code);
                    await call(register, 'cart:void', { reason: 'order taken meanwhile' });
                  }
                }
              }
            }
          }),
        );
        const raceMs = Date.now() - raceStarted;
        console.log(`order chaos: ${N} orders placed and on both registers in ${placedMs} ms, race ${raceMs} ms`);

        // Heal the links and let both queues drain and both pulls catch up.
        const healStarted = Date.now();
        for (const proxy of proxies) proxy.setMode('pass');
        for (const till of tills) {
          await call(till.register, 'sync:now');
          await eventually(
            async () => (await call<{ pending: number }>(till.register, 'sync:status')).pending,
            (n) => n === 0,
            'the queue drained',
            120_000,
          );
        }

        // The cloud: one state per order.
        const cloud = (
          await database().pool.query<CloudOrder>(
            `SELECT o.id::int, o.order_no, o.status, o.final_by_name, o.final_receipt_no,
             (SELECT count(*)::int FROM customer_order_event e WHERE e.order_id = o.id AND e.to_status IN ('collected', 'cancelled')) AS finals,
             (SELECT json_agg(json_build_object('line', l.line, 'sku', l.sku, 'quantity_milli', l.quantity_milli,
                'collected_milli', l.collected_milli, 'released_milli', l.released_milli) ORDER BY l.line)
              FROM customer_order_line l WHERE l.order_id = o.id) AS lines,
             coalesce((SELECT json_agg(json_build_object('receipt_no', p.receipt_no, 'by_name', p.by_name, 'final', p.final,
                'collect', p.collect, 'release', p.release) ORDER BY p.id)
              FROM customer_order_pickup p WHERE p.order_id = o.id), '[]') AS pickups
           FROM customer_order o WHERE o.merchant_id = $1 ORDER BY o.id`,
            [merchant],
          )
        ).rows;
        expect(cloud).toHaveLength(N);
        const numbers: string[] = [];
        for (const o of cloud) {
          const sum = (list: 'collect' | 'release', line: number) =>
            o.pickups.reduce((s, p) => s + p[list].filter((x) => x.line === line).reduce((t, x) => t + x.quantityMilli, 0), 0);
          for (const l of o.lines) {
            expect({ order: o.order_no, line: l.line, collected: l.collected_milli, released: l.released_milli }).toEqual({
              order: o.order_no,
              line: l.line,
              collected: sum('collect', l.line),
              released: sum('release', l.line),
            });
          }
          const left = o.lines.reduce((s, l) => s + l.quantity_milli - l.collected_milli - l.released_milli, 0);
          if (o.status === 'collected') {
            expect(o.finals, o.order_no).toBe(1);
            if (o.pickups.length === 0) numbers.push(o.final_receipt_no!);
            else {
              // closed by its last pickup, which left nothing to collect
              expect(left, o.order_no).toBe(0);
              expect(
                o.pickups.map((p) => p.final),
                o.order_no,
              ).toEqual([...o.pickups.map(() => false).slice(1), true]);
              expect(o.final_receipt_no).toBe(o.pickups.at(-1)!.receipt_no);
            }
          } else if (o.status === 'cancelled') {
            expect(o.finals, o.order_no).toBe(1);
            expect(
              o.pickups.every((p) => !p.final),
              o.order_no,
            ).toBe(true);
          } else {
            expect(o.finals, o.order_no).toBe(0);
            expect(left, o.order_no).toBeGreaterThan(0);
            expect(
              o.pickups.every((p) => !p.final),
              o.order_no,
            ).toBe(true);
          }
          numbers.push(...o.pickups.map((p) => p.receipt_no));
        }
        // no hand-over slip or sale number closes or takes part of two orders, or is used twice
        expect(numbers.length - new Set(numbers).size).toBe(0);
        // a pickup paid by a sale: exactly one sale with that number, naming the order
        const salePickups = cloud.flatMap((o) =>
          o.pickups.filter((p) => !/-P\d+$/.test(p.receipt_no)).map((p) => [o.order_no, p.receipt_no]),
        );
        const sales = (
          await database().pool.query<{ receipt_no: string; order_no: string | null }>(
            "SELECT receipt_no, document->'order'->>'orderNo' AS order_no FROM sale WHERE merchant_id = $1 AND channel = 'register'",
            [merchant],
          )
        ).rows;
        for (const [orderNo, receiptNo] of salePickups)
          expect(sales.filter((s) => s.receipt_no === receiptNo).map((s) => s.order_no)).toEqual([orderNo]);

        // Every register's copy equals the cloud's; a clash names the register that won.
        const expected = (o: CloudOrder) => ({
          orderNo: o.order_no,
          status: o.status,
          pending: false,
          lines: o.lines.map((l) => ({ line: l.line, collectedMilli: l.collected_milli, releasedMilli: l.released_milli })),
          pickups: o.pickups.map((p) => ({ receiptNo: p.receipt_no, by: p.by_name, final: p.final })),
          finalBy: o.final_by_name,
          receiptNo: o.status === 'collected' ? o.final_receipt_no : null,
        });
        const shown = (o: TillOrder) => ({
          orderNo: o.orderNo,
          status: o.status,
          pending: o.pending,
          lines: o.lines.map((l) => ({ line: l.line, collectedMilli: l.collectedMilli, releasedMilli: l.releasedMilli })),
          pickups: o.pickups.map((p) => ({ receiptNo: p.receiptNo, by: p.by, final: p.final })),
          finalBy: o.finalBy,
          receiptNo: o.status === 'collected' ? o.receiptNo : null,
        });
        // Who won against this register: whoever closed the order unless it was this register, else
        // another register's last pickup (this register's own later pickups, or its own closing of
        // the rest, are never why its row was refused); nobody known names nobody, never itself.
        const winner = (o: CloudOrder, self: string) =>
          (['collected', 'cancelled'].includes(o.status) && o.final_by_name !== null && o.final_by_name !== self
            ? o.final_by_name
            : o.pickups.filter((p) => p.by_name !== self).at(-1)?.by_name) ?? '';
        const disagreements = (list: TillOrder[], self: string) =>
          cloud.flatMap((o): { cloud: string; register: string | null; conflict: TillOrder['conflict'] }[] => {
            const here = list.find((t) => t.orderNo === o.order_no);
            if (!here) return [{ cloud: JSON.stringify(expected(o)), register: null, conflict: null }];
            const a = JSON.stringify(shown(here));
            const b = JSON.stringify(expected(o));
            const clash = here.conflict !== null && (here.conflict.by === self || here.conflict.by !== winner(o, self));
            return a === b && !clash ? [] : [{ cloud: b, register: a, conflict: here.conflict }];
          });
        for (const [index, till] of tills.entries()) {
          await call(till.register, 'sync:now');
          await eventually(
            async () =>
              disagreements((await call<TillOrderList>(till.register, 'order:list', { filter: 'all' })).orders, names[index]!).slice(0, 5),
            (d) => d.length === 0,
            `${names[index]} agrees with the cloud on every order`,
            60_000,
          );
        }
        const healMs = Date.now() - healStarted;

        // A refused collection says who collected or cancelled the order.
        expect(outcomes.refusedCollectsWithoutWinner).toEqual([]);

        // Swaps' sales the cloud quarantined because their order's prepayment was spent by then (the
        // other register handed the order over first): nothing of them booked, kept for head office.
        const notCovered = (
          await database().pool.query<{ seq: number; ref: string; payload: string; register: string; reason: string }>(
            `SELECT q.seq::int, q.ref, q.payload, q.reason, s.code || '-' || r.code AS register
             FROM quarantine q JOIN register r ON r.id = q.register_id JOIN store s ON s.id = r.store_id
             WHERE q.merchant_id = $1 AND q.reason_code = 'DEPOSIT_NOT_COVERED'`,
            [merchant],
          )
        ).rows.map((q) => ({ ...q, document: JSON.parse(q.payload) as Receipt }));
        const waterNotBooked = notCovered.reduce(
          (sum, q) => sum + q.document.lines.filter((l) => l.sku === WATER.sku).reduce((t, l) => t + Math.round(l.quantity * 1000), 0),
          0,
        );

        // Stock: the opening less what the orders handed over and the swaps sold.
        const handedOver = (sku: string) =>
          cloud.reduce((sum, o) => {
            const line = o.lines.find((l) => l.sku === sku);
            if (!line) return sum;
            return sum + (o.status === 'collected' && o.pickups.length === 0 ? line.quantity_milli : line.collected_milli);
          }, 0);
        const onHand = async (sku: string) =>
          Number(
            (
              await database().pool.query<{ q: string }>(
                'SELECT coalesce(sum(quantity_milli), 0)::text AS q FROM stock_movement WHERE sku = $1 AND merchant_id = $2',
                [sku, merchant],
              )
            ).rows[0]?.q,
          );
        expect(await onHand(MILK_TEA.sku)).toBe(opening * 1000 - handedOver(MILK_TEA.sku));
        expect(await onHand(BUN.sku)).toBe(opening * 1000 - handedOver(BUN.sku));
        expect(await onHand(WATER.sku)).toBe(opening * 1000 - (waterSold.milli - waterNotBooked));
        // Reserved: what open orders still hold, nothing of a final one; each register holds the same figures.
        const stillHeld = (sku: string) =>
          cloud
            .filter((o) => !['collected', 'cancelled'].includes(o.status))
            .reduce((sum, o) => {
              const l = o.lines.find((x) => x.sku === sku);
              return sum + (l ? l.quantity_milli - l.collected_milli - l.released_milli : 0);
            }, 0);
        const reserved = Object.fromEntries([BUN.sku, MILK_TEA.sku].map((sku) => [sku, stillHeld(sku)]).filter(([, q]) => q !== 0));
        for (const till of tills) {
          await eventually(
            () => {
              const db = openDatabase(`${till.dir}/register.db`, { checkIntegrity: false });
              try {
                const rows = db
                  .prepare('SELECT sku, quantity_milli AS q FROM order_reservation WHERE quantity_milli <> 0 ORDER BY sku')
                  .all() as {
                  sku: string;
                  q: number;
                }[];
                return Object.fromEntries(rows.map((r) => [r.sku, r.q]));
              } finally {
                db.close();
              }
            },
            (here) => JSON.stringify(here) === JSON.stringify(reserved),
            `the register holds what the cloud reserves: ${JSON.stringify(reserved)}`,
            30_000,
          );
        }

        // Quarantine: only order rows that lost a race, each with its reason, each shown as a clash on the register that sent it.
        const quarantine = (
          await database().pool.query<{ kind: string; ref: string; reason_code: string; reason: string; register: string }>(
            `SELECT q.kind, q.ref, q.reason_code, q.reason, s.code || '-' || r.code AS register
           FROM quarantine q JOIN register r ON r.id = q.register_id JOIN store s ON s.id = r.store_id WHERE q.merchant_id = $1`,
            [merchant],
          )
        ).rows;
        const lists = await Promise.all(
          tills.map(async (t) => (await call<TillOrderList>(t.register, 'order:list', { filter: 'all' })).orders),
        );
        // What orders' prepayments paid for (sales' 已付訂金, slips, whole hand-overs), per order.
        const deposits = (
          await database().pool.query<{ order_no: string; receipt_no: string }>(
            `SELECT o.order_no, d.receipt_no FROM order_deposit d JOIN customer_order o ON o.id = d.order_id WHERE o.merchant_id = $1`,
            [merchant],
          )
        ).rows;
        for (const q of quarantine) {
          if (q.reason_code === 'DEPOSIT_NOT_COVERED') continue; // below
          expect(['order.pickup', 'order.transition'], JSON.stringify(q)).toContain(q.kind);
          if (q.reason_code === 'ORDER_REFUSED') {
            // The one refusal that is not a lost race for the goods: a hand-over slip of what is
            // still open that the prepayment no longer covers, because both registers swapped the
            // same line offline and the swap whose pickup lost (ORDER_FINAL) had already paid with
            // the prepayment on its sale (both sales stand: each paid the difference at its counter).
            expect(q.kind, JSON.stringify(q)).toBe('order.pickup');
            expect(q.reason, JSON.stringify(q)).toMatch(/^TOTAL_MISMATCH: .* hand-over slip \S+-P\d+ .* only HK\$[\d.]+ is left/);
            const order = cloud.find((o) => o.order_no === q.ref)!;
            expect(['collected', 'cancelled'], JSON.stringify(q)).not.toContain(order.status);
            const lostSwaps = deposits.filter(
              (d) => d.order_no === q.ref && !/-P\d+$/.test(d.receipt_no) && !order.pickups.some((p) => p.receipt_no === d.receipt_no),
            );
            expect(lostSwaps.length, JSON.stringify(q)).toBeGreaterThan(0);
          } else expect(q.reason_code, JSON.stringify(q)).toBe('ORDER_FINAL');
          expect(q.reason.length).toBeGreaterThan(0);
          const here = lists[names.indexOf(q.register)]!.find((o) => o.orderNo === q.ref);
          expect(here?.conflict, `${q.register} shows the clash on ${q.ref} (${q.reason})`).not.toBeNull();
        }

        // A swap's sale the order's prepayment no longer covered: a sale (nothing else), its order
        // collected, the prepayment spent by the other register (its slip or sale is booked; the
        // order may still have been closed by this register's own later slip), not booked in the
        // cloud, kept on the register that made it and counted there as put aside for head office; no
        // order spent more of its prepayment than it was paid.
        for (const q of notCovered) {
          expect(q.document.kind, q.reason).toBe('sale');
          const orderNo = q.document.order?.orderNo;
          expect(q.reason).toContain(`order ${orderNo}, which was prepaid`);
          const order = cloud.find((o) => o.order_no === orderNo)!;
          expect(order.status, q.reason).toBe('collected');
          const spentElsewhere = deposits.some((d) => d.order_no === orderNo && !d.receipt_no.startsWith(`${q.register}-`));
          expect(
            spentElsewhere || order.final_by_name !== q.register,
            `${q.reason}; booked: ${JSON.stringify(deposits.filter((d) => d.order_no === orderNo))}`,
          ).toBe(true);
          expect(sales.some((s) => s.receipt_no === q.ref)).toBe(false);
          const till = tills[names.indexOf(q.register)]!;
          const db = openDatabase(`${till.dir}/register.db`, { checkIntegrity: false });
          try {
            expect(db.prepare('SELECT count(*) FROM sale WHERE receipt_no = ?').pluck().get(q.ref)).toBe(1);
            expect(db.prepare('SELECT count(*) FROM sync_quarantine WHERE seq = ?').pluck().get(q.seq)).toBe(1);
          } finally {
            db.close();
          }
          expect((await call<{ quarantined: number }>(till.register, 'sync:status')).quarantined).toBeGreaterThan(0);
        }
        const overspent = (
          await database().pool.query<{ order_no: string }>(
            `SELECT o.order_no FROM customer_order o WHERE o.merchant_id = $1
               AND o.paid < (SELECT coalesce(sum(d.amount), 0) FROM order_deposit d WHERE d.order_id = o.id)`,
            [merchant],
          )
        ).rows;
        expect(overspent).toEqual([]);

        const count = (status: string) => cloud.filter((o) => o.status === status).length;
        console.log(
          `order chaos: ${N} orders (registers opened, orders placed and pulled in ${placedMs} ms), race ${raceMs} ms, heal ${healMs} ms, total ${Date.now() - started} ms; ` +
            `${count('collected')} collected (${cloud.filter((o) => o.status === 'collected' && o.pickups.length > 0).length} by pickups), ` +
            `${count('cancelled')} cancelled, ${N - count('collected') - count('cancelled')} open ` +
            `(${cloud.filter((o) => o.pickups.length > 0 && !['collected', 'cancelled'].includes(o.status)).length} partly collected); ` +
            `${outcomes.ok} moves accepted (${outcomes.swapsSold} swaps sold), refused ${JSON.stringify(outcomes.refused)}; ` +
            `${quarantine.length} quarantined (${notCovered.length} sales not covered by their order's prepayment); faults: ${proxies.map((p) => JSON.stringify(p.counts)).join(' ')}`,
        );
      } finally {
        for (const proxy of proxies) await proxy.close();
      }
    },
    20 * 60_000,
  );
});
