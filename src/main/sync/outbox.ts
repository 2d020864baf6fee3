/**
 * Appending a row to the sync outbox, inside the caller's transaction, so the row commits with
 * the change it reports (the seq stays gapless: max + 1 under the write lock). The kinds the cloud
 * accepts are listed in cloud/README.md; the worker wakes on any new row by itself.
 */
import type { Db } from '../db/open';
import { prepared } from '../db/prepared';
import { nextOutboxSeq } from '../checkout/sale-repo';

export function appendOutbox(db: Db, row: { kind: string; ref: string; payload: Record<string, unknown>; now: number }): number {
  if (!db.inTransaction) throw new Error('appendOutbox must run inside the transaction of the change it reports');
  const seq = nextOutboxSeq(db);
  prepared(db, 'INSERT INTO outbox (seq, kind, ref, payload, created_at) VALUES (:seq, :kind, :ref, :payload, :now)').run({ seq, kind: row.kind, ref: row.ref, payload: JSON.stringify(row.payload), now: row.now });
  return seq;
}
