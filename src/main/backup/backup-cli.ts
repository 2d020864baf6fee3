/**
 * Backups for IT, with or without the register running:
 *   npm run backup -- --data-dir D [--to DIR]                   a verified backup (encrypted when a passphrase is set)
 *   npm run backup -- list --data-dir D [--to DIR]              the backups in the folder, newest first
 *   npm run restore -- --data-dir D --from FILE [--yes]         restore into D (the register must be stopped)
 * The passphrase (for an encrypted backup from another PC) comes from SUANPAN_BACKUP_PASSPHRASE or
 * --passphrase-file, never from the command line (it would stay in the shell's history).
 * Exit 0: done; 1: it failed (`error CODE: message`); 2: a usage mistake.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { appPaths } from '../app-paths';
import { parseCliArgs, runCli, UsageError } from '../cli-main';
import { lockDataDir } from '../db/data-dir-lock';
import { loadMigrations } from '../db/migrate';
import { readManifest, type BackupManifest } from './backup-archive';
import { defaultBackupFolder, listBackups, makeBackup, readBackupKey } from './backup-files';
import { restoreBackup } from './restore';

const USAGE = `Usage:
  npm run backup -- --data-dir <dir> [--to <folder>]        make a verified backup now (default folder: <dir>/backups)
  npm run backup -- list --data-dir <dir> [--to <folder>]   list the backups in the folder
  npm run restore -- --data-dir <dir> --from <file> [--yes] [--passphrase-file <file>]
                                                            restore a backup (stop the register first)
The passphrase of an encrypted backup made on another PC: SUANPAN_BACKUP_PASSPHRASE or --passphrase-file.
Exit code 0: done; 1: failed; 2: a usage mistake.`;

function describe(manifest: BackupManifest): string {
  return [
    `made ${new Date(manifest.createdAt).toISOString()} (${manifest.kind}) by Suanpan ${manifest.appVersion}, schema ${manifest.schemaVersion}`,
    `store ${manifest.storeCode ?? '-'} register ${manifest.registerCode ?? '-'}, last receipt ${manifest.lastReceiptNo ?? '(none)'}, ${manifest.unsynced} not yet synced`,
    manifest.encryption ? `encrypted; carries ${manifest.secrets.join(', ') || 'no secrets'}` : 'not encrypted; carries no secrets',
  ].join('\n  ');
}

function passphrase(file: string | undefined): string | null {
  if (file !== undefined) return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  return process.env.SUANPAN_BACKUP_PASSPHRASE ?? null;
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseCliArgs({
    args: argv,
    options: {
      'data-dir': { type: 'string' },
      to: { type: 'string' },
      from: { type: 'string' },
      yes: { type: 'boolean', default: false },
      'passphrase-file': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const [command = 'backup', ...rest] = positionals;
  if (rest.length > 0 || !['backup', 'list', 'restore'].includes(command))
    throw new UsageError(`unknown command ${JSON.stringify(positionals.join(' '))}`);
  if (values['data-dir'] === undefined) throw new UsageError('--data-dir is required');
  const dataDir = resolve(values['data-dir']);
  const folder = resolve(values.to ?? defaultBackupFolder(dataDir));

  if (command === 'list') {
    for (const info of await listBackups(folder)) console.log(`${info.name}\n  ${describe(info.manifest)}`);
    return 0;
  }
  if (command === 'backup') {
    const dbFile = resolve(dataDir, 'register.db');
    if (!existsSync(dbFile)) throw new UsageError(`${dbFile} does not exist: is ${dataDir} a register's data folder?`);
    const info = await makeBackup({
      dataDir,
      dbFile,
      folder,
      kind: 'manual',
      appVersion: appPaths().version,
      now: Date.now(),
      key: await readBackupKey(dataDir),
    });
    console.log(`ok: ${info.file} (${info.bytes} bytes, integrity checked, read back)\n  ${describe(info.manifest)}`);
    return 0;
  }

  if (values.from === undefined) throw new UsageError('--from <backup file> is required');
  const file = resolve(values.from);
  const { manifest } = await readManifest(file);
  console.log(`${file}\n  ${describe(manifest)}`);
  if (!values.yes) {
    if (!process.stdin.isTTY) throw new UsageError('pass --yes to restore without a terminal');
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    const answer = await rl.question(`This replaces the register in ${dataDir} (a safety copy is made first). Type RESTORE to go on: `);
    rl.close();
    if (answer.trim() !== 'RESTORE') {
      console.log('not restored');
      return 1;
    }
  }
  // The register must be stopped: it holds this lock while it runs.
  const unlock = lockDataDir(dataDir);
  try {
    const summary = await restoreBackup({
      dataDir,
      file,
      passphrase: passphrase(values['passphrase-file']),
      latestSchema: loadMigrations(appPaths().migrationsDir).length,
      appVersion: appPaths().version,
      now: Date.now(),
    });
    console.log(
      `ok: restored ${summary.backup}; receipts continue after seq ${summary.floors.receiptSeq}, the outbox after ${summary.floors.outboxAckedSeq}` +
        (summary.safetyCopy ? `; the data it replaced is in ${summary.safetyCopy}` : '') +
        (summary.replacedUnsynced > 0
          ? `\n  warning: the replaced data held ${summary.replacedUnsynced} unsynced rows (kept in the safety copy)`
          : ''),
    );
    return 0;
  } finally {
    unlock();
  }
}

runCli(main, USAGE);
