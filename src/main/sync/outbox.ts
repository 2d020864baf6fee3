/**
 * The one writer of the sync outbox. A row is appended inside the transaction of the change it
 * reports, so both commit or neither; its seq is max + 1 under that transaction's write lock, so
 * the sequence has no gaps (the cloud refuses a gap). The worker wakes on any new row by itself.
 */
import type { Db } from '../db/open';
import { prepared } from '../db/prepared';
import type { OutboxKind } from '../../shared/outbox-kinds';

export interface OutboxEntry {
  kind: OutboxKind;
  ref: string;
  payload: object;
  now: number;
}

function nextOutboxSeq(db: Db): number {
  // After a restore the floor is the cloud's last acknowledged seq: the next row follows it, no gap, no reuse.
  return prepared(
    db,
    `SELECT max(coalesce(max(seq), 0),
                coalesce((SELECT CAST(value AS INTEGER) FROM setting WHERE key = 'sequence.outboxFloor'), 0)) + 1 FROM outbox`,
  )
    .pluck()
    .get() as number;
}

/** Appends the row and returns its seq; throws outside a transaction (the seq would not be safe). */
export function appendOutbox(db: Db, entry: OutboxEntry): number {
  if (!db.inTransaction) throw new Error('appendOutbox must run inside the transaction of the change it reports');
  const seq = nextOutboxSeq(db);
  prepared(db, 'INSERT INTO outbox (seq, kind, ref, payload, created_at) VALUES (:seq, :kind, :ref, :payload, :now)').run({
    seq,
    kind: entry.kind,
    ref: entry.ref,
    payload: JSON.stringify(entry.payload),
    now: entry.now,
  });
  return seq;
}
