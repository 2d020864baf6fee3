/**
 * A clash recorded when the cloud refused this register's pickup before any pull said who took the
 * goods (`by` empty) is named by a later pull: the other register that took them, never this
 * register itself, even when this register's own later pickup is the order's last one (it kept
 * working on the rest of the order meanwhile) or closed it. Seen in CI's order-chaos run: the till
 * showed "collected by MK01-01" at MK01-01.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Order, OrderPickupRecord } from '../../../src/shared/order-schemas';
import { openDatabase } from '../../../src/main/db/open';
import {
  addLocalPickup,
  applyOrderPage,
  findOrder,
  registerName,
  settleRefusedOrderRows,
  tillOrder,
} from '../../../src/main/orders/order-repo';
import { appendOutbox } from '../../../src/main/sync/outbox';
import { useTempDirs } from '../helpers/temp-dir';
import { openDemoRegister } from '../helpers/demo-register';
import { bunLine, milkTeaLine, pulledOrder } from './pulled-order';

const tempDir = useTempDirs();

const SELF = 'MK01-01';
const OTHER = 'MK01-02';

/** Two milk teas and a bun, prepaid; `pickups` as the cloud lists them (the figures follow them). */
const order = (version: number, pickups: (OrderPickupRecord & { tea: number; bun: number })[], closed = false): Order => {
  const tea = pickups.reduce((s, p) => s + p.tea, 0);
  const bun = pickups.reduce((s, p) => s + p.bun, 0);
  const last = pickups.at(-1);
  return pulledOrder({
    orderNo: 'CH15-42',
    status: closed ? 'collected' : 'new',
    lines: [milkTeaLine(tea), bunLine(bun)],
    total: 4600,
    finalBy: closed && last ? { kind: 'register', name: last.by } : null,
    finalAt: closed && last ? last.at : null,
    receiptNo: closed && last ? last.receiptNo : null,
    updatedAt: 2_000 + version,
    version,
    appliedPaid: (tea / 1000) * 1800 + (bun / 1000) * 1000,
    pickups: pickups.map(({ receiptNo, by, at, final }) => ({ receiptNo, by, at, final })),
  });
};

const otherSwap = { receiptNo: `${OTHER}-000031`, by: OTHER, at: 3_000, final: false, tea: 0, bun: 1000 };
const ownTea = (n: number, final = false) => ({
  receiptNo: `${SELF}-P00000${n}`,
  by: SELF,
  at: 6_000 + n,
  final,
  tea: 1000,
  bun: 0,
});

describe('a refused pickup’s clash, named by a later pull', () => {
  it('names the register that took the goods, never this register, and stays empty while only this register is known', async () => {
    const dir = tempDir();
    (await openDemoRegister(dir)).close();
    const db = openDatabase(join(dir, 'register.db'));
    try {
      expect(registerName(db)).toBe(SELF);
      applyOrderPage(db, { orders: [order(5, [])], next: 5, more: false, reserved: [] }, SELF, 2_500);
      // offline, this register swaps the bun (its sale's pickup travels through the outbox)
      const swap = { collect: [], release: [{ line: 2, quantityMilli: 1000 }], applied: 1000 };
      const seq = db
        .transaction(() => {
          addLocalPickup(db, 'CH15-42', { receiptNo: `${SELF}-000012`, ...swap, final: false, at: 4_000 });
          return appendOutbox(db, {
            kind: 'order.pickup',
            ref: 'CH15-42',
            payload: { orderNo: 'CH15-42', receiptNo: `${SELF}-000012`, ...swap },
            now: 4_000,
          });
        })
        .immediate();
      // the cloud refuses it (MK01-02 swapped the bun first); no pull has said so yet
      db.transaction(() => settleRefusedOrderRows(db, [seq])).immediate();
      expect(tillOrder(findOrder(db, 'CH15-42')!).conflict).toMatchObject({ status: 'collected', by: '' });

      // a pull that lists only this register's own later slip: nobody else known yet, the name stays empty
      applyOrderPage(db, { orders: [order(6, [ownTea(1)])], next: 6, more: false, reserved: [] }, SELF, 6_500);
      expect(tillOrder(findOrder(db, 'CH15-42')!).conflict).toMatchObject({ by: '', receiptNo: null });

      // the pull that lists MK01-02's swap, with this register's slips after it (the last one closed the order)
      applyOrderPage(
        db,
        { orders: [order(8, [ownTea(1), otherSwap, ownTea(2, true)], true)], next: 8, more: false, reserved: [] },
        SELF,
        7_000,
      );
      const shown = tillOrder(findOrder(db, 'CH15-42')!);
      expect(shown).toMatchObject({ status: 'collected', pending: false, finalBy: SELF });
      expect(shown.conflict).toEqual({
        status: 'collected',
        by: OTHER,
        at: otherSwap.at,
        receiptNo: otherSwap.receiptNo,
        // the slip the cloud refused, for the cashier to follow up
        refused: [`${SELF}-000012`],
      });
    } finally {
      db.close();
    }
  });

  it('a refusal after the pull already listed this register’s own pickup names nobody until another register is known', async () => {
    const dir = tempDir();
    (await openDemoRegister(dir)).close();
    const db = openDatabase(join(dir, 'register.db'));
    try {
      // the copy knows this register's own slip only; offline, it swaps the bun, and the cloud refuses it
      applyOrderPage(db, { orders: [order(6, [ownTea(1)])], next: 6, more: false, reserved: [] }, SELF, 6_500);
      const swap = { collect: [], release: [{ line: 2, quantityMilli: 1000 }], applied: 1000 };
      const seq = db
        .transaction(() => {
          addLocalPickup(db, 'CH15-42', { receiptNo: `${SELF}-000013`, ...swap, final: false, at: 6_600 });
          return appendOutbox(db, {
            kind: 'order.pickup',
            ref: 'CH15-42',
            payload: { orderNo: 'CH15-42', receiptNo: `${SELF}-000013`, ...swap },
            now: 6_600,
          });
        })
        .immediate();
      db.transaction(() => settleRefusedOrderRows(db, [seq])).immediate();
      expect(tillOrder(findOrder(db, 'CH15-42')!).conflict).toMatchObject({ by: '', receiptNo: null });
      applyOrderPage(db, { orders: [order(7, [ownTea(1), otherSwap])], next: 7, more: false, reserved: [] }, SELF, 7_000);
      expect(tillOrder(findOrder(db, 'CH15-42')!).conflict).toEqual({
        status: 'collected',
        by: OTHER,
        at: otherSwap.at,
        receiptNo: otherSwap.receiptNo,
        refused: [`${SELF}-000013`],
      });
    } finally {
      db.close();
    }
  });
});
