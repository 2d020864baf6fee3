/**
 * Gift cards (issue 13) between real registers (SQLite) and the real cloud (PostgreSQL): head
 * office issues cards (codes printed once, hashes kept); a till sells one as a line (the sale
 * activates it); the card pays part of a sale, online under the account's lock or offline within
 * the bound; a push whose answers are cut is retried and applies once; two registers overspending
 * one card offline give one exception and keep both sales; a voided card is refused after the
 * pull; a return refunds a card tender to the same card and voids a card it takes back.
 */
import { describe, expect, it } from 'vitest';
import { listLedgerExceptions } from '../../../cloud/domain/ledger-exceptions';
import { issueGiftCards, voidGiftCard, hashGiftCardCode } from '../../../cloud/domain/gift-cards';
import type { Cart, Receipt } from '../../../src/shared/checkout-schemas';
import type { GiftCardView } from '../../../src/shared/gift-card';
import { GIFT_CARD_METHOD } from '../../../src/shared/gift-card';
import type { Register } from '../../../src/main/register';
import { openDatabase } from '../../../src/main/db/open';
import { MILK_TEA, call, createCloudShop, enrol, enrolmentCode, eventually, syncStatus, useSyncRig } from './helpers';
import { startFaultProxy } from './fault-proxy';

const { database, server, openRegister } = useSyncRig();

/** Cards the register's database holds, once its pull brought the GIFT-CARD product with them. */
function pulledGiftCards(dir: string): number {
  const db = openDatabase(`${dir}/register.db`, { checkIntegrity: false });
  try {
    const product = db.prepare("SELECT count(*) FROM product WHERE sku = 'GIFT-CARD'").pluck().get() as number;
    return product === 0 ? 0 : (db.prepare('SELECT count(*) FROM cloud_gift_card').pluck().get() as number);
  } finally {
    db.close();
  }
}

type Shop = Awaited<ReturnType<typeof createCloudShop>>;

async function shopWithCards(count: number, value = 0): Promise<{ shop: Shop; codes: string[] }> {
  const shop = await createCloudShop(database().pool);
  const cards = await issueGiftCards(database().pool, shop.merchantId, { count, value, batch: 'test', source: 'admin' }, Date.now());
  return { shop, codes: cards.map((c) => c.code) };
}

/** The card's balance at the cloud, checked to be the sum of its ledger rows, and its entries. */
async function cloudCard(code: string): Promise<{ status: string; balance: number; entries: [string, number][] }> {
  const hash = hashGiftCardCode(code);
  const card = (
    await database().pool.query<{ id: string; status: string }>('SELECT id, status FROM gift_card WHERE code_hash = $1', [hash])
  ).rows[0];
  if (!card) throw new Error('no such card in the cloud');
  const entries = (
    await database().pool.query<{ reason: string; amount: string; balance_after: string }>(
      `SELECT e.reason, e.amount, e.balance_after FROM ledger_entry e JOIN ledger_account a ON a.id = e.account_id
       WHERE a.gift_card_id = $1 ORDER BY e.id`,
      [card.id],
    )
  ).rows;
  const sum = entries.reduce((total, e) => total + Number(e.amount), 0);
  const balance = Number(entries.at(-1)?.balance_after ?? 0);
  expect(balance).toBe(sum);
  return { status: card.status, balance, entries: entries.map((e) => [e.reason, Number(e.amount)]) };
}

/** At the cloud: the card loaded with 10,000 once and 1,500 taken from it once, nothing on the exceptions list. */
async function expectLoadedThenSpentOnce(code: string, merchantId: number): Promise<void> {
  expect(await cloudCard(code)).toEqual({
    status: 'active',
    balance: 8_500,
    entries: [
      ['issue', 10_000],
      ['redeem', -1_500],
    ],
  });
  expect(await listLedgerExceptions(database().pool, merchantId)).toEqual([]);
}

