/**
 * Backups and restore (issue 17) as the back office sees them: the backups there are, what each
 * holds (date, last receipt, unsynced documents), the schedule and retention, and the restore.
 */
import * as z from './zod';

export const BackupKindName = z.enum(['scheduled', 'manual', 'pre-migration', 'pre-restore', 'pre-update']);

export const BackupSettingsInput = z.strictObject({
  scheduled: z.boolean(),
  intervalMinutes: z
    .number()
    .int()
    .min(15)
    .max(24 * 60),
  keepRecent: z.number().int().min(1).max(500),
  keepDays: z.number().int().min(0).max(366),
  /** An absolute folder path (a USB disk, a network share), or null for none. */
  secondFolder: z
    .string()
    .trim()
    .min(1)
    .max(400)
    .refine(
      (path) => /^(\/|[A-Za-z]:[\\/]|\\\\)/.test(path),
      'an absolute folder path (/media/usb/backups, E:\\backups, \\\\server\\share)',
    )
    .nullable(),
});

export const BackupView = z.object({
  name: z.string(),
  /** Where it is: the register's own folder or the second folder. */
  where: z.enum(['local', 'second']),
  createdAt: z.number().int(),
  kind: BackupKindName,
  bytes: z.number().int().min(0),
  encrypted: z.boolean(),
  appVersion: z.string(),
  schemaVersion: z.number().int(),
  lastReceiptNo: z.string().nullable(),
  unsynced: z.number().int().min(0),
});

export const BackupStatus = z.object({
  running: z.boolean(),
  lastBackupAt: z.number().int().nullable(),
  lastError: z.string().nullable(),
  /** A backup passphrase is set: backups are encrypted and carry the secrets. */
  keySet: z.boolean(),
  folder: z.string(),
  settings: BackupSettingsInput,
  backups: z.array(BackupView),
});

/** What the manager types to confirm a restore, in either language. */
export const RESTORE_CONFIRM_WORDS = ['還原', 'RESTORE'] as const;

export const RestoreRequest = z.strictObject({
  name: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[A-Za-z0-9._-]+\.spbak$/),
  where: z.enum(['local', 'second']),
  /** Needed when the backup was made with another passphrase (another PC's). */
  passphrase: z.string().min(1).max(200).optional(),
  confirm: z.string().max(20),
});

export const RestoreResult = z.object({
  backup: z.string(),
  backupCreatedAt: z.number().int(),
  lastReceiptNo: z.string().nullable(),
  /** The receipt number the restored register continues after, and the cloud's last acknowledged outbox row. */
  receiptFloor: z.number().int().min(0),
  outboxFloor: z.number().int().min(0),
  replacedUnsynced: z.number().int().min(0),
  safetyCopy: z.string().nullable(),
});
