/**
 * What this register itself recorded on members' stored-value accounts (`stored_value_movement`),
 * read by the member view (member-repo.ts) and by the tenders (stored-value.ts): its own module so
 * neither imports the other.
 */
import type { StoredValueKind } from '../../shared/stored-value';
import type { Db } from '../db/open';
import { IN_PULLED_FIGURES } from '../sync/pulled-figures';

/** `:c0, :c1, …` for a member's codes (its code and the provisional codes it was merged from). */
export const placeholders = (codes: readonly string[]) => codes.map((_, i) => `:c${i}`).join(', ');
export const codeParams = (codes: readonly string[]) => Object.fromEntries(codes.map((c, i) => [`c${i}`, c]));

/**
 * Units this register decided itself (offline spends, refunds) on documents the pulled balance does
 * not hold yet (sync/pulled-figures.ts). Signed (spent is negative).
 */
export function unsettledUnits(db: Db, codes: readonly string[], kind: StoredValueKind): number {
  if (codes.length === 0) return 0;
  return (
    (db
      .prepare(
        `SELECT coalesce(sum(m.units), 0) FROM stored_value_movement m
         WHERE m.kind = :kind AND m.decided_by = 'register' AND m.member_code IN (${placeholders(codes)})
           AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.ref = m.receipt_no AND o.kind LIKE 'document.%' AND ${IN_PULLED_FIGURES})`,
      )
      .pluck()
      .get({ kind, ...codeParams(codes) }) as number) ?? 0
  );
}
