/**
 * The points a return by receipt takes back (issue 13; the rule's one owner, trusting no register):
 * the returned lines' points come off the member the ORIGINAL sale earned for, whatever member the
 * return document names (another one the cashier put on the cart, or none), and never more than that
 * sale earned less what its earlier returns already took back. What the return's own member earns on
 * new lines of an exchange stays theirs (member-mutations.ts posts that under `doc:<receiptNo>:points`;
 * the reversal is its own entry, `doc:<receiptNo>:points:return`, so the next return reads it whole).
 */
import type { PoolClient } from '../db/pool';

/** The ledger key of a return's reversal on the original sale's member. */
export const returnPointsKey = (receiptNo: string): string => `doc:${receiptNo}:points:return`;

/**
 * Points each original sale may still lose to its returns, for its member: what its document earned
 * (`doc:<original>:points`, positive) less what the documents returning its lines already took back
 * from that member (their `:points:return` entries, and the one entry a return posted before the
 * reversal had its own key), plus what the batch's own sale earns before its return (`earned`). Taken down as the batch's returns use it (`take`), so two returns of one
 * sale in one batch, or in two batches (lockRefundedOriginals serialises them), never pass what it earned.
 */
export async function returnPointsLeft(
  client: PoolClient,
  merchantId: number,
  originals: ReadonlyMap<string, { memberId: number | null }>,
): Promise<{ take(original: string, points: number): number; earned(receiptNo: string, memberId: number, points: number): void }> {
  const left = new Map<string, number>();
  for (const [receiptNo, original] of originals) {
    if (original.memberId === null) continue;
    const row = (
      await client.query<{ earned: string; reversed: string }>(
        `SELECT coalesce(sum(e.amount) FILTER (WHERE e.idem_key = $3 AND e.amount > 0), 0) AS earned,
                coalesce(-sum(e.amount) FILTER (WHERE e.idem_key <> $3 AND e.amount < 0), 0) AS reversed
         FROM ledger_entry e JOIN ledger_account a ON a.id = e.account_id
         WHERE e.merchant_id = $1 AND a.member_id = $2 AND a.kind = 'points'
           AND e.idem_key = ANY(ARRAY[$3::text] || ARRAY(
                 SELECT k FROM sale s, LATERAL (VALUES ('doc:' || s.receipt_no || ':points'), ('doc:' || s.receipt_no || ':points:return')) v(k)
                 WHERE s.merchant_id = $1 AND s.channel = 'register' AND s.original_receipt_no = $4))`,
        [merchantId, original.memberId, `doc:${receiptNo}:points`, receiptNo],
      )
    ).rows[0];
    left.set(receiptNo, Math.max(0, Number(row?.earned ?? 0) - Number(row?.reversed ?? 0)));
  }
  return {
    /** A document of the batch earned `points` for `memberId`: a return of it later in the batch may take them back. */
    earned(receiptNo: string, memberId: number, points: number): void {
      if (points > 0 && originals.get(receiptNo)?.memberId === memberId) left.set(receiptNo, (left.get(receiptNo) ?? 0) + points);
    },
    /** Of `points` (> 0) to take back for a return of `original`: what may be, now counted as taken. */
    take(original: string, points: number): number {
      const taken = Math.min(points, left.get(original) ?? 0);
      left.set(original, (left.get(original) ?? 0) - taken);
      return taken;
    },
  };
}
