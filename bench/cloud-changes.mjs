// `changes-page-p95`: GET /v1/changes (a page of 500) at 1,000,000 change rows, through the real
// cloud service over a loopback socket (token auth, REPEATABLE READ page read, JSON), against the
// same SELECT run directly with pg in the same run.
//
// A throwaway PostgreSQL database (DATABASE_URL's server) is created, filled with generated change
// rows in SQL, and dropped afterwards. The TypeScript service is bundled on the fly with esbuild.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { bundleAndImport, entry, listenOnLoopback, percentile, throwawayCloudDatabase } from './lib.mjs';

export const CHANGE_ROWS = Number(process.env.BENCH_CHANGE_ROWS ?? 1_000_000);
const PAGE = 500;
const RUNS = 300;

async function loadCloud(root) {
  return bundleAndImport(root, 'cloud-core', [
    "export { createApp } from './cloud/app';",
    "export { createPool } from './cloud/db/pool';",
    "export { loadMigrations, migrate } from './cloud/db/migrate';",
    "export { createMerchant, createStore } from './cloud/domain/merchants';",
    "export { issueEnrolmentCode, enrol } from './cloud/domain/enrolment';",
  ]);
}

/** Stock, product and price changes in the proportions a busy merchant produces them. */
const FILL = `
  INSERT INTO change_log (merchant_id, version, entity, op, data, created_at)
  SELECT $1, v,
         CASE WHEN v % 10 < 7 THEN 'stock' WHEN v % 10 < 9 THEN 'product' ELSE 'price' END,
         'upsert',
         CASE WHEN v % 10 < 7 THEN jsonb_build_object('storeCode', 'S' || (v % 40), 'sku', 'SKU' || (v % 50000), 'onHandMilli', (v % 997) * 1000)
              WHEN v % 10 < 9 THEN jsonb_build_object('sku', 'SKU' || (v % 50000), 'nameZh', '產品 ' || (v % 50000), 'nameEn', 'Product ' || (v % 50000),
                                                      'categoryCode', 'C' || (v % 60), 'taxClass', 'none', 'active', true, 'barcodes', jsonb_build_array('489' || lpad((v % 50000)::text, 10, '0')))
              ELSE jsonb_build_object('sku', 'SKU' || (v % 50000), 'price', 500 + v % 20000, 'validFrom', 1751335200000 + v) END,
         now()
  FROM generate_series($2::bigint, $3::bigint) AS v`;

export async function benchCloudChanges({ root }) {
  const cloud = await loadCloud(root);
  const { url, pool, drop } = await throwawayCloudDatabase(cloud, root);
  const direct = new pg.Client({ connectionString: url });
  let app;
  try {
    const merchant = await cloud.createMerchant(pool, 'Bench');
    const store = await cloud.createStore(pool, merchant.id, { code: 'S1', nameZh: '店', nameEn: 'Store' });
    const started = performance.now();
    for (let from = 1; from <= CHANGE_ROWS; from += 250_000) {
      await pool.query(FILL, [merchant.id, from, Math.min(CHANGE_ROWS, from + 249_999)]);
    }
    await pool.query('UPDATE change_counter SET last_version = $2 WHERE merchant_id = $1', [merchant.id, CHANGE_ROWS]);
    await pool.query('VACUUM ANALYZE change_log');
    console.error(`bench: ${CHANGE_ROWS} change rows in ${Math.round(performance.now() - started)} ms`);

    const { code } = await cloud.issueEnrolmentCode(pool, store.id, { ttlMinutes: 5, now: Date.now() });
    const { token } = await cloud.enrol(pool, { code }, Date.now());
    const cloudService = await listenOnLoopback(cloud, pool);
    app = cloudService.app;
    const { base } = cloudService;
    await direct.connect();

    const cursors = Array.from({ length: RUNS }, (_, i) => Math.floor((((i * 7919) % RUNS) / RUNS) * (CHANGE_ROWS - PAGE)));
    const viaApi = async (since) => {
      const response = await fetch(`${base}/v1/changes?since=${since}&limit=${PAGE}`, {
        headers: { authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(60_000),
      });
      const body = await response.json();
      if (body.changes.length !== PAGE) throw new Error(`a page of ${body.changes.length}`);
    };
    const viaSql = async (since) => {
      const result = await direct.query(
        'SELECT version, entity, op, data FROM change_log WHERE merchant_id = $1 AND version > $2 ORDER BY version LIMIT $3',
        [merchant.id, since, PAGE + 1],
      );
      if (result.rows.length !== PAGE + 1) throw new Error(`${result.rows.length} rows`);
    };
    for (const since of cursors.slice(0, 30)) {
      await viaApi(since);
      await viaSql(since);
    }
    const api = [];
    const sql = [];
    for (const since of cursors) {
      let t = performance.now();
      await viaApi(since);
      api.push(performance.now() - t);
      t = performance.now();
      await viaSql(since);
      sql.push(performance.now() - t);
    }
    return [entry('changes-page-p95', 'ms', percentile(api, 95), percentile(sql, 95), 100)];
  } finally {
    await app?.close();
    await direct.end().catch(() => {});
    await drop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const root = join(import.meta.dirname, '..');
  console.table(await benchCloudChanges({ root }));
}
