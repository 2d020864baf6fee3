/**
 * The back office's staff and role management, and clock in/out. Every edit is audited in the same
 * transaction. Nobody can hand out what they do not hold: a role edit may only add or remove
 * permissions the editor's own role has; a staff member may only be given a role, or be edited,
 * re-PINned or unlocked, when the editor holds every permission of their role; and an editor cannot
 * take role management away from their own role.
 */
import type { Db } from '../db/open';
import type { Clock } from '../clock';
import type { AuditLog } from '../audit/audit-log';
import type { StaffSummary } from '../../shared/schemas';
import type { Permission } from '../../shared/permissions';
import { builtInRoles } from '../../shared/permissions';
import type { ClockDirection, ClockResult, RoleInfo, RoleInput, StaffInput, StaffRecord, Timesheet } from '../../shared/staff-schemas';
import { PosError } from '../../shared/errors';
import { prepared } from '../db/prepared';
import { hashPin } from './pin-hash';
import { findStaff, findStaffByCode, insertStaff, listAllStaff, setPinHash, updateStaff, type StaffRow } from './staff-repo';
import { deleteRole, insertRole, setRolePermissions, updateRole } from './role-repo';
import type { PermissionMatrix } from './permission-matrix';
import type { StaffService } from './staff-service';

export interface StaffAdminDeps {
  db: Db;
  pepper: Buffer;
  clock: Clock;
  audit: AuditLog;
  matrix: PermissionMatrix;
  staff: StaffService;
  onChange: () => void;
}

interface ClockRow {
  kind: ClockDirection;
  at: number;
}

function lastClockEvent(db: Db, staffId: number): ClockRow | undefined {
  return prepared<{ staffId: number }, ClockRow>(
    db,
    'SELECT kind, at FROM clock_event WHERE staff_id = :staffId ORDER BY at DESC, id DESC LIMIT 1',
  ).get({ staffId });
}

