/**
 * The stock property (issue 14): on-hand in the cloud = initial + receipts − sales + returns ±
 * adjustments ± transfers (and a count sets what it counted), for random interleavings of the two
 * registers of two stores, each talking to the real cloud through its own loopback proxy that
 * resets, hangs and cuts answers after the cloud committed, and now and then goes offline.
 *
 * Each register works through STOCK_PROPERTY_OPS random operations (default 24; the seed is
 * STOCK_PROPERTY_SEED) while the other does the same: sales, returns by receipt, goods received,
 * reason-coded adjustments, stocktakes of what was scanned, transfers to the other store, and
 * receiving the transfers the other store sent (one unit short now and then). The test keeps its own
 * model of what each store should hold. With the links healed and the queues drained: the cloud's
 * on-hand projection and its ledger both equal the model at both stores, every document landed
 * exactly once, and each register's own on-hand view (the pulled figure plus what is unacked)
 * agrees with the model too.
 */
import { describe, expect, it } from 'vitest';
import { createStore } from '../../../cloud/domain/merchants';
import { recordStockEntry } from '../../../cloud/domain/stock-admin';
import type { Cart, Receipt } from '../../../src/shared/checkout-schemas';
import type { InboundTransfer, OnHandList, StockDocumentView } from '../../../src/shared/stock-schemas';
import type { Register } from '../../../src/main/register';
import { BUN, MILK_TEA, WATER, call, createCloudShop, enrol, enrolmentCode, eventually, useSyncRig, TEST_TUNING } from './helpers';
import { startFaultProxy, type FaultProxy } from './fault-proxy';
import { seededRandom } from '../../support/seeded-random';

const OPS = Number(process.env.STOCK_PROPERTY_OPS ?? 30);
const SEED = Number(process.env.STOCK_PROPERTY_SEED ?? 14);
const OPENING = 40;
const PRODUCTS = [MILK_TEA, BUN, WATER];
const STORES = ['MK01', 'TW02'] as const;
type StoreCode = (typeof STORES)[number];

const { database, server, openRegister } = useSyncRig();

/** What each store should hold, per SKU, in thousandths: the test's own ledger. */
class Model {
  readonly onHand = new Map<StoreCode, Map<string, number>>(STORES.map((s) => [s, new Map(PRODUCTS.map((p) => [p.sku, OPENING * 1000]))]));
  readonly tally: Record<string, number> = {};
  move(store: StoreCode, sku: string, milli: number, what: string): void {
    const skus = this.onHand.get(store)!;
    skus.set(sku, skus.get(sku)! + milli);
    this.tally[what] = (this.tally[what] ?? 0) + 1;
  }
  set(store: StoreCode, sku: string, milli: number): void {
    this.onHand.get(store)!.set(sku, milli);
    this.tally.count = (this.tally.count ?? 0) + 1;
  }
}

interface Till {
  store: StoreCode;
  other: StoreCode;
  register: Register;
  proxy: FaultProxy;
  receipts: string[];
  posted: number;
  sales: number;
}

/** What a transfer sent, by `from:docNo` (the receiving store scans against it). */
const sentTransfers = new Map<string, { sku: string; quantity: number }[]>();
/** The transfers received so far, by `from:docNo`. */
const received = new Set<string>();

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function postDocument(
  till: Till,
  open: Record<string, unknown>,
  scans: { sku: string; quantity: number }[],
): Promise<StockDocumentView> {
  const doc = await call<StockDocumentView>(till.register, 'stock:open', open);
  for (const s of scans) {
    const product = PRODUCTS.find((p) => p.sku === s.sku)!;
    await call(till.register, 'stock:scan', { documentId: doc.id, code: product.barcode, quantity: s.quantity });
  }
  await call(till.register, 'stock:post', { documentId: doc.id });
  till.posted += 1;
  return doc;
}

