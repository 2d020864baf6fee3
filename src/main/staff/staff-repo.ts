/** The staff table: rows, PIN lockout counters, and the edits the back office makes. */
import type { Db } from '../db/open';
import type { Role } from '../../shared/permissions';
import { prepared } from '../db/prepared';

export interface StaffRow {
  id: number;
  code: string;
  name_zh: string;
  name_en: string;
  role: Role;
  pin_hash: string;
  active: number;
  failed_pins: number;
  locked_until: number | null;
}

/** Active staff, most senior role first (the login screen's order). */
export function listActiveStaff(db: Db): StaffRow[] {
  return prepared<[], StaffRow>(
    db,
    'SELECT s.* FROM staff s JOIN role r ON r.code = s.role WHERE s.active = 1 ORDER BY r.sort DESC, s.code',
  ).all();
}

export function listAllStaff(db: Db): StaffRow[] {
  return prepared<[], StaffRow>(
    db,
    'SELECT s.* FROM staff s JOIN role r ON r.code = s.role ORDER BY s.active DESC, r.sort DESC, s.code',
  ).all();
}

export function findStaff(db: Db, id: number): StaffRow | undefined {
  return prepared<{ id: number }, StaffRow>(db, 'SELECT * FROM staff WHERE id = :id').get({ id });
}

export function findStaffByCode(db: Db, code: string): StaffRow | undefined {
  return prepared<{ code: string }, StaffRow>(db, 'SELECT * FROM staff WHERE code = :code').get({ code });
}

export function insertStaff(db: Db, staff: Omit<StaffRow, 'id' | 'active' | 'failed_pins' | 'locked_until'>): number {
  const result = prepared(
    db,
    'INSERT INTO staff (code, name_zh, name_en, role, pin_hash) VALUES (:code, :name_zh, :name_en, :role, :pin_hash)',
  ).run(staff);
  return Number(result.lastInsertRowid);
}

export function updateStaff(db: Db, staff: Pick<StaffRow, 'id' | 'code' | 'name_zh' | 'name_en' | 'role' | 'active'>): void {
  prepared(db, 'UPDATE staff SET code = :code, name_zh = :name_zh, name_en = :name_en, role = :role, active = :active WHERE id = :id').run(
    staff,
  );
}

/** A new PIN also clears the lockout: the manager who set it has just vouched for the person. */
export function setPinHash(db: Db, id: number, pinHash: string): void {
  prepared(db, 'UPDATE staff SET pin_hash = :pinHash, failed_pins = 0, locked_until = NULL WHERE id = :id').run({ id, pinHash });
}

/** The lockout counters as pin-attempts.ts decided them. */
export function setPinCounters(db: Db, id: number, counters: { failed: number; lockedUntil: number | null }): void {
  prepared(db, 'UPDATE staff SET failed_pins = :failed, locked_until = :lockedUntil WHERE id = :id').run({ id, ...counters });
}

export function recordGoodPin(db: Db, id: number): void {
  prepared(db, 'UPDATE staff SET failed_pins = 0, locked_until = NULL WHERE id = :id').run({ id });
}
