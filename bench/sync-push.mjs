// `sync-push-sales-per-s`: ten-line, two-tender sales (card + cash, as in sale-complete) per second
// from one register into PostgreSQL through the real path, timed from enrolment (which starts the
// worker on a queue holding every sale) until the register reports an empty queue: the register's outbox, the worker_threads sync worker (dist/sync/sync-worker.js, its own
// SQLite connection), HTTP on loopback, the cloud service (auth, zod, exactly-once batch apply).
// Baseline, same run: the very same outbox rows applied directly with the cloud's batch function
// (no worker, no HTTP), into a second merchant so the documents are new there too.
//
// Needs `npm run build` (dist/core, dist/sync) and PostgreSQL (DATABASE_URL's server); a
// throwaway database is created and dropped. BENCH_SYNC_SALES sets the number of sales.
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { bundleAndImport, entry, listenOnLoopback, throwawayCloudDatabase } from './lib.mjs';

const SALES = Number(process.env.BENCH_SYNC_SALES ?? 2_000);
const LINES = 10;

/** 40 demo products with a GS1 Hong Kong barcode: each sale scans ten of them. */
function saleProducts(root) {
  const demo = JSON.parse(readFileSync(join(root, 'assets', 'demo', 'store.json'), 'utf8'));
  return demo.products.filter((p) => p.barcodes.some((b) => b.startsWith('489'))).slice(0, 40);
}

function unwrap(result) {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

async function loadCloud(root) {
  return bundleAndImport(root, 'cloud-sync', [
    "export { createApp } from './cloud/app';",
    "export { createPool } from './cloud/db/pool';",
    "export { loadMigrations, migrate } from './cloud/db/migrate';",
    "export { createMerchant, createStore } from './cloud/domain/merchants';",
    "export { issueEnrolmentCode, enrol } from './cloud/domain/enrolment';",
    "export { upsertProduct } from './cloud/domain/catalogue';",
    "export { authenticate } from './cloud/domain/registers';",
    "export { applyMutationBatch } from './cloud/domain/mutations';",
  ]);
}

async function shop(cloud, pool, products, name) {
  const merchant = await cloud.createMerchant(pool, name);
  const store = await cloud.createStore(pool, merchant.id, { code: 'MK01', nameZh: '旺角店', nameEn: 'Mong Kok' });
  for (const p of products) {
    await cloud.upsertProduct(
      pool,
      merchant.id,
      { sku: p.sku, nameZh: p.nameZh, nameEn: p.nameEn, barcodes: p.barcodes, price: p.price },
      Date.now(),
    );
  }
  return store;
}

async function waitFor(check, what, timeoutMs = 600_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export async function benchSyncPush({ root }) {
  const cloud = await loadCloud(root);
  const { createRegister } = await import(join(root, 'dist', 'core', 'register.js'));
  const { pool, drop } = await throwawayCloudDatabase(cloud, root);
  const dataDir = mkdtempSync(join(tmpdir(), 'suanpan-bench-sync-'));
  let app;
  let register;
  try {
    const products = saleProducts(root);
    const barcodes = products.map((p) => p.barcodes.find((b) => b.startsWith('489')));
    const viaWorkerStore = await shop(cloud, pool, products, 'Bench via worker');
    const directStore = await shop(cloud, pool, products, 'Bench direct');
    const cloudService = await listenOnLoopback(cloud, pool);
    app = cloudService.app;
    const { base } = cloudService;

    // 1. the sales, made before enrolment: the queue holds them all
    const silent = { info() {}, warn() {}, error() {} };
    register = await createRegister({
      dataDir,
      demo: true,
      log: silent,
      sync: { workerFile: join(root, 'dist', 'sync', 'sync-worker.js') },
    });
    unwrap(await register.dispatch('staff:login', { staffId: 3, pin: '9999' }));
    for (let i = 0; i < SALES; i += 1) {
      let cart;
      for (let line = 0; line < LINES; line++)
        cart = unwrap(await register.dispatch('cart:scan', { code: barcodes[(i + line * 3) % barcodes.length] }));
      unwrap(
        await register.dispatch('sale:complete', {
          cartId: cart.id,
          tenders: [
            { method: 'card', amount: 1000, approvalCode: 'A12345', cardLast4: '4242' },
            { method: 'cash', amount: cart.total - 1000, tendered: cart.total - 1000 + 5000 },
          ],
        }),
      );
    }

    // 2. through the worker: from enrolment to an empty queue
    const { code } = await cloud.issueEnrolmentCode(pool, viaWorkerStore.id, { ttlMinutes: 5, now: Date.now() });
    const started = performance.now();
    unwrap(await register.dispatch('sync:enrol', { cloudUrl: base, code }));
    await waitFor(async () => unwrap(await register.dispatch('sync:status', {})).pending === 0, 'the queue to empty');
    const workerSeconds = (performance.now() - started) / 1000;

    // 3. the same rows, applied directly in batches of 500
    const db = new Database(register.dbFile, { readonly: true });
    const rows = db.prepare('SELECT seq, kind, ref, payload FROM outbox ORDER BY seq').all();
    db.close();
    const direct = await cloud.issueEnrolmentCode(pool, directStore.id, { ttlMinutes: 5, now: Date.now() });
    const { token } = await cloud.enrol(pool, { code: direct.code }, Date.now());
    const context = await cloud.authenticate(pool, token);
    const t = performance.now();
    for (let from = 0; from < rows.length; from += 500) {
      const batch = rows.slice(from, from + 500).map((r) => ({ seq: r.seq, kind: r.kind, ref: r.ref, payload: JSON.parse(r.payload) }));
      await cloud.applyMutationBatch(pool, context, batch, Date.now());
    }
    const directSeconds = (performance.now() - t) / 1000;

    const counts = (await pool.query('SELECT count(*)::int AS n FROM sale')).rows[0].n;
    if (counts !== 2 * SALES) throw new Error(`expected ${2 * SALES} sales in PostgreSQL, found ${counts}`);
    const lines = (await pool.query('SELECT count(*)::int AS n FROM sale_line')).rows[0].n;
    if (lines !== 2 * SALES * LINES) throw new Error(`expected ${2 * SALES * LINES} sale lines in PostgreSQL, found ${lines}`);
    console.error(
      `bench: ${SALES} ten-line sales via the worker in ${workerSeconds.toFixed(2)} s, directly in ${directSeconds.toFixed(2)} s`,
    );
    // Higher is better: the target is a floor (a day's 10,000 sales drain in under a minute).
    return [{ ...entry('sync-push-sales-per-s', 'sales/s', SALES / workerSeconds, SALES / directSeconds, 200), targetKind: 'min' }];
  } finally {
    register?.close();
    rmSync(dataDir, { recursive: true, force: true });
    await app?.close();
    await drop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const root = join(import.meta.dirname, '..');
  console.table(await benchSyncPush({ root }));
  process.exit(0);
}
