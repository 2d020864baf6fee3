import type { Db } from '../db/open';
import type { StaffSummary } from '../../shared/schemas';
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

export function toStaffSummary(row: StaffRow): StaffSummary {
  return { id: row.id, code: row.code, nameZh: row.name_zh, nameEn: row.name_en, role: row.role };
}

export function listActiveStaff(db: Db): StaffRow[] {
  return prepared<[], StaffRow>(db, 'SELECT * FROM staff WHERE active = 1 ORDER BY role DESC, code').all();
}

export function findStaff(db: Db, id: number): StaffRow | undefined {
  return prepared<{ id: number }, StaffRow>(db, 'SELECT * FROM staff WHERE id = :id').get({ id });
}

export function insertStaff(db: Db, staff: Omit<StaffRow, 'id' | 'active' | 'failed_pins' | 'locked_until'>): number {
  const result = prepared(db, 'INSERT INTO staff (code, name_zh, name_en, role, pin_hash) VALUES (:code, :name_zh, :name_en, :role, :pin_hash)')
    .run(staff);
  return Number(result.lastInsertRowid);
}

export function recordFailedPin(db: Db, id: number, lockAfter: number, lockedUntil: number): StaffRow {
  return db.transaction(() => {
    prepared(db, 
      `UPDATE staff SET failed_pins = failed_pins + 1,
         locked_until = CASE WHEN failed_pins + 1 >= :lockAfter THEN :lockedUntil ELSE locked_until END
       WHERE id = :id`,
    ).run({ id, lockAfter, lockedUntil });
    return findStaff(db, id) as StaffRow;
  })();
}

export function recordGoodPin(db: Db, id: number): void {
  prepared(db, 'UPDATE staff SET failed_pins = 0, locked_until = NULL WHERE id = :id').run({ id });
}
