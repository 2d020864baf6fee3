/**
 * A gift card this register has not pulled yet (issue 13), between a real register (SQLite, its
 * sync worker) and the real cloud (PostgreSQL): found online by its hash and kept, so it pays as a
 * pulled card does, exactly once; a code the cloud never issued is NOT_FOUND; offline (or a cloud
 * that does not answer in time) the till says "offline: not found locally"; and wrong codes sent at
 * once cannot get past the register's guess limit.
 */
import { describe, expect, it } from 'vitest';
import {
  GIFT_CARD_GUESS_BURST,
  hashGiftCardCode,
  hashGiftCardDigits,
  issueGiftCards,
  newGiftCardDigits,
} from '../../../cloud/domain/gift-cards';
import { openDatabase } from '../../../src/main/db/open';
import type { Cart, Receipt } from '../../../src/shared/checkout-schemas';
import { GIFT_CARD_METHOD, type GiftCardView } from '../../../src/shared/gift-card';
import { enrolRegister } from '../cloud/helpers';
import { MILK_TEA, TEST_TUNING, call, createCloudShop, enrol, enrolmentCode, eventually, syncStatus, useSyncRig } from './helpers';
import { startFaultProxy } from './fault-proxy';

const { database, server, openRegister } = useSyncRig();

/** No idle pull while the test runs: what the register knows is what its first sync brought. */
const NO_IDLE_PULL = { ...TEST_TUNING, intervalMs: 600_000 };

/** Whether the register's own database holds the card (pulled or kept from a look-up). */
function heldLocally(dir: string, hash: string): boolean {
  const db = openDatabase(`${dir}/register.db`, { checkIntegrity: false });
  try {
    return db.prepare('SELECT count(*) FROM cloud_gift_card WHERE hash = ?').pluck().get(hash) === 1;
  } finally {
    db.close();
  }
}

async function enrolledTill(cloudUrl: string) {
  const shop = await createCloudShop(database().pool);
  const till = await openRegister(NO_IDLE_PULL);
  await enrol(till.register, cloudUrl, await enrolmentCode(database().pool, shop.store));
  await eventually(
    () => syncStatus(till.register),
    (s) => s.lastSyncAt !== null,
    'the first sync',
    120_000,
  );
  return { shop, till };
}

async function ledgerOf(code: string): Promise<[string, number][]> {
  const rows = (
    await database().pool.query<{ reason: string; amount: string; balance_after: string }>(
      `SELECT e.reason, e.amount, e.balance_after FROM ledger_entry e JOIN ledger_account a ON a.id = e.account_id
       JOIN gift_card g ON g.id = a.gift_card_id WHERE g.code_hash = $1 ORDER BY e.id`,
      [hashGiftCardCode(code)],
    )
  ).rows;
  return rows.map((r) => [r.reason, Number(r.amount)]);
}

const unknownCode = () => newGiftCardDigits();

