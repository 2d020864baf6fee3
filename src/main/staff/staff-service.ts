/**
 * Who is at the till. One register has one logged-in staff member at a time; every channel's
 * permission is checked against them in main, from the permission matrix as it is now (a role
 * edited a moment ago counts on the next call). Logins, logouts, wrong PINs and lockouts are
 * audited in the same transaction as the counter they change.
 */
import type { Db } from '../db/open';
import type { Clock } from '../clock';
import type { AuditLog } from '../audit/audit-log';
import type { StaffSummary } from '../../shared/schemas';
import type { Permission } from '../../shared/permissions';
import { PosError } from '../../shared/errors';
import { verifyPin } from './pin-hash';
import { findStaff, listActiveStaff, recordFailedPin, recordGoodPin, type StaffRow } from './staff-repo';
import type { PermissionMatrix } from './permission-matrix';

export const LOCK_AFTER_FAILED_PINS = 5;
export const LOCK_MINUTES = 5;

/** What an approver must be able to do themselves to allow someone else's action. */
export type ApproverCheck = (approver: StaffSummary) => boolean;

export interface StaffService {
  listForLogin(): StaffSummary[];
  login(staffId: number, pin: string): Promise<StaffSummary>;
  /**
   * Someone's PIN entered in place for another staff member's action; wrong PINs count toward
   * their lockout. Refuses (FORBIDDEN) an approver whose role cannot do the action itself.
   */
  verifyApprover(staffId: number, pin: string, can: ApproverCheck, what: string): Promise<StaffSummary>;
  /** Checks a PIN without logging in (clock in/out); wrong PINs count toward lockout. */
  checkPin(staffId: number, pin: string, context: string): Promise<StaffSummary>;
  logout(): void;
  current(): StaffSummary | null;
  summary(staffId: number): StaffSummary | null;
  can(staff: StaffSummary, permission: Permission): boolean;
}

export function createStaffService(deps: { db: Db; pepper: Buffer; clock: Clock; audit: AuditLog; matrix: PermissionMatrix; onChange: () => void }): StaffService {
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

  async function checkPin(staffId: number, pin: string, context: string): Promise<StaffSummary> {
    const staff = findStaff(db, staffId);
    if (!staff || staff.active !== 1) throw new PosError('NOT_FOUND', 'No such staff member');
    const now = clock.now();
    if (staff.locked_until !== null && now < staff.locked_until) {
      const minutes = Math.ceil((staff.locked_until - now) / 60_000);
      throw new PosError('LOCKED_OUT', `Too many wrong PINs. Try again in ${minutes} min or ask a manager.`);
    }
    if (!(await verifyPin(pin, staff.pin_hash, pepper))) {
      const lockedNow = db
        .transaction(() => {
          // An expired lock starts the count again.
          if (staff.locked_until !== null) recordGoodPin(db, staff.id);
          const after = recordFailedPin(db, staff.id, LOCK_AFTER_FAILED_PINS, now + LOCK_MINUTES * 60_000);
          audit.append({ kind: 'staff.login-failed', staffId: staff.id, subject: context, detail: { failedPins: after.failed_pins } });
          const locked = after.locked_until !== null && after.failed_pins >= LOCK_AFTER_FAILED_PINS;
          if (locked) audit.append({ kind: 'staff.locked', staffId: staff.id, subject: context, detail: { until: after.locked_until, minutes: LOCK_MINUTES } });
          return locked;
        })
        .immediate();
      if (lockedNow) throw new PosError('LOCKED_OUT', `Too many wrong PINs. Try again in ${LOCK_MINUTES} min or ask a manager.`);
      throw new PosError('PIN_INVALID', 'Wrong PIN');
    }
    if (staff.failed_pins !== 0 || staff.locked_until !== null) recordGoodPin(db, staff.id);
    return toSummary(staff);
  }

  return {
    listForLogin: () => listActiveStaff(db).map(toSummary),

    async login(staffId, pin) {
      const staff = await checkPin(staffId, pin, 'login');
      db.transaction(() => {
        if (currentId !== null && currentId !== staff.id) audit.append({ kind: 'staff.logout', staffId: currentId, detail: { switchedTo: staff.id } });
        audit.append({ kind: 'staff.login', staffId: staff.id });
      }).immediate();
      currentId = staff.id;
      onChange();
      return staff;
    },

    async verifyApprover(staffId, pin, can, what) {
      const approver = await checkPin(staffId, pin, 'approval');
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
