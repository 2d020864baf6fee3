/**
 * Who is at the till. One register has one logged-in staff member at a time; every channel's
 * permission is checked against them in main, from the permission matrix as it is now (a role
 * edited a moment ago counts on the next call). Logins, logouts, wrong PINs and lockouts are
 * audited; the lockout rules are in pin-attempts.ts.
 */
import type { Db } from '../db/open';
import type { Clock } from '../clock';
import type { AuditEntry, AuditLog } from '../audit/audit-log';
import type { StaffSummary } from '../../shared/schemas';
import type { Permission } from '../../shared/permissions';
import { PosError } from '../../shared/errors';
import { verifyPin } from './pin-hash';
import { findStaff, listActiveStaff, type StaffRow } from './staff-repo';
import { LOCK_AFTER_FAILED_PINS, LOCK_MINUTES, lockedOut, memoryLedger, staffAccountLedger, type AttemptLedger } from './pin-attempts';
import type { PermissionMatrix } from './permission-matrix';

export { LOCK_AFTER_FAILED_PINS, LOCK_MINUTES } from './pin-attempts';

/** What an approver must be able to do themselves to allow someone else's action. */
export type ApproverCheck = (approver: StaffSummary) => boolean;

export interface StaffService {
  listForLogin(): StaffSummary[];
  login(staffId: number, pin: string): Promise<StaffSummary>;
  /**
   * Someone's PIN entered in place for the requester's action. Wrong PINs count toward the
   * requester's approval-pad lockout (5 wrong: the pad refuses every approval for them for 5
   * minutes), never the approver's account. Refuses (FORBIDDEN) an approver whose role cannot do
   * the action itself.
   */
  verifyApprover(requester: StaffSummary, staffId: number, pin: string, can: ApproverCheck, what: string): Promise<StaffSummary>;
  /** Checks a PIN without logging in (clock in/out); wrong PINs count toward lockout. */
  checkPin(staffId: number, pin: string, context: string): Promise<StaffSummary>;
  logout(): void;
  current(): StaffSummary | null;
  summary(staffId: number): StaffSummary | null;
  can(staff: StaffSummary, permission: Permission): boolean;
}

export function createStaffService(deps: {
  db: Db;
  pepper: Buffer;
  clock: Clock;
  audit: AuditLog;
  matrix: PermissionMatrix;
  onChange: () => void;
}): StaffService {
  const { db, pepper, clock, audit, matrix, onChange } = deps;
  let currentId: number | null = null;

  function toSummary(row: StaffRow): StaffSummary {
    const role = matrix.role(row.role);
    return {
      id: row.id,
      code: row.code,
      nameZh: row.name_zh,
      nameEn: row.name_en,
      role: row.role,
      roleNameZh: role?.nameZh ?? row.role,
      roleNameEn: role?.nameEn ?? row.role,
      permissions: role?.permissions ?? [],
      discountLimitBasisPoints: role?.discountLimitBasisPoints ?? 0,
    };
  }

  const accounts = staffAccountLedger(db);
  const approvalPads = memoryLedger();

  /** One wrong PIN: audited; LOCKED_OUT when it was the attempt that locked the ledger, else PIN_INVALID. */
  function refuse(
    ledger: AttemptLedger,
    key: number,
    attempt: number,
    now: number,
    failed: AuditEntry,
    locked: (until: number) => AuditEntry,
  ): never {
    const until = db
      .transaction(() => {
        audit.append({ ...failed, detail: { ...failed.detail, failedPins: attempt } });
        const until = ledger.lockedUntil(key, now);
        if (attempt < LOCK_AFTER_FAILED_PINS || until === null) return null;
        audit.append(locked(until));
        return until;
      })
      .immediate();
    if (until !== null) throw lockedOut(until, now);
    throw new PosError('PIN_INVALID', 'Wrong PIN');
  }

  function activeStaff(staffId: number): StaffRow {
    const staff = findStaff(db, staffId);
    if (!staff || staff.active !== 1) throw new PosError('NOT_FOUND', 'No such staff member');
    return staff;
  }

  async function checkPin(staffId: number, pin: string, context: string): Promise<StaffSummary> {
    const staff = activeStaff(staffId);
    const now = clock.now();
    // Counted before the await: attempts in flight at once see each other.
    const attempt = accounts.begin(staff.id, now);
    if (!(await verifyPin(pin, staff.pin_hash, pepper))) {
      refuse(accounts, staff.id, attempt, now, { kind: 'staff.login-failed', staffId: staff.id, subject: context }, (until) => ({
        kind: 'staff.locked',
        staffId: staff.id,
        subject: context,
        detail: { until, minutes: LOCK_MINUTES },
      }));
    }
    accounts.succeeded(staff.id);
    return toSummary(staff);
  }

  return {
    listForLogin: () => listActiveStaff(db).map(toSummary),

    async login(staffId, pin) {
      const staff = await checkPin(staffId, pin, 'login');
      db.transaction(() => {
        if (currentId !== null && currentId !== staff.id)
          audit.append({ kind: 'staff.logout', staffId: currentId, detail: { switchedTo: staff.id } });
        audit.append({ kind: 'staff.login', staffId: staff.id });
      }).immediate();
      currentId = staff.id;
      onChange();
      return staff;
    },

    async verifyApprover(requester, staffId, pin, can, what) {
      const row = activeStaff(staffId);
      const now = clock.now();
      // A manager locked out of their own account approves nothing until the lock ends.
      if (row.locked_until !== null && now < row.locked_until) throw lockedOut(row.locked_until, now);
      // Wrong approval PINs count against the requester's approval pad, not the manager's account.
      const attempt = approvalPads.begin(requester.id, now);
      if (!(await verifyPin(pin, row.pin_hash, pepper))) {
        refuse(
          approvalPads,
          requester.id,
          attempt,
          now,
          { kind: 'staff.login-failed', staffId: requester.id, subject: 'approval', detail: { approverId: row.id } },
          (until) => ({
            kind: 'staff.locked',
            staffId: requester.id,
            subject: 'approval-pad',
            detail: { until, minutes: LOCK_MINUTES, approverId: row.id },
          }),
        );
      }
      approvalPads.succeeded(requester.id);
      const approver = toSummary(row);
      if (!can(approver)) throw new PosError('FORBIDDEN', `${approver.nameEn} (${approver.roleNameEn}) may not approve ${what}`);
      return approver;
    },

    checkPin,

    logout() {
      if (currentId === null) return;
      audit.append({ kind: 'staff.logout', staffId: currentId });
      currentId = null;
      onChange();
    },

    current() {
      if (currentId === null) return null;
      const row = findStaff(db, currentId);
      // Deactivated while logged in: the session ends with the next call.
      if (!row || row.active !== 1) {
        currentId = null;
        return null;
      }
      return toSummary(row);
    },

    summary(staffId) {
      const row = findStaff(db, staffId);
      return row ? toSummary(row) : null;
    },

    can: (staff, permission) => matrix.allows(staff.role, permission),
  };
}
