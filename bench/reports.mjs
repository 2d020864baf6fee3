// On a register database holding a year of a busy shop (1,000,000 sale lines: ~685 sales a day of
// ~4 lines, 08:00–22:00 Hong Kong time, skewed toward best sellers, cash/card/Octopus), built
// through the real migrations and demo seed, then rows inserted directly; the last days arrive one
// at a time.
//
// z-report-1m-lines: what `day:close` computes (fold the day into the report roll-ups + every Z
//   figure from the day's documents), from the day's last sale to the figures; baseline: a plain SQL
//   aggregate of the same day's lines, payments and categories by completed_at.
// reports-{month,year}-{cold,warm}-1m-lines: the reports screen a manager opens (`report:sales`:
//   totals, by hour, by day, by product, category, staff and tender) over the last 30 days or the
//   whole year, from the call to its answer.
//     cold: the day's ~685 sales not yet folded into the roll-ups (the first report after a day of
//       selling) on a freshly opened connection (SQLite's page cache empty; the OS's file cache is
//       not dropped);
//     warm: the same report asked again at once (nothing to fold, pages cached).
//   Baseline: the same screen's figures computed straight from the documents (sale, sale_line,
//   payment GROUP BYs over the range), cold on a fresh connection and warm again; the bench checks
//   both give the same totals, days and best sellers. The ratio is what the roll-ups save.
// Runs alone (`node bench/reports.mjs`, prints its rows) or from bench/run.mjs.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { bundleAndImport, entry, median } from './lib.mjs';

const LINES = 1_000_000;
const DAYS = 365;
const TIMED_DAYS = 12; // 6 Z samples, 3 of each report (cold and warm)
const LINES_PER_SALE = 4;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const HK = 8 * HOUR;
const YEAR_START = Date.UTC(2025, 10, 28) - HK; // 2025-11-28 00:00 in Hong Kong

async function loadCore(root) {
  return bundleAndImport(root, 'reports-core', [
    "export { openDatabase, checkpointAndClose } from './src/main/db/open';",
    "export { loadMigrations, migrate } from './src/main/db/migrate';",
    "export { loadDemoStore, seedStore } from './src/main/demo/seed';",
    "export { demoPromotions } from './src/main/pricing/demo-promotions';",
    "export { computeDayTotals } from './src/main/shifts/day-totals';",
    "export { ensureOpenBusinessDay } from './src/main/shifts/shift-repo';",
    "export { foldNewDocuments } from './src/main/reports/rollup';",
    "export { hourlyReport, reportBounds, salesReport } from './src/main/reports/sales-report';",
  ]);
}

