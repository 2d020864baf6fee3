/**
 * `order.claim-released` (issue 15): before a sale that pays an order commits, a register asks the
 * cloud to collect the order (orders.ts) or take the cart's pickup (order-pickups.ts) on the
 * receipt number the sale will take. When that sale is never written (the cart voided, the number
 * taken by another sale), the register's outbox says so, and the claim is undone here, once:
 * - a whole collection: the order goes back to the status it was collected from;
 * - a pickup: its lines, the prepayment it used and (when it closed the order) the status go back,
 *   and the pickup is marked released (migration 0031): kept, no longer counted;
 * and the order takes a new version, so every register's next pull has it open again. Nothing
 * changes when the claim is no longer this register's on that number (someone else's state, a claim
 * already undone, a replay), when a sale of that number does name the order (it was collected
 * after all), or for a hand-over slip (its stock has moved). Never refused: nothing to quarantine.
 *
 * Claim ids (migration 0034): a register names its cart's claim when it asks (`claimId`), and the
 * release names it too. Such a release is kept (released-claims.ts: the claim's own request
 * arriving later is refused CLAIM_RELEASED) and undoes only the claim made with that id: a later
 * claim of the same order on the same number (the register collected it again after a void), or
 * one made without an id, stands. A release without an id (a register of the version before)
 * undoes whatever claim of this register stands on that number, as it always did.
 *
 * A claim that supersedes others (`supersedes`: the register released them, its outbox has not
 * delivered those releases yet) has them applied first, in its own transaction on the order's row
 * lock (`claimSuperseding`). The new claim on the same number then never meets the old one standing
 * (the old id kept as the standing one would let its release, arriving later, undo the claim the
 * register's sale relies on), and nobody else sees the order open in between: a void and the next
 * collection of the same order at the same register are one move in the cloud. The release's own
 * outbox row, arriving before or after, is the replay it is (its claim undone once, its id kept).
 */
import type { PoolClient } from '../db/pool';
import type { OrderClaimRelease, SupersededClaim } from '../../src/shared/order-schemas';
import { findRow, registerCaller, versionFor, type OrderBatch } from './orders';
import { isHandoverNo } from './order-pickups';
import type { RegisterContext } from './registers';
import { recordReleasedClaim } from './released-claims';
import { collectingClaim } from './standing-claims';

interface PickupRow {
  id: number;
  collect: { line: number; quantityMilli: number }[];
  release: { line: number; quantityMilli: number }[];
  applied: string;
  final: boolean;
  /** The claim that took it (migration 0034); null: taken without one (an outbox row, an older register). */
  claim_id: string | null;
}

/** Is the standing claim (made with `standing`, or none) the one `release` names? A release naming none is any. */
const releases = (release: OrderClaimRelease, standing: string | null): boolean =>
  release.claimId === undefined || release.claimId === standing;

