// Shared by the benchmarks: timing, percentiles and the results table.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { stopChild, withTimeout } from '../tests/support/bounded.mjs';

export function percentile(samples, p) {
  const sorted = [...samples].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)];
}

export const median = (samples) => percentile(samples, 50);

/**
 * Spawns `node args…` and resolves with the first stdout line matching `pattern` plus the child;
 * rejects (and kills the child) if it exits first or nothing matches within `timeoutMs`.
 * `env`: the child's environment (default: this process's).
 */
export function spawnUntil(args, pattern, { timeoutMs = 120_000, env = process.env } = {}) {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
  let out = '';
  let err = '';
  child.stderr.on('data', (c) => (err += c));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${args.join(' ')} printed nothing matching ${pattern} in ${timeoutMs} ms:\n${out}\n${err}`));
    }, timeoutMs);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = pattern.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve({ child, match });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${args.join(' ')} exited ${code}:\n${out}\n${err}`));
    });
  });
}

/** SIGTERM, then SIGKILL and an error if the child has not exited 10 s later. */
export const stop = (child) => stopChild(child, 'the benchmark child process');

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

export { withTimeout };

/**
 * A client of the kiosk host's WebSocket, as the page is: it reads the per-launch secret from the
 * served index.html and connects from the host's own Origin. `call(channel, payload)` resolves with
 * the result's value (rejects on an error result or after `timeoutMs`); `raw(channel, payload)`
 * resolves with the whole result, ok or not.
 *
 * The host answers a window that sends more than 100 requests a second (burst 200) RATE_LIMITED
 * (src/main/host/socket-limits.ts), as it should a flooding page; a bench is not one. So each
 * request first waits for a token of a bucket a little slower than the host's (`pace`). A timed
 * request takes its tokens before its timer starts (`await client.pace(n)`, then
 * `{ prepaid: true }`), so no wait of the bench's own is in a figure.
 */
export async function kioskClient(baseUrl, { timeoutMs = 10_000 } = {}) {
  const { default: WebSocket } = await import('ws');
  const base = new URL(baseUrl);
  const html = await withTimeout(
    fetch(base).then((r) => r.text()),
    timeoutMs,
    `GET ${base}`,
  );
  const secret = /<meta name="suanpan-session" content="([^"]+)">/.exec(html)?.[1];
  if (!secret) throw new Error(`no session secret in ${base}`);
  const ws = new WebSocket(`ws://${base.host}/ws?session=${encodeURIComponent(secret)}`, { origin: base.origin });
  await withTimeout(
    new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject))),
    timeoutMs,
    'the kiosk WebSocket to open',
  );
  const pending = new Map();
  let nextId = 1;
  const perSecond = 90;
  const capacity = 150;
  let tokens = capacity;
  let refilledAt = performance.now();
  const pace = async (n = 1) => {
    for (;;) {
      const now = performance.now();
      tokens = Math.min(capacity, tokens + ((now - refilledAt) * perSecond) / 1000);
      refilledAt = now;
      if (tokens >= n) {
        tokens -= n;
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.ceil(((n - tokens) * 1000) / perSecond)));
    }
  };
  ws.on('message', (data) => {
    const frame = JSON.parse(String(data));
    if (typeof frame.id !== 'number') return; // an event
    pending.get(frame.id)?.(frame.result);
    pending.delete(frame.id);
  });
  const raw = async (channel, payload = {}, { prepaid = false } = {}) => {
    if (!prepaid) await pace();
    const id = nextId++;
    const answered = new Promise((resolve) => pending.set(id, resolve));
    ws.send(JSON.stringify({ id, channel, payload }));
    return withTimeout(answered, timeoutMs, `${channel} over the kiosk WebSocket`).finally(() => pending.delete(id));
  };
  const call = async (channel, payload, options) => {
    const result = await raw(channel, payload, options);
    if (!result.ok) throw new Error(`${channel}: ${result.error.code}: ${result.error.message}`);
    return result.value;
  };
  const close = () =>
    withTimeout(
      new Promise((resolve) => (ws.readyState === ws.CLOSED ? resolve() : (ws.once('close', resolve), ws.close()))),
      timeoutMs,
      'the kiosk WebSocket to close',
    );
  return { call, raw, pace, close };
}

/** Reads a process's resident high-water mark (VmHWM, Linux) in MiB. */
export async function residentHighWaterMiB(pid) {
  const { readFileSync } = await import('node:fs');
  const kib = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
  if (!Number.isFinite(kib)) throw new Error(`no VmHWM for process ${pid}`);
  return kib / 1024;
}