async function step(till: Till, model: Model, random: () => number): Promise<void> {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const units = (max: number) => 1 + Math.floor(random() * max);
  const { register, store } = till;
  const r = random();
  if (r < 0.28) {
    // a sale of one to three items
    const items = Array.from({ length: units(3) }, () => pick(PRODUCTS));
    let cart: Cart | undefined;
    for (const p of items) cart = await call<Cart>(register, 'cart:scan', { code: p.barcode });
    const receipt = await call<Receipt>(register, 'sale:complete', {
      cartId: cart!.id,
      tenders: [{ method: 'cash', amount: cart!.total }],
    });
    for (const p of items) model.move(store, p.sku, -1000, 'sale');
    till.receipts.push(receipt.receiptNo);
    till.sales += 1;
  } else if (r < 0.38) {
    // a return of one unit of an earlier sale, by its receipt
    const receiptNo = till.receipts.length > 0 ? pick(till.receipts) : null;
    if (receiptNo === null) return;
    const receipt = await call<Receipt>(register, 'sale:find', { receiptNo });
    const line = receipt.lines.find((l) => l.returnableQuantity >= 1);
    if (!line) return;
    const cart = await call<Cart>(register, 'cart:add-return', { receiptNo, lines: [{ saleLineId: line.id, quantity: 1 }] });
    await call(register, 'sale:complete', { cartId: cart.id, tenders: [{ method: 'cash', amount: Math.abs(cart.total) }] });
    model.move(store, line.sku, 1000, 'return');
    till.sales += 1;
  } else if (r < 0.48) {
    const lines = [{ sku: pick(PRODUCTS).sku, quantity: units(12) }];
    await postDocument(till, { kind: 'receive', supplierRef: `DN-${till.posted}` }, lines);
    for (const l of lines) model.move(store, l.sku, l.quantity * 1000, 'receive');
  } else if (r < 0.6) {
    const [reason, sign] = pick([
      ['damaged', -1],
      ['theft', -1],
      ['found', 1],
      ['correction', random() < 0.5 ? -1 : 1],
    ] as const);
    const sku = pick(PRODUCTS).sku;
    const quantity = units(3);
    // a reason with a direction signs the scan itself; a correction takes the sign typed
    await postDocument(till, { kind: 'adjust', reasonCode: reason, note: 'property' }, [
      { sku, quantity: reason === 'correction' ? sign * quantity : quantity },
    ]);
    model.move(store, sku, sign * quantity * 1000, 'adjust');
  } else if (r < 0.7) {
    // a count of one product as it is on the shelf now: the count is what the store holds after it
    const sku = pick(PRODUCTS).sku;
    const counted = Math.max(0, model.onHand.get(store)!.get(sku)! / 1000 + Math.floor(random() * 5) - 2);
    await pause(3); // the count's time is after the last sale's, in whole milliseconds
    await postDocument(till, { kind: 'count', scope: { kind: 'scanned' }, blind: true }, [{ sku, quantity: counted }]);
    await pause(3);
    model.set(store, sku, counted * 1000);
  } else if (r < 0.82) {
    const lines = [...new Set([pick(PRODUCTS).sku, pick(PRODUCTS).sku])].map((sku) => ({ sku, quantity: units(5) }));
    const doc = await postDocument(till, { kind: 'transfer-out', toStoreCode: till.other }, lines);
    sentTransfers.set(`${store}:${doc.docNo}`, lines);
    for (const l of lines) model.move(store, l.sku, -l.quantity * 1000, 'transfer-out');
  } else if (r < 0.94) {
    // receive what the other store sent, when the pull has brought it; one unit short now and then
    const inbound = (await call<InboundTransfer[]>(register, 'stock:inbound')).filter((t) => t.complete);
    if (inbound.length === 0) return;
    await receiveTransfer(till, model, inbound[0]!, random);
  } else {
    till.proxy.setMode(random() < 0.5 ? 'offline' : 'faulty');
  }
}

/** Receives a transfer the other store sent: what was sent, one unit short now and then. */
async function receiveTransfer(till: Till, model: Model, transfer: InboundTransfer, random: () => number): Promise<void> {
  const key = `${transfer.fromStoreCode}:${transfer.docNo}`;
  const arrived = sentTransfers
    .get(key)!
    .map((l) => ({ sku: l.sku, quantity: l.quantity > 1 && random() < 0.25 ? l.quantity - 1 : l.quantity }));
  await postDocument(till, { kind: 'transfer-in', transferDocId: transfer.docId }, arrived);
  received.add(key);
  for (const l of arrived) model.move(till.store, l.sku, l.quantity * 1000, 'transfer-in');
}

