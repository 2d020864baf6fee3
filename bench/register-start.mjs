// register-start: ms from process start until the kiosk host answers /healthz with its store, on a
// register whose catalogue holds 200,000 products. Baseline: a plain Node process that opens the
// same SQLite file, reads the store name and answers it over HTTP: the least any register process
// must do. register-start-first-run: a new --demo register seeding the 3,000-item demo shop.
import Database from 'better-sqlite3';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ensureCatalogueDb } from './catalog.mjs';
import { entry, median, spawnUntil, stop } from './lib.mjs';

const RUNS = 7;
const READY = /(http:\/\/127\.0\.0\.1:\d+\/)/;

async function timeStart(args, expectedStore) {
  const started = performance.now();
  const { child, match } = await spawnUntil(args, READY);
  const res = await fetch(new URL('/healthz', match[1]));
  const body = await res.text();
  const elapsed = performance.now() - started;
  await stop(child);
  if (!body.includes(expectedStore)) throw new Error(`unexpected answer: ${body}`);
  return elapsed;
}

/** A register database with the 200,000-product catalogue and an identity (no login is needed). */
function largeRegister(catalogueFile, dataDir) {
  const file = join(dataDir, 'register.db');
  copyFileSync(catalogueFile, file);
  const db = new Database(file);
  db.exec(`
    INSERT INTO store (code, name_zh, name_en) VALUES ('HQ01', '算盤百貨 總店', 'Suanpan Department Store');
    INSERT INTO this_register (id, store_id, code, name) VALUES (1, 1, '01', '收銀機 01');
    INSERT INTO staff (code, name_zh, name_en, role, pin_hash) VALUES ('M001', '李志強', 'Lee Chi Keung', 'manager', 'scrypt$16384$8$5$AAAA$AAAA');`);
  db.close();
}

export async function benchRegisterStart({ root }) {
  const cli = join(root, 'dist', 'host', 'cli.js');
  const demoDir = mkdtempSync(join(tmpdir(), 'suanpan-bench-start-demo-'));
  const largeDir = mkdtempSync(join(tmpdir(), 'suanpan-bench-start-200k-'));
  try {
    const firstRun = await timeStart([cli, '--data-dir', demoDir, '--port', '0', '--demo'], '旺角店');
    largeRegister(await ensureCatalogueDb({ root }), largeDir);
    const register = [];
    const baseline = [];
    for (let i = 0; i < RUNS; i++) {
      register.push(await timeStart([cli, '--data-dir', largeDir, '--port', '0'], '總店'));
      baseline.push(await timeStart([join(root, 'bench', 'baseline-start.mjs'), join(largeDir, 'register.db')], '總店'));
    }
    const base = median(baseline);
    return [entry('register-start', 'ms', median(register), base, 1500), entry('register-start-first-run', 'ms', firstRun, base, 5000)];
  } finally {
    rmSync(demoDir, { recursive: true, force: true });
    rmSync(largeDir, { recursive: true, force: true });
  }
}
