// The till in Chromium: the real renderer, WebSocket, kiosk host, core and SQLite (the 3,000-item
// demo shop). Every scan is a keyboard-wedge burst (the code's keys stamped 3 ms apart and sent
// together through CDP, as a USB scanner's keys reach the page, then Enter).
//
// scan-to-line-p50 / -p95: from the page's receiving the scanner's suffix keydown (Enter: the burst
//   is complete, so the scanner's own typing time is not counted) to the frame after the new line
//   is in the cart on screen. 300 samples over carts growing from 0 to 100 lines (three sales of
//   100 scans, each paid with the keyboard).
// scan-to-line-p95-100-lines / -300-lines: the same, 150 samples with the cart held at exactly 100
//   (or 300) lines: after each scan, Delete removes the new line again (not timed).
// sale-to-ready-p50 / -p95: from the Enter that completes a cash payment (F12, Enter adds the amount
//   due, Enter completes) to the frame in which the checkout is back and takes the next scan (the
//   payment screen gone, the scan field and the receipt of the sale on screen); 120 sales of 3
//   lines. The next sale's first scan is then made at once, and must land.
// Every wait is bounded: a scan whose line does not appear within 5 s is a miss (counted, printed,
// and the run goes on), not a hang.
// Baselines, same browser, same run, same keys: a plain page holding a list of as many rows that
//   appends a row on Enter (the browser's own floor for keys → DOM), and for sale-to-ready a plain
//   page that swaps a "payment" block for a "checkout" block on Enter.
/* global window, document -- page.evaluate callbacks run in the browser */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { allowSlowWedgeBursts, launchChromium, loginAsCashier, tillHolding, tillLineLanded, wedge } from './chromium.mjs';
import { hostArgs } from '../tests/support/host-command.mjs';
import { entry, percentile, spawnUntil, stop, withTimeout } from './lib.mjs';

// BENCH_SCAN_SCALE (default 1) scales the sample counts, e.g. 0.1 while developing.
const SCALE = Number(process.env.BENCH_SCAN_SCALE ?? 1);
const GROWING_SALES = 3;
const GROWING_LINES = Math.max(5, Math.round(100 * SCALE));
const HELD_SAMPLES = Math.max(5, Math.round(150 * SCALE));
const READY_SALES = Math.max(5, Math.round(120 * SCALE));
const READY_LINES = 3;
const MISS_MS = 5_000;

/**
 * Installed before the page's own scripts, so its capture listener runs before the app's wedge
 * handler. `__measure(ready, missMs)` arms it for the next Enter keydown and resolves with ms from
 * that keydown to the frame after `ready` holds, or with -1 after `missMs`. `ready` is data (the
 * till's Content-Security-Policy allows no eval): `count` elements matching `selector` above
 * `above`, and/or every `present` selector found and no `absent` one.
 */
export const PROBE = `(() => {
  let armed = null;
  window.addEventListener('keydown', (e) => {
    if (armed && armed.started === null && e.key === 'Enter') { armed.started = performance.now(); armed.check(); }
  }, { capture: true });
  const holds = (ready) =>
    (ready.selector === undefined || document.querySelectorAll(ready.selector).length > ready.above) &&
    (ready.present ?? []).every((s) => document.querySelector(s) !== null) &&
    (ready.absent ?? []).every((s) => document.querySelector(s) === null);
  window.__measure = (ready, missMs) => new Promise((resolve) => {
    const probe = { started: null, done: false };
    const finish = (value) => {
      if (probe.done) return;
      probe.done = true;
      observer.disconnect();
      clearTimeout(timer);
      if (armed === probe) armed = null;
      resolve(value);
    };
    probe.check = () => {
      if (probe.started !== null && holds(ready)) requestAnimationFrame(() => finish(performance.now() - probe.started));
    };
    const observer = new MutationObserver(() => probe.check());
    observer.observe(document.documentElement, { childList: true, subtree: true, attributes: true });
    const timer = setTimeout(() => finish(-1), missMs);
    armed = probe;
  });
})();`;

const baselinePage = (rows) => `<!doctype html><meta charset="utf-8"><script>${PROBE}</script><body>
<div id="payment">payment</div><div id="list"></div><script>
  const list = document.getElementById('list');
  const row = (text) => { const d = document.createElement('div'); d.className = 'row'; d.innerHTML = '<span class="qty">1</span> ' + text; return d; };
  for (let i = 0; i < ${rows}; i++) list.append(row('row ' + i));
  let buffer = '';
  window.__newSale = () => { const c = document.getElementById('checkout'); if (c) { const p = document.createElement('div'); p.id = 'payment'; c.replaceWith(p); } };
  window.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && buffer === '') { const p = document.getElementById('payment'); if (p) { const c = document.createElement('div'); c.id = 'checkout'; p.replaceWith(c); } }
    else if (e.key === 'Enter') { list.append(row(buffer)); buffer = ''; }
    else if (e.key === 'Delete') { list.lastChild.remove(); }
    else if (e.key.length === 1) buffer += e.key;
  });
</script>`;

