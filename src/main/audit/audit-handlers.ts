/** Channel handlers for the audit log's back-office section: browse, verify the chain, exceptions. */
import type { Db } from '../db/open';
import type { Handlers } from '../api/router';
import { PosError } from '../../shared/errors';
import type { AuditEntryView } from '../../shared/staff-schemas';
import { prepared } from '../db/prepared';
import { auditKinds, listAudit, type AuditKind, type AuditLog } from './audit-log';
import { exceptionsReport } from './exceptions-report';

type AuditHandlers = Pick<Handlers, 'audit:list' | 'audit:verify' | 'audit:kinds' | 'audit:exceptions'>;

function isAuditKind(kind: string): kind is AuditKind {
  return (auditKinds as readonly string[]).includes(kind);
}

export function createAuditHandlers({ db, audit }: { db: Db; audit: AuditLog }): AuditHandlers {
  const names = () =>
    new Map(
      prepared<[], { id: number; name_zh: string; name_en: string }>(db, 'SELECT id, name_zh, name_en FROM staff')
        .all()
        .map((s) => [s.id, { id: s.id, nameZh: s.name_zh, nameEn: s.name_en }]),
    );
  return {
    'audit:list': (req) => {
      const unknown = (req.kinds ?? []).filter((k) => !isAuditKind(k));
      if (unknown.length > 0) throw new PosError('BAD_REQUEST', `Unknown audit kinds: ${unknown.join(', ')}`);
      const staff = names();
      return listAudit(db, { ...req, kinds: (req.kinds ?? []).filter(isAuditKind) }).map(
        (row): AuditEntryView => ({
          seq: row.seq,
          at: row.at,
          kind: row.kind,
          staff: row.staffId === null ? null : (staff.get(row.staffId) ?? null),
          approver: row.approverId === null ? null : (staff.get(row.approverId) ?? null),
          subject: row.subject,
          detail: row.detail,
        }),
      );
    },
    'audit:verify': () => {
      const result = audit.verify();
      return result.ok
        ? { ok: true, rows: result.rows, firstBadSeq: null, problem: null }
        : { ok: false, rows: result.rows, firstBadSeq: result.firstBadSeq, problem: result.problem };
    },
    'audit:kinds': () => [...auditKinds],
    'audit:exceptions': (req) => {
      if (req.to <= req.from) throw new PosError('BAD_REQUEST', 'The range must end after it starts');
      return exceptionsReport(db, req);
    },
  };
}