describe('stock on-hand across two registers through a faulty link', () => {
  it(
    `${OPS} random stock operations at each of two stores: the cloud's on-hand and each register's equal the model`,
    { timeout: 300_000 },
    async () => {
      const t0 = Date.now();
      const mark = (what: string) => process.env.STOCK_PROPERTY_TRACE && console.log(`${what} at ${Date.now() - t0} ms`);
      const random = seededRandom(SEED);
      const pool = database().pool;
      const shop = await createCloudShop(pool, { initialStock: OPENING });
      const second = await createStore(pool, shop.merchantId, {
        code: 'TW02',
        nameZh: '算盤士多 荃灣店',
        nameEn: 'Suanpan Store Tsuen Wan',
      });
      for (const p of PRODUCTS)
        await recordStockEntry(
          pool,
          shop.merchantId,
          { storeId: second.id, storeCode: second.code, sku: p.sku, quantityMilli: OPENING * 1000, reason: 'count', ref: 'opening' },
          Date.now(),
        );
      const port = Number(new URL(server.base).port);
      const model = new Model();
      const tills: Till[] = [];
      try {
        for (const [index, store] of [shop.store, second].entries()) {
          const proxy = await startFaultProxy(port, { resetRate: 0.2, hangRate: 0.03, cutEvery: 4, random });
          mark(`opening register ${index + 1}`);
          const { register } = await openRegister({ ...TEST_TUNING, requestTimeoutMs: 1_500, intervalMs: 300 });
          mark(`enrolling register ${index + 1}`);
          await enrol(register, proxy.url, await enrolmentCode(pool, store));
          proxy.setMode('faulty');
          tills.push({ store: STORES[index]!, other: STORES[1 - index]!, register, proxy, receipts: [], posted: 0, sales: 0 });
        }

        mark('enrolled');
        // Both registers at once, each in its own random order.
        await Promise.all(
          tills.map(async (till) => {
            for (let n = 0; n < OPS; n += 1) {
              await step(till, model, random);
              await pause(Math.floor(random() * 400)); // the sync worker gets a word in
            }
          }),
        );
        mark('operations done');
        // Heal the links; what each store sent and the other has pulled by now is received (the rest stays in transit).
        for (const till of tills) till.proxy.setMode('pass');
        for (const till of tills) {
          await call(till.register, 'sync:now');
          await eventually(
            async () => (await call<{ pending: number }>(till.register, 'sync:status')).pending,
            (n) => n === 0,
            'the queue drained',
            120_000,
          );
        }

        // What is still in transit is received now (with the link healed), and the queues drain again.
        for (const till of tills) {
          const due = [...sentTransfers.keys()].filter((key) => key.startsWith(`${till.other}:`) && !received.has(key)).length;
          const inbound = await eventually(
            async () => (await call<InboundTransfer[]>(till.register, 'stock:inbound')).filter((t) => t.complete),
            (list) => list.length === due,
            `${till.store} to pull the ${due} transfers still in transit`,
            60_000,
          );
          for (const transfer of inbound) await receiveTransfer(till, model, transfer, random);
          await eventually(
            async () => (await call<{ pending: number }>(till.register, 'sync:status')).pending,
            (n) => n === 0,
            'the queue drained',
            60_000,
          );
        }
        mark('queues drained');
        // The cloud: the projection and the ledger both equal the model, at both stores.
        const cloud = async (sql: string) =>
          new Map(
            (await pool.query<{ code: string; sku: string; q: string }>(sql, [shop.merchantId])).rows.map((r) => [
              `${r.code}:${r.sku}`,
              Number(r.q),
            ]),
          );
        const projection = await cloud(
          'SELECT s.code, h.sku, h.quantity_milli AS q FROM stock_on_hand h JOIN store s ON s.id = h.store_id WHERE h.merchant_id = $1',
        );
        const ledger = await cloud(
          `SELECT s.code, m.sku, sum(m.quantity_milli) AS q FROM stock_movement m JOIN store s ON s.id = m.store_id
          WHERE m.merchant_id = $1 GROUP BY s.code, m.sku`,
        );
        const expected = new Map(
          [...model.onHand].flatMap(([store, skus]) => [...skus].map(([sku, q]) => [`${store}:${sku}`, q] as const)),
        );
        expect(Object.fromEntries(projection)).toEqual(Object.fromEntries(expected));
        expect(Object.fromEntries(ledger)).toEqual(Object.fromEntries(expected));

        // Exactly once: every posted document and every sale is in the cloud once, nothing quarantined.
        const documents = Number(
          (await pool.query<{ n: string }>('SELECT count(*) AS n FROM stock_document WHERE merchant_id = $1', [shop.merchantId])).rows[0]!
            .n,
        );
        expect(documents).toBe(tills.reduce((sum, t) => sum + t.posted, 0));
        const sales = Number(
          (await pool.query<{ n: string }>('SELECT count(*) AS n FROM sale WHERE merchant_id = $1', [shop.merchantId])).rows[0]!.n,
        );
        expect(sales).toBe(tills.reduce((sum, t) => sum + t.sales, 0));

        // Each register: its own on-hand view (pulled figure plus unacked movements) agrees with the model.
        for (const till of tills) {
          await call(till.register, 'sync:now');
          const want = PRODUCTS.map((p) => model.onHand.get(till.store)!.get(p.sku)!);
          await eventually(
            async () => {
              const found = [];
              for (const p of PRODUCTS) {
                const { rows } = await call<OnHandList>(till.register, 'stock:on-hand', { text: p.sku, lowOnly: false });
                found.push(rows.find((row) => row.sku === p.sku)?.onHandMilli);
              }
              return found;
            },
            (got) => got.every((q, i) => q === want[i]),
            `${till.store}'s on-hand view to match the model`,
            60_000,
          );
        }
        mark('registers agree');
        console.log(
          `stock property (seed ${SEED}): ${JSON.stringify(model.tally)}; faults: ${tills.map((t) => JSON.stringify({ requests: t.proxy.requests.length, ...t.proxy.counts })).join(' ')}`,
        );
      } finally {
        for (const till of tills) await till.proxy.close();
      }
    },
  );
});
