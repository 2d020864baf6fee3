/**
 * The append-only, hash-chained audit log. `append` joins the caller's transaction when there is
 * one, so an audited action and its audit row commit or roll back together. `verify` walks the
 * chain and names the first row that does not match, and checks the chain still reaches the
 * anchor kept outside the database (audit-anchor.ts), so deleted newest rows are caught too.
 */
import { createHmac } from 'node:crypto';
import type { Db } from '../db/open';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import { prepared } from '../db/prepared';
import { readAnchor, writeAnchor, type AuditAnchor } from './audit-anchor';

/** Every kind of audited event, in one list, so reports can group by it. */
export const auditKinds = [
  'staff.login',
  'staff.login-failed',
  'staff.locked',
  'staff.logout',
  'staff.clock-in',
  'staff.clock-out',
  'staff.changed',
  'role.changed',
  'approval.granted',
  'cart.void',
  'cart.line-removed',
  'price.override',
  'discount.over-limit',
  'refund',
  'drawer.no-sale',
  'cash.pay-in',
  'cash.pay-out',
  'cash.safe-drop',
  'shift.opened',
  'shift.closed',
  'day.closed',
  'settings.changed',
  'hardware.changed',
  'sync.enrolled',
  'sync.forgotten',
  'audit.anchor-mismatch',
  'backup.created',
  'backup.restored',
  'update.requested',
  'update.installed',
  'update.failed',
  'stock.posted',
  'stock.cancelled',
  'stock.count-joined',
  'stock.count-left',
  'stock.count-refusal-dismissed',
  'training.started',
  'training.stopped',
] as const;
export type AuditKind = (typeof auditKinds)[number];

export interface AuditEntry {
  kind: AuditKind;
  staffId: number | null;
  approverId?: number | null;
  subject?: string | null;
  detail?: Record<string, unknown>;
}

export interface AuditRow {
  seq: number;
  at: number;
  kind: AuditKind;
  staffId: number | null;
  approverId: number | null;
  subject: string | null;
  detail: Record<string, unknown>;
}

/**
 * Why the log fails: a row does not chain (`altered`), the newest rows before the anchor are gone
 * (`newest-rows-missing`), or a start found them gone and recorded it (`rows-missing-at-start`).
 */
export type AuditProblem = 'altered' | 'newest-rows-missing' | 'rows-missing-at-start';
export type AuditVerification = { ok: true; rows: number } | { ok: false; rows: number; firstBadSeq: number; problem: AuditProblem };

export interface AuditLog {
  append(entry: AuditEntry): number;
  verify(): AuditVerification;
  /** The quick check at start: does the database still hold the row the anchor names? */
  anchorMatches(): boolean;
  /** Writes the anchor now if appends are waiting for it (before the register closes). */
  flushAnchor(): void;
}

interface StoredRow {
  seq: number;
  at: number;
  kind: string;
  staff_id: number | null;
  approver_id: number | null;
  subject: string | null;
  detail: string;
  hash: string;
}

const GENESIS = '0'.repeat(64);

function rowHash(key: Buffer, previous: string, row: Omit<StoredRow, 'hash'>): string {
  const content = JSON.stringify([row.seq, row.at, row.kind, row.staff_id, row.approver_id, row.subject, row.detail]);
  return createHmac('sha256', key).update(previous).update('\n').update(content).digest('hex');
}

interface NewestRow {
  seq: number;
  hash: string;
}

