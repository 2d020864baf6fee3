/**
 * A collection this register made offline, refused by the cloud after this copy had already pulled
 * the other register's pickup (so no newer version will ever come to settle it): the refusal itself
 * clears the local mark and shows the clash, naming the register that took part of the order. Seen
 * in CI's order-chaos run: the order stayed "collected, pending" on the till for ever.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Order } from '../../../src/shared/order-schemas';
import { openDatabase } from '../../../src/main/db/open';
import { applyOrderPage, findOrder, markLocalMove, settleRefusedOrderRows, tillOrder } from '../../../src/main/orders/order-repo';
import { appendOutbox } from '../../../src/main/sync/outbox';
import { useTempDirs } from '../helpers/temp-dir';
import { openDemoRegister } from '../helpers/demo-register';
import { milkTeaLine, pulledOrder } from './pulled-order';

const tempDir = useTempDirs();

const order = (version: number): Order =>
  pulledOrder({
    orderNo: 'CH15-15',
    lines: [milkTeaLine(1000)],
    total: 3600,
    version,
    appliedPaid: 1800,
    pickups: [{ receiptNo: 'MK01-02-P000005', by: 'MK01-02', at: 2_000, final: false }],
  });

describe('a move the cloud refused after the pull came first', () => {
  it('leaves the till: the order shows the cloud’s state and the clash names the register that took part of it', async () => {
    const dir = tempDir();
    (await openDemoRegister(dir)).close();
    const db = openDatabase(join(dir, 'register.db'));
    try {
      // the copy already knows MK01-02's pickup; offline, this register collects the whole order
      applyOrderPage(db, { orders: [order(7)], next: 7, more: false, reserved: [] }, 'MK01-01', 3_000);
      const seq = db
        .transaction(() => {
          markLocalMove(db, 'CH15-15', 'collected', 'MK01-01-P000009', 4_000);
          return appendOutbox(db, {
            kind: 'order.transition',
            ref: 'CH15-15',
            payload: { orderNo: 'CH15-15', to: 'collected', receiptNo: 'MK01-01-P000009', reason: null },
            now: 4_000,
          });
        })
        .immediate();
      expect(tillOrder(findOrder(db, 'CH15-15')!)).toMatchObject({ status: 'collected', pending: true });

      // the cloud refuses it (the order is partly collected by MK01-02); no newer version follows
      db.transaction(() => settleRefusedOrderRows(db, [seq])).immediate();
      const shown = tillOrder(findOrder(db, 'CH15-15')!);
      expect(shown).toMatchObject({ status: 'new', pending: false, conflict: { status: 'collected', by: 'MK01-02' } });
      // the same pull again changes nothing (same version), and a second report of the refusal is a no-op
      applyOrderPage(db, { orders: [order(7)], next: 7, more: false, reserved: [] }, 'MK01-01', 5_000);
      db.transaction(() => settleRefusedOrderRows(db, [seq])).immediate();
      expect(tillOrder(findOrder(db, 'CH15-15')!)).toMatchObject({ status: 'new', pending: false, conflict: { by: 'MK01-02' } });
    } finally {
      db.close();
    }
  });
});
