/**
 * A pay-at-pickup order paid with a gift card, against the real cloud (Fastify + PostgreSQL) and a
 * real register: the cloud is asked for the card before it is asked to collect the order, so a card
 * the cloud refuses leaves the order open and the cashier's cash retry collects it on its receipt;
 * and the same `sale:complete` sent twice while the first waits on the cloud answers one receipt,
 * never releasing the card's hold that paid it. A claim the cart makes on the order has an id, in the
 * question and in its release: the cloud undoes that claim only, and a CLAIM_RELEASED answer (the
 * question reached the cloud after its release) voids the claim cleanly.
 */
import { describe, expect, it } from 'vitest';
import { createShopKey } from '../../../cloud/domain/shop-keys';
import { hashGiftCardCode, issueGiftCards, redeemGiftCard } from '../../../cloud/domain/gift-cards';
import type { Cart, Receipt } from '../../../src/shared/checkout-schemas';
import type { ErrorCode } from '../../../src/shared/errors';
import { GIFT_CARD_METHOD, type GiftCardView } from '../../../src/shared/gift-card';
import type { CollectResult, CreateOrderInput, Order, TillOrderList } from '../../../src/shared/order-schemas';
import type { Register } from '../../../src/main/register';
import { openDatabase } from '../../../src/main/db/open';
import {
  BUN,
  MILK_TEA,
  TEST_TUNING,
  call,
  createCloudShop,
  enrol,
  enrolmentCode,
  eventually,
  loginManager,
  syncStatus,
  useSyncRig,
} from './helpers';
import { startFaultProxy } from './fault-proxy';

const { database, server, openRegister } = useSyncRig();
const TUNING = { ...TEST_TUNING, ordersPollMs: 300 };
const DEPOSIT = 1_000;

let counter = 0;
/** A shop with an online-orders key, one gift card worth HK$100.00, and a register enrolled at `cloudUrl`. */
async function shopAndRegister(cloudUrl: string) {
  const shop = await createCloudShop(database().pool, { initialStock: 10 });
  const { key } = await createShopKey(database().pool, shop.merchantId, { label: 'Online shop', scopes: ['orders'] }, Date.now());
  const [card] = await issueGiftCards(
    database().pool,
    shop.merchantId,
    { count: 1, value: 10_000, batch: 'claim', source: 'admin' },
    Date.now(),
  );
  const r = await openRegister(TUNING);
  await enrol(r.register, cloudUrl, await enrolmentCode(database().pool, shop.store));
  return { shop, key, code: (card as { code: string }).code, rig: r, ...r };
}

