/**
 * The claim that stands on an order for a register's receipt number (issue 15; migration 0034): a
 * whole collection keeps the id it was made with in its event (`detail.claimId`), a pickup in its
 * row (`claim_id`); null when it was made without one (its outbox row, a register of the version
 * before claim ids).
 *
 * A register claims an order anew only after releasing its earlier claim on it, and a new claim
 * names the earlier ones whose releases its outbox has not delivered yet (`supersedes`,
 * order-claims.ts), so those are undone before it is decided. A question naming another id, while
 * a claim made with an id it does not name stands on the same number, is refused CLAIM_STANDING:
 * the cloud cannot tell which of the two the register released (a new claim arriving before its
 * predecessor's release, or the predecessor's own question arriving late, after the new claim), and
 * taking either as the standing one lets a release undo the claim the register's sale relies on.
 * Nothing is taken; the register's next try, once the release has arrived, is decided as usual.
 */
import { CloudError } from '../errors';
import type { Queryable } from '../db/pool';

/** The claim that collected the order on `receiptNo` (its event): the status it moved the order from (else `ready`), and its id. */
export async function collectingClaim(
  db: Queryable,
  orderId: number,
  receiptNo: string,
): Promise<{ from: string; claimId: string | null }> {
  const row = (
    await db.query<{ from_status: string; claim_id: string | null }>(
      `SELECT from_status, detail->>'claimId' AS claim_id FROM customer_order_event
        WHERE order_id = $1 AND to_status = 'collected' AND detail->>'receiptNo' = $2 ORDER BY id DESC LIMIT 1`,
      [orderId, receiptNo],
    )
  ).rows[0];
  return { from: row && row.from_status !== 'collected' ? row.from_status : 'ready', claimId: row?.claim_id ?? null };
}

/**
 * Under the order's row lock, when this register's claim `standing` (its id, or null) stands on
 * `receiptNo`: CLAIM_STANDING when the question names another id and `standing` has one. The same
 * id is the claim's replay; a claim made without an id (its own outbox row got there first) is
 * answered as one too.
 */
export function refuseOtherStandingClaim(orderNo: string, receiptNo: string, standing: string | null, claimId: string | undefined): void {
  if (claimId === undefined || standing === null || standing === claimId) return;
  throw new CloudError(
    'CLAIM_STANDING',
    `Another claim of this register stands on order ${orderNo} (receipt ${receiptNo}): its release has not arrived yet`,
    { claimId, receiptNo },
  );
}
