/**
 * The first start of a new version (issue 17): before its migrations touch the database, one
 * backup of the data as the old version left it (`…-pre-update.spbak`, made by the old version's
 * number), so IT can go back by restoring it. The version that ran last is a setting; a database
 * from before this setting counts as coming from another version.
 */
import { z } from 'zod';
import type { BackupKey } from '../backup/backup-archive';
import { defaultBackupFolder, type BackupInfo } from '../backup/backup-files';
import { makeBackupInChild } from '../backup/backup-in-child';
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

export interface StartBackupOptions {
  db: Db;
  dataDir: string;
  dbFile: string;
  appVersion: string;
  /** The database's schema version and the newest this app knows. */
  schema: { current: number; latest: number };
  now: number;
  key: BackupKey | null;
  log: Logger;
}

/**
 * Backs up before a new version's first start (kind pre-update) or, on the same version, before
 * migrations (kind pre-migration); a new, empty database needs neither. A backup that fails is
 * logged and the start goes on: a register that cannot start is worse than one without that copy.
 */
export async function backupBeforeStart(options: StartBackupOptions): Promise<BackupInfo | null> {
  const { db, log, schema } = options;
  if (schema.current === 0) return null;
  const last = readLastVersion(db);
  const newVersion = last !== options.appVersion;
  if (!newVersion && schema.current >= schema.latest) return null;
  const kind = newVersion ? 'pre-update' : 'pre-migration';
  try {
    const info = await makeBackupInChild({
      dataDir: options.dataDir,
      dbFile: options.dbFile,
      folder: defaultBackupFolder(options.dataDir),
      kind,
      // The data is the old version's: its backup says so, and a restore names it.
      appVersion: newVersion ? (last ?? 'unknown') : options.appVersion,
      now: options.now,
      key: options.key,
    });
    log.info(newVersion ? 'backup made before the first start of a new version' : 'backup made before migrating', {
      name: info.name,
      from: last,
      to: options.appVersion,
      schemaFrom: schema.current,
      schemaTo: schema.latest,
    });
    return info;
  } catch (error) {
    log.error(`the ${kind} backup failed; starting anyway`, { error: String(error) });
    return null;
  }
}
