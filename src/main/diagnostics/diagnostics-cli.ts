/**
 * `npm run diagnostics -- --data-dir <dir> [--out <file.zip>]`: the diagnostics bundle for a support
 * ticket, the register running or stopped (the database is opened read-only; nothing is written to
 * the data folder except the zip, by default in <dir>/diagnostics/).
 * Exit 0: written; 1: it failed (`error CODE: message`); 2: a usage mistake.
 */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { appPaths } from '../app-paths';
import { loadMigrations } from '../db/migrate';
import { defaultDiagnosticsFolder, writeBundle } from './bundle';
import { readHealthReport } from './health';

const USAGE = `Usage: npm run diagnostics -- --data-dir <dir> [--out <file.zip>]
  --data-dir  the register's data folder (holds register.db, logs/ and secrets/)
  --out       where to write the zip (default: <dir>/diagnostics/suanpan-diagnostics-<store>-<register>-<time>.zip)
The bundle holds versions, OS, disk, database size and integrity, migrations, sync and print queues,
device settings, the last 1,000 log lines and the settings, all without secrets.
Exit code 0: written; 1: failed; 2: a usage mistake.`;

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { 'data-dir': { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: false,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
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

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`error: ${error.message}\n${USAGE}`);
      process.exitCode = 2;
      return;
    }
    const code = (error as { code?: unknown }).code;
    console.error(`error ${typeof code === 'string' ? code : 'FAILED'}: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
