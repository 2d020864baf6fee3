/**
 * Shared counts the cloud refused, kept on the count (stock_document.cloud_refusal, migration 0030)
 * so they show, never only in the log: the post answered 409 COUNT_ID_TAKEN (another stock document
 * has the count's id: cancel it and count again), or the cloud no longer has the count (404 at the
 * post or when the sync worker follows it: COUNT_NOT_IN_CLOUD). The status bar's sync attention
 * counts them (sync-controller.ts) and the back office's 雲端同步 lists them with the reason, until
 * the count is closed here (posted, cancelled, left), the cloud answers for it again (a 404 only), or
 * a manager dismisses it; a dismissed refusal is not raised again by the same answer.
 * Database only: the main thread (shared-counts.ts, the handlers) and the sync worker both use it.
 */
import * as z from '../../shared/zod';
import type { RefusedCount } from '../../shared/sync-schemas';
import type { Db } from '../db/open';
import { prepared } from '../db/prepared';

export type CountRefusalCode = RefusedCount['code'];

const Refusal = z.object({
  code: z.enum(['COUNT_ID_TAKEN', 'COUNT_NOT_IN_CLOUD']),
  at: z.number().int(),
  detail: z.string(),
  dismissedAt: z.number().int().nullable(),
  dismissedBy: z.number().int().nullable(),
});
type Refusal = z.infer<typeof Refusal>;

const refusalOf = (db: Db, documentId: number): Refusal | null => {
  const raw = prepared<{ id: number }, string | null>(db, 'SELECT cloud_refusal FROM stock_document WHERE id = :id')
    .pluck()
    .get({ id: documentId });
  return raw ? Refusal.parse(JSON.parse(raw)) : null;
};

const write = (db: Db, documentId: number, refusal: Refusal | null): void => {
  prepared(db, 'UPDATE stock_document SET cloud_refusal = :refusal WHERE id = :id').run({
    refusal: refusal === null ? null : JSON.stringify(refusal),
    id: documentId,
  });
};

/** The cloud refused count `documentId` with `code`. Answers whether what shows changed (a new or another refusal). */
export function recordCountRefusal(db: Db, documentId: number, code: CountRefusalCode, detail: string, now: number): boolean {
  return db
    .transaction(() => {
      const known = refusalOf(db, documentId);
      if (known?.code === code) return false; // the same answer again: shown, or dismissed by a manager
      write(db, documentId, { code, at: now, detail, dismissedAt: null, dismissedBy: null });
      return true;
    })
    .immediate();
}

/** The cloud answers for count `documentId` again: a refusal with `code` no longer stands. Answers whether one was cleared. */
export function clearCountRefusal(db: Db, documentId: number, code: CountRefusalCode): boolean {
  return db
    .transaction(() => {
      if (refusalOf(db, documentId)?.code !== code) return false;
      write(db, documentId, null);
      return true;
    })
    .immediate();
}

/** Refusals of counts still open here that nobody has dismissed, oldest first. */
export function refusedCounts(db: Db): RefusedCount[] {
  return prepared<[], { id: number; doc_no: string; cloud_refusal: string }>(
    db,
    `SELECT id, doc_no, cloud_refusal FROM stock_document
      WHERE cloud_refusal IS NOT NULL AND status = 'open' AND json_extract(cloud_refusal, '$.dismissedAt') IS NULL
      ORDER BY json_extract(cloud_refusal, '$.at'), id`,
  )
    .all()
    .map((row) => {
      const refusal = Refusal.parse(JSON.parse(row.cloud_refusal));
      return { documentId: row.id, docNo: row.doc_no, code: refusal.code, at: refusal.at, detail: refusal.detail };
    });
}

/** A manager has seen it: the refusal leaves the status bar (it stays on the count, dismissed). Answers the count's number. */
export function dismissCountRefusal(
  db: Db,
  documentId: number,
  staffId: number,
  now: number,
): { docNo: string; code: CountRefusalCode } | null {
  return db
    .transaction(() => {
      const known = refusalOf(db, documentId);
      if (!known || known.dismissedAt !== null) return null;
      write(db, documentId, { ...known, dismissedAt: now, dismissedBy: staffId });
      const docNo = prepared<{ id: number }, string>(db, 'SELECT doc_no FROM stock_document WHERE id = :id')
        .pluck()
        .get({ id: documentId })!;
      return { docNo, code: known.code };
    })
    .immediate();
}
