// register-start: ms from spawning the kiosk host on a register whose catalogue holds 200,000
// products (register-start-1m: 1,000,000) until its first scan is answered on screen, as a cashier
// meets it: the host starts and prints its URL, Chromium (already running) opens the page, cashier
// 1 logs in on the PIN pad (four digits and OK, clicked), and a wedge scan's line appears in the
// cart. Baseline: the same steps, in the same browser, against the plainest process that can do
// them (bench/baseline-start.mjs: opens the same SQLite file, serves a page with a PIN pad and a
// scan field, looks the barcode up), so Chromium and the clicks are in both.
// register-start-first-run: a new --demo register seeding the 3,000-item demo shop, from spawn
// until /healthz answers with the store (no login: the seed is what it times); baseline: the plain
// process above answering its page over HTTP.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { BENCH_PRODUCTS, BENCH_PRODUCTS_1M, catalogueBarcodes, largeRegister } from './catalog.mjs';
import { allowSlowWedgeBursts, launchChromium, loginAsCashier, wedge } from './chromium.mjs';
import { hostArgs } from '../tests/support/host-command.mjs';
import { entry, median, spawnUntil, stop, withTimeout } from './lib.mjs';

const RUNS = 7;
const READY = /(http:\/\/127\.0\.0\.1:\d+\/)/;

async function timeToHealthz(args, expectedStore) {
  const started = performance.now();
  const { child, match } = await spawnUntil(args, READY);
  try {
    const body = await withTimeout(
      fetch(new URL('/healthz', match[1])).then((r) => r.text()),
      30_000,
      '/healthz',
    );
    const elapsed = performance.now() - started;
    if (!body.includes(expectedStore)) throw new Error(`unexpected answer: ${body}`);
    return elapsed;
  } finally {
    await stop(child);
  }
}

/** Spawn → page → PIN → first scan's line on screen, in a fresh browser context. */
async function timeToFirstScan(browser, args, code) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  const started = performance.now();
  const { child, match } = await spawnUntil(args, READY);
  try {
    await page.goto(match[1], { timeout: 30_000 });
    await loginAsCashier(page);
    await wedge(cdp, code);
    await page.getByTestId('cart-line-0').waitFor({ state: 'attached', timeout: 30_000 });
    return performance.now() - started;
  } finally {
    await stop(child);
    await context.close();
  }
}

async function startEntries({ root, n, suffix, firstRun }) {
  const largeDir = mkdtempSync(join(tmpdir(), `suanpan-bench-start-${n}-`));
  const demoDir = mkdtempSync(join(tmpdir(), 'suanpan-bench-start-demo-'));
  const browser = await launchChromium();
  try {
    const file = await largeRegister({ root, n, dataDir: largeDir });
    allowSlowWedgeBursts(file);
    const codes = catalogueBarcodes(file, RUNS);
    const register = [];
    const baseline = [];
    for (let i = 0; i < RUNS; i++) {
      register.push(await timeToFirstScan(browser, hostArgs(root, ['--data-dir', largeDir, '--port', '0']), codes[i]));
      baseline.push(await timeToFirstScan(browser, [join(root, 'bench', 'baseline-start.mjs'), file], codes[i]));
    }
    const base = median(baseline);
    const rows = [entry(`register-start${suffix}`, 'ms', median(register), base, 1500)];
    if (firstRun) {
      // Its baseline: the plain process above answering its page (which names the store) over HTTP.
      const plain = [];
      for (let i = 0; i < 3; i++) plain.push(await timeToHealthz([join(root, 'bench', 'baseline-start.mjs'), file], '旺角店'));
      rows.push(
        entry(
          'register-start-first-run',
          'ms',
          await timeToHealthz(hostArgs(root, ['--data-dir', demoDir, '--port', '0', '--demo']), '旺角店'),
          median(plain),
          5000,
        ),
      );
    }
    return rows;
  } finally {
    await browser.close();
    rmSync(demoDir, { recursive: true, force: true });
    rmSync(largeDir, { recursive: true, force: true });
  }
}

export const benchRegisterStart = ({ root }) => startEntries({ root, n: BENCH_PRODUCTS, suffix: '', firstRun: true });
export const benchRegisterStart1m = ({ root }) => startEntries({ root, n: BENCH_PRODUCTS_1M, suffix: '-1m', firstRun: false });

// `node bench/register-start.mjs [1m]`
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const root = join(import.meta.dirname, '..');
  console.table(await (process.argv[2] === '1m' ? benchRegisterStart1m : benchRegisterStart)({ root }));
}
