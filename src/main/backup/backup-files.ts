/**
 * Making one backup file and finding the ones there are. Used by the register (scheduled, on
 * demand, before migrations and restores) and by `npm run backup` alike; neither needs the other.
 *
 * A backup is written as `<name>.<pid>.partial` and renamed only once it reads back whole (tag and
 * checksum), so a power cut or a kill mid-backup leaves a partial file the next backup removes,
 * never a file that looks like a backup and is not.
 */
import { copyFile, mkdir, readdir, readFile, rename, rm, stat, writeFile, open } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { z } from 'zod';
import {
  BACKUP_EXTENSION,
  extractArchive,
  readManifest,
  writeArchive,
  type BackupKey,
  type BackupKind,
  type BackupManifest,
} from './backup-archive';
import { BackupError } from './backup-errors';
import { backupsToDelete, type RetentionPolicy } from './retention';
import { snapshotInChild } from './snapshot-process';

/** The secrets a backup carries (encrypted): without the pepper PINs must be reset, without the audit key the log cannot be verified. */
export const CARRIED_SECRETS = ['pin-pepper', 'audit-key', 'cloud-token'] as const;
export const BACKUP_KEY_FILE = 'backup-key';

export interface BackupInfo {
  file: string;
  name: string;
  bytes: number;
  manifest: BackupManifest;
}

export function defaultBackupFolder(dataDir: string): string {
  return join(dataDir, 'backups');
}

