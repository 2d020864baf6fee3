/** Shift and end-of-day events for the sync worker, written in the caller's transaction (gapless seq). */
import type { Db } from '../db/open';
import { prepared } from '../db/prepared';
import { nextOutboxSeq } from '../checkout/sale-repo';

export type ShiftOutboxKind = 'shift.opened' | 'shift.closed' | 'cash.movement' | 'day.closed';

export function writeShiftOutbox(db: Db, kind: ShiftOutboxKind, ref: string, payload: unknown, now: number): void {
  prepared(db, 'INSERT INTO outbox (seq, kind, ref, payload, created_at) VALUES (:seq, :kind, :ref, :payload, :now)').run({
    seq: nextOutboxSeq(db),
    kind,
    ref,
    payload: JSON.stringify(payload),
    now,
  });
}

/** Sales (returns, exchanges) committed here and not yet acknowledged by the cloud. */
export function unsyncedDocuments(db: Db): number {
  return prepared(db, "SELECT count(*) FROM outbox WHERE acked_at IS NULL AND kind LIKE 'document.%'").pluck().get() as number;
}
