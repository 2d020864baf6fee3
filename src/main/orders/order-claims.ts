/**
 * The claim a cart makes in the cloud for the order it collects (issue 15), bound to that cart.
 *
 * Before a sale that pays an order commits, the cloud is asked to collect the order (or take the
 * cart's pickup) on the receipt number the sale will take (order-service.ts, `claimForSale`). The
 * claim is recorded on the cart (cart.order_claim, migration 0029) BEFORE the question goes out,
 * with this register's copy of the order as it stood. Then:
 * - the sale commits on that number: the claim was its own (`settleClaim`);
 * - the cart is voided, or another sale takes the number (the cart failed and was left aside): the
 *   claim is released (`releaseCartClaim`): an `order.claim-released` outbox row (the cloud undoes
 *   the claim once, in seq order with the order's other moves, offline too), and the copy here is
 *   put back as it was, so the order can be collected again at once. Until the cloud's release is
 *   pulled, a pull still showing the claim is not taken (customer_order.released_claim).
 * Each claim has an id (random, kept in the cart's claim: the same claim asked again keeps it),
 * sent with the question and with the release: the cloud undoes that claim only, never a later
 * one on the same order and number, and refuses the question when it arrives after its release
 * (CLAIM_RELEASED). A claim recorded before claim ids has none: its release names none either.
 * A new claim on an order names the claims released here whose releases the outbox has not
 * delivered yet (`supersededClaims`): the cloud applies those first, in the same move, so the new
 * claim (on the same number or another) is never taken for the old one, and the order is never
 * open in the cloud between the void and the next collection.
 * Database only: every function joins the caller's transaction or opens its own.
 */
import { randomBytes } from 'node:crypto';
import * as z from '../../shared/zod';
import { MAX_SUPERSEDED_CLAIMS, OrderClaimRelease, OrderPickupRecord, type Order, type SupersededClaim } from '../../shared/order-schemas';
import type { Db } from '../db/open';
import { prepared } from '../db/prepared';
import { appendOutbox } from '../sync/outbox';
import { registerName, upsertPulledOrder } from './order-repo';

/** The copy's cloud columns before the claim: what a release puts back. */
const Before = z.object({
  status: z.string(),
  lines: z.string(),
  final_by: z.string().nullable(),
  final_at: z.number().int().nullable(),
  receipt_no: z.string().nullable(),
  applied_paid: z.number().int(),
  pickups: z.string(),
});

const Claim = z.object({ orderNo: z.string(), receiptNo: z.string(), before: Before, claimId: z.string().optional() });
type Claim = z.infer<typeof Claim>;

const claimOf = (db: Db, cartId: number): Claim | null => {
  const raw = prepared<{ cartId: number }, string | null>(db, 'SELECT order_claim FROM cart WHERE id = :cartId').pluck().get({ cartId });
  return raw ? Claim.parse(JSON.parse(raw)) : null;
};

const inTransaction = <T>(db: Db, run: () => T): T => (db.inTransaction ? run() : db.transaction(run).immediate());

/** Does this copy of the order (its cloud columns) show it claimed by `self` on `receiptNo`? */
function showsClaim(
  row: { status: string; final_by: string | null; receipt_no: string | null; pickups: string },
  self: string,
  receiptNo: string,
): boolean {
  if (row.status === 'collected' && row.final_by === self && row.receipt_no === receiptNo) return true;
  const pickups = z.array(OrderPickupRecord).parse(JSON.parse(row.pickups));
  return pickups.some((p) => p.receiptNo === receiptNo && p.by === self);
}

/** A new claim's id: 16 random bytes, hex (ClaimId, src/shared/order-schemas.ts). */
const newClaimId = (): string => randomBytes(16).toString('hex');

/**
 * Committed before the cloud is asked (its own transaction): cart `cartId` claims order `orderNo`
 * on `receiptNo`; answers the claim's id, to send with the question (undefined: a claim recorded
 * before claim ids, or no copy of the order here). A claim the cart made on another number is
 * released first; the same claim asked again keeps its id and the copy as it was before the first.
 */
export function recordClaim(db: Db, cartId: number, orderNo: string, receiptNo: string, now: number): string | undefined {
  return inTransaction(db, () => {
    const existing = claimOf(db, cartId);
    if (existing && existing.orderNo === orderNo && existing.receiptNo === receiptNo) return existing.claimId;
    if (existing) releaseCartClaim(db, cartId, now);
    const before = prepared<{ orderNo: string }, z.infer<typeof Before>>(
      db,
      'SELECT status, lines, final_by, final_at, receipt_no, applied_paid, pickups FROM customer_order WHERE order_no = :orderNo',
    ).get({ orderNo });
    if (!before) return undefined;
    const claim: Claim = { orderNo, receiptNo, before, claimId: newClaimId() };
    prepared(db, 'UPDATE cart SET order_claim = :claim WHERE id = :cartId').run({ claim: JSON.stringify(claim), cartId });
    return claim.claimId;
  });
}

