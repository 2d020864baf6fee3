/**
 * What the cloud says of a shared count (src/shared/count-session.ts), kept on this register's
 * copy: its participants (who left, and whether their scans still count), scans the cloud refused
 * are marked, and a session posted or cancelled in the cloud closes here, with who closed it
 * (`shared_posted_by`: `MK01-01 Amy`) and, when it was cancelled, why (`note`). Database only, so the main thread (shared-counts.ts) and the sync worker's pull
 * (sync-engine.ts) both use it.
 */
import type { Db } from '../db/open';
import { prepared } from '../db/prepared';
import type { CountParticipant, CountSessionView } from '../../shared/count-session';
import { readEnrolment } from '../sync/sync-store';

/**
 * Keeps the cloud's view of the session on document `documentId`; inside the caller's transaction.
 * Answers whether it closed it now, and whether the registers that left are not those kept before.
 */
export function recordCloudSession(
  db: Db,
  documentId: number,
  session: CountSessionView,
  now: number,
  closedByStaffId: number | null,
): { closed: boolean; leftChanged: boolean } {
  const leftBefore = prepared<{ id: number }, string | null>(db, 'SELECT shared_participants FROM stock_document WHERE id = :id')
    .pluck()
    .get({ id: documentId });
  const whoLeft = (participants: CountParticipant[]) =>
    participants
      .filter((p) => p.leftAt !== null)
      .map((p) => `${p.registerCode}:${p.leftScans ?? ''}`)
      .join(',');
  const leftChanged = whoLeft(session.participants) !== whoLeft(leftBefore ? (JSON.parse(leftBefore) as CountParticipant[]) : []);
  prepared(db, 'UPDATE stock_document SET shared_participants = :participants WHERE id = :id').run({
    participants: JSON.stringify(session.participants),
    id: documentId,
  });
  prepared(
    db,
    `UPDATE stock_scan SET refused_at = :now
      WHERE document_id = :id AND refused_at IS NULL AND id IN (SELECT value FROM json_each(:seqs))`,
  ).run({ now, id: documentId, seqs: JSON.stringify(session.refusedEntrySeqs) });
  const current = prepared<{ id: number }, string>(db, 'SELECT status FROM stock_document WHERE id = :id').pluck().get({ id: documentId });
  if (current !== 'open' || session.status === 'open') return { closed: false, leftChanged };
  const cancelled = session.status === 'cancelled';
  prepared(
    db,
    `UPDATE stock_document SET status = :status, posted_at = :closedAt, posted_by = :staffId, shared_posted_by = :closedBy,
            note = CASE WHEN :cancelled = 1 THEN :reason ELSE note END
      WHERE id = :id`,
  ).run({
    status: session.status,
    closedAt: (cancelled ? session.cancelledAt : session.postedAt) ?? now,
    staffId: closedByStaffId,
    closedBy: cancelled ? session.cancelledBy : session.postedBy,
    cancelled: cancelled ? 1 : 0,
    reason: session.cancelReason,
    id: documentId,
  });
  return { closed: true, leftChanged };
}

/** A count left this long ago is no longer asked about, whatever the cloud said (a leave it refused). */
const FOLLOW_LEFT_MS = 14 * 24 * 3_600_000;

/**
 * The shared counts the pull asks the cloud about: those open here, and those this register left
 * withdrawing its scans until the cloud says how the withdrawal went (withdrawn, or too late: the
 * count was posted first), so the leaver's own screen tells it, not only the others'.
 */
export function sharedCountsToFollow(db: Db, now: number): { id: number; docId: string }[] {
  return prepared<{ self: string; since: number }, { id: number; docId: string }>(
    db,
    `SELECT id, doc_id AS docId FROM stock_document
      WHERE kind = 'count' AND shared_role IS NOT NULL
        AND (status = 'open'
             OR (shared_left = 'withdrawn' AND posted_at >= :since
                 AND NOT EXISTS (SELECT 1 FROM json_each(coalesce(shared_participants, '[]')) p
                                  WHERE json_extract(p.value, '$.registerCode') = :self
                                    AND json_extract(p.value, '$.leftScans') IN ('withdrawn', 'too-late'))))
      ORDER BY id`,
  ).all({ self: readEnrolment(db)?.registerCode ?? '', since: now - FOLLOW_LEFT_MS });
}

/** This register's own row among the cloud's participants of a shared count (by its enrolled code). */
export function ownParticipant(db: Db, participants: readonly CountParticipant[]): CountParticipant | undefined {
  const self = readEnrolment(db)?.registerCode;
  return self === undefined ? undefined : participants.find((p) => p.registerCode === self);
}
