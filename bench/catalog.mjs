// Catalogue reads on a 200,000-product catalogue (and at 1,000,000: the `-1m` entries): barcode
// lookup and name search (Chinese and English) through the real code, each against raw SQLite doing
// the least the same answer needs, in the same run:
//   barcode: the barcode row by its primary key, then the product row by id;
//   search: the one index read that finds matches, without the core's ranking: FTS5 MATCH of the
//     3+-character terms (as the core quotes them), or the n-gram range of a 1–2-character term,
//     or, for a lone ASCII letter, the English-name prefix range; the first 20 joined to product.
//     The core reads more (SKU and name prefixes, favourites) and ranks a pool of candidates, so
//     the ratio is what ranking costs over the bare index read.
//
// The catalogue is built once through the real migrations and importCatalogue into bench/.cache/
// (gitignored), keyed by a hash of the generator and the catalogue import code, and reused while
// they are unchanged (migrations added later are applied to the cached file when it is used).
// Building 1,000,000 products takes about 7 minutes here. The TypeScript core is bundled on the
// fly with esbuild.
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { bundleAndImport, entry, percentile } from './lib.mjs';
import { checkDigit, createRandom, generateCatalogue } from '../scripts/generate-catalogue.mjs';

export const BENCH_PRODUCTS = 200_000;
export const BENCH_PRODUCTS_1M = 1_000_000;
const SEED = 20_260_101;
const RUNS = { barcode: 3000, search: 600 };

/** Bundles the catalogue core (migrations, catalogue module) to bench/.data/catalog-core.mjs. */
async function loadCore(root) {
  return bundleAndImport(root, 'catalog-core', [
    "export { openDatabase, checkpointAndClose } from './src/main/db/open';",
    "export { loadMigrations, migrate } from './src/main/db/migrate';",
    "export { importCatalogue } from './src/main/catalog/catalog-import';",
    "export { lookupByCode } from './src/main/catalog/lookup';",
    "export { searchProducts, parseSearchText, ftsExpression } from './src/main/catalog/search';",
    "export { loadDemoStore, seedStore } from './src/main/demo/seed';",
    "export { demoPromotions } from './src/main/pricing/demo-promotions';",
    "export { loadOrCreateSecret } from './src/main/secrets/local-secret';",
    "export { recordVersion } from './src/main/updates/version-start';",
  ]);
}

function sourceHash(root) {
  const hash = createHash('sha256');
  hash.update(String(SEED));
  for (const file of ['scripts/generate-catalogue.mjs', 'src/main/catalog/catalog-import.ts', 'src/shared/barcode.ts'])
    hash.update(readFileSync(join(root, file)));
  return hash.digest('hex').slice(0, 12);
}

/**
 * The path of a register database holding `n` generated products (built if missing, migrated to
 * the current schema if built before a migration was added). Other benchmarks copy it.
 */
export async function ensureCatalogueDb({ root, n = BENCH_PRODUCTS, core }) {
  const dir = join(root, 'bench', '.cache');
  mkdirSync(dir, { recursive: true });
  const name = `catalogue-${n}-${sourceHash(root)}.db`;
  const file = join(dir, name);
  core ??= await loadCore(root);
  if (existsSync(file)) {
    const db = core.openDatabase(file, { checkIntegrity: false });
    const applied = core.migrate(db, core.loadMigrations(join(root, 'migrations')));
    core.checkpointAndClose(db);
    if (applied.length > 0) console.error(`bench: migrated the cached ${n}-product catalogue (${applied.join(', ')})`);
    return file;
  }
  // Catalogues built from older sources are stale: remove them (with any -wal/-shm left behind).
  for (const old of readdirSync(dir))
    if (old.startsWith(`catalogue-${n}-`) && !old.startsWith(name)) rmSync(join(dir, old), { force: true });
  const building = `${file}.building`;
  for (const suffix of ['', '-wal', '-shm']) rmSync(building + suffix, { force: true });
  const started = performance.now();
  console.error(`bench: building a ${n}-product catalogue (once; cached in bench/.cache)…`);
  const db = core.openDatabase(building, { checkIntegrity: false });
  core.migrate(db, core.loadMigrations(join(root, 'migrations')));
  core.importCatalogue(db, generateCatalogue(n, SEED));
  db.exec("INSERT INTO product_fts (product_fts) VALUES ('optimize')");
  db.exec('ANALYZE');
  core.checkpointAndClose(db);
  renameSync(building, file);
  console.error(`bench: built a ${n}-product catalogue in ${Math.round(performance.now() - started)} ms → ${file}`);
  return file;
}

/**
 * A register data directory on a copy of the `n`-product catalogue, set up as the demo shop is
 * (store, register, the demo staff with their PINs — cashier 1 is 1234 — and promotions) but
 * without the demo's 3,000 products: every product is the generated catalogue's.
 */
export async function largeRegister({ root, n = BENCH_PRODUCTS, dataDir }) {
  const core = await loadCore(root);
  const catalogue = await ensureCatalogueDb({ root, n, core });
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'register.db');
  copyFileSync(catalogue, file);
  const db = core.openDatabase(file, { checkIntegrity: false });
  try {
    const demo = core.loadDemoStore(join(root, 'assets', 'demo', 'store.json'));
    await core.seedStore(
      db,
      { ...demo, categories: [], products: [] },
      core.loadOrCreateSecret(dataDir, 'pin-pepper'),
      core.demoPromotions,
    );
    // As a register that has run this version before: a new version's first start (its backup,
    // made beside the till) is not what the benches on this folder time.
    core.recordVersion(db, JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version);
  } finally {
    core.checkpointAndClose(db);
  }
  return file;
}