/**
 * The cloud refused claim `claimId` as already released (its question arrived after its release):
 * when cart `cartId` still holds it, it is released here too (the cloud keeps a release once), so
 * the cart's next try makes a new claim. Answers whether the cart held it.
 */
export function dropReleasedClaim(db: Db, cartId: number, claimId: string, now: number): boolean {
  return inTransaction(db, () => claimOf(db, cartId)?.claimId === claimId && releaseCartClaim(db, cartId, now));
}

/**
 * The claims a new claim on `orderNo` supersedes: released here, their `order.claim-released` rows
 * not delivered yet. Null when one of them has no id (a claim from before claim ids: the cloud
 * could not tell it from the new one) or there are more than a question names: then the cloud is
 * not asked, and the outbox carries those releases and the sale's collection after them, in order.
 */
export function supersededClaims(db: Db, orderNo: string): SupersededClaim[] | null {
  const releases = prepared<{ orderNo: string }, string>(
    db,
    "SELECT payload FROM outbox WHERE acked_at IS NULL AND kind = 'order.claim-released' AND ref = :orderNo ORDER BY seq",
  )
    .pluck()
    .all({ orderNo })
    .map((payload) => OrderClaimRelease.parse(JSON.parse(payload)));
  if (releases.length > MAX_SUPERSEDED_CLAIMS) return null;
  const named = releases.flatMap(({ receiptNo, claimId }) => (claimId === undefined ? [] : [{ receiptNo, claimId }]));
  return named.length === releases.length ? named : null;
}

/**
 * The cloud took a claim of this register (it named every claim it supersedes): its answer is the
 * order after those releases, so a claim released here no longer keeps it out.
 */
export function recordClaimAnswer(db: Db, order: Order, selfName: string): void {
  db.transaction(() => {
    prepared(db, 'UPDATE customer_order SET released_claim = NULL WHERE order_no = :orderNo').run({ orderNo: order.orderNo });
    upsertPulledOrder(db, order, selfName);
  }).immediate();
}

/** In the sale's transaction: the sale of cart `cartId` collects its order on the number it claimed. */
export function settleClaim(db: Db, cartId: number, orderNo: string): void {
  prepared(db, 'UPDATE cart SET order_claim = NULL WHERE id = :cartId').run({ cartId });
  prepared(db, 'UPDATE customer_order SET released_claim = NULL WHERE order_no = :orderNo').run({ orderNo });
}

/**
 * No sale of cart `cartId` will carry its claim (the cart is voided, or its number went to another
 * sale): the cloud is told through the outbox, and this register's copy of the order is put back as
 * it was before the claim (when it shows the claim). Joins the caller's transaction.
 */
export function releaseCartClaim(db: Db, cartId: number, now: number): boolean {
  return inTransaction(db, () => {
    const claim = claimOf(db, cartId);
    if (!claim) return false;
    const payload: OrderClaimRelease = {
      orderNo: claim.orderNo,
      receiptNo: claim.receiptNo,
      ...(claim.claimId !== undefined ? { claimId: claim.claimId } : {}),
    };
    appendOutbox(db, { kind: 'order.claim-released', ref: claim.orderNo, payload, now });
    const row = prepared<{ orderNo: string }, { status: string; final_by: string | null; receipt_no: string | null; pickups: string }>(
      db,
      'SELECT status, final_by, receipt_no, pickups FROM customer_order WHERE order_no = :orderNo',
    ).get({ orderNo: claim.orderNo });
    if (row) {
      // the version stays the claim's: a pull of the claim itself is older, the cloud's release newer
      if (showsClaim(row, registerName(db), claim.receiptNo))
        prepared(
          db,
          `UPDATE customer_order SET status = :status, lines = :lines, final_by = :final_by, final_at = :final_at,
                  receipt_no = :receipt_no, applied_paid = :applied_paid, pickups = :pickups
            WHERE order_no = :orderNo`,
        ).run({ ...claim.before, orderNo: claim.orderNo });
      prepared(db, 'UPDATE customer_order SET released_claim = :receiptNo WHERE order_no = :orderNo').run({
        receiptNo: claim.receiptNo,
        orderNo: claim.orderNo,
      });
    }
    prepared(db, 'UPDATE cart SET order_claim = NULL WHERE id = :cartId').run({ cartId });
    return true;
  });
}

/** In a sale's transaction: claims other carts made on `receiptNo`, which this sale takes, are released. */
export function releaseClaimsOn(db: Db, receiptNo: string, saleCartId: number, now: number): void {
  const carts = prepared<{ receiptNo: string; cartId: number }, number>(
    db,
    `SELECT id FROM cart WHERE order_claim IS NOT NULL AND id <> :cartId AND json_extract(order_claim, '$.receiptNo') = :receiptNo`,
  )
    .pluck()
    .all({ receiptNo, cartId: saleCartId });
  for (const cartId of carts) releaseCartClaim(db, cartId, now);
}