/** Arms the probe, runs `act` (which ends with the Enter to time), returns ms or -1 for a miss. */
export async function measure(page, ready, act) {
  await withTimeout(
    page.evaluate(({ ready, missMs }) => void (window.__pending = window.__measure(ready, missMs)), { ready, missMs: MISS_MS }),
    MISS_MS,
    'arming the probe',
  );
  await withTimeout(act(), MISS_MS, 'sending keys');
  return withTimeout(
    page.evaluate(() => window.__pending),
    2 * MISS_MS,
    'the probe',
  );
}

/**
 * How a list says it holds lines: the till's cart (its rows outside the visible part are not in the
 * DOM) and the baseline's plain list of rows. `landed(before)` and `holding(count)` are the probe's
 * `ready` data.
 */
const TILL = { landed: tillLineLanded, holding: tillHolding };
const PLAIN = {
  landed: (before) => ({ selector: '.row', above: before }),
  holding: (count) => ({ selector: '.row', above: count - 1, absent: [`.row:nth-child(${count + 1})`] }),
};

/** Bounded: resolves when the list holds `count` lines, or throws after `timeout`. */
async function waitForLines(page, lines, count, timeout = MISS_MS) {
  await page.waitForFunction(
    (ready) =>
      (ready.selector === undefined || document.querySelectorAll(ready.selector).length > ready.above) &&
      (ready.present ?? []).every((s) => document.querySelector(s) !== null) &&
      (ready.absent ?? []).every((s) => document.querySelector(s) === null),
    lines.holding(count),
    { timeout, polling: 'raf' },
  );
}

/** Times one scan: the frame after the list holds the new line. */
function scanOnce(page, cdp, lines, before, code) {
  return measure(page, lines.landed(before), () => wedge(cdp, code)).then(async (ms) => {
    if (process.env.TRACE)
      console.error('TRACE', code, before, ms, await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 80)));
    if (ms < 0 && process.env.TRACE) await page.screenshot({ path: `/tmp/miss-${code}.png` });
    return ms;
  });
}

/** `samples` scans with the list held at `held` lines (Delete takes each new line away again). */
async function heldScans(page, cdp, lines, held, codes, samples) {
  const times = [];
  for (let i = 0; i < samples; i++) {
    const ms = await scanOnce(page, cdp, lines, held, codes[i % codes.length]);
    times.push(ms);
    if (ms >= 0) {
      await page.keyboard.press('Delete');
      await waitForLines(page, lines, held);
    }
  }
  return times;
}

const summary = (times) => {
  const hits = times.filter((t) => t >= 0);
  return { hits, misses: times.length - hits.length };
};

function timedEntry(name, p, times, baseTimes, target) {
  const { hits, misses } = summary(times);
  if (hits.length === 0) throw new Error(`${name}: every one of ${times.length} samples missed`);
  if (misses > 0) console.error(`bench: ${name}: ${misses} of ${times.length} samples missed (no answer within ${MISS_MS} ms)`);
  return { ...entry(name, 'ms', percentile(hits, p), percentile(summary(baseTimes).hits, p), target), samples: times.length, misses };
}

/** Adds lines through the API (not timed) until the cart holds `total`, then reloads so the renderer shows them. */
async function preloadTo(page, total, take) {
  const have = await page.evaluate(() => Number(document.querySelector('[data-testid="cart-lines"]')?.dataset.lineCount ?? 0));
  await withTimeout(
    page.evaluate(
      async (codes) => {
        for (const code of codes) {
          const result = await window.pos['cart:scan']({ code });
          if (!result.ok) throw new Error(`${code}: ${result.error.message}`);
        }
      },
      take(total - have),
    ),
    120_000,
    `adding ${total - have} lines`,
  );
  await page.reload();
  await waitForLines(page, TILL, total, 60_000);
  await page.getByTestId('store-name').click(); // focus away from the scan field, as at a real till
}

const saleDone = { present: ['[data-testid="scan-input"]', '[data-testid="receipt-number"]'], absent: ['[data-testid="payment-screen"]'] };

/** F12, Enter (the amount due), then the timed Enter that completes the sale. */
async function payWithKeys(page) {
  await page.keyboard.press('F12');
  await page.getByTestId('payment-screen').waitFor({ timeout: MISS_MS });
  await page.keyboard.press('Enter');
  await page.getByTestId('pay-complete').and(page.locator(':not([disabled])')).waitFor({ timeout: MISS_MS });
  return measure(page, saleDone, () => page.keyboard.press('Enter'));
}

