// scan-to-line-p95: a keyboard-wedge scan typed into Chromium until its line is in the cart on
// screen, with 100 lines already in the cart: the real renderer, WebSocket, core and SQLite.
// Measured inside the page, from the scanner's suffix keydown (Enter: the burst is complete, so the
// scanner's own typing time, and here the test harness's per-key round trips, are not counted) to
// the frame after the new line appears.
// Baseline: the same keystrokes into a plain page that appends a row to a 100-row list on Enter
// (the browser's own floor for keys → DOM), in the same browser, same run.
/* global window -- page.evaluate callbacks run in the browser */
import { chromium } from '@playwright/test';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { entry, percentile, spawnUntil, stop } from './lib.mjs';

const PRELOADED = 100;
const SCANS = 40;
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/**
 * Installed before the page's own scripts, so its keydown listener runs first (the app's wedge
 * handler may stop propagation). `__measureScan(selector)` arms it and resolves with ms from the
 * Enter keydown to the frame after the `selector` count grows.
 */
const PROBE = `(() => {
  let armed = null;
  window.addEventListener('keydown', (e) => { if (armed && armed.started === null && e.key === 'Enter') armed.started = e.timeStamp; }, { capture: true });
  window.__measureScan = (selector) => new Promise((resolve) => {
    const before = document.querySelectorAll(selector).length;
    armed = { started: null };
    const probe = armed;
    const observer = new MutationObserver(() => {
      if (probe.started !== null && document.querySelectorAll(selector).length > before) {
        observer.disconnect();
        armed = null;
        requestAnimationFrame(() => resolve(performance.now() - probe.started));
      }
    });
    observer.observe(document.documentElement, { childList: true, subtree: true });
  });
})();`;

const BASELINE_PAGE = `<!doctype html><meta charset="utf-8"><script>${PROBE}</script><body><div id="list"></div><script>
  const list = document.getElementById('list');
  for (let i = 0; i < ${PRELOADED}; i++) { const d = document.createElement('div'); d.className = 'row'; d.textContent = 'row ' + i; list.append(d); }
  let buffer = '';
  window.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') { const d = document.createElement('div'); d.className = 'row'; d.textContent = buffer; list.append(d); buffer = ''; }
    else if (e.key.length === 1) buffer += e.key;
  });
</script>`;

async function scanTimes(page, codes, selector) {
  const times = [];
  for (const code of codes) {
    // Arm the probe first, then type: keys sent before it is armed would be missed.
    await page.evaluate((sel) => {
      window.__scan = window.__measureScan(sel);
    }, selector);
    await page.keyboard.type(code, { delay: 0 });
    await page.keyboard.press('Enter');
    times.push(await page.evaluate(() => window.__scan));
  }
  return times;
}

export async function benchScanToLine({ root }) {
  const store = JSON.parse(readFileSync(join(root, 'assets', 'demo', 'store.json'), 'utf8'));
  const codes = store.products.flatMap((p) => p.barcodes.filter((b) => b.startsWith('489')).slice(0, 1)).slice(0, PRELOADED + SCANS);
  const dataDir = mkdtempSync(join(tmpdir(), 'suanpan-bench-scan-'));
  const { child, match } = await spawnUntil([join(root, 'dist', 'host', 'cli.js'), '--data-dir', dataDir, '--port', '0', '--demo'], /(http:\/\/127\.0\.0\.1:\d+\/)/);
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await page.addInitScript(PROBE);
    await page.goto(match[1]);
    await page.getByTestId('login-staff-1').click();
    for (const digit of '1234') await page.getByTestId(`pin-key-${digit}`).click();
    await page.getByTestId('pin-enter').click();
    await page.getByTestId('scan-input').waitFor();
    await page.evaluate(async (preload) => {
      for (const code of preload) {
        const result = await window.pos['cart:scan']({ code });
        if (!result.ok) throw new Error(`${code}: ${result.error.message}`);
      }
    }, codes.slice(0, PRELOADED));
    await page.reload();
    await page.getByTestId(`cart-line-${PRELOADED - 1}`).waitFor({ state: 'attached' });
    await page.getByTestId('store-name').click(); // focus away from the scan field, as at a real till
    const register = await scanTimes(page, codes.slice(PRELOADED), '[data-testid^="cart-line-qty-"]');

    const plain = await browser.newPage();
    await plain.setContent(BASELINE_PAGE);
    const baseline = await scanTimes(plain, codes.slice(PRELOADED), '.row');
    return [entry('scan-to-line-p95', 'ms', percentile(register, 95), percentile(baseline, 95), 50)];
  } finally {
    await browser.close();
    await stop(child);
    rmSync(dataDir, { recursive: true, force: true });
  }
}
