/**
 * Restoring a backup into a data folder whose register is stopped (the CLI holds the folder's lock;
 * the back office's restore closes the register first and starts it again after).
 *
 *  1. read the backup back into `register.db.restoring` (tag, checksum), integrity_check it, and
 *     refuse one from a newer schema than this app knows;
 *  2. floors: the highest receipt and acknowledged outbox numbers known anywhere (the database
 *     being replaced, the mark in secrets/, the backup itself) go into the restored database, so
 *     no receipt number is printed twice and the next outbox row follows the cloud's last one;
 *  3. a safety copy of what is there now (a backup; the raw files when it is too damaged to copy);
 *  4. swap the files in (the old WAL removed first), the carried secrets written, the audit anchor
 *     moved to the restored log's newest row, and a note the register turns into a
 *     `backup.restored` audit row at its next start.
 */
import Database from 'better-sqlite3';
import { cpSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { writeAnchor, anchorPath } from '../audit/audit-anchor';
import { deriveBackupKey, extractArchive, type BackupKey } from './backup-archive';
import { BackupError } from './backup-errors';
import { CARRIED_SECRETS, defaultBackupFolder, readBackupKey, writeBackupKey, type BackupInfo } from './backup-files';
import { makeBackupInChild } from './backup-in-child';
import { snapshotInChild } from './snapshot-process';
import {
  maxMarks,
  raiseFloors,
  readSequenceMarkFile,
  readSequenceMarks,
  writeSequenceMarkFileSync,
  type SequenceMarks,
} from './sequence-floor';

export const RESTORE_NOTE_KEY = 'backup.restoredNote';

export interface RestoreSummary {
  backup: string;
  backupCreatedAt: number;
  lastReceiptNo: string | null;
  floors: SequenceMarks;
  /** Unsynced documents in the database that was replaced (kept in the safety copy, not in the register). */
  replacedUnsynced: number;
  safetyCopy: string | null;
  secretsRestored: string[];
}

export interface RestoreOptions {
  dataDir: string;
  file: string;
  passphrase?: string | null;
  latestSchema: number;
  appVersion: string;
  now: number;
  /** Who asked (a staff id from the back office; null from the CLI). */
  staffId?: number | null;
  /** A safety copy of what is there now (default true). */
  safetyCopy?: boolean;
}

/** What the database about to be replaced knows, or null when there is none or it cannot be read. */
function currentMarks(dbFile: string): { marks: SequenceMarks; unsynced: number } | null {
  if (!existsSync(dbFile)) return null;
  try {
    const db = new Database(dbFile, { fileMustExist: true });
    try {
      db.pragma('busy_timeout = 5000');
      const marks = readSequenceMarks(db);
      const unsynced = db.prepare('SELECT count(*) FROM outbox WHERE acked_at IS NULL').pluck().get() as number;
      return { marks, unsynced };
    } finally {
      db.close();
    }
  } catch {
    return null;
  }
}

export async function restoreBackup(options: RestoreOptions): Promise<RestoreSummary> {
  const { dataDir } = options;
  const dbFile = join(dataDir, 'register.db');
  const staging = join(dataDir, 'register.db.restoring');
  const storedKey: BackupKey | null = await readBackupKey(dataDir);
  rmSync(staging, { force: true });
  try {
    // 1. the backup, read back whole and checked
    const { manifest, secrets } = await extractArchive({
      file: options.file,
      dbOut: staging,
      key: storedKey,
      passphrase: options.passphrase ?? null,
    });
    if (manifest.schemaVersion > options.latestSchema)
      throw new BackupError(
        'RESTORE_REFUSED',
        `The backup is at schema version ${manifest.schemaVersion}, newer than this Suanpan knows (${options.latestSchema}): install the version that made it (${manifest.appVersion}) or newer`,
      );
    const check = await snapshotInChild({ copy: staging });
    if (!check.ok)
      throw new BackupError('BACKUP_INVALID', `The backup's database fails its integrity check: ${check.problems.slice(0, 3).join('; ')}`);

    // 2. floors from every place that remembers numbers
    const current = currentMarks(dbFile);
    const floors = maxMarks(current?.marks ?? null, readSequenceMarkFile(dataDir), {
      receiptSeq: manifest.receiptSeq,
      outboxAckedSeq: manifest.outboxAckedSeq,
    });

    // 3. the safety copy of what is there now
    let safetyCopy: string | null = null;
    if ((options.safetyCopy ?? true) && existsSync(dbFile)) safetyCopy = await safetyCopyOf(options, dbFile, storedKey);

    // 4. the restored database takes its floors and the note, then replaces the current one
    const restored = new Database(staging, { fileMustExist: true });
    let newestAudit: { seq: number; hash: string } | undefined;
    try {
      raiseFloors(restored, floors);
      const summary = {
        backup: options.file.split(/[\\/]/).pop() ?? options.file,
        backupCreatedAt: manifest.createdAt,
        lastReceiptNo: manifest.lastReceiptNo,
        floors,
        replacedUnsynced: current?.unsynced ?? 0,
        safetyCopy,
        secretsRestored: Object.keys(secrets).filter((name) => (CARRIED_SECRETS as readonly string[]).includes(name)),
      } satisfies RestoreSummary;
      restored
        .prepare('INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
        .run(RESTORE_NOTE_KEY, JSON.stringify({ ...summary, staffId: options.staffId ?? null, restoredAt: options.now }));
      newestAudit = restored.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as typeof newestAudit;
      restored.pragma('journal_mode = DELETE');
      restored.close();

      for (const suffix of ['-wal', '-shm', '-journal']) rmSync(`${dbFile}${suffix}`, { force: true });
      renameSync(staging, dbFile);

      mkdirSync(join(dataDir, 'secrets'), { recursive: true, mode: 0o700 });
      for (const name of summary.secretsRestored) {
        const target = join(dataDir, 'secrets', name);
        writeFileSync(target, secrets[name]!, { mode: 0o600 });
        chmodSync(target, 0o600);
      }
      // The audit log was rolled back with the database: its anchor follows, and the restore itself is recorded.
      if (newestAudit) writeAnchor(anchorPath(dataDir), newestAudit);
      else rmSync(anchorPath(dataDir), { force: true });
      writeSequenceMarkFileSync(dataDir, floors);
      // A new PC restored with the passphrase makes its later backups with the same one.
      if (options.passphrase && manifest.encryption && storedKey === null)
        await writeBackupKey(dataDir, await deriveBackupKey(options.passphrase, Buffer.from(manifest.encryption.salt, 'base64')));
      return summary;
    } finally {
      if (restored.open) restored.close();
    }
  } finally {
    rmSync(staging, { force: true });
    rmSync(`${staging}-journal`, { force: true });
  }
}

async function safetyCopyOf(options: RestoreOptions, dbFile: string, key: BackupKey | null): Promise<string> {
  const folder = defaultBackupFolder(options.dataDir);
  try {
    const info: BackupInfo = await makeBackupInChild({
      dataDir: options.dataDir,
      dbFile,
      folder,
      kind: 'pre-restore',
      appVersion: options.appVersion,
      now: options.now,
      key,
    });
    return info.file;
  } catch {
    // Too damaged to copy through SQLite: keep the raw files as they are.
    const raw = join(
      folder,
      `damaged-${new Date(options.now)
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.\d+Z$/, 'Z')}`,
    );
    mkdirSync(raw, { recursive: true });
    for (const suffix of ['', '-wal', '-shm'])
      if (existsSync(`${dbFile}${suffix}`)) cpSync(`${dbFile}${suffix}`, join(raw, `register.db${suffix}`));
    return raw;
  }
}
