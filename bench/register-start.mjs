// register-start: ms from process start until the kiosk host answers /healthz with the demo store.
// Baseline: a plain Node process that opens the same SQLite file, reads the store name and answers
// it over HTTP: the least any register process must do.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { entry, median, spawnUntil, stop } from './lib.mjs';

const RUNS = 7;
const READY = /(http:\/\/127\.0\.0\.1:\d+\/)/;

async function timeStart(args, expectedStore) {
  const started = performance.now();
  const { child, match } = await spawnUntil(args, READY);
  const res = await fetch(new URL('/healthz', match[1]));
  const body = await res.text();
  const elapsed = performance.now() - started;
  await stop(child);
  if (!body.includes(expectedStore)) throw new Error(`unexpected answer: ${body}`);
  return elapsed;
}

export async function benchRegisterStart({ root }) {
  const dataDir = mkdtempSync(join(tmpdir(), 'suanpan-bench-start-'));
  try {
    const cli = join(root, 'dist', 'host', 'cli.js');
    const serveArgs = [cli, '--data-dir', dataDir, '--port', '0', '--demo'];
    const firstRun = await timeStart(serveArgs, '旺角店');
    const register = [];
    const baseline = [];
    for (let i = 0; i < RUNS; i++) {
      register.push(await timeStart(serveArgs, '旺角店'));
      baseline.push(await timeStart([join(root, 'bench', 'baseline-start.mjs'), join(dataDir, 'register.db')], '旺角店'));
    }
    const base = median(baseline);
    return [
      entry('register-start', 'ms', median(register), base, 1500),
      entry('register-start-first-run', 'ms', firstRun, base, 5000),
    ];
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
