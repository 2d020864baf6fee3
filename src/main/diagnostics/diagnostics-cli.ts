/**
 * `npm run diagnostics -- --data-dir <dir> [--out <file.zip>]`: the diagnostics bundle for a support
 * ticket, the register running or stopped (the database is opened read-only; nothing is written to
 * the data folder except the zip, by default in <dir>/diagnostics/).
 * Exit 0: written; 1: it failed (`error CODE: message`); 2: a usage mistake.
 */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { appPaths } from '../app-paths';
import { parseCliArgs, runCli, UsageError } from '../cli-main';
import { loadMigrations } from '../db/migrate';
import { defaultDiagnosticsFolder, writeBundle } from './bundle';
import { readHealthReport } from './health';

const USAGE = `Usage: npm run diagnostics -- --data-dir <dir> [--out <file.zip>]
  --data-dir  the register's data folder (holds register.db, logs/ and secrets/)
  --out       where to write the zip (default: <dir>/diagnostics/suanpan-diagnostics-<store>-<register>-<time>.zip)
The bundle holds versions, OS, disk, database size and integrity, migrations, sync and print queues,
device settings, the last 1,000 log lines and the settings, all without secrets.
Exit code 0: written; 1: failed; 2: a usage mistake.`;

async function main(argv: string[]): Promise<number> {
  const parsed = parseCliArgs({
    args: argv,
    options: { 'data-dir': { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: false,
    strict: true,
  });
  if (parsed.values.help) {
    console.log(USAGE);
    return 0;
  }
  if (parsed.values['data-dir'] === undefined) throw new UsageError('--data-dir is required');
  const dataDir = resolve(parsed.values['data-dir']);
  const dbFile = join(dataDir, 'register.db');
  if (!existsSync(dbFile)) throw new UsageError(`${dbFile} does not exist: is ${dataDir} a register's data folder?`);
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const migrations = loadMigrations(appPaths().migrationsDir);
    const now = Date.now();
    const health = await readHealthReport({
      db,
      dataDir,
      dbFile,
      appVersion: appPaths().version,
      latestSchema: migrations.length,
      now,
    });
    const out = parsed.values.out;
    const written = await writeBundle(
      { db, dataDir, dbFile, migrations, health, now },
      out === undefined ? { folder: defaultDiagnosticsFolder(dataDir) } : { file: resolve(out) },
    );
    console.log(`ok: ${written.file} (${written.zip.length} bytes)`);
    return 0;
  } finally {
    db.close();
  }
}

runCli(main, USAGE);
