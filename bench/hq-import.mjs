// `hq-import-200k-rows`: the head office console's catalogue CSV import of 200,000 new products
// with prices, as the console drives it (chunks of the file's text, the dry run, the apply in one
// transaction with its change-log rows), through the cloud's domain functions on a throwaway
// PostgreSQL database; against a plain COPY of the same CSV file into a bare table (seven TEXT
// columns, no index) in the same run. When the server cannot read the file (COPY FROM a file needs
// the server on this machine and a superuser), the baseline is a plain multi-row INSERT of the
// same rows instead, and the entry says so.
import { mkdtempSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { bundleAndImport, entry, throwawayCloudDatabase } from './lib.mjs';

export const IMPORT_ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 200_000);

async function loadCloud(root) {
  return bundleAndImport(root, 'cloud-import', [
    "export { createPool } from './cloud/db/pool';",
    "export { loadMigrations, migrate } from './cloud/db/migrate';",
    "export { createMerchant } from './cloud/domain/merchants';",
    "export { createImport, appendChunk, checkImport, applyImport } from './cloud/domain/catalogue-import';",
    "export { chunkText } from './cloud/hq/contract';",
    "export { toCsv } from './src/shared/csv';",
  ]);
}

function generate(cloud, count) {
  const rows = [['sku', 'name_zh', 'name_en', 'category', 'active', 'barcodes', 'price_hkd']];
  for (let i = 1; i <= count; i += 1) {
    rows.push([
      `SKU-${String(i).padStart(7, '0')}`,
      `測試貨品 ${i} 號`,
      `Test product number ${i}`,
      `C${i % 60}`,
      1,
      `489${String(i).padStart(10, '0')}`,
      { cents: 500 + (i % 20_000) },
    ]);
  }
  return cloud.toCsv(rows);
}

export async function benchHqImport({ root }) {
  const cloud = await loadCloud(root);
  const { pool, drop } = await throwawayCloudDatabase(cloud, root);
  const dir = mkdtempSync(join(tmpdir(), 'bench-import-'));
  try {
    const csv = generate(cloud, IMPORT_ROWS);
    const file = join(dir, 'products.csv');
    writeFileSync(file, csv);
    chmodSync(dir, 0o755);
    chmodSync(file, 0o644);
    const merchant = await cloud.createMerchant(pool, 'Bench');

    // 1. the import, as the console drives it
    let started = performance.now();
    const created = await cloud.createImport(pool, merchant.id, null, 'products.csv', Date.now());
    for (const [seq, text] of cloud.chunkText(csv).entries()) await cloud.appendChunk(pool, merchant.id, created.id, seq, text);
    const uploaded = performance.now();
    const checked = await cloud.checkImport(pool, merchant.id, created.id, Date.now());
    const checkedAt = performance.now();
    if (checked.errorCount !== 0) throw new Error(`the generated file has ${checked.errorCount} bad rows`);
    const applied = await cloud.applyImport(pool, merchant.id, created.id, Date.now());
    const imported = performance.now() - started;
    if (applied.summary.added !== IMPORT_ROWS) throw new Error(`applied ${applied.summary.added} of ${IMPORT_ROWS}`);
    console.error(
      `bench: import of ${IMPORT_ROWS} rows: upload ${Math.round(uploaded - started)} ms, check ${Math.round(checkedAt - uploaded)} ms, apply ${Math.round(performance.now() - checkedAt)} ms`,
    );

    // 2. the baseline: the same rows into a bare table
    await pool.query(
      'CREATE TABLE bare_import (sku text, name_zh text, name_en text, category text, active text, barcodes text, price_hkd text)',
    );
    let baselineKind = 'COPY';
    started = performance.now();
    try {
      await pool.query(`COPY bare_import FROM '${file.replace(/'/g, "''")}' WITH (FORMAT csv, HEADER true, ENCODING 'UTF8')`);
    } catch (error) {
      console.error(`bench: server-side COPY unavailable (${error.message}); the baseline is a multi-row INSERT`);
      baselineKind = 'INSERT';
      await pool.query('TRUNCATE bare_import');
      started = performance.now();
      const lines = csv.slice(1).split('\r\n').slice(1, -1);
      for (let i = 0; i < lines.length; i += 5_000) {
        const batch = lines.slice(i, i + 5_000).map((l) => l.split(','));
        const columns = Array.from({ length: 7 }, (_, c) => batch.map((cells) => cells[c]));
        await pool.query(
          'INSERT INTO bare_import SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])',
          columns,
        );
      }
    }
    const baseline = performance.now() - started;
    const copied = (await pool.query('SELECT count(*)::int AS n FROM bare_import')).rows[0].n;
    if (copied !== IMPORT_ROWS) throw new Error(`the baseline loaded ${copied} rows`);
    console.error(`bench: baseline (${baselineKind}) ${Math.round(baseline)} ms`);
    return [{ ...entry('hq-import-200k-rows', 'ms', imported, baseline, 120_000), baselineKind }];
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await drop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const root = join(import.meta.dirname, '..');
  console.table(await benchHqImport({ root }));
}
