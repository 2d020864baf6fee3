// `cloud-ingest-sales-per-s` (issue 18): 100 registers each push 200 ten-line, two-tender sales
// (card + cash with change) to one cloud instance (the built dist server, its own process, pool
// of PG_POOL_MAX) over HTTP on loopback, in batches of BENCH_INGEST_BATCH (50) as a busy register's
// worker does; sales/s from the first request to the last answer.
// Baseline, same run: the very same rows inserted directly with `pg`, per sale (header, lines,
// payments, movements: what the cloud did before it went set-based), by 100 workers on a pool of 10.
// `cloud-ingest-2-instances-sales-per-s`: the same load split over two instances on one database,
// against one instance in the same run: throughput must grow.
//
// Needs PostgreSQL (DATABASE_URL's server); throwaway databases are created and dropped.
// BENCH_INGEST_REGISTERS, BENCH_INGEST_SALES (per register) and BENCH_INGEST_BATCH change the load.
// BENCH_INGEST_ONE_INSTANCE_ONLY=1: only the one-instance run (for A/B rounds of the cloud's CPU);
// BENCH_INGEST_NODE_ARGS: node flags for the cloud instances (`--cpu-prof --cpu-prof-dir=/tmp/prof`).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { bundleAndImport, entry, percentile, spawnUntil, stop, throwawayCloudDatabase } from './lib.mjs';

const REGISTERS = Number(process.env.BENCH_INGEST_REGISTERS ?? 100);
const SALES = Number(process.env.BENCH_INGEST_SALES ?? 200);
const BATCH = Number(process.env.BENCH_INGEST_BATCH ?? 50);
const LINES = 10;
const PRODUCTS = 200;
const STORES = 10;

async function loadCloud(root) {
  return bundleAndImport(root, 'cloud-ingest', [
    "export { createPool } from './cloud/db/pool';",
    "export { loadMigrations, migrate } from './cloud/db/migrate';",
    "export { createMerchant, createStore } from './cloud/domain/merchants';",
    "export { issueEnrolmentCode, enrol } from './cloud/domain/enrolment';",
    "export { upsertProduct } from './cloud/domain/catalogue';",
  ]);
}

const sku = (i) => `SKU-${String(i).padStart(5, '0')}`;
const priceOf = (i) => 500 + ((i * 37) % 40) * 50;

/** Sale `n` of a register, exactly as the register's outbox carries a Receipt. */
function receipt(storeCode, registerCode, n) {
  const lines = Array.from({ length: LINES }, (_, i) => {
    const product = (n * 7 + i * 13) % PRODUCTS;
    const quantity = 1 + ((n + i) % 3);
    const unitPrice = priceOf(product);
    const gross = unitPrice * quantity;
    return {
      id: n * 100 + i + 1,
      sku: sku(product),
      nameZh: `產品 ${product}`,
      nameEn: `Product ${product}`,
      quantity,
      unitPrice,
      gross,
      promotions: [],
      discountAmount: 0,
      net: gross,
      returnableQuantity: quantity,
    };
  });
  const total = lines.reduce((sum, l) => sum + l.net, 0);
  const card = Math.floor(total / 2);
  const cash = total - card;
  const tendered = (Math.floor(cash / 10_000) + 1) * 10_000;
  return {
    saleId: n,
    receiptNo: `${storeCode}-${registerCode}-${String(n).padStart(6, '0')}`,
    kind: 'sale',
    originalReceiptNo: null,
    completedAt: Date.parse('2025-07-01T02:00:00Z') + n * 60_000,
    store: { code: storeCode, nameZh: '旺角店', nameEn: 'Mong Kok', addressZh: '', addressEn: '', phone: '' },
    registerName: `Register ${registerCode}`,
    staff: { nameZh: '陳小明', nameEn: 'Chan Siu Ming' },
    lines,
    subtotal: total,
    promotionTotal: 0,
    discountTotal: 0,
    taxTotal: 0,
    total,
    rounding: 0,
    payments: [
      {
        method: 'card',
        nameZh: '信用卡',
        nameEn: 'Card',
        amount: card,
        tendered: card,
        change: 0,
        reference: null,
        approvalCode: 'A1B2C3',
        cardLast4: '4242',
      },
      {
        method: 'cash',
        nameZh: '現金',
        nameEn: 'Cash',
        amount: cash,
        tendered,
        change: tendered - cash,
        reference: null,
        approvalCode: null,
        cardLast4: null,
      },
    ],
    change: tendered - cash,
    copy: false,
    reprintCount: 0,
  };
}