describe('gift cards this register has not pulled', () => {
  it('a card issued after the last pull is found online, kept, and pays once', async () => {
    const port = Number(new URL(server.base).port);
    const proxy = await startFaultProxy(port, { resetRate: 0, hangRate: 0, cutEvery: 0 });
    try {
      const { shop, till } = await enrolledTill(proxy.url);
      const [issued] = await issueGiftCards(
        database().pool,
        shop.merchantId,
        { count: 1, value: 5_000, batch: 'late', source: 'admin' },
        Date.now(),
      );
      const code = issued!.code;
      const digits = code.replace(/ /g, '');
      const hash = hashGiftCardDigits(digits);
      expect(heldLocally(till.dir, hash)).toBe(false);

      const found = await call<GiftCardView>(till.register, 'gift:find', { code: `GC:${digits}` });
      expect(found).toMatchObject({ id: hash, status: 'active', balance: 5_000, last4: digits.slice(-4) });
      expect(proxy.requests.filter((r) => r.method === 'POST' && r.path === '/v1/gift-cards/lookup')).toHaveLength(1);
      expect(heldLocally(till.dir, hash)).toBe(true);

      // kept: found again with the link down, and its offline bound is the looked-up balance
      proxy.setMode('offline');
      expect(await call<GiftCardView>(till.register, 'gift:find', { code })).toMatchObject({ balance: 5_000, availableOffline: 5_000 });
      proxy.setMode('pass');

      // it pays online like a pulled card: the cloud takes it under the card's lock, once
      const cart = await call<Cart>(till.register, 'cart:scan', { code: MILK_TEA.barcode });
      const receipt = await call<Receipt>(till.register, 'sale:complete', {
        cartId: cart.id,
        tenders: [{ method: GIFT_CARD_METHOD, amount: cart.total, reference: found.id }],
      });
      expect(receipt.payments[0]).toMatchObject({
        storedValue: { kind: 'gift', decidedBy: 'cloud', units: -MILK_TEA.price, balanceAfter: 5_000 - MILK_TEA.price },
      });
      await call(till.register, 'sync:now');
      await eventually(
        () => syncStatus(till.register),
        (s) => s.pending === 0,
        'the queue to drain',
        60_000,
      );
      expect(await ledgerOf(code)).toEqual([
        ['issue', 5_000],
        ['redeem', -MILK_TEA.price],
      ]);
    } finally {
      await proxy.close();
    }
  }, 180_000);

  it('a code the cloud never issued is NOT_FOUND; offline, or no answer in time, it is "offline: not found locally"', async () => {
    const port = Number(new URL(server.base).port);
    const proxy = await startFaultProxy(port, { resetRate: 0, hangRate: 1, cutEvery: 0 });
    try {
      const { till } = await enrolledTill(proxy.url);
      expect(await till.register.dispatch('gift:find', { code: unknownCode() })).toMatchObject({
        ok: false,
        error: { code: 'GIFT_CARD_UNKNOWN' },
      });
      // selling a card nobody issued is refused the same way
      expect(await till.register.dispatch('cart:add-gift-card', { code: unknownCode(), value: 10_000 })).toMatchObject({
        ok: false,
        error: { code: 'GIFT_CARD_UNKNOWN' },
      });

      proxy.setMode('offline');
      expect(await till.register.dispatch('gift:find', { code: unknownCode() })).toMatchObject({
        ok: false,
        error: { code: 'GIFT_CARD_UNKNOWN_OFFLINE' },
      });

      // a cloud that takes the request and never answers: the look-up gives up at its bound
      proxy.setMode('faulty');
      const started = Date.now();
      expect(await till.register.dispatch('gift:find', { code: unknownCode() })).toMatchObject({
        ok: false,
        error: { code: 'GIFT_CARD_UNKNOWN_OFFLINE' },
      });
      console.log(`gift card look-up against a hung cloud answered offline after ${Date.now() - started} ms`);
      expect(proxy.counts.hangs).toBeGreaterThanOrEqual(1);
    } finally {
      await proxy.close();
    }
  }, 180_000);

  it(`60 wrong codes sent at once: at most ${GIFT_CARD_GUESS_BURST} are answered, then even a right code is refused; other registers are not`, async () => {
    const shop = await createCloudShop(database().pool);
    const [card] = await issueGiftCards(
      database().pool,
      shop.merchantId,
      { count: 1, value: 1_000, batch: 'x', source: 'admin' },
      Date.now(),
    );
    const guesser = await enrolRegister(database().pool, server.base, shop.store);
    const honest = await enrolRegister(database().pool, server.base, shop.store);
    const ask = (token: string, cardHash: string) =>
      fetch(`${server.base}/v1/gift-cards/lookup`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ cardHash }),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as { error?: string; card?: unknown } }));
    // made-up hashes: an attacker with a register's token need not even run the scrypt
    const guesses = Array.from({ length: 60 }, (_, i) => `gc1:${i.toString(16).padStart(60, 'f')}`);
    const answers = await Promise.all(guesses.map((h) => ask(guesser.token, h)));
    const counts = { notFound: 0, limited: 0 };
    for (const a of answers) {
      if (a.status === 404) counts.notFound += 1;
      else {
        expect(a).toMatchObject({ status: 429, body: { error: 'RATE_LIMITED' } });
        counts.limited += 1;
      }
    }
    expect(counts).toEqual({ notFound: GIFT_CARD_GUESS_BURST, limited: 60 - GIFT_CARD_GUESS_BURST });
    // the lock holds for a right code too (its answer would tell the guesser it is right) ...
    const right = hashGiftCardCode(card!.code);
    expect(await ask(guesser.token, right)).toMatchObject({ status: 429, body: { error: 'RATE_LIMITED' } });
    // ... and for redemptions by hash, the other way to ask about a card
    const redeem = await fetch(`${server.base}/v1/gift-cards/redeem`, {
      method: 'POST',
      headers: { authorization: `Bearer ${guesser.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ idempotencyKey: 'guess-0001', cardHash: guesses[0], value: 100 }),
    });
    expect(redeem.status).toBe(429);
    expect(Number(redeem.headers.get('retry-after'))).toBeGreaterThan(0);
    // another register of the shop is not locked out, and a card found gives its token back
    for (let i = 0; i < GIFT_CARD_GUESS_BURST + 5; i += 1) {
      expect(await ask(honest.token, right)).toMatchObject({ status: 200, body: { card: { hash: right, balance: 1_000 } } });
    }
  }, 120_000);
});
