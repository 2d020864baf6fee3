// `hq-dashboard-p95`: the head office console's dashboard (GET /hq/api/dashboard: today's sales per
// store and channel, every register's health, the open quarantine count) through the cloud
// service on loopback, as the console's 3-second refresh asks it, with a logged-in owner's session
// cookie; p95 of BENCH_DASHBOARD_REQUESTS (200) requests one after another. The data: 100 registers
// in 10 stores with a year of sales each (BENCH_DASHBOARD_SALES_PER_DAY, default 100, per register
// per day: 3,650,000 register sales) plus 20 online orders per store per day, and a few open
// quarantined documents. `hq-dashboard-p95-store-manager`: the same for a manager of 2 stores.
// Baseline, same run: the least the same answer needs, run directly with pg: one GROUP BY of today's
// sales by store and channel on the (merchant, completed_at) index, the register rows and the
// quarantine count.
//
// Needs PostgreSQL (DATABASE_URL's server); a throwaway database is created and dropped.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { bundleAndImport, entry, percentile, throwawayCloudDatabase, withTimeout } from './lib.mjs';

const STORES = 10;
const REGISTERS_PER_STORE = 10;
const DAYS = 365;
const SALES_PER_DAY = Number(process.env.BENCH_DASHBOARD_SALES_PER_DAY ?? 100);
const ONLINE_PER_STORE_PER_DAY = 20;
const REQUESTS = Number(process.env.BENCH_DASHBOARD_REQUESTS ?? 200);
const TIME_ZONE = 'Asia/Hong_Kong';
const PASSWORD = 'bench password 1';
/** One request may take this long before the run fails saying so (a bound, not a target). */
const REQUEST_BOUND_MS = 60_000;

async function loadCloud(root) {
  return bundleAndImport(root, 'cloud-hq-dashboard', [
    "export { createPool } from './cloud/db/pool';",
    "export { loadMigrations, migrate } from './cloud/db/migrate';",
    "export { createApp } from './cloud/app';",
    "export { createMerchant, createStore } from './cloud/domain/merchants';",
    "export { createUser, login } from './cloud/hq/users';",
  ]);
}

