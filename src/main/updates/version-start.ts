/**
 * The first start of a new version (issue 17): before its migrations touch the database, one
 * backup of the data as the old version left it (`…-pre-update.spbak`, made by the old version's
 * number), so IT can go back by restoring it. The version that ran last is a setting; a database
 * from before this setting counts as coming from another version.
 */
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { defaultBackupFolder, syncFile } from '../backup/backup-files';
import { snapshotInChild } from '../backup/snapshot-process';
import type { Db } from '../db/open';
import type { Logger } from '../log';

export const LAST_VERSION_KEY = 'app.lastVersion';

/** The version that last started on this database, or null (new, or from before the setting). */
export function readLastVersion(db: Db): string | null {
  const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'setting'").get() !== undefined;
  if (!hasTable) return null;
  const row = db.prepare('SELECT value FROM setting WHERE key = ?').get(LAST_VERSION_KEY) as { value: string } | undefined;
  if (!row) return null;
  const parsed = z.string().safeParse(JSON.parse(row.value));
  return parsed.success ? parsed.data : null;
}

export function recordVersion(db: Db, version: string): void {
  db.prepare('INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(
    LAST_VERSION_KEY,
    JSON.stringify(version),
  );
}

/** The backup a start needs, if any (startBackupNeeded). */
export interface StartBackup {
  kind: 'pre-update' | 'pre-migration';
  /** The version whose data it holds (a restore names it): the old version's, before a new version's first start. */
  dataVersion: string;
  /**
   * Migrations follow: the start waits for a copy of the database made before they run
   * (copyBeforeMigrations), then archives it beside the till. Without them the data stays as the
   * old version can read it, so the whole backup goes on beside the till (it reads one snapshot of
   * the database), which is ready at once: 10 s sooner at 200,000 products.
   */
  beforeMigrations: boolean;
}

/**
 * Backs up before a new version's first start (kind pre-update) or, on the same version, before
 * migrations (kind pre-migration); a new, empty database needs neither.
 */
export function startBackupNeeded(db: Db, appVersion: string, schema: { current: number; latest: number }): StartBackup | null {
  if (schema.current === 0) return null;
  const last = readLastVersion(db);
  const newVersion = last !== appVersion;
  const beforeMigrations = schema.current < schema.latest;
  if (!newVersion && !beforeMigrations) return null;
  return {
    kind: newVersion ? 'pre-update' : 'pre-migration',
    dataVersion: newVersion ? (last ?? 'unknown') : appVersion,
    beforeMigrations,
  };
}

export interface StartCopyOptions {
  dataDir: string;
  dbFile: string;
  now: number;
  log: Logger;
}

/** A copy of the database made before a start's migrations, waiting to be archived as the start's backup. */
export interface PendingStartCopy {
  file: string;
  kind: StartBackup['kind'];
  takenAt: number;
  dataVersion: string;
}

const PENDING_COPY = /^\.start-(pre-update|pre-migration)-(\d+)-([0-9A-Za-z._+-]{1,64})\.db$/;

/**
 * Before migrations (startBackupNeeded): a copy of the database as the old version left it, made
 * with `VACUUM INTO` by a child process and synced, and only then the migrations. The copy is all
 * the start waits for (1.3 s of 10 at 200,000 products); checking and archiving it go on beside the
 * till (pendingStartCopies), so a register stopped before they end archives it at its next start.
 * A copy that fails is logged and the start goes on: a register that cannot start is worse than one
 * without that copy.
 */
export async function copyBeforeMigrations(backup: StartBackup, options: StartCopyOptions): Promise<PendingStartCopy | null> {
  const { log, now } = options;
  const folder = defaultBackupFolder(options.dataDir);
  const dataVersion = backup.dataVersion.replace(/[^0-9A-Za-z._+-]/g, '_').slice(0, 64);
  // named as a backup's own copy (backup-files.ts removes it if this process dies) until it is whole
  const temp = join(folder, `.snapshot-${process.pid}-${now}.db`);
  const file = join(folder, `.start-${backup.kind}-${now}-${dataVersion}.db`);
  try {
    await mkdir(folder, { recursive: true, mode: 0o700 });
    const copied = await snapshotInChild({ source: options.dbFile, copy: temp, check: false });
    if (!copied.ok) throw new Error(copied.problems.slice(0, 3).join('; '));
    await syncFile(temp);
    await rename(temp, file);
    log.info(
      backup.kind === 'pre-update' ? 'database copied before the first start of a new version' : 'database copied before migrating',
      {
        dataVersion,
      },
    );
    return { file, kind: backup.kind, takenAt: now, dataVersion };
  } catch (error) {
    await rm(temp, { force: true });
    log.error(`the ${backup.kind} backup failed; starting anyway`, { error: String(error) });
    return null;
  }
}

/** The copies made before migrations that are not archived yet, oldest first. */
export async function pendingStartCopies(dataDir: string): Promise<PendingStartCopy[]> {
  const folder = defaultBackupFolder(dataDir);
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return [];
  }
  return names
    .flatMap((name) => {
      const match = PENDING_COPY.exec(name);
      if (!match) return [];
      return [
        { file: join(folder, name), kind: match[1] as StartBackup['kind'], takenAt: Number(match[2]), dataVersion: match[3] as string },
      ];
    })
    .sort((a, b) => a.takenAt - b.takenAt);
}