/** A merchant with STORES stores and the products; REGISTERS registers enrolled, with their documents. */
async function chain(cloud, pool, name) {
  const merchant = await cloud.createMerchant(pool, name);
  const stores = [];
  for (let s = 0; s < STORES; s += 1)
    stores.push(await cloud.createStore(pool, merchant.id, { code: `S${s}`, nameZh: `分店 ${s}`, nameEn: `Store ${s}` }));
  for (let i = 0; i < PRODUCTS; i += 1)
    await cloud.upsertProduct(
      pool,
      merchant.id,
      { sku: sku(i), nameZh: `產品 ${i}`, nameEn: `Product ${i}`, price: priceOf(i) },
      Date.now(),
    );
  const registers = [];
  for (let r = 0; r < REGISTERS; r += 1) {
    const store = stores[r % STORES];
    const { code } = await cloud.issueEnrolmentCode(pool, store.id, { ttlMinutes: 5, now: Date.now() });
    const enrolled = await cloud.enrol(pool, { code }, Date.now());
    const documents = Array.from({ length: SALES }, (_, i) => receipt(store.code, enrolled.registerCode, i + 1));
    registers.push({ ...enrolled, store, merchantId: merchant.id, documents });
  }
  return registers;
}

/** CPU seconds (user + system) a process has used, from /proc (Linux); null where it cannot be read. */
function cpuSecondsOf(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
  } catch {
    return null;
  }
}

/** User and system CPU seconds a process has used, from /proc (Linux); zeros where it cannot be read. */
function cpuSplitOf(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return { user: Number(fields[11]) / 100, system: Number(fields[12]) / 100 };
  } catch {
    return { user: 0, system: 0 };
  }
}

/**
 * Where the CPU of a run went, in ms per sale: the cloud instances, the PostgreSQL backends serving
 * the run's database (alive from their first query to the end of the run, so their whole CPU is the
 * run's), and this client. On a machine of `cores` cores, `cores × 1000 / total` sales/s is the most
 * it can take whatever the code does about waiting.
 */
