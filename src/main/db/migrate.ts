/**
 * Forward-only migrations: migrations/NNNN-slug.sql, numbered from 1 without gaps, each applied in
 * its own transaction together with PRAGMA user_version, so a crash leaves the database at the
 * previous version, never between two.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from './open';
import { DatabaseError } from './errors';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const FILE_NAME = /^(\d{4})-[a-z0-9-]+\.sql$/;

export function loadMigrations(dir: string): Migration[] {
  const migrations = readdirSync(dir)
    .filter((name) => name.endsWith('.sql'))
    .map((name) => {
      const match = FILE_NAME.exec(name);
      if (!match) throw new DatabaseError('DB_MIGRATIONS_INVALID', `Migration file ${name} is not named NNNN-slug.sql`);
      return { version: Number(match[1]), name, sql: readFileSync(join(dir, name), 'utf8') };
    })
    .sort((a, b) => a.version - b.version);
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new DatabaseError(
        'DB_MIGRATIONS_INVALID',
        `Migrations must be numbered 0001, 0002, … without gaps; found ${migration.name} at position ${index + 1}`,
      );
    }
  });
  return migrations;
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Applies what is pending and returns the names applied. Refuses a database from a newer app. */
export function migrate(db: Db, migrations: Migration[]): string[] {
  const current = schemaVersion(db);
  const latest = migrations.length;
  if (current > latest) {
    throw new DatabaseError(
      'DB_FROM_FUTURE',
      `This database is at schema version ${current}, but this version of Suanpan knows only up to ${latest}. ` +
        'It was written by a newer Suanpan: install that version (or newer) instead of downgrading.',
    );
  }
  const applied: string[] = [];
  for (const migration of migrations.slice(current)) {
    const apply = db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    });
    try {
      apply.immediate();
    } catch (cause) {
      throw new DatabaseError('DB_MIGRATION_FAILED', `Migration ${migration.name} failed and was rolled back: ${String(cause)}`, { cause });
    }
    applied.push(migration.name);
  }
  return applied;
}
