/**
 * On-hand at the till between the cloud's acknowledgement of a sale and the pull that brings the
 * cloud's new figure: the sale must keep counting (it is in the cloud's figure, not yet in the
 * copy this register holds), and must stop counting once that figure arrives, never twice.
 * The pulls are held back by the fault proxy, so the window stays open as long as the test wants.
 */
import { describe, expect, it } from 'vitest';
import { recordStockEntry } from '../../../cloud/domain/stock-admin';
import { openDatabase } from '../../../src/main/db/open';
import { registerOnHandMilli } from '../../../src/main/sync/stock-view';
import type { OnHandList } from '../../../src/shared/stock-schemas';
import { startFaultProxy } from './fault-proxy';
import { BUN, call, createCloudShop, enrol, enrolmentCode, eventually, sell, syncStatus, useSyncRig } from './helpers';

const { database, server, openRegister } = useSyncRig();

describe('on-hand while a pull is on its way', () => {
  it('a sale the cloud acknowledged keeps counting until a pull started after the acknowledgement lands, then counts once', async () => {
    const shop = await createCloudShop(database().pool, { initialStock: 40 });
    const proxy = await startFaultProxy(Number(new URL(server.base).port), { resetRate: 0, hangRate: 0, cutEvery: 0 });
    try {
      const { register } = await openRegister();
      await enrol(register, proxy.url, await enrolmentCode(database().pool, shop.store));
      const read = <T>(work: (db: ReturnType<typeof openDatabase>) => T): T => {
        const db = openDatabase(register.dbFile, { checkIntegrity: false });
        try {
          return work(db);
        } finally {
          db.close();
        }
      };
      const tillOnHand = async () => {
        const { rows } = await call<OnHandList>(register, 'stock:on-hand', { text: BUN.sku, lowOnly: false });
        return rows.find((row) => row.sku === BUN.sku)?.onHandMilli;
      };
      await eventually(
        () => read((db) => registerOnHandMilli(db, BUN.sku)),
        (q) => q === 40_000,
        'the first pull',
        60_000,
      );

      // From here every pull reaches the cloud but its answer is cut: the register's copy of the figure stays at 40.
      proxy.holdAnswersTo(/^\/v1\/changes\?/, 0, 'cut');
      await sell(register, [BUN.barcode]);
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
      expect(read((db) => db.prepare('SELECT on_hand_milli FROM cloud_stock WHERE sku = ?').pluck().get(BUN.sku))).toBe(40_000);
      expect(read((db) => registerOnHandMilli(db, BUN.sku))).toBe(38_000);
      expect(await tillOnHand()).toBe(38_000);

      // Head office receives 10 meanwhile; the pulls land again: 48, the two sales counted once.
      await recordStockEntry(
        database().pool,
        shop.merchantId,
        { storeId: shop.store.id, storeCode: 'MK01', sku: BUN.sku, quantityMilli: 10_000, reason: 'receive', ref: 'DN-LAG' },
        Date.now(),
      );
      proxy.holdAnswersTo(null);
      await call(register, 'sync:now');
      await eventually(
        () => read((db) => db.prepare('SELECT on_hand_milli FROM cloud_stock WHERE sku = ?').pluck().get(BUN.sku)),
        (q) => q === 48_000,
        "the cloud's new figure",
      );
      expect(read((db) => registerOnHandMilli(db, BUN.sku))).toBe(48_000);
      expect(await tillOnHand()).toBe(48_000);
      expect(read((db) => db.prepare('SELECT stock_pulled_through_seq FROM sync_health').pluck().get())).toBe(
        read((db) => db.prepare('SELECT max(seq) FROM outbox').pluck().get()),
      );
    } finally {
      await proxy.close();
    }
  }, 120_000);
});
