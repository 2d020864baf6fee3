/**
 * `npm run cloud:admin -- <command> …` from DATABASE_URL: head office's side (stores, enrolment
 * codes, catalogue, online orders, quarantine, reports). Migrates first, like the server.
 * Exit status: 0 done, 1 refused or failed, 2 usage.
 */
import { runAdmin, USAGE } from './admin/commands';
import { AdminError } from './errors';
import { createPool } from './db/pool';
import { MigrationError, defaultMigrationsDir } from './db/migrate';
import { systemClock } from './domain/clock';

const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return argv.length === 0 ? 2 : 0;
  }
  const pool = createPool(process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL, { max: 2, applicationName: 'suanpan-cloud-admin' });
  try {
    await runAdmin(argv, {
      pool,
      clock: systemClock,
      migrationsDir: defaultMigrationsDir(import.meta.url),
      out: (line) => process.stdout.write(`${line}\n`),
      err: (line) => process.stderr.write(`${line}\n`),
      stdin: async () => {
        let text = '';
        for await (const chunk of process.stdin) text += String(chunk);
        return text;
      },
    });
    return 0;
  } catch (error) {
    if (error instanceof AdminError || error instanceof MigrationError) {
      process.stderr.write(`${error.code}: ${error.message}\n`);
      return error instanceof AdminError && error.code === 'USAGE' ? 2 : 1;
    }
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  } finally {
    await pool.end();
  }
}

process.exitCode = await main();
