import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseError } from './errors';

export type Db = Database.Database;

/**
 * Opens the register database with the pragmas every connection (core and sync worker) uses.
 * synchronous=FULL: a sale that was acknowledged survives a power cut, even in WAL mode.
 * The register skips the synchronous quick_check and runs it in the background instead
 * (integrity-check.ts); tools and tests keep the synchronous one.
 */
export function openDatabase(file: string, options: { checkIntegrity?: boolean } = {}): Db {
  mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    db.pragma('busy_timeout = 5000');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    if (options.checkIntegrity ?? true) assertIntact(db, file);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function assertIntact(db: Db, file: string): void {
  let rows: { quick_check: string }[];
  try {
    rows = db.pragma('quick_check') as { quick_check: string }[];
  } catch (cause) {
    throw new DatabaseError('DB_CORRUPT', `The register database ${file} cannot be read (${String(cause)}). Restore it from a backup.`, {
      cause,
    });
  }
  const problems = rows.map((row) => row.quick_check).filter((result) => result !== 'ok');
  if (problems.length > 0) {
    throw new DatabaseError(
      'DB_CORRUPT',
      `The register database ${file} failed its integrity check: ${problems.slice(0, 3).join('; ')}. Restore it from a backup.`,
    );
  }
}

/** Fold the WAL into the main file, so a copy of register.db alone is a complete backup. */
export function checkpointAndClose(db: Db): void {
  if (!db.open) return;
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}
