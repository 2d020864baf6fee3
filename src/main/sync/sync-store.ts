/**
 * The sync tables (migrations/0007-sync.sql) and the outbox, as the worker and the main thread use
 * them. Every function takes the connection it runs on: the worker has its own.
 */
import type { QuarantinedDocument, SyncProblem } from '../../shared/sync-schemas';
import type { Db } from '../db/open';
import { prepared } from '../db/prepared';
import { settleRefusedOrderRows } from '../orders/order-repo';
import { readStoredProblem, storedProblem, type SyncProblemRecord } from './sync-problem';

export interface Enrolment {
  cloudUrl: string;
  registerId: string;
  registerCode: string;
  storeCode: string;
  merchantName: string;
  seqOffset: number;
  enrolledAt: number;
  changesCursor: number;
}

export interface Health {
  reachable: boolean;
  lastSyncAt: number | null;
  lastAttemptAt: number | null;
  attention: 'token-revoked' | 'token-invalid' | 'update-required' | null;
  attentionDetail: string | null;
  clockSkewMs: number | null;
  /** Why the last request failed (null: it succeeded, or an older version recorded words only). */
  lastProblem: SyncProblem | null;
  /** The raw words behind it, for IT. */
  lastError: string | null;
  duplicatesAbsorbed: number;
}

export interface OutboxRow {
  seq: number;
  kind: string;
  ref: string;
  payload: string;
}

interface EnrolmentRow {
  cloud_url: string;
  register_id: string;
  register_code: string;
  store_code: string;
  merchant_name: string;
  seq_offset: number;
  enrolled_at: number;
  changes_cursor: number;
}

export function readEnrolment(db: Db): Enrolment | null {
  const row = prepared<[], EnrolmentRow>(db, 'SELECT * FROM sync_enrolment WHERE id = 1').get();
  if (!row) return null;
  return {
    cloudUrl: row.cloud_url,
    registerId: row.register_id,
    registerCode: row.register_code,
    storeCode: row.store_code,
    merchantName: row.merchant_name,
    seqOffset: row.seq_offset,
    enrolledAt: row.enrolled_at,
    changesCursor: row.changes_cursor,
  };
}

interface HealthRow {
  reachable: number;
  last_sync_at: number | null;
  last_attempt_at: number | null;
  attention: Health['attention'];
  attention_detail: string | null;
  clock_skew_ms: number | null;
  last_error: string | null;
  duplicates_absorbed: number;
}

export function readHealth(db: Db): Health {
  const row = prepared<[], HealthRow>(db, 'SELECT * FROM sync_health WHERE id = 1').get() as HealthRow;
  const problem = readStoredProblem(row.last_error);
  return {
    reachable: row.reachable === 1,
    lastSyncAt: row.last_sync_at,
    lastAttemptAt: row.last_attempt_at,
    attention: row.attention,
    attentionDetail: row.attention_detail,
    clockSkewMs: row.clock_skew_ms,
    lastProblem: problem.code,
    lastError: problem.detail,
    duplicatesAbsorbed: row.duplicates_absorbed,
  };
}

/** Records the outcome of one request. `success` also moves last_sync_at. */
export function recordContact(
  db: Db,
  contact: {
    now: number;
    reachable: boolean;
    success?: boolean;
    clockSkewMs?: number | null;
    /** Why it failed; null (or left out) when it did not. */
    problem?: SyncProblemRecord | null;
    attention?: Health['attention'];
    attentionDetail?: string | null;
  },
): void {
  prepared(
    db,
    `UPDATE sync_health SET reachable = :reachable, last_attempt_at = :now,
       last_sync_at = CASE WHEN :success THEN :now ELSE last_sync_at END,
       clock_skew_ms = coalesce(:skew, clock_skew_ms),
       last_error = :error,
       attention = CASE WHEN :setAttention THEN :attention ELSE attention END,
       attention_detail = CASE WHEN :setAttention THEN :attentionDetail ELSE attention_detail END
     WHERE id = 1`,
  ).run({
    now: contact.now,
    reachable: contact.reachable ? 1 : 0,
    success: contact.success ? 1 : 0,
    skew: contact.clockSkewMs ?? null,
    error: storedProblem(contact.problem ?? null),
    setAttention: contact.attention !== undefined ? 1 : 0,
    attention: contact.attention ?? null,
    attentionDetail: contact.attentionDetail ?? null,
  });
}

/** The unacknowledged head of the queue, in seq order, at most `limit` rows and about `maxBytes`. */
export function unackedBatch(db: Db, limit: number, maxBytes: number): OutboxRow[] {
  const rows: OutboxRow[] = [];
  let bytes = 0;
  for (const row of prepared<{ limit: number }, OutboxRow>(
    db,
    'SELECT seq, kind, ref, payload FROM outbox WHERE acked_at IS NULL ORDER BY seq LIMIT :limit',
  ).iterate({ limit })) {
    const size = row.payload.length * 3 + row.ref.length + 64; // UTF-8 worst case: never over the limit
    if (rows.length > 0 && bytes + size > maxBytes) break;
    rows.push(row);
    bytes += size;
  }
  return rows;
}

/**
 * The cloud has taken every seq up to `lastSeq` (outbox numbering): ack them; a newer enrolment
 * re-sends the rest. `quarantinedSeqs` it put aside, each with its reason where the cloud gave one
 * (`reasons`, by seq: a cloud before this version gives none).
 */
