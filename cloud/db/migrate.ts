/**
 * Forward-only migrations: cloud/migrations/NNNN-slug.sql, numbered from 1 without gaps, each applied
 * in its own transaction together with its schema_migrations row. Every step holds a transaction-
 * scoped advisory lock, so instances starting at once apply each migration exactly once, one after
 * the other; a database migrated by a newer release refuses to start.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Pool } from './pool';
import { withTransaction } from './tx';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export class MigrationError extends Error {
  constructor(
    readonly code: 'DB_FROM_FUTURE' | 'DB_MIGRATIONS_INVALID' | 'DB_MIGRATION_FAILED',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'MigrationError';
  }
}

/** Any constant shared by every release; "Suan" in ASCII. */
const MIGRATION_LOCK_KEY = 0x5375616e;
const FILE_NAME = /^(\d{4})-[a-z0-9-]+\.sql$/;

/** Next to the running module: cloud/migrations from source, dist/cloud/migrations once built. */
export function defaultMigrationsDir(moduleUrl: string): string {
  return fileURLToPath(new URL('./migrations/', moduleUrl));
}

export function loadMigrations(dir: string): Migration[] {
  const migrations = readdirSync(dir)
    .filter((name) => name.endsWith('.sql'))
    .map((name) => {
      const match = FILE_NAME.exec(name);
      if (!match) throw new MigrationError('DB_MIGRATIONS_INVALID', `Migration file ${name} is not named NNNN-slug.sql`);
      return { version: Number(match[1]), name, sql: readFileSync(join(dir, name), 'utf8') };
    })
    .sort((a, b) => a.version - b.version);
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new MigrationError(
        'DB_MIGRATIONS_INVALID',
        `Migrations must be numbered 0001, 0002, … without gaps; found ${migration.name} at position ${index + 1}`,
      );
    }
  });
  return migrations;
}

/** Applies what is pending and returns the names applied (none when another instance did it). */
export async function migrate(pool: Pool, migrations: Migration[]): Promise<string[]> {
  const applied: string[] = [];
  for (;;) {
    const name = await withTransaction(pool, async (client) => {
      // 1. one migrator at a time, until this transaction ends
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      await client.query(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())',
      );
      // 2. where the database is, read under the lock
      const done = (await client.query<{ version: number; name: string }>('SELECT version, name FROM schema_migrations ORDER BY version'))
        .rows;
      const newest = done.at(-1);
      if (newest && newest.version > migrations.length) {
        throw new MigrationError(
          'DB_FROM_FUTURE',
          `This database is at cloud schema version ${newest.version}, but this release knows only up to ${migrations.length}. ` +
            'It was migrated by a newer release of the cloud service: deploy that release (or newer) instead of downgrading.',
        );
      }
      done.forEach((row, index) => {
        const known = migrations[index];
        if (row.version !== index + 1 || known?.name !== row.name) {
          throw new MigrationError(
            'DB_MIGRATIONS_INVALID',
            `schema_migrations row ${row.version} (${row.name}) does not match migration ${known?.name ?? '(none)'}`,
          );
        }
      });
      // 3. the next one, with its row, in this transaction
      const next = migrations[done.length];
      if (!next) return null;
      try {
        await client.query(next.sql);
      } catch (cause) {
        throw new MigrationError('DB_MIGRATION_FAILED', `Migration ${next.name} failed and was rolled back: ${String(cause)}`, { cause });
      }
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [next.version, next.name]);
      return next.name;
    });
    if (name === null) return applied;
    applied.push(name);
  }
}
