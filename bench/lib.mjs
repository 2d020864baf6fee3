// Shared by the benchmarks: timing, percentiles and the results table.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';

export function percentile(samples, p) {
  const sorted = [...samples].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)];
}

export const median = (samples) => percentile(samples, 50);

/** Spawns `node args…` and resolves with the first stdout line matching `pattern` plus the child. */
export function spawnUntil(args, pattern, env = process.env) {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
  let out = '';
  let err = '';
  child.stderr.on('data', (c) => (err += c));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = pattern.exec(out);
      if (match) resolve({ child, match });
    });
    child.on('exit', (code) => reject(new Error(`${args.join(' ')} exited ${code}:\n${out}\n${err}`)));
  });
}

export function stop(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

export function entry(name, unit, value, baseline, target) {
  const round = (x) => Math.round(x * 100) / 100;
  return { name, unit, value: round(value), baseline: round(baseline), ratio: round(value / baseline), target };
}

/**
 * A throwaway PostgreSQL database on DATABASE_URL's server with the cloud's migrations applied.
 * `cloud` is the bundled cloud module (createPool, loadMigrations, migrate); `drop()` ends the pool
 * and drops the database.
 */
export async function throwawayCloudDatabase(cloud, root) {
  const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const name = `suanpan_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const pool = cloud.createPool(url.toString(), { max: 4 });
  const drop = async () => {
    await pool.end();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  };
  try {
    await cloud.migrate(pool, cloud.loadMigrations(join(root, 'cloud', 'migrations')));
  } catch (error) {
    await drop();
    throw error;
  }
  return { url: url.toString(), pool, drop };
}

/** Starts the cloud service on a free loopback port; resolves with the app and its base URL. */
export async function listenOnLoopback(cloud, pool) {
  const app = await cloud.createApp({ pool, logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, base: `http://127.0.0.1:${app.server.address().port}` };
}

/**
 * Bundles TypeScript modules of the repo into bench/.data/<name>.mjs and imports it, so a
 * benchmark drives the real code under plain Node. `exports` are lines like
 * "export { x } from './src/main/…';".
 */
export async function bundleAndImport(root, name, exports) {
  const { build } = await import('esbuild');
  const { mkdirSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { pathToFileURL } = await import('node:url');
  const outfile = join(root, 'bench', '.data', `${name}.mjs`);
  mkdirSync(join(root, 'bench', '.data'), { recursive: true });
  await build({
    absWorkingDir: root,
    stdin: { contents: exports.join('\n'), resolveDir: root, loader: 'ts' },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    outfile,
    logLevel: 'error',
  });
  return import(`${pathToFileURL(outfile).href}?t=${Date.now()}`);
}