async function enrolled(shop: Shop, code: string, cloudUrl = server.base) {
  const r = await openRegister();
  await enrol(r.register, cloudUrl, await enrolmentCode(database().pool, shop.store));
  // the snapshot first (cheap to poll), then the card by its code (a scrypt per look-up): bounded for a loaded machine
  await eventually(
    () => syncStatus(r.register),
    (st) => st.lastSyncAt !== null,
    'the first sync',
    120_000,
  );
  // pulled, not looked up (a look-up would find the card before the pull brings the GIFT-CARD product)
  await eventually(
    async () => {
      await new Promise((resolve) => setTimeout(resolve, 250));
      return pulledGiftCards(r.dir);
    },
    (n) => n > 0,
    'the gift cards in the pull',
    120_000,
  );
  expect(await r.register.dispatch('gift:find', { code })).toMatchObject({ ok: true });
  return r;
}

/** A shop with one issued card, and a register enrolled through a fault proxy that passes everything until told otherwise. */
async function oneCardBehindProxy() {
  const { shop, codes } = await shopWithCards(1);
  const [code] = codes as [string];
  const proxy = await startFaultProxy(Number(new URL(server.base).port), { resetRate: 0, hangRate: 0, cutEvery: 0 });
  try {
    const { register } = await enrolled(shop, code, proxy.url);
    return { shop, code, proxy, register };
  } catch (error) {
    await proxy.close();
    throw error;
  }
}

const drained = (register: Register) =>
  eventually(
    () => syncStatus(register),
    (s) => s.pending === 0,
    'the queue to drain',
  );

/** Sells `code` loaded with `value` cents, with a milk tea, paid in cash. */
async function sellCard(register: Register, code: string, value: number): Promise<Receipt> {
  await call<Cart>(register, 'cart:scan', { code: MILK_TEA.barcode });
  const cart = await call<Cart>(register, 'cart:add-gift-card', { code, value });
  expect(cart.lines.at(-1)).toMatchObject({ sku: 'GIFT-CARD', unitPrice: value, giftCard: { last4: code.replace(/\D/g, '').slice(-4) } });
  return call<Receipt>(register, 'sale:complete', { cartId: cart.id, tenders: [{ method: 'cash', amount: cart.total }] });
}

/** A milk tea paid with `cents` of the card and the rest in cash. */
async function payWithCard(register: Register, card: GiftCardView, cents: number) {
  const cart = await call<Cart>(register, 'cart:scan', { code: MILK_TEA.barcode });
  return register.dispatch('sale:complete', {
    cartId: cart.id,
    tenders: [
      { method: GIFT_CARD_METHOD, amount: cents, reference: card.id },
      ...(cart.total > cents ? [{ method: 'cash', amount: cart.total - cents }] : []),
    ],
  });
}

