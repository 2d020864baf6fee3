import { mkdtempSync, writeFileSync, copyFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadMigrations, migrate, MigrationError } from '../../../cloud/db/migrate';
import { createTestDatabase, MIGRATIONS_DIR } from './helpers';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function freshDatabase() {
  const db = await createTestDatabase({ migrated: false });
  cleanups.push(() => db.drop());
  return db;
}

describe('cloud migrations', () => {
  it('apply every migration once, in order, recorded in schema_migrations', async () => {
    const db = await freshDatabase();
    const migrations = loadMigrations(MIGRATIONS_DIR);
    expect(await migrate(db.pool, migrations)).toEqual(migrations.map((m) => m.name));
    expect(await migrate(db.pool, migrations)).toEqual([]);
    const rows = (await db.pool.query('SELECT version, name FROM schema_migrations ORDER BY version')).rows;
    expect(rows).toEqual(migrations.map((m) => ({ version: m.version, name: m.name })));
  });

  it('two instances starting at once apply each migration exactly once', async () => {
    const db = await freshDatabase();
    const migrations = loadMigrations(MIGRATIONS_DIR);
    const [a, b, c] = await Promise.all([migrate(db.pool, migrations), migrate(db.pool, migrations), migrate(db.pool, migrations)]);
    expect([...(a ?? []), ...(b ?? []), ...(c ?? [])].sort()).toEqual(migrations.map((m) => m.name).sort());
    expect((await db.pool.query('SELECT count(*) AS n FROM schema_migrations')).rows[0]).toEqual({ n: migrations.length });
  });

  it('a database migrated by a newer release refuses to start', async () => {
    const db = await freshDatabase();
    const migrations = loadMigrations(MIGRATIONS_DIR);
    await migrate(db.pool, [
      ...migrations,
      { version: migrations.length + 1, name: '9999-from-the-future.sql', sql: 'CREATE TABLE future_thing (id int)' },
    ]);
    await expect(migrate(db.pool, migrations)).rejects.toMatchObject({ code: 'DB_FROM_FUTURE' });
  });

  it('a failing migration is rolled back whole and leaves the version where it was', async () => {
    const db = await freshDatabase();
    const migrations = loadMigrations(MIGRATIONS_DIR);
    const broken = {
      version: migrations.length + 1,
      name: `${String(migrations.length + 1).padStart(4, '0')}-broken.sql`,
      sql: 'CREATE TABLE half_done (id int); SELECT no_such_function();',
    };
    const error = await migrate(db.pool, [...migrations, broken]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as MigrationError).code).toBe('DB_MIGRATION_FAILED');
    expect((await db.pool.query("SELECT to_regclass('half_done') AS t")).rows[0]).toEqual({ t: null });
    expect((await db.pool.query('SELECT max(version) AS v FROM schema_migrations')).rows[0]).toEqual({ v: migrations.length });
  });

  it('refuses migration files that are misnamed or leave a gap', () => {
    const dir = mkdtempSync(join(tmpdir(), 'suanpan-cloud-migrations-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    copyFileSync(join(MIGRATIONS_DIR, '0001-init.sql'), join(dir, '0001-init.sql'));
    writeFileSync(join(dir, '0003-skipped.sql'), 'SELECT 1;');
    expect(() => loadMigrations(dir)).toThrow(/without gaps/);
    writeFileSync(join(dir, 'Bad Name.sql'), 'SELECT 1;');
    expect(() => loadMigrations(dir)).toThrow(/NNNN-slug/);
  });
});