/** A year of sales for every register, and online orders per store, straight into the tables the pushes fill. */
async function seed(pool, merchantId, storeIds) {
  const started = performance.now();
  // The merchant's today, and the year before it, in the merchant's time zone.
  const { rows } = await pool.query(`SELECT ((now() AT TIME ZONE $1)::date)::timestamp AT TIME ZONE $1 AS today_start`, [TIME_ZONE]);
  const todayStart = rows[0].today_start;
  const registers = (
    await pool.query(
      `INSERT INTO register (merchant_id, store_id, code, name, token_hash, last_applied_seq, last_push_at, enrolled_at)
       SELECT $1, s.id, lpad(r::text, 2, '0'), 'Register ' || r, decode(md5(s.id || '-' || r), 'hex'), $3::int * $4::int,
              now() - (r * interval '20 seconds'), now() - interval '400 days'
       FROM unnest($2::bigint[]) AS s(id), generate_series(1, ${REGISTERS_PER_STORE}) AS r
       RETURNING id, store_id, code`,
      [merchantId, storeIds, DAYS, SALES_PER_DAY],
    )
  ).rows;
  const storeCodes = new Map(
    (await pool.query('SELECT id, code FROM store WHERE merchant_id = $1', [merchantId])).rows.map((r) => [Number(r.id), r.code]),
  );
  // Each register: DAYS × SALES_PER_DAY sales, spread over 08:00–22:00 of each day (today's included).
  for (const [i, register] of registers.entries()) {
    await pool.query(
      `INSERT INTO sale (merchant_id, store_id, channel, register_id, register_seq, register_sale_id, kind, receipt_no, completed_at,
                         staff_name, subtotal, promotion_total, discount_total, tax_total, total, rounding, change_given, document, received_at)
       SELECT $1, $2, 'register', $3, g.n, g.n, 'sale', $4 || lpad(g.n::text, 7, '0'), t.at,
              '陳小明', t.amount, 0, 0, 0, t.amount, 0, 0, '{}'::jsonb, t.at
       FROM generate_series(1, $6::int * $7::int) AS g(n)
       CROSS JOIN LATERAL (
         SELECT $5::timestamptz - (($6::int - 1 - (g.n - 1) / $7::int) * interval '1 day')
                + interval '8 hours' + ((g.n - 1) % $7::int) * (interval '14 hours' / $7::int) AS at,
                (500 + (g.n * 7919) % 30000)::bigint AS amount
       ) AS t`,
      [
        merchantId,
        register.store_id,
        register.id,
        `${storeCodes.get(Number(register.store_id))}-${register.code}-`,
        todayStart,
        DAYS,
        SALES_PER_DAY,
      ],
    );
    if ((i + 1) % 20 === 0)
      console.error(
        `bench: seeded ${i + 1} of ${registers.length} registers' year (${Math.round((performance.now() - started) / 1000)} s)`,
      );
  }
  await pool.query(
    `INSERT INTO sale (merchant_id, store_id, channel, kind, receipt_no, completed_at, subtotal, promotion_total, discount_total, tax_total,
                       total, rounding, change_given, document, received_at)
     SELECT $1, s.id, 'online', 'sale', 'W' || s.id || '-' || g.n, t.at, t.amount, 0, 0, 0, t.amount, 0, 0, '{}'::jsonb, t.at
     FROM unnest($2::bigint[]) AS s(id), generate_series(1, $4::int * $5::int) AS g(n)
     CROSS JOIN LATERAL (
       SELECT $3::timestamptz - (($4::int - 1 - (g.n - 1) / $5::int) * interval '1 day') + interval '9 hours'
              + ((g.n - 1) % $5::int) * (interval '12 hours' / $5::int) AS at,
              (1000 + (g.n * 104729) % 50000)::bigint AS amount
     ) AS t`,
    [merchantId, storeIds, todayStart, DAYS, ONLINE_PER_STORE_PER_DAY],
  );
  await pool.query(
    `INSERT INTO quarantine (merchant_id, register_id, kind, ref, payload, content_hash, reason_code, reason, created_at)
     SELECT $1, r.id, 'document.sale', 'Q-' || g.n, '{}', decode(md5(g.n::text), 'hex'), 'UNKNOWN_SKU', 'line 1: SKU GONE is not in the catalogue', now()
     FROM (SELECT id FROM register WHERE merchant_id = $1 ORDER BY id LIMIT 5) AS r, generate_series(1, 2) AS g(n)`,
    [merchantId],
  );
  await pool.query('ANALYZE');
  const count = (await pool.query('SELECT count(*)::int AS n FROM sale')).rows[0].n;
  console.error(`bench: ${count} sales seeded in ${Math.round((performance.now() - started) / 1000)} s`);
  return todayStart;
}

/** p95 of `REQUESTS` calls of `once` (after 10 untimed), each bounded. */
async function p95Of(label, once) {
  for (let i = 0; i < 10; i += 1) await withTimeout(once(), REQUEST_BOUND_MS, `${label} (warm-up)`);
  const samples = [];
  for (let i = 0; i < REQUESTS; i += 1) {
    const started = performance.now();
    await withTimeout(once(), REQUEST_BOUND_MS, label);
    samples.push(performance.now() - started);
  }
  return percentile(samples, 95);
}