describe('gift cards', () => {
  it('sold at the till (activated by the sale), spent online in part, a retried push applies once, a return refunds to the card', async () => {
    const { shop, codes } = await shopWithCards(2);
    const [code] = codes as [string];
    expect(code).toMatch(/^\d{4} \d{4} \d{4} \d{4} \d{3}$/);
    const port = Number(new URL(server.base).port);
    const proxy = await startFaultProxy(port, { resetRate: 0, hangRate: 0, cutEvery: 1 });
    try {
      const { register } = await enrolled(shop, code, proxy.url);
      // issued, worth nothing: it cannot pay before it is sold
      const issued = await call<GiftCardView>(register, 'gift:find', { code: `GC:${code.replace(/ /g, '')}` });
      expect(issued).toMatchObject({ status: 'issued', balance: 0 });
      expect(await payWithCard(register, issued, 100)).toMatchObject({ ok: false, error: { code: 'GIFT_CARD_NOT_SOLD' } });
      await call(register, 'cart:void', { reason: 'test' });

      const sold = await sellCard(register, code, 10_000);
      expect(sold.total).toBe(11_800);
      expect(sold.lines[1]?.giftCard).toMatchObject({ value: 10_000, balanceAfter: 10_000 });
      expect(JSON.stringify(sold)).not.toContain(code.replace(/ /g, ''));
      // sold twice is refused
      expect(await register.dispatch('cart:add-gift-card', { code, value: 5_000 })).toMatchObject({
        ok: false,
        error: { code: 'GIFT_CARD_ALREADY_SOLD' },
      });
      await drained(register);
      expect(await cloudCard(code)).toEqual({ status: 'active', balance: 10_000, entries: [['issue', 10_000]] });

      // online, in part: the cloud takes it under the lock
      const card = await call<GiftCardView>(register, 'gift:find', { code });
      const paid = await payWithCard(register, card, 1_500);
      expect(paid).toMatchObject({ ok: true });
      const receipt = (paid as { ok: true; value: Receipt }).value;
      expect(receipt.payments[0]).toMatchObject({
        method: GIFT_CARD_METHOD,
        amount: 1_500,
        storedValue: { kind: 'gift', decidedBy: 'cloud', units: -1_500, balanceAfter: 8_500, card: { last4: card.last4 } },
      });
      expect((await cloudCard(code)).balance).toBe(8_500);

      // the document's push: every answer cut after the cloud committed, so the register sends it again
      const beforeCuts = proxy.requests.length;
      proxy.setMode('faulty');
      await call(register, 'sync:now');
      await eventually(
        async () => proxy.requests.slice(beforeCuts).filter((r) => r.method === 'POST' && r.path.includes('mutations')).length,
        (n) => n >= 2,
        'the push sent twice',
      );
      proxy.setMode('pass');
      await call(register, 'sync:now');
      await drained(register);
      expect(await cloudCard(code)).toEqual({
        status: 'active',
        balance: 8_500,
        entries: [
          ['issue', 10_000],
          ['redeem', -1_500],
        ],
      });

      // the register's view of the card is the pulled one, and a pull the cloud read before the
      // redemption committed may land after the sale (until the next pull brings the cloud's figure)
      await eventually(
        async () => {
          await new Promise((resolve) => setTimeout(resolve, 250));
          return call<GiftCardView>(register, 'gift:find', { code });
        },
        (c) => c.balance === 8_500,
        "the cloud's balance in the pull",
      );

      // a return of that sale refunds the card tender to the same card
      const back = await call<Cart>(register, 'cart:add-return', {
        receiptNo: receipt.receiptNo,
        lines: [{ saleLineId: receipt.lines[0]!.id, quantity: 1 }],
      });
      // never more back to the card than it paid on that sale
      expect(
        await register.dispatch('sale:complete', {
          cartId: back.id,
          tenders: [{ method: GIFT_CARD_METHOD, amount: 1_800 }],
        }),
      ).toMatchObject({ ok: false, error: { code: 'GIFT_CARD_REFUND_OVER', values: { availableCents: 1_500 } } });
      const refund = await call<Receipt>(register, 'sale:complete', {
        cartId: back.id,
        tenders: [
          { method: GIFT_CARD_METHOD, amount: 1_500 },
          { method: 'cash', amount: 300 },
        ],
      });
      expect(refund.payments[0]).toMatchObject({
        amount: -1_500,
        storedValue: { units: 1_500, balanceAfter: 10_000, card: { last4: card.last4 } },
      });
      await drained(register);
      expect((await cloudCard(code)).balance).toBe(10_000);
      const exceptions = await listLedgerExceptions(database().pool, shop.merchantId);
      expect(exceptions).toEqual([]);
    } finally {
      await proxy.close();
    }
  }, 120_000);

  it('spent online before the pull brings back its activation: the receipt shows the cloud balance, the load counted once', async () => {
    const { shop, code, proxy, register } = await oneCardBehindProxy();
    try {
      // from here no pull lands: this register's pulled row of the card still says `issued`
      proxy.holdAnswersTo(/^\/v1\/changes\?/, 0, 'cut');
      await sellCard(register, code, 10_000);
      await drained(register);
      expect(await cloudCard(code)).toEqual({ status: 'active', balance: 10_000, entries: [['issue', 10_000]] });
      const card = await call<GiftCardView>(register, 'gift:find', { code });
      expect(card).toMatchObject({ status: 'active', balance: 10_000 });

      // the cloud takes it (its balance holds the load): the till must not add the load it sold again
      const paid = await payWithCard(register, card, 1_500);
      expect(paid).toMatchObject({ ok: true });
      expect((paid as { ok: true; value: Receipt }).value.payments[0]?.storedValue).toMatchObject({
        kind: 'gift',
        decidedBy: 'cloud',
        units: -1_500,
        balanceAfter: 8_500,
      });
      expect(await call<GiftCardView>(register, 'gift:find', { code })).toMatchObject({ status: 'active', balance: 8_500 });
      expect(proxy.counts.cuts).toBeGreaterThan(0);

      // the pulls land again: the same figure, and the cloud took it once
      proxy.holdAnswersTo(null);
      await call(register, 'sync:now');
      await drained(register);
      const pulled = proxy.requests.length;
      await eventually(
        () => proxy.requests.slice(pulled).filter((r) => r.path.startsWith('/v1/changes?')).length,
        (n) => n >= 2,
        'two pulls after the hold',
      );
      expect(await call<GiftCardView>(register, 'gift:find', { code })).toMatchObject({ status: 'active', balance: 8_500 });
      await expectLoadedThenSpentOnce(code, shop.merchantId);
    } finally {
      await proxy.close();
    }
  }, 120_000);

  it('sold here, its sale not yet at the cloud, then spent online: the cloud does not know the card is sold, the offline bound decides', async () => {
    const { shop, code, proxy, register } = await oneCardBehindProxy();
    try {
      // every push is answered 503 by the proxy (the cloud never sees it): the card's sale stays in this register's queue
      const busy = { status: 503, headers: { 'content-type': 'application/json', 'retry-after': '1' }, body: '{"error":"UNAVAILABLE"}' };
      proxy.answerWith(busy, /mutations/);
      await sellCard(register, code, 10_000);
      const card = await call<GiftCardView>(register, 'gift:find', { code });
      expect(card).toMatchObject({ status: 'active', balance: 10_000 });
      const asked = proxy.requests.length;
      const paid = await payWithCard(register, card, 1_500);
      expect(paid).toMatchObject({ ok: true });
      expect((paid as { ok: true; value: Receipt }).value.payments[0]?.storedValue).toMatchObject({
        kind: 'gift',
        decidedBy: 'register',
        units: -1_500,
        balanceAfter: 8_500,
      });
      // the cloud was asked, and said the card is not sold yet
      expect(proxy.requests.slice(asked).some((r) => r.path.startsWith('/v1/gift-cards/redeem') && !r.canned)).toBe(true);
      expect((await cloudCard(code)).status).toBe('issued');

      // the pushes go through: the sale activates the card, then the spend is taken from it, once
      proxy.answerWith(null);
      await call(register, 'sync:now');
      await drained(register);
      await expectLoadedThenSpentOnce(code, shop.merchantId);
    } finally {
      await proxy.close();
    }
  }, 120_000);

  it('offline: the bound decides; two registers overspending one card give one exception, both sales kept', async () => {
    const { shop, codes } = await shopWithCards(1, 3_000); // a HK$30.00 voucher
    const [code] = codes as [string];
    const port = Number(new URL(server.base).port);
    const proxy = await startFaultProxy(port, { resetRate: 0, hangRate: 0, cutEvery: 0 });
    try {
      const a = await enrolled(shop, code, proxy.url);
      const b = await enrolled(shop, code, proxy.url);
      proxy.setMode('offline');
      const cardA = await call<GiftCardView>(a.register, 'gift:find', { code });
      expect(cardA).toMatchObject({ status: 'active', balance: 3_000, availableOffline: 3_000 });
      // more than the card holds: refused with what is available
      expect(await payWithCard(a.register, cardA, 1_800)).toMatchObject({ ok: true });
      const refused = await payWithCard(a.register, cardA, 1_800);
      expect(refused).toMatchObject({ ok: false, error: { code: 'GIFT_CARD_INSUFFICIENT', values: { availableCents: 1_200 } } });
      await call(a.register, 'cart:void', { reason: 'test' });
      // the other register spends from the same card offline
      const cardB = await call<GiftCardView>(b.register, 'gift:find', { code });
      expect(await payWithCard(b.register, cardB, 1_800)).toMatchObject({ ok: true });
      proxy.setMode('pass');
      for (const { register } of [a, b]) {
        await call(register, 'sync:now');
        await drained(register);
      }
      expect((await cloudCard(code)).balance).toBe(3_000 - 3_600);
      const exceptions = (await listLedgerExceptions(database().pool, shop.merchantId)).filter((x) => x.account === 'gift');
      expect(exceptions.map((x) => [x.kind, x.amount, x.giftCardLast4])).toEqual([['overdraft', 600, cardA.last4]]);
      const quarantined = await database().pool.query('SELECT count(*)::int AS n FROM quarantine WHERE merchant_id = $1', [
        shop.merchantId,
      ]);
      expect(quarantined.rows[0].n).toBe(0);
      // the next pull tells both registers what is left: nothing
      await eventually(
        () => call<GiftCardView>(a.register, 'gift:find', { code }),
        (c) => c.balance === -600,
        'the overdrawn balance in the pull',
      );
      expect(await payWithCard(a.register, cardA, 100)).toMatchObject({ ok: false, error: { code: 'GIFT_CARD_USED_UP' } });
    } finally {
      await proxy.close();
    }
  }, 180_000);

  it('a voided card is refused after the pull; returning the sale that sold a card voids it', async () => {
    const { shop, codes } = await shopWithCards(2);
    const [voucher, sold] = codes as [string, string];
    const { register } = await enrolled(shop, voucher);
    const saleOfCard = await sellCard(register, sold, 5_000);
    await sellCard(register, voucher, 2_000);
    await drained(register);

    // head office voids the voucher: every till refuses it from the next pull
    const id = Number(
      (await database().pool.query('SELECT id FROM gift_card WHERE code_hash = $1', [hashGiftCardCode(voucher)])).rows[0].id,
    );
    await voidGiftCard(database().pool, shop.merchantId, { id, reason: 'lost', by: 'admin' }, Date.now());
    await call(register, 'sync:now');
    const voided = await eventually(
      () => call<GiftCardView>(register, 'gift:find', { code: voucher }),
      (c) => c.status === 'void',
      'the void in the pull',
    );
    expect(await payWithCard(register, voided, 100)).toMatchObject({ ok: false, error: { code: 'GIFT_CARD_VOID' } });
    expect(await cloudCard(voucher)).toMatchObject({
      status: 'void',
      balance: 0,
      entries: [
        ['issue', 2_000],
        ['void', -2_000],
      ],
    });
    await call(register, 'cart:void', { reason: 'test' });

    // the sale that sold the other card is returned: the card is void here at once, and at the cloud
    const cardLine = saleOfCard.lines.find((l) => l.giftCard)!;
    const back = await call<Cart>(register, 'cart:add-return', {
      receiptNo: saleOfCard.receiptNo,
      lines: [{ saleLineId: cardLine.id, quantity: 1 }],
    });
    const refund = await call<Receipt>(register, 'sale:complete', { cartId: back.id, tenders: [{ method: 'cash', amount: 5_000 }] });
    expect(refund.lines[0]?.giftCard).toMatchObject({ value: 5_000, balanceAfter: 0 });
    expect(await call<GiftCardView>(register, 'gift:find', { code: sold })).toMatchObject({ status: 'void' });
    await drained(register);
    expect(await cloudCard(sold)).toMatchObject({
      status: 'void',
      balance: 0,
      entries: [
        ['issue', 5_000],
        ['void', -5_000],
      ],
    });
  }, 120_000);

  it('a malformed code is refused with its own code', async () => {
    const { shop, codes } = await shopWithCards(1);
    const { register } = await enrolled(shop, codes[0]!);
    const digits = codes[0]!.replace(/ /g, '');
    const wrong = digits.slice(0, -1) + String((Number(digits.at(-1)) + 1) % 10);
    expect(await register.dispatch('gift:find', { code: wrong })).toMatchObject({ ok: false, error: { code: 'GIFT_CARD_INVALID' } });
    expect(await register.dispatch('gift:find', { code: '1234' })).toMatchObject({ ok: false, error: { code: 'GIFT_CARD_INVALID' } });
  }, 60_000);
});