function stamp(at: number): string {
  return new Date(at)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

function safePart(text: string | null): string {
  return (text ?? 'new').replace(/[^A-Za-z0-9]/g, '') || 'x';
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Leftovers of a backup that was killed: partial archives and snapshot copies whose process is gone. */
export async function removeLeftovers(folder: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const match = /\.(\d+)\.partial$/.exec(name) ?? /^\.snapshot-(\d+)-/.exec(name);
    if (!match) continue;
    const pid = Number(match[1]);
    if (pid !== process.pid && isRunning(pid)) continue;
    if (pid === process.pid && activeNames.has(name)) continue;
    await rm(join(folder, name), { force: true });
    removed.push(name);
  }
  return removed;
}

const activeNames = new Set<string>();

async function readSecrets(dataDir: string): Promise<Record<string, Buffer>> {
  const secrets: Record<string, Buffer> = {};
  for (const name of CARRIED_SECRETS) {
    try {
      secrets[name] = await readFile(join(dataDir, 'secrets', name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return secrets;
}

/** Writes the file's data to the disk before a rename gives it its name. */
export async function syncFile(file: string): Promise<void> {
  const handle = await open(file, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function fsyncFolder(folder: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export interface MakeBackupOptions {
  dataDir: string;
  dbFile: string;
  folder: string;
  kind: BackupKind;
  appVersion: string;
  now: number;
  key: BackupKey | null;
  /** Bound on the database copy (its process is killed after it). */
  timeoutMs?: number;
  /**
   * A copy of the database made already (a new version's, before its migrations: updates/version-start.ts):
   * checked and archived instead of a new copy, and removed once archived, like one made here.
   */
  copied?: string;
}

/** Copies the database in a child process, checks the copy, writes and re-reads the archive, then names it. */
export async function makeBackup(options: MakeBackupOptions): Promise<BackupInfo> {
  const { folder } = options;
  try {
    await mkdir(folder, { recursive: true, mode: 0o700 });
  } catch (cause) {
    throw new BackupError('BACKUP_FAILED', `The backup folder ${folder} cannot be made: ${String(cause)}`, { cause });
  }
  await removeLeftovers(folder);
  const copyName = options.copied === undefined ? `.snapshot-${process.pid}-${options.now}.db` : basename(options.copied);
  const copy = options.copied ?? join(folder, copyName);
  activeNames.add(copyName);
  let partialName: string | null = null;
  try {
    const snapshot = await snapshotInChild({
      ...(options.copied === undefined ? { source: options.dbFile } : {}),
      copy,
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    });
    if (!snapshot.ok)
      throw new BackupError('BACKUP_FAILED', `The database copy failed its check: ${snapshot.problems.slice(0, 3).join('; ')}`);
    const facts = snapshot.facts;
    const name = `suanpan-${safePart(facts.storeCode)}-${safePart(facts.registerCode)}-${stamp(options.now)}-${options.kind}${BACKUP_EXTENSION}`;
    partialName = `${name}.${process.pid}.partial`;
    activeNames.add(partialName);
    const partial = join(folder, partialName);
    const manifest = await writeArchive({
      out: partial,
      dbFile: copy,
      secrets: await readSecrets(options.dataDir),
      key: options.key,
      manifest: { createdAt: options.now, kind: options.kind, appVersion: options.appVersion, ...facts },
    });
    // Verified: the file reads back whole before it gets a backup's name.
    await extractArchive({ file: partial, dbOut: null, key: options.key });
    const file = join(folder, name);
    await rename(partial, file);
    await fsyncFolder(folder);
    return { file, name, bytes: (await stat(file)).size, manifest };
  } catch (error) {
    if (error instanceof BackupError) throw error;
    throw new BackupError('BACKUP_FAILED', `The backup could not be written to ${folder}: ${String(error)}`, { cause: error });
  } finally {
    activeNames.delete(copyName);
    await rm(copy, { force: true });
    if (partialName !== null) {
      activeNames.delete(partialName);
      await rm(join(folder, partialName), { force: true });
    }
  }
}

/** Copies a finished backup to another folder (a USB disk, a network share), the same way: partial, then rename. */
export async function copyBackup(info: BackupInfo, folder: string): Promise<string> {
  await mkdir(folder, { recursive: true });
  const partial = join(folder, `${info.name}.${process.pid}.partial`);
  const file = join(folder, info.name);
  try {
    await copyFile(info.file, partial);
    await syncFile(partial);
    await rename(partial, file);
  } finally {
    await rm(partial, { force: true });
  }
  return file;
}

/** The backups in a folder, newest first; files that are not readable backups are left out. */
export async function listBackups(folder: string): Promise<BackupInfo[]> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return [];
  }
  const found: BackupInfo[] = [];
  for (const name of names.filter((n) => n.endsWith(BACKUP_EXTENSION))) {
    const file = join(folder, name);
    try {
      const { manifest, size } = await readManifest(file);
      found.push({ file, name, bytes: size, manifest });
    } catch {
      // not a backup, or damaged: never offered for a restore
    }
  }
  return found.sort((a, b) => b.manifest.createdAt - a.manifest.createdAt || b.name.localeCompare(a.name));
}

/** Applies the retention policy to a folder; answers the names deleted. */
export async function pruneBackups(folder: string, policy: RetentionPolicy): Promise<string[]> {
  const entries = await listBackups(folder);
  const doomed = backupsToDelete(
    entries.map((entry) => ({ name: entry.name, createdAt: entry.manifest.createdAt })),
    policy,
  );
  for (const name of doomed) await rm(join(folder, name), { force: true });
  return doomed;
}

const KeyFile = z.strictObject({ salt: z.base64(), key: z.base64() });

export async function readBackupKey(dataDir: string): Promise<BackupKey | null> {
  try {
    const parsed = KeyFile.safeParse(JSON.parse(await readFile(join(dataDir, 'secrets', BACKUP_KEY_FILE), 'utf8')));
    return parsed.success ? { salt: Buffer.from(parsed.data.salt, 'base64'), key: Buffer.from(parsed.data.key, 'base64') } : null;
  } catch {
    return null;
  }
}

export async function writeBackupKey(dataDir: string, key: BackupKey | null): Promise<void> {
  const file = join(dataDir, 'secrets', BACKUP_KEY_FILE);
  if (key === null) {
    await rm(file, { force: true });
    return;
  }
  await mkdir(join(dataDir, 'secrets'), { recursive: true, mode: 0o700 });
  await writeFile(`${file}.tmp`, JSON.stringify({ salt: key.salt.toString('base64'), key: key.key.toString('base64') }), { mode: 0o600 });
  await rename(`${file}.tmp`, file);
}

export function backupKeyExists(dataDir: string): boolean {
  return existsSync(join(dataDir, 'secrets', BACKUP_KEY_FILE));
}
