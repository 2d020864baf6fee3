/**
 * What a register's return may pay back to a gift card: the ONE rule the register applies
 * (src/main/members/refund-cap.ts, refundableTo): at most what the original sale paid with that
 * card, less what the returns of it before this one paid back to it (each of those itself cut to
 * what was left). A return naming no original, or one this cloud does not have, pays back nothing
 * to a card: the card is money, and a till's figure alone never loads it (a return's amounts are
 * the till's own, so a hostile or broken till could otherwise load a card with any sum).
 *
 * Read from the stored documents (sale.document: the payments' `storedValue.card.hash`), after the
 * batch wrote its sales, under the originals' `sale-refunds` locks (lockRefundedOriginals in
 * member-mutations.ts), so two returns of one sale pushed at once take turns.
 */
import type { Queryable } from '../db/pool';

interface DocPayment {
  amount?: unknown;
  storedValue?: { kind?: unknown; card?: { hash?: unknown } | null } | null;
}

/** Per card hash: what one document paid with it (> 0) or paid back to it (as a positive figure). */
function byCard(payments: unknown, sign: 1 | -1): Map<string, number> {
  const out = new Map<string, number>();
  if (!Array.isArray(payments)) return out;
  for (const p of payments as DocPayment[]) {
    const hash = p.storedValue?.kind === 'gift' ? p.storedValue.card?.hash : undefined;
    if (typeof hash !== 'string' || typeof p.amount !== 'number' || Math.sign(p.amount) !== sign) continue;
    out.set(hash, (out.get(hash) ?? 0) + Math.abs(p.amount));
  }
  return out;
}

export interface GiftRefundCaps {
  /** Of `value` cents a return `receiptNo` of `original` pays back to card `hash`: what may be credited. */
  take(original: string | null, receiptNo: string, hash: string, value: number): number;
}

/** The originals' card payments and their returns' refunds, one read for a batch. */
export async function loadGiftRefundCaps(db: Queryable, merchantId: number, originals: readonly string[]): Promise<GiftRefundCaps> {
  const wanted = [...new Set(originals)];
  const rows =
    wanted.length === 0
      ? []
      : (
          await db.query<{ original: string; receipt_no: string; is_original: boolean; payments: unknown }>(
            `SELECT w.receipt_no AS original, s.receipt_no, s.is_original, s.payments
               FROM unnest($2::text[]) AS w(receipt_no)
               CROSS JOIN LATERAL (
                 (SELECT id, receipt_no, true AS is_original, document->'payments' AS payments FROM sale
                   WHERE merchant_id = $1 AND channel = 'register' AND receipt_no = w.receipt_no LIMIT 1)
                 UNION ALL
                 (SELECT id, receipt_no, false, document->'payments' FROM sale
                   WHERE merchant_id = $1 AND channel = 'register' AND original_receipt_no = w.receipt_no OFFSET 0)
               ) s
              ORDER BY w.receipt_no, s.is_original DESC, s.id`,
            [merchantId, wanted],
          )
        ).rows;
  const paid = new Map<string, Map<string, number>>();
  const returns = new Map<string, { receiptNo: string; refunded: Map<string, number> }[]>();
  for (const r of rows) {
    if (r.is_original) paid.set(r.original, byCard(r.payments, 1));
    else returns.set(r.original, [...(returns.get(r.original) ?? []), { receiptNo: r.receipt_no, refunded: byCard(r.payments, -1) }]);
  }
  return {
    take(original, receiptNo, hash, value) {
      if (original === null) return 0;
      let left = paid.get(original)?.get(hash) ?? 0;
      for (const r of returns.get(original) ?? []) {
        if (r.receiptNo === receiptNo) break;
        left -= Math.min(Math.max(0, left), r.refunded.get(hash) ?? 0);
      }
      return Math.max(0, Math.min(value, left));
    },
  };
}
