/**
 * A pull the cloud read before a redemption, whose answer reaches the till after it (issue 18): the
 * till keeps the balance the redemption answered, as of its change-log version, and the older
 * change in the late pull does not put the older, higher balance back. Real registers (SQLite), the
 * real cloud (PostgreSQL), and the fault proxy holding the pull's answer until the test lets it go.
 */
import { describe, expect, it } from 'vitest';
import { issueGiftCards, hashGiftCardCode, redeemGiftCard } from '../../../cloud/domain/gift-cards';
import { adjustBalance } from '../../../cloud/domain/members';
import { upsertMember } from '../../../cloud/domain/catalogue';
import type { Cart, Receipt } from '../../../src/shared/checkout-schemas';
import type { GiftCardView } from '../../../src/shared/gift-card';
import { GIFT_CARD_METHOD } from '../../../src/shared/gift-card';
import type { MemberFindResult } from '../../../src/shared/member-schemas';
import { STORED_VALUE_METHOD } from '../../../src/shared/stored-value';
import type { Register } from '../../../src/main/register';
import { openDatabase } from '../../../src/main/db/open';
import { MILK_TEA, TEST_TUNING, call, createCloudShop, enrol, enrolmentCode, eventually, useSyncRig } from './helpers';
import { startFaultProxy, type FaultProxy } from './fault-proxy';

const { database, server, openRegister } = useSyncRig();

/** Pulls may be held for seconds here: the register waits for them longer than the other sync tests do. */
const PATIENT = { ...TEST_TUNING, requestTimeoutMs: 30_000 };
const PULL = /^\/v1\/changes\?/;

type Shop = Awaited<ReturnType<typeof createCloudShop>>;

/** The newest change-log version of the shop's merchant. */
async function cloudVersion(shop: Shop): Promise<number> {
  const row = (
    await database().pool.query<{ v: string }>('SELECT last_version AS v FROM change_counter WHERE merchant_id = $1', [shop.merchantId])
  ).rows[0];
  return Number(row?.v ?? 0);
}

/** How far the register's pulls have applied the change log. */
function registerCursor(dir: string): number {
  const db = openDatabase(`${dir}/register.db`, { checkIntegrity: false });
  try {
    return db.prepare('SELECT changes_cursor FROM sync_enrolment WHERE id = 1').pluck().get() as number;
  } finally {
    db.close();
  }
}

/** A register enrolled through a proxy that passes everything, once `ready` says its pull brought what the test needs. */
async function enrolledBehindProxy(shop: Shop, ready: (register: Register) => Promise<boolean>) {
  const proxy = await startFaultProxy(Number(new URL(server.base).port), { resetRate: 0, hangRate: 0, cutEvery: 0 });
  try {
    const r = await openRegister(PATIENT);
    await enrol(r.register, proxy.url, await enrolmentCode(database().pool, shop.store));
    await eventually(() => ready(r.register), Boolean, 'the first pull', 120_000);
    return { ...r, proxy };
  } catch (error) {
    await proxy.close();
    throw error;
  }
}

/**
 * From now on the cloud's answers to pulls are held. Answers to pulls sent before `changed` (the
 * moment the cloud changed the account) are let go; resolves once the answer to a pull sent after it
 * is held: a pull the cloud read with that change in it, which the till has not heard yet.
 */
async function holdAPullReadAfter(proxy: FaultProxy, changed: number): Promise<void> {
  await eventually(
    () => {
      proxy.releaseHeld((request) => request.at <= changed);
      return proxy.heldAnswers().some((request) => request.at > changed);
    },
    Boolean,
    'a pull read after the change, its answer held',
  );
}

/** Lets the held pull reach the till and waits until the till has applied it (the next pull is held again). */
async function deliverStalePull(proxy: FaultProxy, dir: string, through: number): Promise<void> {
  proxy.releaseHeld();
  await eventually(
    () => registerCursor(dir),
    (cursor) => cursor >= through,
    'the late pull applied',
  );
}

/** Holds nothing more and waits until the till has pulled past `stale`: the redemption's own change. */
async function letPullsThrough(proxy: FaultProxy, dir: string, stale: number): Promise<void> {
  proxy.holdAnswersTo(null);
  proxy.releaseHeld();
  await eventually(
    () => registerCursor(dir),
    (cursor) => cursor > stale,
    'the pull of the redemption',
  );
}