function createRandom(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Inserts one business day of documents; returns the last sale id. */
function insertDay(db, statements, products, random, dayIndex, state) {
  const salesToday = Math.round(LINES / LINES_PER_SALE / DAYS);
  const dayStart = YEAR_START + dayIndex * DAY;
  const times = Array.from({ length: salesToday }, () => dayStart + 8 * HOUR + Math.floor(random() * 14 * HOUR)).sort((a, b) => a - b);
  for (const at of times) {
    state.seq += 1;
    const receiptNo = `MK01-01-${String(state.seq).padStart(7, '0')}`;
    const cartId = Number(statements.cart.run(at, at).lastInsertRowid);
    let total = 0;
    const lines = [];
    for (let position = 1; position <= LINES_PER_SALE; position++) {
      const product = products[Math.floor(products.length * random() ** 3)];
      const quantity = random() < 0.8 ? 1 : 2;
      const gross = product.price * quantity;
      const promotion = random() < 0.1 ? Math.round(gross / 10) : 0;
      const net = gross - promotion;
      total += net;
      lines.push({ position, product, quantity, gross, promotion, net });
    }
    const staffId = random() < 0.5 ? 1 : 2;
    const saleId = Number(statements.sale.run(state.seq, receiptNo, cartId, staffId, total, total, promotion(lines), at).lastInsertRowid);
    for (const l of lines) {
      statements.line.run(
        saleId,
        l.position,
        l.product.id,
        l.product.sku,
        l.product.name_zh,
        l.product.name_en,
        l.product.category_code,
        l.quantity * 1000,
        l.product.price,
        l.product.price,
        l.gross,
        l.promotion,
        l.net,
      );
    }
    const r = random();
    const method = r < 0.5 ? 'cash' : r < 0.8 ? 'card' : 'octopus';
    const tendered = method === 'cash' ? Math.ceil(total / 10_000) * 10_000 : total;
    statements.payment.run(saleId, method, total, tendered, tendered - total);
  }
  return state.seq;
}

function promotion(lines) {
  return lines.reduce((sum, l) => sum + l.promotion, 0);
}

function prepareStatements(db) {
  return {
    cart: db.prepare("INSERT INTO cart (register_code, status, staff_id, created_at, updated_at) VALUES ('01', 'completed', 1, ?, ?)"),
    sale: db.prepare(
      `INSERT INTO sale (register_seq, receipt_no, kind, cart_id, staff_id, subtotal, promotion_total, discount_total, tax_total, total, rounding, change_given, completed_at)
       VALUES (?, ?, 'sale', ?, ?, ?, ?, ?, 0, 0, 0, 0, ?)`,
    ),
    line: db.prepare(
      `INSERT INTO sale_line (sale_id, position, product_id, sku, name_zh, name_en, category_code, tax_class, quantity_milli, list_price, unit_price, gross, promotion_amount, net)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'none', ?, ?, ?, ?, ?, ?)`,
    ),
    payment: db.prepare('INSERT INTO payment (sale_id, position, method, amount, tendered, change_given) VALUES (?, 1, ?, ?, ?, ?)'),
  };
}

/** The plain SQL a report would run without roll-ups: one day by completed_at. */
function plainDay(db, from, to) {
  const lines = db
    .prepare(
      `SELECT sum(CASE WHEN l.quantity_milli > 0 THEN l.gross END) AS gross, sum(l.promotion_amount) AS promotions, sum(l.net) AS net, count(DISTINCT s.id) AS documents
       FROM sale s JOIN sale_line l ON l.sale_id = s.id WHERE s.completed_at >= ? AND s.completed_at < ?`,
    )
    .get(from, to);
  const tenders = db
    .prepare(
      'SELECT p.method, sum(p.amount) FROM sale s JOIN payment p ON p.sale_id = s.id WHERE s.completed_at >= ? AND s.completed_at < ? GROUP BY p.method',
    )
    .all(from, to);
  const categories = db
    .prepare(
      'SELECT l.category_code, sum(l.net) FROM sale s JOIN sale_line l ON l.sale_id = s.id WHERE s.completed_at >= ? AND s.completed_at < ? GROUP BY l.category_code',
    )
    .all(from, to);
  return { lines, tenders, categories };
}

/** The reports screen's figures straight from the documents: what the roll-ups replace. */
function plainScreen(db, b) {
  const range = { from: b.fromMs, to: b.toMs };
  const inRange = 's.completed_at >= :from AND s.completed_at < :to';
  const totals = db
    .prepare(
      `SELECT count(DISTINCT s.id) AS documents, sum(CASE WHEN l.quantity_milli > 0 THEN l.gross ELSE 0 END) AS gross,
              sum(CASE WHEN l.quantity_milli > 0 THEN l.promotion_amount ELSE 0 END) AS promotions, sum(l.net) AS net
       FROM sale s JOIN sale_line l ON l.sale_id = s.id WHERE ${inRange}`,
    )
    .get(range);
  const byHour = db
    .prepare(
      `SELECT ((s.completed_at + ${HK}) / ${HOUR}) % 24 AS hour, count(DISTINCT s.id) AS documents, sum(l.net) AS net FROM sale s JOIN sale_line l ON l.sale_id = s.id WHERE ${inRange} GROUP BY 1 ORDER BY 1`,
    )
    .all(range);
  const byDay = db
    .prepare(
      `SELECT (s.completed_at + ${HK}) / ${DAY} AS day, count(DISTINCT s.id) AS documents, sum(l.net) AS net FROM sale s JOIN sale_line l ON l.sale_id = s.id WHERE ${inRange} GROUP BY 1 ORDER BY 1`,
    )
    .all(range);
  const byProduct = db
    .prepare(
      `SELECT l.product_id AS productId, max(l.sku) AS sku, max(l.name_zh) AS nameZh, sum(l.quantity_milli) AS soldMilli, sum(l.net) AS net
       FROM sale s JOIN sale_line l ON l.sale_id = s.id WHERE ${inRange} GROUP BY l.product_id ORDER BY net DESC, productId LIMIT 1000`,
    )
    .all(range);
  const byCategory = db
    .prepare(
      `SELECT l.category_code AS code, sum(l.quantity_milli) AS soldMilli, sum(l.net) AS net FROM sale s JOIN sale_line l ON l.sale_id = s.id WHERE ${inRange} GROUP BY 1 ORDER BY net DESC`,
    )
    .all(range);
  const byStaff = db
    .prepare(
      `SELECT s.staff_id AS staffId, count(*) AS documents, sum(s.total) AS net FROM sale s WHERE ${inRange} GROUP BY 1 ORDER BY net DESC`,
    )
    .all(range);
  const byMethod = db
    .prepare(
      `SELECT p.method, count(*) AS payments, sum(p.amount) AS amount FROM sale s JOIN payment p ON p.sale_id = s.id WHERE ${inRange} GROUP BY 1`,
    )
    .all(range);
  return { totals, byHour, byDay, byProduct, byCategory, byStaff, byMethod };
}

/** Throws unless the roll-up report and the plain SQL agree on totals, days and best sellers. */
function checkSameAnswer(what, report, plain) {
  const fail = (detail) => {
    throw new Error(`${what}: the reports screen disagrees with plain SQL over the documents: ${detail}`);
  };
  if (report.totals.net !== plain.totals.net || report.totals.documents !== plain.totals.documents)
    fail(`totals ${JSON.stringify(report.totals)} vs ${JSON.stringify(plain.totals)}`);
  const days = report.byDay.filter((d) => d.documents > 0);
  if (days.length !== plain.byDay.length || days.some((d, i) => d.net !== plain.byDay[i].net)) fail('by day');
  if (report.byProduct.slice(0, 50).some((p, i) => p.productId !== plain.byProduct[i].productId || p.net !== plain.byProduct[i].net))
    fail('best sellers');
}

function time(fn) {
  const started = performance.now();
  const value = fn();
  return { ms: performance.now() - started, value };
}

export async function benchReports({ root }) {
  const core = await loadCore(root);
  const dir = mkdtempSync(join(tmpdir(), 'suanpan-bench-reports-'));
  try {
    const file = join(dir, 'register.db');
    let db = core.openDatabase(file, { checkIntegrity: false });
    core.migrate(db, core.loadMigrations(join(root, 'migrations')));
    await core.seedStore(db, core.loadDemoStore(join(root, 'assets', 'demo', 'store.json')), Buffer.alloc(32, 7), core.demoPromotions);
    const products = db
      .prepare(
        'SELECT p.id, p.sku, p.name_zh, p.name_en, p.price, c.code AS category_code FROM product p LEFT JOIN category c ON c.id = p.category_id WHERE p.active = 1 ORDER BY p.id',
      )
      .all();
    let statements = prepareStatements(db);
    const random = createRandom(20_261_127);
    const state = { seq: 0 };
    const closeDayStatement = () =>
      db.prepare("UPDATE business_day SET closed_at = ?, closed_by = 3, z_no = ?, sale_id_last = ?, totals = '{}' WHERE closed_at IS NULL");
    let closeDay = closeDayStatement();

    // Build: the year before the timed days, each day closed by a Z (the real boundaries).
    const built = time(() => {
      db.pragma('synchronous = OFF');
      db.transaction(() => {
        for (let d = 0; d < DAYS - TIMED_DAYS; d++) {
          core.ensureOpenBusinessDay(db, '01', YEAR_START + d * DAY + 8 * HOUR);
          const last = insertDay(db, statements, products, random, d, state);
          closeDay.run(YEAR_START + d * DAY + 23 * HOUR, d + 1, last);
        }
      })();
    });
    const catchUp = time(() => core.foldNewDocuments(db));

    const z = [];
    const zPlain = [];
    const screens = {
      month: { cold: [], warm: [], coldPlain: [], warmPlain: [] },
      year: { cold: [], warm: [], coldPlain: [], warmPlain: [] },
    };
    const isoDate = (dayIndex) => new Date(YEAR_START + HK + dayIndex * DAY).toISOString().slice(0, 10);
    for (let d = DAYS - TIMED_DAYS; d < DAYS; d++) {
      db.transaction(() => {
        core.ensureOpenBusinessDay(db, '01', YEAR_START + d * DAY + 8 * HOUR);
        insertDay(db, statements, products, random, d, state);
      })();
      db.pragma('synchronous = FULL');
      const until = YEAR_START + d * DAY + 23 * HOUR;
      const lastSaleId = db.prepare('SELECT max(id) FROM sale').pluck().get();
      // Days alternate: the even ones time the Z, the odd ones the reports screen (each needs the
      // day's sales unfolded). The Z runs on every day, as at a real shop, but is timed on half.
      const span = (d - (DAYS - TIMED_DAYS)) % 4; // 0, 2: Z; 1: month; 3: year
      if (span === 1 || span === 3) {
        const which = span === 1 ? 'month' : 'year';
        const req = { from: isoDate(which === 'month' ? d - 29 : d - DAYS + 1), to: isoDate(d) };
        const bounds = core.reportBounds(req.from, req.to, 'Asia/Hong_Kong');
        // Cold: a fresh connection, the day not yet folded. Warm: the same again at once.
        db.close();
        db = core.openDatabase(file, { checkIntegrity: false });
        const cold = time(() => core.salesReport(db, req));
        const warm = time(() => core.salesReport(db, req));
        db.close();
        db = core.openDatabase(file, { checkIntegrity: false });
        statements = prepareStatements(db);
        closeDay = closeDayStatement();
        const coldPlain = time(() => plainScreen(db, bounds));
        const warmPlain = time(() => plainScreen(db, bounds));
        checkSameAnswer(`${which} to ${req.to}`, warm.value, warmPlain.value);
        screens[which].cold.push(cold.ms);
        screens[which].warm.push(warm.ms);
        screens[which].coldPlain.push(coldPlain.ms);
        screens[which].warmPlain.push(warmPlain.ms);
      }
      const day = db.prepare('SELECT * FROM business_day WHERE closed_at IS NULL').get();
      const zRun = time(() =>
        db
          .transaction(() => {
            core.foldNewDocuments(db);
            return core.computeDayTotals(db, { storeCode: 'MK01', day, lastSaleId, until, zNo: d + 1 });
          })
          .immediate(),
      );
      const zPlainRun = time(() => plainDay(db, YEAR_START + d * DAY, YEAR_START + (d + 1) * DAY));
      if (zPlainRun.value.lines.net !== zRun.value.net)
        throw new Error(`Z net disagrees with plain SQL: ${zRun.value.net} vs ${zPlainRun.value.lines.net}`);
      if (span === 0 || span === 2) {
        z.push(zRun.ms);
        zPlain.push(zPlainRun.ms);
      }
      closeDay.run(until, d + 1, lastSaleId);
    }
    const lines = db.prepare('SELECT count(*) FROM sale_line').pluck().get();
    console.log(
      `reports bench: ${lines} sale lines; built in ${Math.round(built.ms)} ms; roll-up of the history in one go ${Math.round(catchUp.ms)} ms`,
    );
    db.close();
    const screen = (which, state) =>
      entry(
        `reports-${which}-${state}-1m-lines`,
        'ms',
        median(screens[which][state]),
        median(screens[which][`${state}Plain`]),
        which === 'month' ? 200 : 500,
      );
    return [
      entry('z-report-1m-lines', 'ms', median(z), median(zPlain), 200),
      screen('month', 'cold'),
      screen('month', 'warm'),
      screen('year', 'cold'),
      screen('year', 'warm'),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Alone: print the rows and put them into bench/results.json in place of their previous values.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const rows = await benchReports({ root });
  console.table(rows);
  const resultsFile = join(root, 'bench', 'results.json');
  const previous = existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, 'utf8')) : [];
  const names = new Set(rows.map((r) => r.name));
  writeFileSync(resultsFile, `${JSON.stringify([...previous.filter((r) => !names.has(r.name)), ...rows], null, 2)}\n`);
  console.log('updated bench/results.json');
}