export function recordAck(
  db: Db,
  push: { lastSeq: number; now: number; duplicates: number; quarantinedSeqs: number[]; reasons?: ReadonlyMap<number, string> },
): void {
  db.transaction(() => {
    prepared(db, 'UPDATE outbox SET acked_at = :now WHERE seq <= :lastSeq AND acked_at IS NULL').run({
      lastSeq: push.lastSeq,
      now: push.now,
    });
    if (push.duplicates > 0)
      prepared(db, 'UPDATE sync_health SET duplicates_absorbed = duplicates_absorbed + :n WHERE id = 1').run({ n: push.duplicates });
    if (push.quarantinedSeqs.length === 0) return;
    // told again (a replay whose first answer was lost): kept as first reported, a reason added if it had none
    const insert = prepared(
      db,
      `INSERT INTO sync_quarantine (seq, reported_at, reason) VALUES (:seq, :now, :reason)
       ON CONFLICT (seq) DO UPDATE SET reason = excluded.reason WHERE sync_quarantine.reason IS NULL`,
    );
    for (const seq of push.quarantinedSeqs) insert.run({ seq, now: push.now, reason: push.reasons?.get(seq) ?? null });
    // an order pickup or collection the cloud refused: the clash shows on the order (order-repo.ts)
    settleRefusedOrderRows(db, push.quarantinedSeqs);
  }).immediate();
}

/**
 * Around a push of rows up to `seq`: before the request, they may reach the cloud (`offered`);
 * after a clear refusal from the cloud (it answered an error: nothing was applied), they did not,
 * and the mark goes back to `previous`. Renumbering at enrolment leaves alone what may have arrived.
 */
export function recordOffered(db: Db, seq: number): number {
  const previous = prepared<[], number>(db, 'SELECT offered_through_seq FROM sync_health WHERE id = 1').pluck().get() as number;
  if (seq > previous) prepared(db, 'UPDATE sync_health SET offered_through_seq = :seq WHERE id = 1').run({ seq });
  return previous;
}

export function withdrawOffer(db: Db, previous: number): void {
  prepared(db, 'UPDATE sync_health SET offered_through_seq = :previous WHERE id = 1').run({ previous });
}

/**
 * How far the figures a pull starting now will hold reach into the outbox (pulled-figures.ts):
 * every row the cloud has acknowledged (a prefix of the queue: acks go by seq, a SEQ_GAP sends a
 * suffix again).
 */
export function pullMark(db: Db): number {
  return prepared<[], number>(
    db,
    'SELECT coalesce((SELECT min(seq) - 1 FROM outbox WHERE acked_at IS NULL), (SELECT max(seq) FROM outbox), 0)',
  )
    .pluck()
    .get() as number;
}

/** A pull that began at `mark` (pullMark) has read the feed to its end: the pulled figures hold those rows' documents. */
export function recordPulledThrough(db: Db, mark: number): void {
  // an idle pull (the same mark) writes nothing
  prepared(db, 'UPDATE sync_health SET pulled_through_seq = :mark WHERE id = 1 AND pulled_through_seq <> :mark').run({ mark });
}

/** After a SEQ_GAP (the cloud was restored from a backup): send again everything after `lastSeq`. */
export function unackAfter(db: Db, lastSeq: number): number {
  return prepared(db, 'UPDATE outbox SET acked_at = NULL WHERE seq > :lastSeq AND acked_at IS NOT NULL').run({ lastSeq }).changes;
}

/** The documents the cloud put aside that a manager has not acknowledged, newest first: at most `limit`. */
export function quarantinedDocuments(db: Db, limit: number): QuarantinedDocument[] {
  return prepared<{ limit: number }, { seq: number; kind: string; ref: string; reason: string | null; reported_at: number }>(
    db,
    `SELECT q.seq, o.kind, o.ref, q.reason, q.reported_at FROM sync_quarantine q JOIN outbox o ON o.seq = q.seq
      WHERE q.acknowledged_at IS NULL ORDER BY q.seq DESC LIMIT :limit`,
  )
    .all({ limit })
    .map((row) => ({ seq: row.seq, kind: row.kind, ref: row.ref, reason: row.reason, reportedAt: row.reported_at }));
}

export function queueFigures(db: Db): { pending: number; pendingSales: number; oldestPendingSaleAt: number | null; quarantined: number } {
  // kept by migration 0027's triggers as rows are queued and acknowledged: no count of the backlog
  const counts = prepared<[], { rows: number; documents: number }>(db, 'SELECT rows, documents FROM outbox_pending WHERE id = 1').get() as {
    rows: number;
    documents: number;
  };
  // the first document still waiting, by its partial index (0027)
  const oldest = prepared<[], number>(
    db,
    "SELECT created_at FROM outbox WHERE acked_at IS NULL AND kind GLOB 'document.*' ORDER BY seq LIMIT 1",
  )
    .pluck()
    .get() as number | undefined;
  const quarantined = prepared<[], number>(db, 'SELECT count(*) FROM sync_quarantine WHERE acknowledged_at IS NULL')
    .pluck()
    .get() as number;
  return { pending: counts.rows, pendingSales: counts.documents, oldestPendingSaleAt: oldest ?? null, quarantined };
}
