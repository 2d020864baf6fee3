/**
 * At start: the audit log must still reach the anchor kept in secrets/. When it does not (rows
 * were deleted while the register was stopped), the register says so in the status bar and the
 * log, and records it in the audit log itself, as the first row after what is left; the anchor
 * then moves on with it, so the record of the gap is what later checks find.
 */
import { readAnchor } from './audit-anchor';
import type { AuditLog } from './audit-log';
import type { Logger } from '../log';

export function checkAuditAnchorAtStart(audit: AuditLog, anchorFile: string, log: Logger): 'ok' | 'tampered' {
  if (audit.anchorMatches()) return 'ok';
  const anchor = readAnchor(anchorFile);
  const expected = typeof anchor === 'object' && anchor !== null ? anchor : null;
  log.error('the audit log no longer reaches its anchor: rows were deleted or replaced while the register was stopped', {
    anchor: expected ?? 'unreadable',
  });
  audit.append({
    kind: 'audit.anchor-mismatch',
    staffId: null,
    subject: 'start',
    detail: { anchorSeq: expected?.seq ?? null, anchorHash: expected?.hash ?? null },
  });
  audit.flushAnchor();
  return 'tampered';
}