async function cpuPerSale(db, instances, clientCpu, sales) {
  const { rows } = await db.pool.query('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
  const sum = (pids) => pids.reduce((total, pid) => total + (cpuSecondsOf(pid) ?? 0), 0);
  const perSale = (seconds) => Math.round(((seconds * 1000) / sales) * 1000) / 1000;
  const cloud = perSale(sum(instances.map((i) => i.child.pid)));
  const postgres = perSale(sum(rows.map((r) => r.pid)));
  const client = perSale((clientCpu.user + clientCpu.system) / 1e6);
  return { cloud, postgres, client, total: Math.round((cloud + postgres + client) * 1000) / 1000 };
}

// The registers' side runs on the same two cores as the cloud: a keep-alive http.Agent costs about
// half the CPU per request of fetch (undici), leaving more of the machine to what is measured.
const agent = new http.Agent({ keepAlive: true, maxSockets: 1000 });

/** POSTs `body` (JSON text); answers the status, headers and text. Bounded: 60 s to answer. */
function post(url, body, token) {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${token}` },
        timeout: 60_000,
      },
      (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode, headers: response.headers, text: Buffer.concat(chunks).toString('utf8') }),
        );
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`${url}: no answer in 60 s`)));
    request.on('error', reject);
    request.end(body);
  });
}

/** Every register pushes its documents in order, in batches, to `bases[r % bases.length]`. */
async function pushAll(registers, bases) {
  let unavailable = 0;
  const latencies = [];
  const bodies = registers.map((r) => {
    const batches = [];
    for (let from = 0; from < r.documents.length; from += BATCH) {
      const mutations = r.documents
        .slice(from, from + BATCH)
        .map((d, i) => ({ seq: from + i + 1, kind: 'document.sale', ref: d.receiptNo, payload: d }));
      batches.push(JSON.stringify({ mutations }));
    }
    return batches;
  });
  const started = performance.now();
  const clientCpuBefore = process.cpuUsage();
  await Promise.all(
    registers.map(async (r, index) => {
      const base = bases[index % bases.length];
      for (const body of bodies[index]) {
        // Bounded: a push gets 60 s to answer, and a batch the server keeps refusing with 503 fails after 10 tries.
        for (let attempt = 1; ; attempt++) {
          if (attempt > 10) throw new Error(`register ${r.registerId}: a batch was refused with 503 ten times`);
          const t = performance.now();
          const response = await post(`${base}/v1/registers/${r.registerId}/mutations`, body, r.token);
          const answer = JSON.parse(response.text);
          latencies.push(performance.now() - t);
          if (response.status === 200) {
            if (answer.quarantined > 0) throw new Error(`quarantined: ${JSON.stringify(answer)}`);
            break;
          }
          if (response.status !== 503) throw new Error(`push answered ${response.status}: ${JSON.stringify(answer)}`);
          unavailable += 1;
          await new Promise((resolve) => setTimeout(resolve, Number(response.headers['retry-after'] ?? 1) * 1000));
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return {
    seconds,
    clientCpu: process.cpuUsage(clientCpuBefore),
    salesPerS: (registers.length * SALES) / seconds,
    p99: percentile(latencies, 99),
    requests: latencies.length,
    unavailable,
  };
}

/** The baseline: the same rows, inserted per sale with plain pg. */
async function insertDirectly(url, registers) {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const started = performance.now();
  await Promise.all(
    registers.map(async (r) => {
      for (let from = 0; from < r.documents.length; from += BATCH) {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          for (const [i, d] of r.documents.slice(from, from + BATCH).entries()) {
            const { rows } = await client.query(
              `INSERT INTO sale (merchant_id, store_id, channel, register_id, register_seq, register_sale_id, kind, receipt_no, original_receipt_no, completed_at, staff_name,
                                 subtotal, promotion_total, discount_total, tax_total, total, rounding, change_given, document, received_at)
               VALUES ($1, $2, 'register', $3, $4, $5, $6, $7, NULL, $8, $9, $10, 0, 0, 0, $11, 0, $12, $13::jsonb, now()) RETURNING id`,
              [
                r.merchantId,
                r.store.id,
                r.registerId,
                from + i + 1,
                d.saleId,
                d.kind,
                d.receiptNo,
                new Date(d.completedAt),
                d.staff.nameEn,
                d.subtotal,
                d.total,
                d.change,
                JSON.stringify(d),
              ],
            );
            const saleId = rows[0].id;
            const values = (width, count) =>
              Array.from(
                { length: count },
                (_, k) => `(${Array.from({ length: width }, (_, c) => `$${k * width + c + 1}`).join(', ')})`,
              ).join(', ');
            await client.query(
              `INSERT INTO sale_line (sale_id, position, sku, name_zh, name_en, quantity_milli, unit_price, gross, promotion_amount, discount_amount, net) VALUES ${values(11, d.lines.length)}`,
              d.lines.flatMap((l, k) => [saleId, k + 1, l.sku, l.nameZh, l.nameEn, l.quantity * 1000, l.unitPrice, l.gross, 0, 0, l.net]),
            );
            await client.query(
              `INSERT INTO sale_payment (sale_id, position, method, amount, tendered, change_given, reference, approval_code, card_last4) VALUES ${values(9, d.payments.length)}`,
              d.payments.flatMap((p, k) => [
                saleId,
                k + 1,
                p.method,
                p.amount,
                p.tendered,
                p.change,
                p.reference,
                p.approvalCode,
                p.cardLast4,
              ]),
            );
            await client.query(
              `INSERT INTO stock_movement (merchant_id, store_id, sku, quantity_milli, reason, source, line, created_at) VALUES ${values(8, d.lines.length)}`,
              d.lines.flatMap((l, k) => [r.merchantId, r.store.id, l.sku, -l.quantity * 1000, 'sale', `sale:${saleId}`, k + 1, new Date()]),
            );
          }
          await client.query('COMMIT');
        } finally {
          client.release();
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await pool.end();
  return { seconds, salesPerS: (registers.length * SALES) / seconds };
}

async function startInstance(dir, url) {
  const nodeArgs = (process.env.BENCH_INGEST_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const { child, match } = await spawnUntil(
    [...nodeArgs, join(dir, 'server.js'), '--port', '0', '--host', '127.0.0.1'],
    /listening at (http:\/\/127\.0\.0\.1:\d+)/i,
    { env: { ...process.env, DATABASE_URL: url } },
  );
  child.stdout.resume();
  child.stderr.resume();
  return { child, base: match[1] };
}

export async function benchCloudIngest({ root }) {
  const cloud = await loadCloud(root);
  mkdirSync(join(root, 'dist'), { recursive: true });
  const dir = mkdtempSync(join(root, 'dist', '.bench-cloud-'));
  execFileSync(process.execPath, ['cloud/build.mjs', '--outdir', dir], { cwd: root, stdio: 'inherit' });
  const databases = [];
  const instances = [];
  try {
    // One database per run, so the second run does not find the first one's rows (and indexes) there.
    const run = async (label, instanceCount) => {
      const db = await throwawayCloudDatabase(cloud, root);
      databases.push(db);
      const registers = await chain(cloud, db.pool, label);
      const started = [];
      for (let i = 0; i < instanceCount; i += 1) {
        const instance = await startInstance(dir, db.url);
        started.push(instance);
        instances.push(instance);
      }
      // the cloud's own start-up (loading, migrations) is not the push's: reported apart
      const beforePush = started.map((s) => cpuSplitOf(s.child.pid));
      const result = await pushAll(
        registers,
        started.map((s) => s.base),
      );
      const n = (await db.pool.query('SELECT count(*)::int AS n FROM sale')).rows[0].n;
      if (n !== REGISTERS * SALES) throw new Error(`expected ${REGISTERS * SALES} sales, found ${n}`);
      const cpu = await cpuPerSale(db, started, result.clientCpu, n);
      const afterPush = started.map((s) => cpuSplitOf(s.child.pid));
      for (const s of started) await stop(s.child);
      console.error(
        `bench: ${label}: ${REGISTERS} registers × ${SALES} sales in ${result.seconds.toFixed(2)} s = ${Math.round(result.salesPerS)} sales/s; ${result.requests} requests, p99 ${Math.round(result.p99)} ms, ${result.unavailable} answered 503`,
      );
      console.error(
        `bench: ${label}: CPU per sale: cloud ${cpu.cloud} ms, PostgreSQL ${cpu.postgres} ms, pushing client ${cpu.client} ms = ${cpu.total} ms; ` +
          `${availableParallelism()} cores can take at most ${Math.round((availableParallelism() * 1000) / cpu.total)} sales/s`,
      );
      const sum = (list, field) => list.reduce((total, x) => total + x[field], 0);
      const perSale = (seconds) => Math.round(((seconds * 1000) / n) * 1000) / 1000;
      console.error(
        `bench: ${label}: the cloud's CPU per sale during the push: user ${perSale(sum(afterPush, 'user') - sum(beforePush, 'user'))} ms, ` +
          `system ${perSale(sum(afterPush, 'system') - sum(beforePush, 'system'))} ms; its start-up before it: ${perSale(sum(beforePush, 'user') + sum(beforePush, 'system'))} ms`,
      );
      return { ...result, registers, db };
    };

    if (process.env.BENCH_INGEST_ONE_INSTANCE_ONLY === '1') {
      // no baseline run: the entry is its own baseline
      const one = await run('one instance', 1);
      return [{ ...entry('cloud-ingest-sales-per-s', 'sales/s', one.salesPerS, one.salesPerS, 5000), targetKind: 'min' }];
    }
    const direct = await (async () => {
      const db = await throwawayCloudDatabase(cloud, root);
      databases.push(db);
      const registers = await chain(cloud, db.pool, 'direct');
      const result = await insertDirectly(db.url, registers);
      console.error(`bench: direct per-sale inserts with pg: ${Math.round(result.salesPerS)} sales/s`);
      return result;
    })();
    const one = await run('one instance', 1);
    const two = await run('two instances', 2);
    return [
      { ...entry('cloud-ingest-sales-per-s', 'sales/s', one.salesPerS, direct.salesPerS, 5000), targetKind: 'min' },
      { ...entry('cloud-ingest-2-instances-sales-per-s', 'sales/s', two.salesPerS, one.salesPerS, 5000), targetKind: 'min' },
    ];
  } finally {
    for (const s of instances) await stop(s.child);
    for (const db of databases) await db.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const root = join(import.meta.dirname, '..');
  console.table(await benchCloudIngest({ root }));
  process.exit(0);
}
