// Catalogue reads on a 200,000-product catalogue: barcode lookup and name search (Chinese and
// English) through the real code, against raw SQLite doing the plainest same match in the same run.
//
// The catalogue is built once through the real migrations and importCatalogue into bench/.data/
// (gitignored), keyed by a hash of the migrations, the generator and the catalogue code, and
// reused while they are unchanged. The TypeScript core is bundled on the fly with esbuild.
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { bundleAndImport, entry, percentile } from './lib.mjs';
import { checkDigit, createRandom, generateCatalogue } from '../scripts/generate-catalogue.mjs';

export const BENCH_PRODUCTS = 200_000;
const SEED = 20_260_101;
const RUNS = { barcode: 3000, search: 600 };

/** Bundles the catalogue core (migrations, catalogue module) to bench/.data/catalog-core.mjs. */
async function loadCore(root) {
  return bundleAndImport(root, 'catalog-core', [
    "export { openDatabase, checkpointAndClose } from './src/main/db/open';",
    "export { loadMigrations, migrate } from './src/main/db/migrate';",
    "export { importCatalogue } from './src/main/catalog/catalog-import';",
    "export { lookupByCode } from './src/main/catalog/lookup';",
    "export { searchProducts } from './src/main/catalog/search';",
  ]);
}

function sourceHash(root) {
  const hash = createHash('sha256');
  const migrations = join(root, 'migrations');
  for (const name of readdirSync(migrations).sort()) hash.update(readFileSync(join(migrations, name)));
  for (const file of ['scripts/generate-catalogue.mjs', 'src/main/catalog/catalog-import.ts', 'src/shared/barcode.ts']) hash.update(readFileSync(join(root, file)));
  return hash.digest('hex').slice(0, 12);
}

/**
 * The path of a register database holding `n` generated products (built if missing). Other
 * benchmarks (register-start with a 200,000-product catalogue) can copy it.
 */
export async function ensureCatalogueDb({ root, n = BENCH_PRODUCTS, core }) {
  const dir = join(root, 'bench', '.data');
  mkdirSync(dir, { recursive: true });
  const name = `catalogue-${n}-${sourceHash(root)}.db`;
  const file = join(dir, name);
  if (existsSync(file)) return file;
  // Catalogues built from older sources are stale: remove them (with any -wal/-shm left behind).
  for (const old of readdirSync(dir)) if (old.startsWith(`catalogue-${n}-`) && !old.startsWith(name)) rmSync(join(dir, old), { force: true });
  core ??= await loadCore(root);
  const building = `${file}.building`;
  for (const suffix of ['', '-wal', '-shm']) rmSync(building + suffix, { force: true });
  const started = performance.now();
  const db = core.openDatabase(building);
  core.migrate(db, core.loadMigrations(join(root, 'migrations')));
  core.importCatalogue(db, generateCatalogue(n, SEED));
  db.exec("INSERT INTO product_fts (product_fts) VALUES ('optimize')");
  db.exec('ANALYZE');
  core.checkpointAndClose(db);
  renameSync(building, file);
  console.error(`bench: built a ${n}-product catalogue in ${Math.round(performance.now() - started)} ms → ${file}`);
  return file;
}

function time(fn) {
  const started = performance.now();
  fn();
  return performance.now() - started;
}

/** Runs every query through both functions, interleaved, after a warm-up; returns p99s. */
function measure(queries, subject, baseline) {
  for (const q of queries.slice(0, 50)) {
    subject(q);
    baseline(q);
  }
  const a = [];
  const b = [];
  for (const q of queries) {
    a.push(time(() => subject(q)));
    b.push(time(() => baseline(q)));
  }
  return { p99: percentile(a, 99), base: percentile(b, 99), p50: percentile(a, 50), baseP50: percentile(b, 50) };
}