export async function benchScanToLine({ root }) {
  const store = JSON.parse(readFileSync(join(root, 'assets', 'demo', 'store.json'), 'utf8'));
  const codes = store.products.flatMap((p) => p.barcodes.filter((b) => /^489\d{10}$/.test(b)).slice(0, 1));
  const need = 300 + 10 + GROWING_LINES * GROWING_SALES + READY_SALES * READY_LINES + 20;
  if (codes.length < need) throw new Error(`the demo shop has ${codes.length} scannable products, the bench needs ${need}`);
  let next = 0;
  const take = (n) => codes.slice(next, (next += n));
  const dataDir = mkdtempSync(join(tmpdir(), 'suanpan-bench-scan-'));
  const { child, match } = await spawnUntil(
    hostArgs(root, ['--data-dir', dataDir, '--port', '0', '--demo']),
    /(http:\/\/127\.0\.0\.1:\d+\/)/,
  );
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    page.setDefaultTimeout(30_000);
    await page.addInitScript(PROBE);
    const cdp = await page.context().newCDPSession(page);
    allowSlowWedgeBursts(join(dataDir, 'register.db'));
    await page.goto(match[1]);
    await loginAsCashier(page);
    await page.locator('[data-testid^="favourite-"]').first().waitFor({ timeout: 30_000 });
    await page.getByTestId('store-name').click();

    // 1. Carts growing from 0 to 100 lines, each paid with the keyboard.
    const growing = [];
    const readyBig = [];
    for (let sale = 0; sale < GROWING_SALES; sale++) {
      const saleCodes = take(GROWING_LINES);
      for (let i = 0; i < saleCodes.length; i++) growing.push(await scanOnce(page, cdp, TILL, i, saleCodes[i]));
      console.error(`bench: growing cart ${sale + 1}/${GROWING_SALES}: ${summary(growing).misses} misses so far`);
      readyBig.push(await payWithKeys(page));
    }

    // 2. Sale to ready: small sales, one after another, the next scan right after each.
    const ready = [];
    for (let sale = 0; sale < READY_SALES; sale++) {
      const saleCodes = take(READY_LINES);
      for (let i = 0; i < saleCodes.length; i++) {
        const ms = await scanOnce(page, cdp, TILL, i, saleCodes[i]);
        if (ms < 0) throw new Error(`sale-to-ready: scan ${i + 1} of sale ${sale + 1} did not land within ${MISS_MS} ms`);
      }
      ready.push(await payWithKeys(page));
    }
    const firstScan = take(1)[0];
    if ((await scanOnce(page, cdp, TILL, 0, firstScan)) < 0) throw new Error('the scan after the last sale did not land');

    // 3. Held at 100, then at 300 lines (the cart above plus preloaded lines).
    await preloadTo(page, 100, take);
    const extra = take(10);
    const held100 = await heldScans(page, cdp, TILL, 100, extra, HELD_SAMPLES);
    await preloadTo(page, 300, take);
    const held300 = await heldScans(page, cdp, TILL, 300, extra, HELD_SAMPLES);

    // Baselines: a fresh page for each list size.
    const plainPage = async (rows) => {
      const plain = await browser.newPage({ viewport: { width: 1366, height: 768 } });
      await plain.setContent(baselinePage(rows));
      return { plain, plainCdp: await plain.context().newCDPSession(plain) };
    };
    let { plain, plainCdp } = await plainPage(0);
    const baseGrowing = [];
    for (let i = 0; i < GROWING_LINES * GROWING_SALES; i++) baseGrowing.push(await scanOnce(plain, plainCdp, PLAIN, i, codes[i]));
    ({ plain, plainCdp } = await plainPage(100));
    const base100 = await heldScans(plain, plainCdp, PLAIN, 100, extra, HELD_SAMPLES);
    ({ plain, plainCdp } = await plainPage(300));
    const base300 = await heldScans(plain, plainCdp, PLAIN, 300, extra, HELD_SAMPLES);
    ({ plain, plainCdp } = await plainPage(READY_LINES));
    const baseReady = [];
    for (let i = 0; i < READY_SALES; i++) {
      await plain.evaluate(() => window.__newSale());
      baseReady.push(await measure(plain, { present: ['#checkout'] }, () => plain.keyboard.press('Enter')));
    }

    console.error(
      `bench: sale to ready after a 100-line sale: ${summary(readyBig)
        .hits.map((t) => t.toFixed(1))
        .join(', ')} ms`,
    );
    return [
      timedEntry('scan-to-line-p50', 50, growing, baseGrowing, 25),
      timedEntry('scan-to-line-p95', 95, growing, baseGrowing, 50),
      timedEntry('scan-to-line-p95-100-lines', 95, held100, base100, 25),
      timedEntry('scan-to-line-p95-300-lines', 95, held300, base300, 25),
      timedEntry('sale-to-ready-p50', 50, ready, baseReady, 50),
      timedEntry('sale-to-ready-p95', 95, ready, baseReady, 100),
    ];
  } finally {
    await browser.close();
    await stop(child);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.table(await benchScanToLine({ root: join(import.meta.dirname, '..') }));
}