const newestRow = (db: Db) => prepared<[], NewestRow>(db, 'SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get();

/** Whether the database still holds the row the anchor names, with its HMAC; no anchor yet matches. */
function reachesAnchor(db: Db, anchor: AuditAnchor | null | 'unreadable'): boolean {
  if (anchor === null) return true;
  if (anchor === 'unreadable') return false;
  const row = prepared<{ seq: number }, { hash: string }>(db, 'SELECT hash FROM audit_log WHERE seq = :seq').get({ seq: anchor.seq });
  return row?.hash === anchor.hash;
}

/**
 * Walks the chain from the first row; then the anchor's row must be in it (rows deleted from the
 * end show as the first missing one), and no start may have recorded rows missing.
 */
export function verifyAuditChain(db: Db, key: Buffer, anchorFile: string | null): AuditVerification {
  let previous = GENESIS;
  let expectedSeq = 1;
  let rows = 0;
  let recordedGap: number | null = null;
  for (const row of db
    .prepare('SELECT seq, at, kind, staff_id, approver_id, subject, detail, hash FROM audit_log ORDER BY seq')
    .iterate() as IterableIterator<StoredRow>) {
    if (row.seq !== expectedSeq || rowHash(key, previous, row) !== row.hash)
      return { ok: false, rows, firstBadSeq: expectedSeq, problem: 'altered' };
    if (row.kind === 'audit.anchor-mismatch') recordedGap ??= row.seq;
    previous = row.hash;
    expectedSeq += 1;
    rows += 1;
  }
  const anchor = anchorFile === null ? null : readAnchor(anchorFile);
  if (!reachesAnchor(db, anchor)) return { ok: false, rows, firstBadSeq: expectedSeq, problem: 'newest-rows-missing' };
  if (recordedGap !== null) return { ok: false, rows, firstBadSeq: recordedGap, problem: 'rows-missing-at-start' };
  return { ok: true, rows };
}

/**
 * `anchorFile`: where the anchor lives (secrets/audit-anchor); null keeps no anchor (tests of the
 * chain alone). With no anchor yet (a new register, or one from before anchors), the newest row
 * becomes the anchor.
 */
export function createAuditLog({
  db,
  key,
  clock,
  anchorFile = null,
  log,
}: {
  db: Db;
  key: Buffer;
  clock: Clock;
  anchorFile?: string | null;
  log?: Logger;
}): AuditLog {
  const append = db.transaction((entry: AuditEntry): number => {
    const last = newestRow(db);
    const row = {
      seq: (last?.seq ?? 0) + 1,
      at: clock.now(),
      kind: entry.kind,
      staff_id: entry.staffId,
      approver_id: entry.approverId ?? null,
      subject: entry.subject ?? null,
      detail: JSON.stringify(entry.detail ?? {}),
    };
    const hash = rowHash(key, last?.hash ?? GENESIS, row);
    prepared(db, 'INSERT INTO audit_log (seq, at, kind, staff_id, approver_id, subject, detail, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
      row.seq,
      row.at,
      row.kind,
      row.staff_id,
      row.approver_id,
      row.subject,
      row.detail,
      hash,
    );
    return row.seq;
  });

  let anchorDue = false;
  let anchored: NewestRow | null = null;
  /** The newest committed row becomes the anchor. Never throws: a failed write leaves the old anchor, which still verifies. */
  const flushAnchor = () => {
    anchorDue = false;
    if (anchorFile === null || !db.open) return;
    try {
      const newest = newestRow(db);
      if (!newest || (anchored && anchored.seq === newest.seq && anchored.hash === newest.hash)) return;
      writeAnchor(anchorFile, { seq: newest.seq, hash: newest.hash });
      anchored = newest;
    } catch (error) {
      log?.warn('the audit anchor could not be written; it stays at the last row written', { error: String(error) });
    }
  };
  if (anchorFile !== null && readAnchor(anchorFile) === null) flushAnchor();

  return {
    append(entry) {
      const seq = append.immediate(entry);
      // Written after the outermost transaction has committed (or rolled back, and the anchor
      // stays where it was), and after the action's answer has gone: setImmediate comes after the
      // reply's microtasks. The write is two fsyncs and a rename (1.6 ms at the median, 11 ms at
      // p90 on a busy machine), which a Delete or a void used to wait for. A stop in between
      // leaves rows after the anchor, which the anchor allows.
      if (anchorFile !== null && !anchorDue) {
        anchorDue = true;
        setImmediate(flushAnchor);
      }
      return seq;
    },
    verify: () => verifyAuditChain(db, key, anchorFile),
    anchorMatches: () => anchorFile === null || reachesAnchor(db, readAnchor(anchorFile)),
    flushAnchor,
  };
}

/** Rows for a report, newest first. */
export function listAudit(
  db: Db,
  filter: { staffId?: number; kinds?: readonly AuditKind[]; from?: number; to?: number; limit?: number },
): AuditRow[] {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.staffId !== undefined) {
    where.push('(staff_id = ? OR approver_id = ?)');
    params.push(filter.staffId, filter.staffId);
  }
  if (filter.kinds && filter.kinds.length > 0) {
    where.push(`kind IN (${filter.kinds.map(() => '?').join(', ')})`);
    params.push(...filter.kinds);
  }
  if (filter.from !== undefined) {
    where.push('at >= ?');
    params.push(filter.from);
  }
  if (filter.to !== undefined) {
    where.push('at < ?');
    params.push(filter.to);
  }
  const sql = `SELECT seq, at, kind, staff_id, approver_id, subject, detail FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ?`;
  params.push(filter.limit ?? 500);
  return (db.prepare(sql).all(...params) as Omit<StoredRow, 'hash'>[]).map((row) => ({
    seq: row.seq,
    at: row.at,
    kind: row.kind as AuditKind,
    staffId: row.staff_id,
    approverId: row.approver_id,
    subject: row.subject,
    detail: JSON.parse(row.detail) as Record<string, unknown>,
  }));
}
