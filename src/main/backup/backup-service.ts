/**
 * The register's backups: hourly (setting), before restores, at a new version's first start
 * (register.ts: the whole backup, or the archive of the copy version-start.ts made before the
 * migrations), and on demand from the back office. One at a time: a second request while one runs is BACKUP_BUSY, decided
 * before the first await. The copy runs in a child process (snapshot-process.ts), so the till never waits.
 */
import { z } from 'zod';
import type { Clock } from '../clock';
import type { Db } from '../db/open';
import type { Logger } from '../log';
import { readSetting, writeSetting } from '../settings/settings-repo';
import { readStoreTimeZone } from '../settings/store-time-zone';
import { deriveBackupKey, type BackupKind } from './backup-archive';
import { BackupError } from './backup-errors';
import {
  backupKeyExists,
  copyBackup,
  defaultBackupFolder,
  listBackups,
  pruneBackups,
  readBackupKey,
  writeBackupKey,
  type BackupInfo,
} from './backup-files';
import { makeBackupInChild } from './backup-in-child';
import { readSequenceMarks, writeSequenceMarkFile, writeSequenceMarkFileSync } from './sequence-floor';

export const BACKUP_SETTINGS_KEY = 'backup.settings';

export const BackupSettings = z.strictObject({
  /** Scheduled backups on or off. */
  scheduled: z.boolean(),
  intervalMinutes: z
    .number()
    .int()
    .min(15)
    .max(24 * 60),
  keepRecent: z.number().int().min(1).max(500),
  keepDays: z.number().int().min(0).max(366),
  /** A second folder every backup is copied to (a USB disk, a network share); only encrypted backups go there. */
  secondFolder: z.string().min(1).max(400).nullable(),
});
export type BackupSettings = z.infer<typeof BackupSettings>;

export const defaultBackupSettings: BackupSettings = {
  scheduled: true,
  intervalMinutes: 60,
  keepRecent: 48,
  keepDays: 14,
  secondFolder: null,
};

export interface BackupRun {
  info: BackupInfo;
  /** 'copied', 'failed' (said in the log), 'needs-key' (an unencrypted backup never leaves the machine) or 'none'. */
  secondCopy: 'copied' | 'failed' | 'needs-key' | 'none';
}

export interface BackupState {
  running: boolean;
  lastBackup: BackupInfo | null;
  lastError: string | null;
  lastAttemptAt: number | null;
  keySet: boolean;
  folder: string;
  settings: BackupSettings;
}

/** A start's backup (updates/version-start.ts): not of this version's data, or of a copy made before. */
export interface BackupNowOptions {
  /** The version whose data it holds, when not this one (before a new version's first start). */
  dataVersion?: string;
  /** A copy made already (before migrations) and when: archived instead of a new copy. */
  copied?: { file: string; takenAt: number };
}

export interface BackupService {
  state(): BackupState;
  settings(): BackupSettings;
  saveSettings(settings: BackupSettings): BackupSettings;
  setPassphrase(passphrase: string | null): Promise<void>;
  backupNow(kind: BackupKind, options?: BackupNowOptions): Promise<BackupRun>;
  /**
   * Holds off backups while a restore is asked for (the restore closes the database a backup would
   * copy and write to): BACKUP_BUSY while a backup runs or another restore holds it. Call before the
   * first await; the answer lets go.
   */
  claimForRestore(): () => void;
  list(): Promise<BackupInfo[]>;
  /** A sale committed: the sequence mark beside the database follows, a few seconds later, off the till's path. */
  saleCommitted(): void;
  start(): void;
  close(): void;
}