/** Barcodes of the `n`-product catalogue a shop would scan (EAN-13 from GS1 Hong Kong, 489…). */
export function catalogueBarcodes(file, count) {
  const db = new Database(file, { readonly: true });
  try {
    return db
      .prepare(
        "SELECT b.code FROM barcode b JOIN product p ON p.id = b.product_id WHERE b.code LIKE '489%' AND length(b.code) = 13 AND p.active = 1 ORDER BY b.product_id LIMIT ?",
      )
      .pluck()
      .all(count);
  } finally {
    db.close();
  }
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
  [
    0.5,
    [
      '奶茶',
      '薯片',
      '紙巾',
      '朱古',
      '即食',
      '杯麵',
      '鮮奶',
      '牙膏',
      '雪糕',
      '餃子',
      '蘋果',
      '汽水',
      '綠茶',
      '豆漿',
      '叉燒',
      '利是',
      '電池',
      '啤酒',
      '曲奇',
      '豉油',
      '乳酪',
      '香蕉',
      '雨傘',
      '手機',
    ],
  ],
  [
    0.3,
    [
      '檸檬茶',
      '朱古力',
      '即食麵',
      '沐浴露',
      '洗潔精',
      '燒烤味',
      '蒸餾水',
      '港式奶茶',
      '黑松露味',
      '韭菜豬肉',
      '洗髮露',
      '菠蘿包',
      '獅子山檸檬茶',
      '麻辣味薯片',
    ],
  ],
];
const EN_QUERIES = [
  [0.1, ['m', 't', 'c', 's', 'b']],
  [0.2, ['mi', 'te', 'ch', 'so', 'co', 'ri', 'no']],
  [
    0.7,
    [
      'milk',
      'tea',
      'chips',
      'lemon',
      'noodle',
      'coffee',
      'shampoo',
      'soy sauce',
      'milk tea',
      'chocolate',
      'dumplings',
      'truffle',
      'lemon tea',
      'cup noodles',
      'umbrella',
      'toothpaste',
      'orange',
      'family pack',
    ],
  ],
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

/** English words every shop's catalogue is full of: the broadest FTS5 matches a cashier types. */
const EN_COMMON = ['tea', 'milk', 'chips', 'noodle', 'coffee', 'lemon', 'sauce', 'pack', 'juice', 'water'];

/**
 * The baseline of a search: the one index read that finds matches (see the header), through the
 * core's own parser and FTS5 quoting so both sides match the same terms.
 */
function indexReadBaseline(core, raw) {
  const fts = raw.prepare(
    'SELECT p.id, p.sku, p.name_zh, p.name_en, p.price FROM product_fts f JOIN product p ON p.id = f.rowid WHERE product_fts MATCH ? LIMIT 20',
  );
  const gram = raw.prepare(
    'SELECT p.id, p.sku, p.name_zh, p.name_en, p.price FROM product_ngram n JOIN product p ON p.id = n.product_id WHERE n.gram = ? LIMIT 20',
  );
  const prefix = raw.prepare(
    'SELECT id, sku, name_zh, name_en, price FROM product WHERE lower(name_en) >= ? AND lower(name_en) < ? ORDER BY lower(name_en) LIMIT 20',
  );
  return (q) => {
    const parsed = core.parseSearchText(q);
    if (parsed.long.length > 0) return fts.all(core.ftsExpression(parsed.long));
    if (parsed.short.length > 0) return gram.all(parsed.short[0]);
    return prefix.all(parsed.text, `${parsed.text}\u{10FFFF}`);
  };
}

async function catalogueEntries({ root, n, suffix }) {
  const core = await loadCore(root);
  const file = await ensureCatalogueDb({ root, n, core });
  const db = core.openDatabase(file, { checkIntegrity: false });
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

    // Name search, 20 results, against the bare index read.
    const baseline = indexReadBaseline(core, raw);
    const search = (q) => core.searchProducts(db, q, { limit: 20 });
    const zh = measure(sample(random, ZH_QUERIES, RUNS.search), search, baseline);
    const en = measure(sample(random, EN_QUERIES, RUNS.search), search, baseline);
    const common = measure(
      Array.from({ length: RUNS.search }, () => random.pick(EN_COMMON)),
      search,
      baseline,
    );
    console.error(
      `bench (${n} products): p50 barcode ${barcode.p50.toFixed(3)} ms (raw ${barcode.baseP50.toFixed(3)}), zh ${zh.p50.toFixed(2)} (index read ${zh.baseP50.toFixed(2)}), ` +
        `en ${en.p50.toFixed(2)} (index read ${en.baseP50.toFixed(2)}), common English word ${common.p50.toFixed(2)} (index read ${common.baseP50.toFixed(2)})`,
    );

    return [
      entry(`barcode-lookup-p99${suffix}`, 'ms', barcode.p99, barcode.base, 1),
      entry(`name-search-zh-p99${suffix}`, 'ms', zh.p99, zh.base, 20),
      entry(`name-search-en-p99${suffix}`, 'ms', en.p99, en.base, 20),
      entry(`name-search-en-common-p99${suffix}`, 'ms', common.p99, common.base, 5),
    ];
  } finally {
    raw.close();
    db.close();
  }
}

/** At 200,000 products. */
export const benchCatalog = ({ root }) => catalogueEntries({ root, n: BENCH_PRODUCTS, suffix: '' });

/** At 1,000,000 products (`-1m`). */
export const benchCatalog1m = ({ root }) => catalogueEntries({ root, n: BENCH_PRODUCTS_1M, suffix: '-1m' });

// `node bench/catalog.mjs [1m]`: this benchmark alone (at 1,000,000 products with `1m`).
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const root = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
  console.table(await (process.argv[2] === '1m' ? benchCatalog1m : benchCatalog)({ root }));
}
