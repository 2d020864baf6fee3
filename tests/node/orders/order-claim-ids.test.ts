/**
 * A cart's claim on an order has an id (issue 15; src/main/orders/order-claims.ts), on a real
 * SQLite register: the same claim asked again (a retried completion of the same cart, on the same
 * number) keeps its id, a claim on another number is a new one, and each release in the outbox
 * names the claim it releases. A claim recorded by the version before claim ids has none, and
 * neither has its release (the cloud then undoes as it always did).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OrderClaimRelease } from '../../../src/shared/order-schemas';
import { openDatabase, type Db } from '../../../src/main/db/open';
import { recordClaim, releaseCartClaim } from '../../../src/main/orders/order-claims';
import { applyOrderPage } from '../../../src/main/orders/order-repo';
import { useTempDirs } from '../helpers/temp-dir';
import { openDemoRegister } from '../helpers/demo-register';
import { milkTeaLine, pulledOrder } from './pulled-order';

const tempDir = useTempDirs();

const SELF = 'MK01-01';
const ORDER_NO = 'WEB-77';
const NOW = 5_000;

/** The demo register's database with order WEB-77 pulled (two milk teas, paid at pickup) and an open cart. */
async function registerWithOrder(): Promise<{ db: Db; cartId: number }> {
  const dir = tempDir();
  (await openDemoRegister(dir)).close();
  const db = openDatabase(join(dir, 'register.db'));
  const order = pulledOrder({
    orderNo: ORDER_NO,
    lines: [milkTeaLine(0)],
    total: 3600,
    paid: 0,
    due: 3600,
    version: 3,
    appliedPaid: 0,
    pickups: [],
  });
  applyOrderPage(db, { orders: [order], next: 3, more: false, reserved: [] }, SELF, NOW);
  const cartId = Number(
    db
      .prepare("INSERT INTO cart (register_code, status, staff_id, created_at, updated_at) VALUES ('01', 'open', 3, :now, :now)")
      .run({ now: NOW }).lastInsertRowid,
  );
  return { db, cartId };
}

const releases = (db: Db): unknown[] =>
  (db.prepare("SELECT payload FROM outbox WHERE kind = 'order.claim-released' ORDER BY seq").pluck().all() as string[]).map((p) =>
    JSON.parse(p),
  );

const receipt = (seq: number) => `${SELF}-${String(seq).padStart(6, '0')}`;

describe('a cart’s claim on an order', () => {
  it('keeps its id when asked again on the same number, takes a new one on another, and each release names its own', async () => {
    const { db, cartId } = await registerWithOrder();
    try {
      const first = recordClaim(db, cartId, ORDER_NO, receipt(7), NOW);
      expect(first).toMatch(/^[0-9a-f]{32}$/);
      // the completion retried (its sale failed after the claim): the same claim, the same id
      expect(recordClaim(db, cartId, ORDER_NO, receipt(7), NOW + 1)).toBe(first);
      expect(releases(db)).toEqual([]);

      // another sale took number 7 meanwhile: the cart claims number 8, a new claim, and number 7's is released by its id
      const second = recordClaim(db, cartId, ORDER_NO, receipt(8), NOW + 2);
      expect(second).toMatch(/^[0-9a-f]{32}$/);
      expect(second).not.toBe(first);
      expect(releases(db)).toEqual([{ orderNo: ORDER_NO, receiptNo: receipt(7), claimId: first }]);

      // the cart is voided: its claim's release names it
      expect(releaseCartClaim(db, cartId, NOW + 3)).toBe(true);
      expect(releases(db)).toEqual([
        { orderNo: ORDER_NO, receiptNo: receipt(7), claimId: first },
        { orderNo: ORDER_NO, receiptNo: receipt(8), claimId: second },
      ]);
      for (const payload of releases(db)) expect(OrderClaimRelease.parse(payload)).toEqual(payload);
    } finally {
      db.close();
    }
  });

  it('recorded by the version before claim ids: asked again it stays without one, and its release names none', async () => {
    const { db, cartId } = await registerWithOrder();
    try {
      expect(recordClaim(db, cartId, ORDER_NO, receipt(7), NOW)).toMatch(/^[0-9a-f]{32}$/);
      // the claim as that version wrote it: no id (and none is made up for it: the cloud took it without one)
      db.prepare("UPDATE cart SET order_claim = json_remove(order_claim, '$.claimId') WHERE id = :cartId").run({ cartId });
      expect(recordClaim(db, cartId, ORDER_NO, receipt(7), NOW + 1)).toBeUndefined();
      releaseCartClaim(db, cartId, NOW + 2);
      expect(releases(db)).toEqual([{ orderNo: ORDER_NO, receiptNo: receipt(7) }]);
      // and a release that version queued still parses
      expect(OrderClaimRelease.parse({ orderNo: ORDER_NO, receiptNo: receipt(7) })).toEqual({ orderNo: ORDER_NO, receiptNo: receipt(7) });
    } finally {
      db.close();
    }
  });
});