export async function releaseOrderClaim(
  client: PoolClient,
  register: RegisterContext,
  release: OrderClaimRelease,
  now: number,
  /** Its push batch (the outbox row); null: a new claim's question that supersedes it (`claimSuperseding`). */
  batch: OrderBatch | null,
): Promise<void> {
  if (isHandoverNo(release.receiptNo)) return;
  const caller = registerCaller(register);
  // 1. the order, locked: it takes turns with every other move of it
  const row = await findRow(client, register.merchantId, release.orderNo, true, register.storeId);
  if (!row) return;
  const id = Number(row.id);
  // 1a. the claim's id is released for good: its own request arriving after this is refused
  if (release.claimId !== undefined)
    await recordReleasedClaim(client, register, { claimId: release.claimId, orderId: id, receiptNo: release.receiptNo }, now);
  // 2. a sale of that number that names the order collected it after all: the claim stands
  const named = await client.query(
    `SELECT 1 FROM sale WHERE merchant_id = $1 AND register_id = $2 AND channel = 'register' AND receipt_no = $3
        AND document->'order'->>'orderNo' = $4`,
    [register.merchantId, register.registerId, release.receiptNo, row.order_no],
  );
  if (named.rowCount) return;

  // 3. a pickup this register claimed on that number: undone line by line
  const pickup = (
    await client.query<PickupRow>(
      `SELECT id, collect, release, applied, final, claim_id FROM customer_order_pickup
        WHERE order_id = $1 AND receipt_no = $2 AND register_id = $3 AND released_at IS NULL`,
      [id, release.receiptNo, register.registerId],
    )
  ).rows[0];
  let to: string;
  if (pickup) {
    if (!releases(release, pickup.claim_id)) return;
    const parts = new Map<number, { collected: number; released: number }>();
    for (const p of pickup.collect)
      parts.set(p.line, { collected: (parts.get(p.line)?.collected ?? 0) + p.quantityMilli, released: parts.get(p.line)?.released ?? 0 });
    for (const p of pickup.release)
      parts.set(p.line, { collected: parts.get(p.line)?.collected ?? 0, released: (parts.get(p.line)?.released ?? 0) + p.quantityMilli });
    const lines = [...parts];
    await client.query(
      `UPDATE customer_order_line l SET collected_milli = l.collected_milli - t.collected, released_milli = l.released_milli - t.released
         FROM unnest($2::int[], $3::bigint[], $4::bigint[]) AS t(line, collected, released)
        WHERE l.order_id = $1 AND l.line = t.line`,
      [id, lines.map(([line]) => line), lines.map(([, q]) => q.collected), lines.map(([, q]) => q.released)],
    );
    to = pickup.final ? (await collectingClaim(client, id, release.receiptNo)).from : row.status;
    await client.query('UPDATE customer_order_pickup SET released_at = $2 WHERE id = $1', [pickup.id, new Date(now)]);
    await client.query('UPDATE customer_order SET applied_paid = applied_paid - $2::bigint WHERE id = $1', [id, Number(pickup.applied)]);
  } else if (
    // 4. the whole order collected by this register on that number (pay at pickup: no stock moved here)
    row.status === 'collected' &&
    row.final_register_id === register.registerId &&
    row.final_receipt_no === release.receiptNo &&
    Number(row.paid) < Number(row.total)
  ) {
    const claim = await collectingClaim(client, id, release.receiptNo);
    if (!releases(release, claim.claimId)) return;
    to = claim.from;
  } else return;

  // 5. the status, the order's new version and the event
  const reopened = row.status === 'collected' && to !== 'collected';
  const version = await versionFor(client, register.merchantId, id, batch);
  await client.query(
    `UPDATE customer_order SET status = $2, version = $3, updated_at = $4,
       final_by_kind = CASE WHEN $5::boolean THEN NULL ELSE final_by_kind END,
       final_by_name = CASE WHEN $5::boolean THEN NULL ELSE final_by_name END,
       final_register_id = CASE WHEN $5::boolean THEN NULL ELSE final_register_id END,
       final_receipt_no = CASE WHEN $5::boolean THEN NULL ELSE final_receipt_no END,
       final_at = CASE WHEN $5::boolean THEN NULL ELSE final_at END
     WHERE id = $1`,
    [id, to, version, new Date(now), reopened],
  );
  await client.query(
    'INSERT INTO customer_order_event (order_id, from_status, to_status, actor, at, detail) VALUES ($1, $2, $3, $4, $5, $6)',
    [
      id,
      row.status,
      to,
      caller.ref,
      new Date(now),
      { claimReleased: release.receiptNo, ...(release.claimId !== undefined ? { releasedClaimId: release.claimId } : {}) },
    ],
  );
}

/**
 * A register's question before a sale (collecting the order, or a pickup of it), in one
 * transaction: the releases of the claims it supersedes, each applied as its outbox row will be
 * (on the order's row lock, held to COMMIT), then `claim` itself.
 */
export async function claimSuperseding<T>(
  client: PoolClient,
  register: RegisterContext,
  orderNo: string,
  supersedes: readonly SupersededClaim[] | undefined,
  now: number,
  claim: () => Promise<T>,
): Promise<T> {
  for (const earlier of supersedes ?? []) await releaseOrderClaim(client, register, { orderNo, ...earlier }, now, null);
  return claim();
}
