import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMigrations, migrate } from '../../../src/main/db/migrate';
import { useTempDirs } from '../helpers/temp-dir';

const tempDir = useTempDirs();
const ROLES_MIGRATION = 8;

describe('migration 0008 (roles become rows)', () => {
  it('rebuilds staff keeping ids, PIN hashes and lockouts, keeps references to staff whole, and moves the discount limits onto the roles', () => {
    const db = new Database(join(tempDir(), 'register.db'));
    db.pragma('foreign_keys = ON');
    const all = loadMigrations(join(process.cwd(), 'migrations'));
    migrate(db, all.slice(0, ROLES_MIGRATION - 1));
    db.exec(`
      INSERT INTO store (id, code, name_zh, name_en) VALUES (1, 'MK', '旺角店', 'Mong Kok');
      INSERT INTO this_register (id, store_id, code, name) VALUES (1, 1, '01', '收銀機 01');
      INSERT INTO staff (id, code, name_zh, name_en, role, pin_hash, failed_pins, locked_until) VALUES
        (7, 'C007', '陳', 'Chan', 'cashier', 'scrypt$hash-7', 3, NULL),
        (9, 'M009', '李', 'Lee', 'manager', 'scrypt$hash-9', 5, 1800000000000);
      INSERT INTO cart (register_code, status, staff_id, created_at, updated_at) VALUES ('01', 'open', 7, 1, 1);
      UPDATE setting SET value = '{"cashier": 500, "manager": 9000}' WHERE key = 'checkout.discountLimitBasisPoints';
    `);

    migrate(db, all);

    expect(db.prepare('SELECT id, code, role, pin_hash, failed_pins, locked_until FROM staff ORDER BY id').all()).toEqual([
      { id: 7, code: 'C007', role: 'cashier', pin_hash: 'scrypt$hash-7', failed_pins: 3, locked_until: null },
      { id: 9, code: 'M009', role: 'manager', pin_hash: 'scrypt$hash-9', failed_pins: 5, locked_until: 1800000000000 },
    ]);
    expect(db.prepare('SELECT code, discount_limit_bp, built_in FROM role ORDER BY sort').all()).toEqual([
      { code: 'cashier', discount_limit_bp: 500, built_in: 1 },
      { code: 'supervisor', discount_limit_bp: 2000, built_in: 1 },
      { code: 'manager', discount_limit_bp: 9000, built_in: 1 },
      { code: 'admin', discount_limit_bp: 10_000, built_in: 1 },
    ]);
    expect(db.prepare("SELECT count(*) AS n FROM setting WHERE key = 'checkout.discountLimitBasisPoints'").get()).toEqual({ n: 0 });
    expect(db.pragma('foreign_key_check')).toEqual([]);
    // The cart still points at staff 7, and staff.role now must name a role.
    expect(() => db.prepare('DELETE FROM staff WHERE id = 7').run()).toThrow(/FOREIGN KEY/);
    expect(() => db.prepare("UPDATE staff SET role = 'owner' WHERE id = 7").run()).toThrow(/FOREIGN KEY/);
    db.close();
  });
});
