/**
 * The till's figures between the cloud's acknowledgement of a sale and the pull that brings the
 * cloud's new figures (src/main/sync/pulled-figures.ts): on-hand and a member's points must keep
 * counting the sale (it is in the cloud's figures, not yet in the copies this register holds), and
 * must stop counting it once those figures arrive, never twice. The fault proxy cuts the pulls'
 * answers, so the window stays open as long as the test wants.
 */
import { describe, expect, it } from 'vitest';
import { upsertMember } from '../../../cloud/domain/catalogue';
import { adjustBalance } from '../../../cloud/domain/members';
import { recordStockEntry } from '../../../cloud/domain/stock-admin';
import { openDatabase } from '../../../src/main/db/open';
import { registerOnHandMilli } from '../../../src/main/sync/stock-view';
import type { Cart, Receipt } from '../../../src/shared/checkout-schemas';
import type { MemberFindResult } from '../../../src/shared/member-schemas';
import type { OnHandList } from '../../../src/shared/stock-schemas';
import { startFaultProxy } from './fault-proxy';
import { BUN, call, createCloudShop, enrol, enrolmentCode, eventually, sell, syncStatus, useSyncRig } from './helpers';

const { database, server, openRegister } = useSyncRig();

describe('the till’s figures while a pull is on its way', () => {
  it('a sale the cloud acknowledged keeps counting until a pull begun after the acknowledgement lands, then counts once', async () => {
    const pool = database().pool;
    const shop = await createCloudShop(pool, { initialStock: 40 });
    await upsertMember(pool, shop.merchantId, { code: 'LAG1', name: '陳大文', phone: '9123 4088', tier: 'standard' }, Date.now());
    await adjustBalance(
      pool,
      shop.merchantId,
      { memberCode: 'LAG1', kind: 'points', amount: 500, reason: 'opening', ref: 'lag-p' },
      Date.now(),
    );
    const proxy = await startFaultProxy(Number(new URL(server.base).port), { resetRate: 0, hangRate: 0, cutEvery: 0 });
    try {
      const { register } = await openRegister();
      await enrol(register, proxy.url, await enrolmentCode(pool, shop.store));
      const read = <T>(work: (db: ReturnType<typeof openDatabase>) => T): T => {
        const db = openDatabase(register.dbFile, { checkIntegrity: false });
        try {
          return work(db);
        } finally {
          db.close();
        }
      };
      const pulledOnHand = () => read((db) => db.prepare('SELECT on_hand_milli FROM cloud_stock WHERE sku = ?').pluck().get(BUN.sku));
      const tillOnHand = async () => {
        const { rows } = await call<OnHandList>(register, 'stock:on-hand', { text: BUN.sku, lowOnly: false });
        return rows.find((row) => row.sku === BUN.sku)?.onHandMilli;
      };
      const points = async () => (await call<MemberFindResult>(register, 'member:find', { query: 'LAG1' })).member?.points ?? null;
      const cloudPoints = async () =>
        Number(
          (
            await pool.query<{ p: string }>(
              `SELECT coalesce(sum(e.amount), 0) AS p FROM ledger_entry e JOIN ledger_account a ON a.id = e.account_id
                 JOIN member m ON m.id = a.member_id WHERE m.merchant_id = $1 AND m.code = 'LAG1' AND a.kind = 'points'`,
              [shop.merchantId],
            )
          ).rows[0]?.p,
        );
      await eventually(
        async () => [read((db) => registerOnHandMilli(db, BUN.sku)), await points()],
        ([q, p]) => q === 40_000 && p === 500,
        'the first pull',
        60_000,
      );

      // From here every pull reaches the cloud but its answer is cut: the register's copies stay as they are.
      proxy.holdAnswersTo(/^\/v1\/changes\?/, 0, 'cut');
      await call<Cart>(register, 'cart:scan', { code: BUN.barcode });
      const cart = await call<Cart>(register, 'cart:set-member', { code: 'LAG1' });
      const memberSale = await call<Receipt>(register, 'sale:complete', {
        cartId: cart.id,
        tenders: [{ method: 'cash', amount: cart.total }],
      });
      const earned = memberSale.member?.pointsEarned ?? 0;
      expect(earned).toBeGreaterThan(0);
      await sell(register, [BUN.barcode]);
      await eventually(
        () => syncStatus(register),
        (s) => s.pending === 0,
        'the sales to be acknowledged',
      );
      const cutsAfterAck = proxy.counts.cuts;
      await call(register, 'sync:now');
      await eventually(
        () => proxy.counts.cuts,
        (cuts) => cuts > cutsAfterAck,
        'a pull after the acknowledgement, cut',
      );
      expect(pulledOnHand()).toBe(40_000);
      expect(read((db) => registerOnHandMilli(db, BUN.sku))).toBe(38_000);
      expect(await tillOnHand()).toBe(38_000);
      expect(await cloudPoints()).toBe(500 + earned);
      expect(await points()).toBe(500 + earned);

      // Head office receives 10 meanwhile; the pulls land again: 48, the two sales counted once, the points once.
      await recordStockEntry(
        pool,
        shop.merchantId,
        { storeId: shop.store.id, storeCode: 'MK01', sku: BUN.sku, quantityMilli: 10_000, reason: 'receive', ref: 'DN-LAG' },
        Date.now(),
      );
      proxy.holdAnswersTo(null);
      await call(register, 'sync:now');
      await eventually(pulledOnHand, (q) => q === 48_000, "the cloud's new figure");
      expect(read((db) => registerOnHandMilli(db, BUN.sku))).toBe(48_000);
      expect(await tillOnHand()).toBe(48_000);
      expect(await points()).toBe(500 + earned);
      expect(read((db) => db.prepare('SELECT pulled_through_seq FROM sync_health').pluck().get())).toBe(
        read((db) => db.prepare('SELECT max(seq) FROM outbox').pluck().get()),
      );
    } finally {
      await proxy.close();
    }
  }, 120_000);
});
