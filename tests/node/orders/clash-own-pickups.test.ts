/**
 * A clash shown on an order does not make the till forget what it handed over itself: its own
 * pickups the cloud has not confirmed yet still count (quantities left, prepayment left, status)
 * until the cloud lists or refuses them. And while the clash stands, nothing more of the order is
 * handed over here: the cashier reads it (who took what, which of this till's slips lost) and
 * acknowledges it first. Real register on a real SQLite file, offline (not enrolled), the cloud's
 * refusal recorded as the sync worker records it (settleRefusedOrderRows).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CollectResult, Order, TillOrder, TillOrderList } from '../../../src/shared/order-schemas';
import type { Register } from '../../../src/main/register';
import { openDatabase, type Db } from '../../../src/main/db/open';
import { applyOrderPage, settleRefusedOrderRows } from '../../../src/main/orders/order-repo';
import { useTempDirs } from '../helpers/temp-dir';
import { call } from '../sync/helpers';
import { DEMO_CASHIER, openDemoRegister } from '../helpers/demo-register';
import { bunLine, milkTeaLine, pulledOrder } from './pulled-order';

const tempDir = useTempDirs();
const ORDER = 'CH15-77';

/** Two milk teas (HK$36) and a bun (HK$10), all prepaid, nothing collected. */
const order: Order = pulledOrder({
  orderNo: ORDER,
  lines: [milkTeaLine(0), bunLine(0)],
  total: 4600,
  version: 5,
  appliedPaid: 0,
  pickups: [],
});

/** The order as the till lists it. */
const shownOrder = async (register: Register): Promise<TillOrder> =>
  (await call<TillOrderList>(register, 'order:list', { filter: 'all' })).orders.find((o) => o.orderNo === ORDER)!;

const take = (line: number, collectMilli: number) => ({ orderNo: ORDER, lines: [{ line, collectMilli, swapMilli: 0 }], add: [] });

/** The outbox row of this register's pickup on `receiptNo`. */
const pickupRow = (db: Db, receiptNo: string): number =>
  db
    .prepare("SELECT seq FROM outbox WHERE kind = 'order.pickup' AND json_extract(payload, '$.receiptNo') = ?")
    .pluck()
    .get(receiptNo) as number;

async function offlineTill() {
  const dir = tempDir();
  const register = await openDemoRegister(dir);
  const db = openDatabase(join(dir, 'register.db'), { checkIntegrity: false });
  applyOrderPage(db, { orders: [order], next: 5, more: false, reserved: [] }, 'MK01-01', 3_000);
  await call(register, 'staff:login', { staffId: DEMO_CASHIER.id, pin: DEMO_CASHIER.pin });
  return { register, db };
}

describe('a clash on an order and this till’s own pickups of it', () => {
  it('still counts the till’s unconfirmed pickup, and hands nothing more over until the clash is acknowledged', async () => {
    const { register, db } = await offlineTill();
    try {
      // offline, the bun goes out on slip P000001 and one milk tea on P000002
      expect(await call<CollectResult>(register, 'order:pickup', take(2, 1000))).toMatchObject({ handoverNo: 'MK01-01-P000001' });
      expect(await call<CollectResult>(register, 'order:pickup', take(1, 1000))).toMatchObject({ handoverNo: 'MK01-01-P000002' });
      // the cloud refuses the bun's slip (another register took the bun); the tea's waits for its word
      db.transaction(() => settleRefusedOrderRows(db, [pickupRow(db, 'MK01-01-P000001')])).immediate();

      const shown = await shownOrder(register);
      // the milk tea handed over here on P000002 is still counted: one left, HK$18 of the prepayment used
      expect(shown).toMatchObject({ status: 'new', pending: true, partlyCollected: true, appliedPaid: 1800 });
      expect(shown.lines[0]).toMatchObject({ collectedMilli: 1000 });
      expect(shown.pickups.map((p) => p.receiptNo)).toEqual(['MK01-01-P000002']);
      // the clash names the slip that lost, for the cashier to follow up
      expect(shown.conflict).toMatchObject({ status: 'collected', refused: ['MK01-01-P000001'] });

      // while the clash stands, no more of the order goes out here
      for (const ask of [register.dispatch('order:pickup', take(1, 1000)), register.dispatch('order:collect', { code: `ORD:${ORDER}` })])
        expect(await ask).toMatchObject({ ok: false, error: { code: 'ORDER_CLASH' } });

      // seen: the rest of the order goes out, never the tea already handed over here
      const seen = await call<TillOrder>(register, 'order:acknowledge', { orderNo: ORDER });
      expect(seen).toMatchObject({ conflict: null, pending: true, appliedPaid: 1800 });
      expect(await register.dispatch('order:pickup', take(1, 2000))).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
      expect(await call<CollectResult>(register, 'order:pickup', take(1, 1000))).toMatchObject({
        handoverNo: 'MK01-01-P000003',
        order: { status: 'new', appliedPaid: 3600, lines: [{ collectedMilli: 2000 }, { collectedMilli: 0 }] },
      });
    } finally {
      db.close();
      register.close();
    }
  });

  it('still shows the order collected when the till’s own unconfirmed slip closed it, and refuses it again naming that slip', async () => {
    const { register, db } = await offlineTill();
    try {
      // offline: both milk teas on P000001, then the bun closes the order on P000002
      await call<CollectResult>(register, 'order:pickup', take(1, 2000));
      expect(await call<CollectResult>(register, 'order:collect', { code: ORDER })).toMatchObject({
        handoverNo: 'MK01-01-P000002',
        order: { status: 'collected', pending: true },
      });
      // the cloud refuses the teas' slip; the bun's slip that closed the order here waits for its word
      db.transaction(() => settleRefusedOrderRows(db, [pickupRow(db, 'MK01-01-P000001')])).immediate();

      const shown = await shownOrder(register);
      expect(shown).toMatchObject({ status: 'collected', pending: true, receiptNo: 'MK01-01-P000002' });
      expect(shown.conflict).toMatchObject({ refused: ['MK01-01-P000001'] });
      // scanning it again is refused naming this register's slip, before and after the clash is seen
      for (const acknowledged of [false, true]) {
        if (acknowledged) await call(register, 'order:acknowledge', { orderNo: ORDER });
        expect(await register.dispatch('order:collect', { code: ORDER })).toMatchObject({
          ok: false,
          error: {
            code: 'ORDER_FINAL',
            issues: expect.arrayContaining([
              { path: 'finalBy', message: 'MK01-01' },
              { path: 'receiptNo', message: 'MK01-01-P000002' },
            ]),
          },
        });
      }
    } finally {
      db.close();
      register.close();
    }
  });
});