export function createBackupService({
  db,
  dataDir,
  dbFile,
  clock,
  log,
  appVersion,
  markDelayMs = 2_000,
}: {
  db: Db;
  dataDir: string;
  dbFile: string;
  clock: Clock;
  log: Logger;
  appVersion: string;
  markDelayMs?: number;
}): BackupService {
  const folder = defaultBackupFolder(dataDir);
  let running = false;
  /** A restore was asked for and has not finished: no backup starts (claimForRestore). */
  let restoring = false;
  let lastBackup: BackupInfo | null = null;
  let lastError: string | null = null;
  let lastAttemptAt: number | null = null;
  let timer: NodeJS.Timeout | null = null;
  let markTimer: NodeJS.Timeout | null = null;
  let closed = false;

  const settings = () => readSetting(db, BACKUP_SETTINGS_KEY, BackupSettings, defaultBackupSettings);

  async function backupNow(kind: BackupKind, options: BackupNowOptions = {}): Promise<BackupRun> {
    if (running) throw new BackupError('BACKUP_BUSY', 'A backup is already running');
    if (restoring) throw new BackupError('BACKUP_BUSY', 'A backup is being restored: back up when the register is back');
    running = true;
    lastAttemptAt = clock.now();
    const now = options.copied?.takenAt ?? lastAttemptAt;
    const current = settings();
    const timeZone = readStoreTimeZone(db);
    try {
      const key = await readBackupKey(dataDir);
      const info = await makeBackupInChild({
        dataDir,
        dbFile,
        folder,
        kind,
        appVersion: options.dataVersion ?? appVersion,
        now,
        key,
        ...(options.copied ? { copied: options.copied.file } : {}),
      });
      lastBackup = info;
      lastError = null;
      let secondCopy: BackupRun['secondCopy'] = 'none';
      if (current.secondFolder !== null) {
        if (!info.manifest.encryption) {
          secondCopy = 'needs-key';
          log.warn(
            'backup not copied to the second folder: set a backup passphrase first (an unencrypted backup never leaves the machine)',
          );
        } else {
          try {
            await copyBackup(info, current.secondFolder);
            await pruneBackups(current.secondFolder, { ...current, timeZone });
            secondCopy = 'copied';
          } catch (error) {
            secondCopy = 'failed';
            log.warn('backup not copied to the second folder', { folder: current.secondFolder, error: String(error) });
          }
        }
      }
      const pruned = await pruneBackups(folder, { ...current, timeZone });
      log.info('backup made', {
        name: info.name,
        kind,
        bytes: info.bytes,
        encrypted: info.manifest.encryption !== null,
        secondCopy,
        pruned: pruned.length,
      });
      return { info, secondCopy };
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
      log.error('backup failed', { kind, error: lastError });
      throw error;
    } finally {
      running = false;
    }
  }

  function schedule(): void {
    if (closed) return;
    timer = setTimeout(() => {
      timer = null;
      const current = settings();
      const due = lastAttemptAt === null || clock.now() - lastAttemptAt >= current.intervalMinutes * 60_000;
      if (current.scheduled && due && !running && !restoring) {
        void backupNow('scheduled')
          .catch(() => undefined)
          .finally(schedule);
      } else schedule();
    }, 60_000);
    timer.unref();
  }

  return {
    state: () => ({ running, lastBackup, lastError, lastAttemptAt, keySet: backupKeyExists(dataDir), folder, settings: settings() }),
    settings,
    saveSettings(next) {
      writeSetting(db, BACKUP_SETTINGS_KEY, next);
      return settings();
    },
    async setPassphrase(passphrase) {
      await writeBackupKey(dataDir, passphrase === null ? null : await deriveBackupKey(passphrase));
    },
    backupNow,
    claimForRestore() {
      if (running) throw new BackupError('BACKUP_BUSY', 'A backup is running: restore when it has finished');
      if (restoring) throw new BackupError('BACKUP_BUSY', 'A restore is already running');
      restoring = true;
      return () => {
        restoring = false;
      };
    },
    list: () => listBackups(folder),
    saleCommitted() {
      if (markTimer !== null || closed) return;
      markTimer = setTimeout(() => {
        markTimer = null;
        if (!db.open) return;
        void writeSequenceMarkFile(dataDir, readSequenceMarks(db)).catch((error: unknown) =>
          log.warn('the sequence mark could not be written', { error: String(error) }),
        );
      }, markDelayMs);
      markTimer.unref();
    },
    start() {
      // The last backup made, so the first scheduled one comes an interval after it, not at every start.
      void listBackups(folder).then((found) => {
        lastBackup ??= found[0] ?? null;
        lastAttemptAt ??= found[0]?.manifest.createdAt ?? null;
      });
      schedule();
    },
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      if (markTimer) clearTimeout(markTimer);
      if (db.open) {
        try {
          // The mark is current when the register stops (synchronously: a restore may follow at once).
          writeSequenceMarkFileSync(dataDir, readSequenceMarks(db));
        } catch {
          // closing: the mark stays as it was
        }
      }
    },
  };
}