export function createStaffAdmin(deps: StaffAdminDeps) {
  const { db, pepper, clock, audit, matrix, staff, onChange } = deps;

  function toRecord(row: StaffRow): StaffRecord {
    const last = lastClockEvent(db, row.id);
    return {
      id: row.id,
      code: row.code,
      nameZh: row.name_zh,
      nameEn: row.name_en,
      role: row.role,
      active: row.active === 1,
      failedPins: row.failed_pins,
      lockedUntil: row.locked_until !== null && row.locked_until > clock.now() ? row.locked_until : null,
      clockedInSince: last?.kind === 'in' ? last.at : null,
    };
  }

  function mustHold(actor: StaffSummary, wanted: readonly Permission[], what: string): void {
    const missing = wanted.filter((p) => !staff.can(actor, p));
    if (missing.length > 0) throw new PosError('FORBIDDEN', `${what} needs permissions your role does not have: ${missing.join(', ')}`);
  }

  function roleOrThrow(code: string): RoleInfo {
    const role = matrix.role(code);
    if (!role) throw new PosError('NOT_FOUND', `No role ${code}`);
    return role;
  }

  function matrixChanged(): void {
    matrix.invalidate();
    onChange();
  }

  return {
    listStaff: (): StaffRecord[] => listAllStaff(db).map(toRecord),

    async saveStaff(actor: StaffSummary, input: StaffInput): Promise<StaffRecord> {
      const role = roleOrThrow(input.role);
      const existing = input.id === undefined ? undefined : findStaff(db, input.id);
      if (input.id !== undefined && !existing) throw new PosError('NOT_FOUND', `No staff member ${input.id}`);
      if (!existing && input.pin === undefined) throw new PosError('BAD_REQUEST', 'A new staff member needs a PIN');
      if (existing?.id === actor.id && (!input.active || input.role !== existing.role)) {
        throw new PosError('FORBIDDEN', 'You cannot change your own role or deactivate yourself; ask another manager');
      }
      if (!existing || existing.role !== input.role) mustHold(actor, role.permissions, `Giving the role ${role.nameEn}`);
      // Else a PIN reset would let someone log in as a person who may do more than they may.
      if (existing) mustHold(actor, roleOrThrow(existing.role).permissions, `Changing ${existing.name_en}`);
      const refuseTakenCode = () => {
        const sameCode = findStaffByCode(db, input.code);
        if (sameCode && sameCode.id !== existing?.id)
          throw new PosError('CONFLICT', `Staff code ${input.code} is taken by ${sameCode.name_en}`);
      };
      refuseTakenCode();
      // Hash before the transaction: nothing may await inside it.
      const pinHash = input.pin === undefined ? null : await hashPin(input.pin, pepper);
      const id = db
        .transaction(() => {
          // again under the write lock: the same form saved twice at once hashed its PIN meanwhile
          refuseTakenCode();
          const fields = { code: input.code, name_zh: input.nameZh, name_en: input.nameEn, role: input.role };
          let staffId: number;
          if (existing) {
            updateStaff(db, { id: existing.id, ...fields, active: input.active ? 1 : 0 });
            staffId = existing.id;
          } else {
            staffId = insertStaff(db, { ...fields, pin_hash: pinHash as string });
            if (!input.active) updateStaff(db, { id: staffId, ...fields, active: 0 });
          }
          if (existing && pinHash !== null) setPinHash(db, staffId, pinHash);
          audit.append({
            kind: 'staff.changed',
            staffId: actor.id,
            subject: `staff ${staffId}`,
            detail: {
              action: existing ? 'updated' : 'created',
              code: input.code,
              role: input.role,
              active: input.active,
              ...(existing && existing.role !== input.role ? { roleBefore: existing.role } : {}),
              ...(existing && existing.active === 1 && !input.active ? { deactivated: true } : {}),
              pinSet: pinHash !== null,
            },
          });
          return staffId;
        })
        .immediate();
      matrixChanged();
      return toRecord(findStaff(db, id) as StaffRow);
    },

    unlock(actor: StaffSummary, staffId: number): StaffRecord {
      const row = findStaff(db, staffId);
      if (!row) throw new PosError('NOT_FOUND', `No staff member ${staffId}`);
      mustHold(actor, roleOrThrow(row.role).permissions, `Unlocking ${row.name_en}`);
      db.transaction(() => {
        prepared(db, 'UPDATE staff SET failed_pins = 0, locked_until = NULL WHERE id = :staffId').run({ staffId });
        audit.append({
          kind: 'staff.changed',
          staffId: actor.id,
          subject: `staff ${staffId}`,
          detail: { action: 'unlocked', failedPins: row.failed_pins },
        });
      }).immediate();
      return toRecord(findStaff(db, staffId) as StaffRow);
    },

    listRoles: (): RoleInfo[] => matrix.roles(),

    saveRole(actor: StaffSummary, input: RoleInput): RoleInfo[] {
      const existing = matrix.role(input.code);
      const before = new Set(existing?.permissions ?? []);
      const after = new Set(input.permissions);
      const added = [...after].filter((p) => !before.has(p));
      const removed = [...before].filter((p) => !after.has(p));
      mustHold(actor, [...added, ...removed], 'Changing these permissions');
      if (input.code === actor.role && removed.includes('roles.manage')) {
        throw new PosError('FORBIDDEN', 'You cannot take role management away from your own role; ask someone with another role');
      }
      if (!existing && (builtInRoles as readonly string[]).includes(input.code))
        throw new PosError('CONFLICT', `${input.code} is a built-in role`);
      db.transaction(() => {
        if (existing) updateRole(db, input);
        else insertRole(db, input);
        setRolePermissions(db, input.code, input.permissions);
        audit.append({
          kind: 'role.changed',
          staffId: actor.id,
          subject: `role ${input.code}`,
          detail: {
            action: existing ? 'updated' : 'created',
            added,
            removed,
            discountLimitBasisPoints: input.discountLimitBasisPoints,
            ...(existing && existing.discountLimitBasisPoints !== input.discountLimitBasisPoints
              ? { discountLimitBefore: existing.discountLimitBasisPoints }
              : {}),
            ...(existing && (existing.nameZh !== input.nameZh || existing.nameEn !== input.nameEn)
              ? { renamedFrom: [existing.nameZh, existing.nameEn] }
              : {}),
          },
        });
      }).immediate();
      matrixChanged();
      return matrix.roles();
    },

    removeRole(actor: StaffSummary, code: string): RoleInfo[] {
      const role = roleOrThrow(code);
      if (role.builtIn) throw new PosError('FORBIDDEN', `${role.nameEn} is a built-in role and cannot be deleted`);
      const holders = prepared<{ code: string }, number>(db, 'SELECT count(*) FROM staff WHERE role = :code').pluck().get({ code }) ?? 0;
      if (holders > 0)
        throw new PosError('CONFLICT', `${holders} staff member(s) still have the role ${role.nameEn}: give them another role first`);
      mustHold(actor, role.permissions, `Deleting the role ${role.nameEn}`);
      db.transaction(() => {
        deleteRole(db, code);
        audit.append({
          kind: 'role.changed',
          staffId: actor.id,
          subject: `role ${code}`,
          detail: { action: 'deleted', permissions: role.permissions },
        });
      }).immediate();
      matrixChanged();
      return matrix.roles();
    },

    /**
     * Clocked time per staff member in [from, to): in/out pairs that overlap the range (a period
     * begun before it is included), the total clipped to the range, an open period up to now.
     */
    timesheet(range: { from: number; to: number }): Timesheet[] {
      const events = prepared<{ from: number; to: number }, ClockRow & { staff_id: number; name_zh: string; name_en: string }>(
        db,
        `SELECT e.staff_id, e.kind, e.at, s.name_zh, s.name_en FROM clock_event e JOIN staff s ON s.id = e.staff_id
         WHERE e.at < :to AND (e.at >= :from OR e.id = (SELECT max(p.id) FROM clock_event p WHERE p.staff_id = e.staff_id AND p.at < :from))
         ORDER BY s.code, e.at, e.id`,
      ).all(range);
      const now = clock.now();
      const sheets = new Map<number, Timesheet>();
      for (const event of events) {
        const sheet = sheets.get(event.staff_id) ?? {
          staffId: event.staff_id,
          nameZh: event.name_zh,
          nameEn: event.name_en,
          periods: [],
          workedMs: 0,
        };
        sheets.set(event.staff_id, sheet);
        const open = sheet.periods.at(-1);
        if (event.kind === 'in') sheet.periods.push({ in: event.at, out: null });
        else if (open && open.out === null) open.out = event.at;
      }
      for (const sheet of sheets.values()) {
        // The event before the range matters only when it was a clock-in still open at its start.
        sheet.periods = sheet.periods.filter((p) => (p.out ?? now) > range.from);
        sheet.workedMs = sheet.periods.reduce(
          (sum, p) => sum + Math.max(0, Math.min(p.out ?? now, range.to) - Math.max(p.in, range.from)),
          0,
        );
      }
      return [...sheets.values()].filter((s) => s.periods.length > 0);
    },

    /** Clock in or out with a PIN, without logging in (the login screen's buttons). */
    async clock(staffId: number, pin: string, direction: ClockDirection): Promise<ClockResult> {
      const who = await staff.checkPin(staffId, pin, `clock-${direction}`);
      const now = clock.now();
      const workedMs = db
        .transaction(() => {
          const last = lastClockEvent(db, staffId);
          if (direction === 'in' && last?.kind === 'in') throw new PosError('CONFLICT', `${who.nameEn} is already clocked in`);
          if (direction === 'out' && last?.kind !== 'in') throw new PosError('CONFLICT', `${who.nameEn} is not clocked in`);
          prepared(db, 'INSERT INTO clock_event (staff_id, kind, at) VALUES (:staffId, :direction, :now)').run({ staffId, direction, now });
          const worked = direction === 'out' && last ? Math.max(0, now - last.at) : null;
          audit.append({
            kind: direction === 'in' ? 'staff.clock-in' : 'staff.clock-out',
            staffId,
            detail: worked === null ? {} : { workedMs: worked },
          });
          return worked;
        })
        .immediate();
      return { staffId, nameZh: who.nameZh, nameEn: who.nameEn, direction, at: now, workedMs };
    },
  };
}

export type StaffAdmin = ReturnType<typeof createStaffAdmin>;
