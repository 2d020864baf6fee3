/**
 * The append-only, hash-chained audit log. `append` joins the caller's transaction when there is
 * one, so an audited action and its audit row commit or roll back together. `verify` walks the
 * chain and names the first row that does not match.
 */
import { createHmac } from 'node:crypto';
import type { Db } from '../db/open';
import type { Clock } from '../clock';
import { prepared } from '../db/prepared';

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

export type AuditVerification = { ok: true; rows: number } | { ok: false; rows: number; firstBadSeq: number };

export interface AuditLog {
  append(entry: AuditEntry): number;
  verify(): AuditVerification;
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

export function createAuditLog({ db, key, clock }: { db: Db; key: Buffer; clock: Clock }): AuditLog {
  const append = db.transaction((entry: AuditEntry): number => {
    const last = prepared(db, 'SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
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

  return {
    append: (entry) => append.immediate(entry),
    verify() {
      let previous = GENESIS;
      let expectedSeq = 1;
      let rows = 0;
      for (const row of db.prepare('SELECT seq, at, kind, staff_id, approver_id, subject, detail, hash FROM audit_log ORDER BY seq').iterate() as IterableIterator<StoredRow>) {
        if (row.seq !== expectedSeq || rowHash(key, previous, row) !== row.hash) return { ok: false, rows, firstBadSeq: expectedSeq };
        previous = row.hash;
        expectedSeq += 1;
        rows += 1;
      }
      return { ok: true, rows };
    },
  };
}

/** Rows for a report, newest first. */
export function listAudit(db: Db, filter: { staffId?: number; kinds?: readonly AuditKind[]; from?: number; to?: number; limit?: number }): AuditRow[] {
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
