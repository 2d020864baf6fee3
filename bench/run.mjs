// `npm run bench`: every benchmark, a table, and bench/results.json. Figures are ratios against a
// baseline measured in the same run, because this machine's timings are noisy.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stopChild, withTimeout } from '../tests/support/bounded.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** [module, export], in order; each runs in its own process (run-one.mjs). */
// What each entry times, from which event to which, and what its baseline does: bench/README.md.
const benchmarks = [
  ['register-start.mjs', 'benchRegisterStart'],
  ['catalog.mjs', 'benchCatalog'],
  ['sale-complete.mjs', 'benchSaleComplete'],
  ['scan-to-line.mjs', 'benchScanToLine'],
  ['host-memory.mjs', 'benchHostMemory'],
  ['cloud-changes.mjs', 'benchCloudChanges'],
  ['sync-push.mjs', 'benchSyncPush'],
  ['cloud-ingest-100-registers.mjs', 'benchCloudIngest'],
  ['hq-import.mjs', 'benchHqImport'],
  ['hq-dashboard.mjs', 'benchHqDashboard'],
  ['reports.mjs', 'benchReports'],
  ['stocktake.mjs', 'benchStocktake'],
  ['members.mjs', 'benchMembers'],
  // 1,000,000 products: the catalogue is built once (about 7 minutes) and cached in bench/.cache.
  ['catalog.mjs', 'benchCatalog1m'],
  ['register-start.mjs', 'benchRegisterStart1m'],
];

/** One benchmark may run this long (BENCH_BOUND_MIN, default 60 minutes) before it is killed and the run fails saying which. */
const BOUND_MS = Number(process.env.BENCH_BOUND_MIN ?? 60) * 60_000;

function runOne([moduleFile, exportName]) {
  const finished = new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'bench', 'run-one.mjs'), moduleFile, exportName], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    running = child;
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.stdout.pipe(process.stdout);
    child.on('error', reject);
    child.on('exit', (code) => {
      const last = out.trim().split('\n').at(-1) ?? '';
      if (code === 0) resolve(JSON.parse(last));
      else reject(new Error(`bench/${moduleFile} exited ${code}`));
    });
  });
  return withTimeout(finished, BOUND_MS, `bench/${moduleFile} ${exportName} (BENCH_BOUND_MIN raises the bound)`).catch(async (error) => {
    if (running && running.exitCode === null && running.signalCode === null)
      await stopChild(running, `bench/${moduleFile}`).catch(() => {});
    throw error;
  });
}

let running = null;

const results = [];
for (const bench of benchmarks) results.push(...(await runOne(bench)));

/** `target` caps the value, or floors it (`targetKind: 'min'`), or caps the ratio to the baseline (`'ratio'`). */
const withinTarget = (r) =>
  r.targetKind === 'min' ? r.value >= r.target : r.targetKind === 'ratio' ? r.ratio <= r.target : r.value <= r.target;
console.table(results.map((r) => ({ ...r, 'within target': withinTarget(r) ? 'yes' : 'NO' })));
writeFileSync(join(root, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log('wrote bench/results.json');
