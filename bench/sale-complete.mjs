// sale-complete-p99: completing a 10-line, 2-tender sale through the real core (pricing, tenders,
// receipt number, lines, payments, stock movements, outbox, synchronous=FULL) on a 200,000-product
// catalogue is not needed for this figure: the write path does not scale with the catalogue.
// Baseline: the same rows inserted with raw better-sqlite3 in one BEGIN IMMEDIATE transaction, same
// pragmas, same file system, same run.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { entry, percentile } from './lib.mjs';

const SALES = 300;
const WARMUP = 20;

function unwrap(result) {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

async function coreTimings(root, dataDir) {
  const { createRegister } = await import(join(root, 'dist', 'core', 'register.js'));
  const silent = { info() {}, warn() {}, error() {} };
  const register = await createRegister({ dataDir, demo: true, log: silent });
  unwrap(await register.dispatch('staff:login', { staffId: 1, pin: '1234' }));
  const timings = [];
  try {
    for (let i = 0; i < SALES + WARMUP; i++) {
      let cart;
      for (let productId = 1; productId <= 10; productId++) cart = unwrap(await register.dispatch('cart:add-product', { productId: productId + (i % 40) }));
      const started = performance.now();
      unwrap(
        await register.dispatch('sale:complete', {
          cartId: cart.id,
          tenders: [
            { method: 'card', amount: 1000, approvalCode: 'A12345', cardLast4: '4242' },
            { method: 'cash', amount: cart.total - 1000, tendered: cart.total - 1000 + 5000 },
          ],
        }),
      );
      if (i >= WARMUP) timings.push(performance.now() - started);
    }
  } finally {
    register.close();
  }
  return timings;
}

function rawTimings(file) {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.exec(`
    CREATE TABLE sale (id INTEGER PRIMARY KEY, receipt_no TEXT UNIQUE, total INTEGER, completed_at INTEGER) STRICT;
    CREATE TABLE sale_line (id INTEGER PRIMARY KEY, sale_id INTEGER REFERENCES sale(id), position INTEGER, product_id INTEGER, name TEXT, quantity_milli INTEGER, net INTEGER) STRICT;
    CREATE TABLE payment (id INTEGER PRIMARY KEY, sale_id INTEGER REFERENCES sale(id), method TEXT, amount INTEGER) STRICT;
    CREATE TABLE stock_movement (id INTEGER PRIMARY KEY, product_id INTEGER, quantity_milli INTEGER, source TEXT, line INTEGER, UNIQUE(source, line)) STRICT;
    CREATE TABLE outbox (seq INTEGER PRIMARY KEY, payload TEXT) STRICT;`);
  const sale = db.prepare('INSERT INTO sale (receipt_no, total, completed_at) VALUES (?, ?, ?)');
  const line = db.prepare('INSERT INTO sale_line (sale_id, position, product_id, name, quantity_milli, net) VALUES (?, ?, ?, ?, ?, ?)');
  const payment = db.prepare('INSERT INTO payment (sale_id, method, amount) VALUES (?, ?, ?)');
  const movement = db.prepare('INSERT INTO stock_movement (product_id, quantity_milli, source, line) VALUES (?, ?, ?, ?)');
  const outbox = db.prepare('INSERT INTO outbox (payload) VALUES (?)');
  const write = db.transaction((i) => {
    const receiptNo = `MK01-01-${String(i).padStart(6, '0')}`;
    const saleId = sale.run(receiptNo, 12345, Date.now()).lastInsertRowid;
    for (let p = 1; p <= 10; p++) {
      line.run(saleId, p, p, '港式奶茶', 1000, 1800);
      movement.run(p, -1000, receiptNo, p);
    }
    payment.run(saleId, 'card', 1000);
    payment.run(saleId, 'cash', 11345);
    outbox.run(JSON.stringify({ receiptNo, lines: 10 }));
  });
  const timings = [];
  for (let i = 0; i < SALES + WARMUP; i++) {
    const started = performance.now();
    write.immediate(i);
    if (i >= WARMUP) timings.push(performance.now() - started);
  }
  db.close();
  return timings;
}

export async function benchSaleComplete({ root }) {
  const dir = mkdtempSync(join(tmpdir(), 'suanpan-bench-sale-'));
  try {
    const core = await coreTimings(root, join(dir, 'core'));
    const raw = rawTimings(join(dir, 'raw.db'));
    const p99 = percentile(core, 99);
    const base = percentile(raw, 99);
    return [{ ...entry('sale-complete-p99', 'ms', p99, base, null), target: 1.5, targetKind: 'ratio' }];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