describe('a pull read before a redemption and answered after it', () => {
  it('a gift card keeps the balance the redemption answered, not the late pull’s older one', async () => {
    const shop = await createCloudShop(database().pool);
    const [card] = await issueGiftCards(
      database().pool,
      shop.merchantId,
      { count: 1, value: 10_000, batch: 'test', source: 'admin' },
      Date.now(),
    );
    const code = (card as { code: string }).code;
    const hash = hashGiftCardCode(code);
    const find = async (register: Register) => {
      const found = await register.dispatch('gift:find', { code });
      return found.ok ? (found.value as GiftCardView) : null;
    };
    const { register, dir, proxy } = await enrolledBehindProxy(shop, async (reg) => (await find(reg))?.balance === 10_000);
    try {
      proxy.holdAnswersTo(PULL, 60_000, 'deliver');
      // 1. the online shop takes 1,000: the change the held pull carries (9,000)
      await redeemGiftCard(
        database().pool,
        {
          merchantId: shop.merchantId,
          hash,
          value: 1_000,
          idemKey: 'shop:test:stale-1',
          source: 'shop-key:test',
          document: 'shop:test:stale-1',
        },
        Date.now(),
      );
      const changed = Date.now();
      const stale = await cloudVersion(shop);
      await holdAPullReadAfter(proxy, changed);
      // 2. the till takes 1,800 online while that pull's answer is on its way: 7,200 left
      const view = (await find(register)) as GiftCardView;
      const cart = await call<Cart>(register, 'cart:scan', { code: MILK_TEA.barcode });
      const receipt = await call<Receipt>(register, 'sale:complete', {
        cartId: cart.id,
        tenders: [{ method: GIFT_CARD_METHOD, amount: cart.total, reference: view.id }],
      });
      expect(receipt.payments[0]).toMatchObject({ storedValue: { decidedBy: 'cloud', balanceAfter: 7_200 } });
      expect(await cloudVersion(shop)).toBeGreaterThan(stale);
      // 3. the late pull lands: the card stays at what the redemption answered
      await deliverStalePull(proxy, dir, stale);
      expect(await find(register)).toMatchObject({ balance: 7_200 });
      // 4. the pulls that follow agree
      await letPullsThrough(proxy, dir, stale);
      expect(await find(register)).toMatchObject({ balance: 7_200 });
    } finally {
      await proxy.close();
    }
  });

  it('a member’s store credit keeps the balance the redemption answered, not the late pull’s older one', async () => {
    const shop = await createCloudShop(database().pool);
    const pool = database().pool;
    await upsertMember(pool, shop.merchantId, { code: 'STALE1', name: '陳大文', phone: '9123 4077', tier: 'standard' }, Date.now());
    await adjustBalance(
      pool,
      shop.merchantId,
      { memberCode: 'STALE1', kind: 'credit', amount: 5_000, reason: 'opening', ref: 'stale-c' },
      Date.now(),
    );
    const credit = async (register: Register) =>
      (await call<MemberFindResult>(register, 'member:find', { query: 'STALE1' })).member?.storeCredit ?? null;
    const { register, dir, proxy } = await enrolledBehindProxy(shop, async (reg) => (await credit(reg)) === 5_000);
    try {
      proxy.holdAnswersTo(PULL, 60_000, 'deliver');
      // 1. head office takes 1,000 off: the change the held pull carries (4,000)
      await adjustBalance(
        pool,
        shop.merchantId,
        { memberCode: 'STALE1', kind: 'credit', amount: -1_000, reason: 'correction', ref: 'stale-c2' },
        Date.now(),
      );
      const changed = Date.now();
      const stale = await cloudVersion(shop);
      await holdAPullReadAfter(proxy, changed);
      // 2. the till takes 1,800 of credit online while that pull's answer is on its way: 2,200 left
      await call<Cart>(register, 'cart:scan', { code: MILK_TEA.barcode });
      const cart = await call<Cart>(register, 'cart:set-member', { code: 'STALE1' });
      const receipt = await call<Receipt>(register, 'sale:complete', {
        cartId: cart.id,
        tenders: [{ method: STORED_VALUE_METHOD.credit, amount: cart.total }],
      });
      expect(receipt.payments[0]).toMatchObject({ storedValue: { decidedBy: 'cloud', balanceAfter: 2_200 } });
      // 3. the late pull lands: the credit stays at what the redemption answered
      await deliverStalePull(proxy, dir, stale);
      expect(await credit(register)).toBe(2_200);
      // 4. the pulls that follow agree
      await letPullsThrough(proxy, dir, stale);
      expect(await credit(register)).toBe(2_200);
    } finally {
      await proxy.close();
    }
  });
});
