/**
 * `npm run cloud -- --port <n> [--host <addr>] [--trust-proxy <value>]`, from DATABASE_URL.
 * Migrates (advisory-locked, so instances may start together), serves, and on SIGTERM stops taking
 * requests, finishes those in flight, then closes the pool.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createApp } from './app';
import { createPool } from './db/pool';
import { defaultMigrationsDir, loadMigrations, migrate } from './db/migrate';
import { createFolderSender, startMallScheduler, type MallSenders } from './domain/mall-export';
import { createSftpSender } from './domain/mall-sftp';
import { createSecretBox, parseSecretKey } from './domain/secrets';

const USAGE = 'Usage: npm run cloud -- --port <n> [--host 0.0.0.0] [--trust-proxy true|<addresses>]   (reads DATABASE_URL)';
export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';
/** Longer than any request may take (requestTimeout is 30 s), shorter than a typical orchestrator's kill timeout. */
const SHUTDOWN_GRACE_MS = 25_000;

function parseTrustProxy(value: string | undefined): boolean | string {
  if (value === undefined || value === 'false') return false;
  return value === 'true' ? true : value;
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2),
      options: { port: { type: 'string' }, host: { type: 'string' }, 'trust-proxy': { type: 'string' }, help: { type: 'boolean' } },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const port = Number(values.port ?? process.env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    process.stderr.write(`--port must be 0 to 65535\n${USAGE}\n`);
    process.exit(2);
  }

  // enrolments one client address may start in a minute (a rollout day behind one NAT address may need more)
  const enrolAttemptsPerMinute = Number(process.env.ENROL_ATTEMPTS_PER_MINUTE ?? 5);
  if (!Number.isInteger(enrolAttemptsPerMinute) || enrolAttemptsPerMinute < 1 || enrolAttemptsPerMinute > 10_000) {
    process.stderr.write('ENROL_ATTEMPTS_PER_MINUTE must be a whole number from 1 to 10000\n');
    process.exit(2);
  }
  const pool = createPool(process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL, { max: Number(process.env.PG_POOL_MAX ?? 10) });
  const queueLimit = process.env.PG_QUEUE_MAX === undefined ? {} : { queueLimit: Number(process.env.PG_QUEUE_MAX) };
  // Mall turnover files go to MALL_EXPORT_DIR/<store code>/ (default ./mall-exports), or over SFTP
  // when SUANPAN_SECRET_KEY (32 bytes, base64) is set: it seals the stores' SFTP passwords and keys.
  const mallSenders: MallSenders = { folder: createFolderSender(resolve(process.env.MALL_EXPORT_DIR ?? 'mall-exports')) };
  if (process.env.SUANPAN_SECRET_KEY) {
    try {
      mallSenders.sftp = createSftpSender(createSecretBox(parseSecretKey(process.env.SUANPAN_SECRET_KEY)));
    } catch (error) {
      process.stderr.write(`${(error as Error).message}\n`);
      process.exit(2);
    }
  }
  const app = await createApp({
    pool,
    logger: { level: process.env.LOG_LEVEL ?? 'info' },
    trustProxy: parseTrustProxy(values['trust-proxy']),
    enrolAttemptsPerMinute,
    ...queueLimit,
    // dist/cloud/server.js serves dist/console; HQ_INSECURE_COOKIES=1 only for plain http beyond localhost (never in production).
    hq: {
      consoleDir: fileURLToPath(new URL('../console/', import.meta.url)),
      cookies: { secure: process.env.HQ_INSECURE_COOKIES !== '1' },
      mallSenders,
    },
  });
  try {
    const applied = await migrate(pool, loadMigrations(defaultMigrationsDir(import.meta.url)));
    if (applied.length > 0) app.log.info({ applied }, 'migrated');
  } catch (error) {
    app.log.error({ err: error }, 'cannot migrate the database; not starting');
    await pool.end();
    process.exit(1);
  }

  const stopMallScheduler = startMallScheduler(pool, mallSenders, Date.now, (error) =>
    app.log.error({ err: error }, 'mall export schedule failed'),
  );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    setTimeout(() => {
      app.log.error('requests still running after the grace period; exiting');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS).unref();
    stopMallScheduler();
    void app
      .close()
      .then(() => pool.end())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          app.log.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  await app.listen({ port, host: values.host ?? '0.0.0.0' });
}

await main();