/** A chat order with a deposit paid, pulled by the register, opened in its cart. */
async function orderInCart(register: Register, key: string): Promise<{ order: Order; cart: Cart }> {
  counter += 1;
  const body: CreateOrderInput = {
    orderNo: `C${Date.now().toString(36)}${counter}`.toUpperCase(),
    store: 'MK01',
    channel: 'instagram',
    customer: { name: '陳大文', phone: '9123 4567' },
    lines: [
      { sku: MILK_TEA.sku, quantity: 2 },
      { sku: BUN.sku, quantity: 1 },
    ],
    paid: { amount: DEPOSIT, method: 'fps', reference: 'DEP-1' },
  };
  const response = await fetch(`${server.base}/v1/orders`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(201);
  const order = ((await response.json()) as { order: Order }).order;
  await eventually(
    async () => (await call<TillOrderList>(register, 'order:list', { filter: 'all' })).orders.some((o) => o.orderNo === order.orderNo),
    (seen) => seen,
    'the order on the till',
    10_000,
  );
  expect(await call<CollectResult>(register, 'order:collect', { code: order.orderNo })).toMatchObject({ kind: 'in-cart' });
  return { order, cart: await call<Cart>(register, 'cart:get') };
}

async function cloudOrder(orderNo: string): Promise<{ status: string; final_receipt_no: string | null }> {
  return (
    await database().pool.query<{ status: string; final_receipt_no: string | null }>(
      'SELECT status, final_receipt_no FROM customer_order WHERE order_no = $1',
      [orderNo],
    )
  ).rows[0]!;
}

/** The claim ids the cloud's collections of the order were made with, and those the register released. */
async function cloudClaimIds(orderNo: string): Promise<{ collectedWith: (string | null)[]; released: string[] }> {
  const collected = await database().pool.query<{ claim_id: string | null }>(
    `SELECT e.detail->>'claimId' AS claim_id FROM customer_order_event e JOIN customer_order o ON o.id = e.order_id
      WHERE o.order_no = $1 AND e.to_status = 'collected' ORDER BY e.id`,
    [orderNo],
  );
  const released = await database().pool.query<{ claim_id: string }>(
    `SELECT r.claim_id FROM order_claim_released r JOIN customer_order o ON o.id = r.order_id WHERE o.order_no = $1 ORDER BY r.released_at`,
    [orderNo],
  );
  return { collectedWith: collected.rows.map((r) => r.claim_id), released: released.rows.map((r) => r.claim_id) };
}

/** The register's redemptions and the kinds of its outbox rows. */
function registerRows(dir: string): { redemptions: { outcome: string; receipt_no: string | null }[]; outbox: string[] } {
  const db = openDatabase(`${dir}/register.db`, { checkIntegrity: false });
  try {
    return {
      redemptions: db.prepare('SELECT outcome, receipt_no FROM stored_value_redemption ORDER BY id').all() as {
        outcome: string;
        receipt_no: string | null;
      }[],
      outbox: (db.prepare('SELECT kind FROM outbox ORDER BY seq').pluck().all() as string[]).filter((k) => k.startsWith('stored-value')),
    };
  } finally {
    db.close();
  }
}

const due = (order: Order) => order.total - DEPOSIT;

type FaultProxy = Awaited<ReturnType<typeof startFaultProxy>>;

/** A fault proxy in front of the cloud for `run`, closed after it. */
async function withFaultProxy(run: (proxy: FaultProxy) => Promise<void>): Promise<void> {
  const proxy = await startFaultProxy(Number(new URL(server.base).port), { resetRate: 0, hangRate: 0, cutEvery: 0 });
  try {
    await run(proxy);
  } finally {
    await proxy.close();
  }
}

/**
 * The cloud answers the cart's claim 409 `error` (the proxy speaks for it, once): the sale is
 * refused with `refusedAs`, the code the till words for that answer. Answers the tenders, for the next try.
 */
async function saleRefusedByClaimAnswer(
  proxy: FaultProxy,
  register: Register,
  order: Order,
  cart: Cart,
  answer: { error: string; message: string },
  refusedAs: ErrorCode,
): Promise<{ method: string; amount: number }[]> {
  proxy.answerWith(
    { status: 409, headers: { 'content-type': 'application/json' }, body: JSON.stringify(answer) },
    /\/orders\/[^/]+\/status/,
  );
  const tenders = [{ method: 'cash', amount: due(order) }];
  expect(await register.dispatch('sale:complete', { cartId: cart.id, tenders })).toMatchObject({
    ok: false,
    error: { code: refusedAs },
  });
  proxy.answerWith(null);
  return tenders;
}

/**
 * The cashier completes the order's cart; the cloud collects the order on the receipt the sale is
 * about to take, but the till never hears (the answer is cut), and the register stops before the
 * sale is written. Answers the cloud's order as the claim left it; the register is back, logged in.
 */
async function claimedThenStopped(
  proxy: FaultProxy,
  rig: Awaited<ReturnType<typeof shopAndRegister>>['rig'],
  order: Order,
  cart: Cart,
): Promise<{ status: string; final_receipt_no: string | null }> {
  proxy.holdAnswersTo(/\/orders\/[^/]+\/status/, 30_000, 'cut');
  const cut = rig.register
    .dispatch('sale:complete', { cartId: cart.id, tenders: [{ method: 'cash', amount: due(order) }] })
    .catch((error: unknown) => error);
  await eventually(
    () => proxy.heldAnswers().length,
    (n) => n === 1,
    'the cloud to answer the claim',
    10_000,
  );
  const claimed = await cloudOrder(order.orderNo);
  await rig.restart();
  proxy.holdAnswersTo(null);
  proxy.releaseHeld();
  await cut;
  await loginManager(rig.register);
  return claimed;
}

describe('an order paid by gift card', () => {
  it('a card the cloud refuses leaves the order open; the cash retry collects it on its receipt', async () => {
    const { shop, key, code, register } = await shopAndRegister(server.base);
    const view = await call<GiftCardView>(register, 'gift:find', { code });
    expect(view.balance).toBe(10_000);
    const { order, cart } = await orderInCart(register, key);
    // spent elsewhere since this till looked: the cloud holds less than the till's copy
    await redeemGiftCard(
      database().pool,
      { merchantId: shop.merchantId, hash: hashGiftCardCode(code), value: 9_000, idemKey: 'spent-elsewhere', source: 'test' },
      Date.now(),
    );

    const refused = await register.dispatch('sale:complete', {
      cartId: cart.id,
      tenders: [{ method: GIFT_CARD_METHOD, amount: due(order), reference: view.id }],
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'GIFT_CARD_INSUFFICIENT' } });
    // no sale: the order is not collected in the cloud on a receipt that does not exist
    expect((await cloudOrder(order.orderNo)).status).not.toBe('collected');

    // the cashier takes cash instead
    const receipt = await call<Receipt>(register, 'sale:complete', { cartId: cart.id, tenders: [{ method: 'cash', amount: due(order) }] });
    expect(receipt.order).toEqual({ orderNo: order.orderNo, channel: 'social' });
    expect(await cloudOrder(order.orderNo)).toEqual({ status: 'collected', final_receipt_no: receipt.receiptNo });
  });

  it('the same completion sent twice while the cloud is slow answers one receipt and keeps the card’s hold that paid it', async () => {
    await withFaultProxy(async (proxy) => {
      const { key, code, register, dir } = await shopAndRegister(proxy.url);
      const view = await call<GiftCardView>(register, 'gift:find', { code });
      const { order, cart } = await orderInCart(register, key);
      // the card's and the order's answers each come ~300 ms late
      proxy.holdAnswersTo(/\/gift-cards\/redeem|\/orders\/[^/]+\/status/, 300, 'deliver');
      const frame = { cartId: cart.id, tenders: [{ method: GIFT_CARD_METHOD, amount: due(order), reference: view.id }] };
      const [first, second] = await Promise.all([register.dispatch('sale:complete', frame), register.dispatch('sale:complete', frame)]);
      proxy.holdAnswersTo(null);
      expect(first).toMatchObject({ ok: true });
      expect(second).toEqual(first);
      // the second joined the first: the cloud was asked once for the card, once for the order
      expect(proxy.requests.filter((r) => r.path.includes('/gift-cards/redeem'))).toHaveLength(1);
      expect(proxy.requests.filter((r) => /\/orders\/[^/]+\/status/.test(r.path))).toHaveLength(1);
      const receipt = (first as { ok: true; value: Receipt }).value;
      expect(await cloudOrder(order.orderNo)).toEqual({ status: 'collected', final_receipt_no: receipt.receiptNo });
      await eventually(
        () => syncStatus(register),
        (s) => s.pending === 0,
        'the queue to drain',
      );
      expect(registerRows(dir)).toEqual({ redemptions: [{ outcome: 'settled', receipt_no: receipt.receiptNo }], outbox: [] });
      const ledger = await database().pool.query<{ reason: string; amount: string }>(
        `SELECT e.reason, e.amount FROM ledger_entry e JOIN ledger_account a ON a.id = e.account_id
         JOIN gift_card g ON g.id = a.gift_card_id WHERE g.code_hash = $1 ORDER BY e.id`,
        [hashGiftCardCode(code)],
      );
      expect(ledger.rows.map((r) => [r.reason, Number(r.amount)])).toEqual([
        ['issue', 10_000],
        ['redeem', -due(order)],
      ]);
    });
  });

  it('a claim the cloud took for a sale that never followed (the register stopped meanwhile) stands for its retry on the same receipt', async () => {
    await withFaultProxy(async (proxy) => {
      const { key, rig } = await shopAndRegister(proxy.url);
      const { order, cart } = await orderInCart(rig.register, key);
      const claimed = await claimedThenStopped(proxy, rig, order, cart);
      expect(claimed.status).toBe('collected');
      // the pull brings the order back collected here, on that number
      await eventually(
        async () =>
          (await call<TillOrderList>(rig.register, 'order:list', { filter: 'all' })).orders.find((o) => o.orderNo === order.orderNo),
        (o) => o?.status === 'collected',
        'the claim in the pull',
        10_000,
      );
      // the cashier completes the sale again: the same receipt number, the claim stands for it
      const receipt = await call<Receipt>(rig.register, 'sale:complete', {
        cartId: cart.id,
        tenders: [{ method: 'cash', amount: due(order) }],
      });
      expect(receipt.receiptNo).toBe(claimed.final_receipt_no);
      expect(receipt.order).toEqual({ orderNo: order.orderNo, channel: 'social' });
    });
  });

  it('a void while the completion waits on the order’s claim is refused; the sale completes and the order is collected on it', async () => {
    await withFaultProxy(async (proxy) => {
      const { key, register } = await shopAndRegister(proxy.url);
      const { order, cart } = await orderInCart(register, key);
      proxy.holdAnswersTo(/\/orders\/[^/]+\/status/, 30_000, 'deliver');
      const completing = register.dispatch('sale:complete', { cartId: cart.id, tenders: [{ method: 'cash', amount: due(order) }] });
      await eventually(
        () => proxy.heldAnswers().length,
        (n) => n === 1,
        'the cloud to answer the claim',
        10_000,
      );
      expect(await register.dispatch('cart:void', { reason: 'customer left' })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
      expect(await register.dispatch('cart:suspend', { label: 'later' })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
      proxy.holdAnswersTo(null);
      proxy.releaseHeld();
      const done = await completing;
      expect(done).toMatchObject({ ok: true });
      const receipt = (done as { ok: true; value: Receipt }).value;
      expect(await cloudOrder(order.orderNo)).toEqual({ status: 'collected', final_receipt_no: receipt.receiptNo });
    });
  });
  it('a claim whose sale never followed is released by the void: the next sale takes its number without collecting the order, which is collected again later', async () => {
    await withFaultProxy(async (proxy) => {
      const { key, rig } = await shopAndRegister(proxy.url);
      const { order, cart } = await orderInCart(rig.register, key);
      const claimed = await claimedThenStopped(proxy, rig, order, cart);
      expect(claimed.status).toBe('collected');
      await eventually(
        async () =>
          (await call<TillOrderList>(rig.register, 'order:list', { filter: 'all' })).orders.find((o) => o.orderNo === order.orderNo),
        (o) => o?.status === 'collected',
        'the claim in the pull',
        10_000,
      );
      // the customer leaves: the cashier voids the cart, and the order is open on the till at once
      await call<Cart>(rig.register, 'cart:void', { reason: 'customer left' });
      const open = (await call<TillOrderList>(rig.register, 'order:list', { filter: 'all' })).orders.find(
        (o) => o.orderNo === order.orderNo,
      );
      expect(open?.status).toBe('new');

      // the next customer buys a bun: that sale takes the number the claim named, and collects nothing
      await call<Cart>(rig.register, 'cart:scan', { code: BUN.barcode });
      const bun = await call<Cart>(rig.register, 'cart:get');
      const other = await call<Receipt>(rig.register, 'sale:complete', {
        cartId: bun.id,
        tenders: [{ method: 'cash', amount: bun.total }],
      });
      expect(other.receiptNo).toBe(claimed.final_receipt_no);
      expect(other.order).toBeUndefined();
      await eventually(
        () => syncStatus(rig.register),
        (s) => s.pending === 0 && s.quarantined === 0,
        'the queue to drain',
      );
      // the cloud undid the claim: the order is open again, not collected by the bun's sale
      expect(await cloudOrder(order.orderNo)).toEqual({ status: 'new', final_receipt_no: null });
      // the pull keeps it open on the till (a pull of the claim itself is not taken back)
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(
        (await call<TillOrderList>(rig.register, 'order:list', { filter: 'all' })).orders.find((o) => o.orderNo === order.orderNo)?.status,
      ).toBe('new');

      // the customer comes back: the order is collected on the sale that pays it
      expect(await call<CollectResult>(rig.register, 'order:collect', { code: order.orderNo })).toMatchObject({ kind: 'in-cart' });
      const again = await call<Cart>(rig.register, 'cart:get');
      const paid = await call<Receipt>(rig.register, 'sale:complete', {
        cartId: again.id,
        tenders: [{ method: 'cash', amount: due(order) }],
      });
      expect(paid.order).toEqual({ orderNo: order.orderNo, channel: 'social' });
      expect(await cloudOrder(order.orderNo)).toEqual({ status: 'collected', final_receipt_no: paid.receiptNo });
      await eventually(
        () => syncStatus(rig.register),
        (s) => s.pending === 0 && s.quarantined === 0,
        'the queue to drain again',
      );
      expect(await cloudOrder(order.orderNo)).toEqual({ status: 'collected', final_receipt_no: paid.receiptNo });
    });
  });
  it('a claimed order cart set aside while another sale takes the claim’s number: that sale releases the claim, and the recalled cart collects the order on its own receipt', async () => {
    await withFaultProxy(async (proxy) => {
      const { key, rig } = await shopAndRegister(proxy.url);
      const { order, cart } = await orderInCart(rig.register, key);
      const claimed = await claimedThenStopped(proxy, rig, order, cart);
      expect(claimed.status).toBe('collected');
      // the order's cart is set aside; a bun is sold on the number the claim named
      await call(rig.register, 'cart:suspend', { label: 'order' });
      await call<Cart>(rig.register, 'cart:scan', { code: BUN.barcode });
      const bun = await call<Cart>(rig.register, 'cart:get');
      const other = await call<Receipt>(rig.register, 'sale:complete', {
        cartId: bun.id,
        tenders: [{ method: 'cash', amount: bun.total }],
      });
      expect(other.receiptNo).toBe(claimed.final_receipt_no);
      // the order's cart again: collected on its own receipt, after the cloud undid the claim
      await call<Cart>(rig.register, 'cart:recall', { cartId: cart.id });
      const paid = await call<Receipt>(rig.register, 'sale:complete', {
        cartId: cart.id,
        tenders: [{ method: 'cash', amount: due(order) }],
      });
      expect(paid.receiptNo).not.toBe(other.receiptNo);
      expect(paid.order).toEqual({ orderNo: order.orderNo, channel: 'social' });
      await eventually(
        () => syncStatus(rig.register),
        (s) => s.pending === 0 && s.quarantined === 0,
        'the queue to drain',
      );
      expect(await cloudOrder(order.orderNo)).toEqual({ status: 'collected', final_receipt_no: paid.receiptNo });
    });
  });
});

describe('claim ids', () => {
  it('a claim the cloud answers CLAIM_STANDING (another claim of this register still stands there) is refused ORDER_CLAIM_STANDING, nothing collected; the next try is the same claim, and collects', async () => {
    await withFaultProxy(async (proxy) => {
      const { key, register } = await shopAndRegister(proxy.url);
      const { order, cart } = await orderInCart(register, key);
      const tenders = await saleRefusedByClaimAnswer(
        proxy,
        register,
        order,
        cart,
        {
          error: 'CLAIM_STANDING',
          message: `Another claim of this register stands on order ${order.orderNo}`,
        },
        'ORDER_CLAIM_STANDING',
      );
      expect((await cloudOrder(order.orderNo)).status).toBe('new');

      const receipt = await call<Receipt>(register, 'sale:complete', { cartId: cart.id, tenders });
      expect(receipt.order).toEqual({ orderNo: order.orderNo, channel: 'social' });
      expect(await cloudOrder(order.orderNo)).toEqual({ status: 'collected', final_receipt_no: receipt.receiptNo });
      await eventually(
        () => syncStatus(register),
        (s) => s.pending === 0 && s.quarantined === 0,
        'the queue to drain',
      );
      // nothing was released: the claim the cart kept is the one the cloud took
      const ids = await cloudClaimIds(order.orderNo);
      expect(ids.released).toEqual([]);
      expect(ids.collectedWith).toHaveLength(1);
      expect(ids.collectedWith[0]).toMatch(/^[0-9a-f]{32}$/);
    });
  });

  it('the void’s release names the claim the cloud took: the cloud undoes that claim and keeps its id released', async () => {
    await withFaultProxy(async (proxy) => {
      const { key, rig } = await shopAndRegister(proxy.url);
      const { order, cart } = await orderInCart(rig.register, key);
      expect((await claimedThenStopped(proxy, rig, order, cart)).status).toBe('collected');
      const [claimId] = (await cloudClaimIds(order.orderNo)).collectedWith;
      expect(claimId).toMatch(/^[0-9a-f]{32}$/);

      await call<Cart>(rig.register, 'cart:void', { reason: 'customer left' });
      await eventually(
        () => syncStatus(rig.register),
        (s) => s.pending === 0 && s.quarantined === 0,
        'the queue to drain',
      );
      expect(await cloudOrder(order.orderNo)).toEqual({ status: 'new', final_receipt_no: null });
      expect(await cloudClaimIds(order.orderNo)).toEqual({ collectedWith: [claimId], released: [claimId] });
    });
  });

  it('the order voided and collected again on the same number while the void’s release waits in the outbox: the new claim names the old one, and the cloud swaps them in one move before the sale', async () => {
    await withFaultProxy(async (proxy) => {
      const { key, rig } = await shopAndRegister(proxy.url);
      const { order, cart } = await orderInCart(rig.register, key);
      const claimed = await claimedThenStopped(proxy, rig, order, cart);
      expect(claimed.status).toBe('collected');
      const [a] = (await cloudClaimIds(order.orderNo)).collectedWith;
      await eventually(
        async () =>
          (await call<TillOrderList>(rig.register, 'order:list', { filter: 'all' })).orders.find((o) => o.orderNo === order.orderNo),
        (o) => o?.status === 'collected',
        'the claim in the pull',
        10_000,
      );
      // the cloud takes no push for now: the void's release stays in the outbox
      const busy = JSON.stringify({ error: 'UNAVAILABLE', message: 'busy' });
      proxy.answerWith({ status: 503, headers: { 'content-type': 'application/json', 'retry-after': '1' }, body: busy }, /mutations/);
      await call<Cart>(rig.register, 'cart:void', { reason: 'wrong tender' });

      // the cashier collects the order again at once: the same receipt number (the void took none)
      expect(await call<CollectResult>(rig.register, 'order:collect', { code: order.orderNo })).toMatchObject({ kind: 'in-cart' });
      const again = await call<Cart>(rig.register, 'cart:get');
      const paid = await call<Receipt>(rig.register, 'sale:complete', {
        cartId: again.id,
        tenders: [{ method: 'cash', amount: due(order) }],
      });
      expect(paid.receiptNo).toBe(claimed.final_receipt_no);
      expect(paid.order).toEqual({ orderNo: order.orderNo, channel: 'social' });
      // before the sale was written the cloud released A and collected the order with the new claim
      // (never open in between), though A's release has not been pushed yet
      const before = await cloudClaimIds(order.orderNo);
      expect(before.released).toEqual([a]);
      expect(before.collectedWith).toHaveLength(2);
      const b = before.collectedWith[1];
      expect(b).toMatch(/^[0-9a-f]{32}$/);
      expect(b).not.toBe(a);
      expect(await cloudOrder(order.orderNo)).toEqual({ status: 'collected', final_receipt_no: paid.receiptNo });

      // the outbox drains: A's release changes nothing now, the sale's collection is a replay
      proxy.answerWith(null);
      await eventually(
        () => syncStatus(rig.register),
        (s) => s.pending === 0 && s.quarantined === 0,
        'the queue to drain',
      );
      expect(await cloudOrder(order.orderNo)).toEqual({ status: 'collected', final_receipt_no: paid.receiptNo });
      expect(await cloudClaimIds(order.orderNo)).toEqual({ collectedWith: [a, b], released: [a] });
      expect(
        (await call<TillOrderList>(rig.register, 'order:list', { filter: 'all' })).orders.find((o) => o.orderNo === order.orderNo)?.status,
      ).toBe('collected');
    });
  });

  it('a claim the cloud answers CLAIM_RELEASED is void: the sale is refused ORDER_CLAIM_RELEASED, nothing is collected, and the next try collects the order on its receipt', async () => {
    await withFaultProxy(async (proxy) => {
      const { key, register } = await shopAndRegister(proxy.url);
      const { order, cart } = await orderInCart(register, key);
      // as the cloud answers a claim whose release reached it first (the question was late)
      const tenders = await saleRefusedByClaimAnswer(
        proxy,
        register,
        order,
        cart,
        {
          error: 'CLAIM_RELEASED',
          message: `The claim on order ${order.orderNo} was already released`,
        },
        'ORDER_CLAIM_RELEASED',
      );
      const onTill = async () =>
        (await call<TillOrderList>(register, 'order:list', { filter: 'all' })).orders.find((o) => o.orderNo === order.orderNo);
      expect((await onTill())?.status).toBe('new');
      expect((await cloudOrder(order.orderNo)).status).toBe('new');

      // the cashier tries again: a new claim, and the sale collects the order
      const receipt = await call<Receipt>(register, 'sale:complete', { cartId: cart.id, tenders });
      expect(receipt.order).toEqual({ orderNo: order.orderNo, channel: 'social' });
      await eventually(
        () => syncStatus(register),
        (s) => s.pending === 0 && s.quarantined === 0,
        'the queue to drain',
      );
      expect(await cloudOrder(order.orderNo)).toEqual({ status: 'collected', final_receipt_no: receipt.receiptNo });
      // the refused claim was released by its id (named as superseded by the next try, which the cloud
      // asked before the sale took: collected with that new claim)
      const ids = await cloudClaimIds(order.orderNo);
      expect(ids.released).toHaveLength(1);
      expect(ids.collectedWith).toHaveLength(1);
      expect(ids.collectedWith[0]).toMatch(/^[0-9a-f]{32}$/);
      expect(ids.collectedWith[0]).not.toBe(ids.released[0]);
    });
  });
});
