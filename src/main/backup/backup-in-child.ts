/**
 * A backup made by a process of its own (`dist/backup/backup-child.js`, which runs `makeBackup`):
 * the register's scheduled and on-demand backups, the one before a new version's first start and
 * the one before a restore. Writing the archive streams the whole database through gzip and the
 * cipher; done in the register's own process, the buffers it went through stayed in the kiosk
 * host's resident set (+25–30 MiB for the rest of the day after one backup at 200,000 products,
 * issue 18: host-rss-hwm-mib; src/main/process/node-child.ts). The key goes to the child as its
 * input, never on its command line.
 */
import { join } from 'node:path';
import { appPaths } from '../app-paths';
import { BackupError, type BackupErrorCode } from './backup-errors';
import type { BackupInfo, MakeBackupOptions } from './backup-files';
import { childAnswer, runChild } from '../process/node-child';

const CODES: readonly BackupErrorCode[] = ['BACKUP_INVALID', 'BACKUP_PASSPHRASE', 'BACKUP_FAILED', 'BACKUP_BUSY', 'RESTORE_REFUSED'];

/** What the parent writes to the child's stdin. */
export interface BackupChildInput {
  options: Omit<MakeBackupOptions, 'key'>;
  key: { salt: string; key: string } | null;
}

/** What the child writes to its stdout. */
export type BackupChildAnswer = { ok: true; info: BackupInfo } | { ok: false; code: BackupErrorCode; message: string };

export function backupChildFile(): string {
  return join(appPaths().root, 'dist', 'backup', 'backup-child.js');
}

/** `makeBackup` in a child process; the same answer and the same `BackupError`s. Bounded by the copy's bound plus the archive's. */
export async function makeBackupInChild(options: MakeBackupOptions, childFile: string = backupChildFile()): Promise<BackupInfo> {
  const { key, ...rest } = options;
  const input: BackupChildInput = {
    options: rest,
    key: key ? { salt: key.salt.toString('base64'), key: key.key.toString('base64') } : null,
  };
  const timeoutMs = 2 * (options.timeoutMs ?? 30 * 60_000);
  const run = await runChild(childFile, [], { input: JSON.stringify(input), timeoutMs });
  const read = childAnswer<BackupChildAnswer>(run, 'The backup', timeoutMs);
  if (!read.ok) throw new BackupError('BACKUP_FAILED', read.reason);
  const answer = read.value;
  if (answer.ok) return answer.info;
  throw new BackupError(CODES.includes(answer.code) ? answer.code : 'BACKUP_FAILED', answer.message);
}