export async function benchHqDashboard({ root }) {
  const cloud = await loadCloud(root);
  const { pool, drop } = await throwawayCloudDatabase(cloud, root);
  const consoleDir = mkdtempSync(join(tmpdir(), 'bench-hq-console-'));
  writeFileSync(join(consoleDir, 'index.html'), '<!doctype html><title>HQ</title>');
  let app;
  try {
    const merchant = await cloud.createMerchant(pool, 'Bench');
    await pool.query('UPDATE merchant SET time_zone = $2 WHERE id = $1', [merchant.id, TIME_ZONE]);
    const stores = [];
    for (let i = 1; i <= STORES; i += 1) {
      stores.push(
        await cloud.createStore(pool, merchant.id, { code: `S${String(i).padStart(2, '0')}`, nameZh: `分店 ${i}`, nameEn: `Store ${i}` }),
      );
    }
    const todayStart = await seed(
      pool,
      merchant.id,
      stores.map((s) => s.id),
    );
    const now = Date.now();
    await cloud.createUser(
      pool,
      merchant.id,
      { email: 'owner@bench.hk', name: 'Owner', role: 'owner', storeIds: [], password: PASSWORD },
      now,
    );
    await cloud.createUser(
      pool,
      merchant.id,
      { email: 'manager@bench.hk', name: 'Manager', role: 'store_manager', storeIds: [stores[0].id, stores[1].id], password: PASSWORD },
      now,
    );
    app = await cloud.createApp({ pool, logger: false, hq: { consoleDir } });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${app.server.address().port}`;

    const dashboardOf = async (email) => {
      const session = await cloud.login(pool, { email, password: PASSWORD }, Date.now(), '127.0.0.1');
      return async () => {
        const response = await fetch(`${base}/hq/api/dashboard`, { headers: { cookie: `__Host-suanpan-hq=${session.token}` } });
        if (response.status !== 200) throw new Error(`GET /hq/api/dashboard answered ${response.status}: ${await response.text()}`);
        return response.json();
      };
    };
    const owner = await dashboardOf('owner@bench.hk');
    const manager = await dashboardOf('manager@bench.hk');

    // The least the same answer needs, straight from PostgreSQL.
    const baselineOnce = async () => {
      const end = new Date(todayStart.getTime() + 86_400_000);
      const sales = await pool.query(
        `SELECT store_id, channel, count(*)::int AS documents, sum(total)::bigint AS total FROM sale
         WHERE merchant_id = $1 AND completed_at >= $2 AND completed_at < $3 GROUP BY store_id, channel`,
        [merchant.id, todayStart, end],
      );
      await pool.query('SELECT id, code, store_id, last_applied_seq, last_push_at, revoked_at FROM register WHERE merchant_id = $1', [
        merchant.id,
      ]);
      await pool.query('SELECT count(*)::int AS n FROM quarantine WHERE merchant_id = $1 AND resolved_at IS NULL', [merchant.id]);
      return sales.rows;
    };

    // The dashboard and the baseline agree on today's figures before anything is timed.
    const shown = await owner();
    const direct = await baselineOnce();
    const directTotal = direct.reduce((sum, r) => sum + Number(r.total), 0);
    if (shown.total !== directTotal || shown.registers.length !== STORES * REGISTERS_PER_STORE || shown.openQuarantine !== 10)
      throw new Error(`the dashboard shows ${shown.total} from ${shown.registers.length} registers; the sales table says ${directTotal}`);
    console.error(`bench: today ${shown.documents} documents, HK$${(shown.total / 100).toFixed(2)}`);

    const baseline = await p95Of('the baseline queries', baselineOnce);
    const ownerP95 = await p95Of('GET /hq/api/dashboard (owner)', owner);
    const managerP95 = await p95Of('GET /hq/api/dashboard (store manager)', manager);
    console.error(
      `bench: dashboard p95 owner ${ownerP95.toFixed(1)} ms, store manager ${managerP95.toFixed(1)} ms, baseline ${baseline.toFixed(1)} ms`,
    );
    return [
      { ...entry('hq-dashboard-p95', 'ms', ownerP95, baseline, 250), samples: REQUESTS },
      { ...entry('hq-dashboard-p95-store-manager', 'ms', managerP95, baseline, 250), samples: REQUESTS },
    ];
  } finally {
    await app?.close();
    rmSync(consoleDir, { recursive: true, force: true });
    await drop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const root = join(import.meta.dirname, '..');
  console.table(await benchHqDashboard({ root }));
}
