import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../src/main/db/open';
import { loadMigrations, migrate } from '../../../src/main/db/migrate';
import { appPaths } from '../../../src/main/app-paths';
import { createAuditLog, listAudit } from '../../../src/main/audit/audit-log';
import { useTempDirs } from '../helpers/temp-dir';

const tempDir = useTempDirs();
const key = Buffer.alloc(32, 7);

function freshDb(): Db {
  const db = openDatabase(join(tempDir(), 'register.db'));
  migrate(db, loadMigrations(appPaths().migrationsDir));
  return db;
}

function logWithRows(db: Db, count: number) {
  let now = 1_800_000_000_000;
  const audit = createAuditLog({ db, key, clock: { now: () => (now += 1000) } });
  for (let i = 0; i < count; i++)
    audit.append({ kind: i % 2 ? 'staff.login' : 'drawer.no-sale', staffId: (i % 3) + 1, subject: `s${i}`, detail: { i } });
  return audit;
}

describe('the audit log', () => {
  it('chains rows and verifies an untouched log', () => {
    const db = freshDb();
    const audit = logWithRows(db, 20);
    expect(audit.verify()).toEqual({ ok: true, rows: 20 });
    const rows = listAudit(db, { staffId: 2, kinds: ['staff.login'] });
    expect(rows.every((row) => row.kind === 'staff.login' && row.staffId === 2)).toBe(true);
    expect(rows.length).toBeGreaterThan(0);
  });

  it('refuses UPDATE and DELETE through its triggers', () => {
    const db = freshDb();
    logWithRows(db, 3);
    expect(() => db.prepare("UPDATE audit_log SET detail = '{}' WHERE seq = 2").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log WHERE seq = 2').run()).toThrow(/append-only/);
  });

  it('names the first tampered row when someone drops the triggers and edits, deletes or inserts', () => {
    for (const tamper of [
      (db: Db) => db.prepare('UPDATE audit_log SET detail = \'{"i":99}\' WHERE seq = 5').run(),
      (db: Db) => db.prepare('DELETE FROM audit_log WHERE seq = 5').run(),
      (db: Db) => db.prepare('UPDATE audit_log SET staff_id = 3 WHERE seq = 5').run(),
    ]) {
      const db = freshDb();
      const audit = logWithRows(db, 10);
      db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
      tamper(db);
      expect(audit.verify()).toMatchObject({ ok: false, firstBadSeq: 5 });
      db.close();
    }
  });

  it('rolls back with the transaction it joined', () => {
    const db = freshDb();
    const audit = logWithRows(db, 2);
    expect(() =>
      db.transaction(() => {
        audit.append({ kind: 'cart.void', staffId: 1 });
        throw new Error('the audited action failed');
      })(),
    ).toThrow(/failed/);
    expect(audit.verify()).toEqual({ ok: true, rows: 2 });
  });
});
