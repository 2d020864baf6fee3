import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/main/db/open';
import { loadMigrations, migrate, schemaVersion } from '../../../src/main/db/migrate';
import { DatabaseError } from '../../../src/main/db/errors';
import { appPaths } from '../../../src/main/app-paths';
import { useTempDirs } from '../helpers/temp-dir';

const tempDir = useTempDirs();

function migrationsDir(files: Record<string, string>): string {
  const dir = join(tempDir(), 'migrations');
  mkdirSync(dir);
  for (const [name, sql] of Object.entries(files)) writeFileSync(join(dir, name), sql);
  return dir;
}

describe('migration runner', () => {
  it('applies each pending file exactly once across restarts', () => {
    const file = join(tempDir(), 'register.db');
    // Each migration appends to a log table; a second run of any file would add a row (or fail on CREATE).
    const dir = migrationsDir({
      '0001-log.sql': "CREATE TABLE log (name TEXT NOT NULL) STRICT; INSERT INTO log VALUES ('0001');",
      '0002-items.sql': "CREATE TABLE item (id INTEGER PRIMARY KEY) STRICT; INSERT INTO log VALUES ('0002');",
    });

    let db = openDatabase(file);
    expect(migrate(db, loadMigrations(dir))).toEqual(['0001-log.sql', '0002-items.sql']);
    db.close();

    db = openDatabase(file);
    expect(migrate(db, loadMigrations(dir))).toEqual([]);
    db.close();

    writeFileSync(join(dir, '0003-more.sql'), "ALTER TABLE item ADD COLUMN name TEXT; INSERT INTO log VALUES ('0003');");
    db = openDatabase(file);
    expect(migrate(db, loadMigrations(dir))).toEqual(['0003-more.sql']);
    expect(schemaVersion(db)).toBe(3);
    expect(db.prepare('SELECT name FROM log').pluck().all()).toEqual(['0001', '0002', '0003']);
    db.close();
  });

  it('refuses a database from a newer app with a clear message', () => {
    const file = join(tempDir(), 'register.db');
    const db = openDatabase(file);
    db.pragma('user_version = 99');
    const migrations = loadMigrations(appPaths().migrationsDir);
    expect(() => migrate(db, migrations)).toThrowError(/schema version 99.*newer Suanpan/);
    try {
      migrate(db, migrations);
    } catch (error) {
      expect(error).toBeInstanceOf(DatabaseError);
      expect((error as DatabaseError).code).toBe('DB_FROM_FUTURE');
    }
    expect(schemaVersion(db)).toBe(99);
    db.close();
  });

  it('rolls a failing migration back whole and keeps the version', () => {
    const file = join(tempDir(), 'register.db');
    const dir = migrationsDir({
      '0001-ok.sql': 'CREATE TABLE a (x INTEGER) STRICT;',
      '0002-broken.sql': 'CREATE TABLE b (x INTEGER) STRICT; INSERT INTO no_such_table VALUES (1);',
    });
    const db = openDatabase(file);
    expect(() => migrate(db, loadMigrations(dir))).toThrowError(/0002-broken\.sql failed and was rolled back/);
    expect(schemaVersion(db)).toBe(1);
    expect(db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'b'").pluck().get()).toBe(0);
    db.close();
  });

  it('rejects misnamed or gapped migration files', () => {
    expect(() => loadMigrations(migrationsDir({ '0001-a.sql': '', '0003-c.sql': '' }))).toThrowError(/without gaps/);
    expect(() => loadMigrations(migrationsDir({ '1-a.sql': '' }))).toThrowError(/NNNN-slug/);
  });

  it('the shipped migrations apply to an empty database', () => {
    const db = openDatabase(join(tempDir(), 'register.db'));
    const migrations = loadMigrations(appPaths().migrationsDir);
    migrate(db, migrations);
    expect(schemaVersion(db)).toBe(migrations.length);
    db.close();
  });
});