/** Queries in the proportions a cashier types them: [weight, queries]. */
const ZH_QUERIES = [
  [0.2, ['茶', '奶', '麵', '包', '糖', '果', '水', '紙', '雞', '米', '油', '餅']],
  [0.5, ['奶茶', '薯片', '紙巾', '朱古', '即食', '杯麵', '鮮奶', '牙膏', '雪糕', '餃子', '蘋果', '汽水', '綠茶', '豆漿', '叉燒', '利是', '電池', '啤酒', '曲奇', '豉油', '乳酪', '香蕉', '雨傘', '手機']],
  [0.3, ['檸檬茶', '朱古力', '即食麵', '沐浴露', '洗潔精', '燒烤味', '蒸餾水', '港式奶茶', '黑松露味', '韭菜豬肉', '洗髮露', '菠蘿包', '獅子山檸檬茶', '麻辣味薯片']],
];
const EN_QUERIES = [
  [0.1, ['m', 't', 'c', 's', 'b']],
  [0.2, ['mi', 'te', 'ch', 'so', 'co', 'ri', 'no']],
  [0.7, ['milk', 'tea', 'chips', 'lemon', 'noodle', 'coffee', 'shampoo', 'soy sauce', 'milk tea', 'chocolate', 'dumplings', 'truffle', 'lemon tea', 'cup noodles', 'umbrella', 'toothpaste', 'orange', 'family pack']],
];

function sample(random, mix, count) {
  const out = [];
  for (let i = 0; i < count; i++) {
    let r = random.next();
    const group = mix.find(([weight]) => (r -= weight) < 0) ?? mix[mix.length - 1];
    out.push(random.pick(group[1]));
  }
  return out;
}

export async function benchCatalog({ root }) {
  const core = await loadCore(root);
  const file = await ensureCatalogueDb({ root, core });
  const db = core.openDatabase(file);
  const raw = new Database(file, { readonly: true });
  try {
    const random = createRandom(SEED);

    // Barcode lookup: stored barcodes scanned as EAN-13, a tenth of them unknown but well-formed.
    const codes = raw.prepare('SELECT code FROM barcode ORDER BY random() LIMIT 5000').pluck().all();
    const scans = Array.from({ length: RUNS.barcode }, () => {
      const code = random.pick(codes);
      if (!random.chance(0.1)) return code;
      const unknown = `4899${String(random.int(0, 99_999_999)).padStart(8, '0')}`; // no generated brand uses 4899
      return unknown + checkDigit(unknown);
    });
    const rawBarcode = raw.prepare('SELECT product_id FROM barcode WHERE code = ?').pluck();
    const rawProduct = raw.prepare('SELECT * FROM product WHERE id = ?');
    const barcode = measure(
      scans,
      (code) => core.lookupByCode(db, code),
      (code) => {
        const id = rawBarcode.get(code);
        return id === undefined ? null : rawProduct.get(id);
      },
    );

    // Name search, 20 results; baseline: the plainest substring match with LIMIT 20.
    const likeZh = raw.prepare("SELECT id, sku, name_zh, name_en, price FROM product WHERE name_zh LIKE '%' || ? || '%' LIMIT 20");
    const likeEn = raw.prepare("SELECT id, sku, name_zh, name_en, price FROM product WHERE name_en LIKE '%' || ? || '%' LIMIT 20");
    const zh = measure(sample(random, ZH_QUERIES, RUNS.search), (q) => core.searchProducts(db, q, { limit: 20 }), (q) => likeZh.all(q));
    const en = measure(sample(random, EN_QUERIES, RUNS.search), (q) => core.searchProducts(db, q, { limit: 20 }), (q) => likeEn.all(q));
    console.error(`bench: p50 barcode ${barcode.p50.toFixed(3)} ms (raw ${barcode.baseP50.toFixed(3)}), zh ${zh.p50.toFixed(2)} (LIKE ${zh.baseP50.toFixed(2)}), en ${en.p50.toFixed(2)} (LIKE ${en.baseP50.toFixed(2)})`);

    return [
      entry('barcode-lookup-p99', 'ms', barcode.p99, barcode.base, 1),
      entry('name-search-zh-p99', 'ms', zh.p99, zh.base, 20),
      entry('name-search-en-p99', 'ms', en.p99, en.base, 20),
    ];
  } finally {
    raw.close();
    db.close();
  }
}

// `node bench/catalog.mjs`: this benchmark alone.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const root = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
  console.table(await benchCatalog({ root }));
}
