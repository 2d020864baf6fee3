/**
 * ONE rule for every stored-value refund (issue 13): a return pays back to a points, store-credit
 * or gift-card account at most what that account paid on the sales it takes lines back from, less
 * what earlier returns of those sales already paid back to it. Points and store credit are a
 * member's: only sales that member paid count (a sale naming another member, or none, gives
 * nothing back to this one, and earlier returns to someone else gave back none of it). Checked in
 * the return's SQLite transaction (gift-cards.ts, stored-value.ts); the cloud checks the same
 * against the original sale's payments (cloud/domain/member-mutations.ts, `refundCaps`: what it cuts
 * it lists as `refund_over`).
 */
import type { Db } from '../db/open';
import { prepared } from '../db/prepared';

/** The account a refund goes to: a payment method, and for a gift card the card's hash (payment.reference). */
export interface RefundAccount {
  method: string;
  reference?: string | null;
  /** points and store credit: the codes of the member the return pays back to (its own, and those it was known by) */
  memberCodes?: readonly string[];
}

/** Of `soldSaleIds`, those that named one of `codes` as their member (sale.member: DocumentMember JSON). */
function paidBy(db: Db, soldSaleIds: readonly number[], codes: readonly string[]): number[] {
  return prepared<{ ids: string; codes: string }, number>(
    db,
    `SELECT id FROM sale WHERE id IN (SELECT value FROM json_each(:ids))
        AND member IS NOT NULL AND json_extract(member, '$.code') IN (SELECT value FROM json_each(:codes))`,
  )
    .pluck()
    .all({ ids: JSON.stringify([...new Set(soldSaleIds)]), codes: JSON.stringify(codes) });
}

/**
 * Whether a points or store-credit refund to the member with `memberCodes` can take anything back
 * from `soldSaleIds`: false when none of them was that member's sale (another member's, or none).
 */
export function soldToMember(db: Db, soldSaleIds: readonly number[], memberCodes: readonly string[]): boolean {
  return soldSaleIds.length > 0 && paidBy(db, soldSaleIds, memberCodes).length > 0;
}

/** What may still go back to `account` on a return of `soldSaleIds` (cents of value, never negative). */
export function refundableTo(db: Db, soldSaleIds: readonly number[], account: RefundAccount): number {
  const ids = account.memberCodes ? paidBy(db, soldSaleIds, account.memberCodes) : soldSaleIds;
  if (ids.length === 0) return 0;
  const params = {
    ids: JSON.stringify([...new Set(ids)]),
    method: account.method,
    reference: account.reference ?? null,
    // earlier returns count only when they paid back to this same member (the cloud credited the others nothing)
    codes: account.memberCodes ? JSON.stringify(account.memberCodes) : null,
  };
  const paid =
    (prepared<Omit<typeof params, 'codes'>, number>(
      db,
      `SELECT coalesce(sum(amount), 0) FROM payment
       WHERE method = :method AND (:reference IS NULL OR reference = :reference) AND amount > 0
         AND sale_id IN (SELECT value FROM json_each(:ids))`,
    )
      .pluck()
      .get({ ids: params.ids, method: params.method, reference: params.reference }) as number) ?? 0;
  const given =
    (prepared<typeof params, number>(
      db,
      `SELECT coalesce(sum(-p.amount), 0) FROM payment p JOIN sale r ON r.id = p.sale_id
       WHERE p.method = :method AND (:reference IS NULL OR p.reference = :reference) AND p.amount < 0
         AND p.sale_id IN (SELECT DISTINCT l.sale_id FROM sale_line l JOIN sale_line o ON o.id = l.return_of_line_id
                           WHERE o.sale_id IN (SELECT value FROM json_each(:ids)))
         AND (:codes IS NULL OR json_extract(r.member, '$.code') IN (SELECT value FROM json_each(:codes)))`,
    )
      .pluck()
      .get(params) as number) ?? 0;
  return Math.max(0, paid - given);
}
