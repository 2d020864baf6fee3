/**
 * ONE rule for every stored-value refund (issue 13): a return pays back to a points, store-credit
 * or gift-card account at most what that account paid on the sales it takes lines back from, less
 * what earlier returns of those sales already paid back to it. Checked in the return's SQLite
 * transaction (gift-cards.ts, stored-value.ts); the cloud checks the same against the original
 * sale's payments (cloud/domain/member-mutations.ts for points and credit).
 */
import type { Db } from '../db/open';
import { prepared } from '../db/prepared';

/** The account a refund goes to: a payment method, and for a gift card the card's hash (payment.reference). */
export interface RefundAccount {
  method: string;
  reference?: string | null;
}

/** What may still go back to `account` on a return of `soldSaleIds` (cents of value, never negative). */
export function refundableTo(db: Db, soldSaleIds: readonly number[], account: RefundAccount): number {
  if (soldSaleIds.length === 0) return 0;
  const params = { ids: JSON.stringify([...new Set(soldSaleIds)]), method: account.method, reference: account.reference ?? null };
  const paid =
    (prepared<typeof params, number>(
      db,
      `SELECT coalesce(sum(amount), 0) FROM payment
       WHERE method = :method AND (:reference IS NULL OR reference = :reference) AND amount > 0
         AND sale_id IN (SELECT value FROM json_each(:ids))`,
    )
      .pluck()
      .get(params) as number) ?? 0;
  const given =
    (prepared<typeof params, number>(
      db,
      `SELECT coalesce(sum(-p.amount), 0) FROM payment p
       WHERE p.method = :method AND (:reference IS NULL OR p.reference = :reference) AND p.amount < 0
         AND p.sale_id IN (SELECT DISTINCT l.sale_id FROM sale_line l JOIN sale_line o ON o.id = l.return_of_line_id
                           WHERE o.sale_id IN (SELECT value FROM json_each(:ids)))`,
    )
      .pluck()
      .get(params) as number) ?? 0;
  return Math.max(0, paid - given);
}
