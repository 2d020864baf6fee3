// Chromium for the benchmarks that drive the till as a cashier does (scan-to-line, register-start).
import Database from 'better-sqlite3';
import { chromium } from '@playwright/test';

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function launchChromium() {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ARGS, timeout: 60_000 });
}

/** A keyboard wedge: the code and Enter, stamped 3 ms apart and sent together (tests/e2e/till-steps.ts does the same). */
export async function wedge(cdp, code) {
  const start = Date.now() / 1000;
  await Promise.all(
    [...code, 'Enter'].flatMap((key, index) => {
      const timestamp = start + index * 0.003;
      const enter = key === 'Enter';
      const info = { key, code: enter ? 'Enter' : `Digit${key}`, windowsVirtualKeyCode: enter ? 13 : key.charCodeAt(0) };
      const text = enter ? '\r' : key;
      return [
        cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', ...info, text, unmodifiedText: text, timestamp }),
        cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', ...info, timestamp: timestamp + 0.001 }),
      ];
    }),
  );
}

/** Cashier 1 (PIN 1234) logs in on the PIN pad; resolves when the scan field is up (bounded). */
export async function loginAsCashier(page, timeout = 30_000) {
  await page.getByTestId('login-staff-1').click({ timeout });
  for (const digit of '1234') await page.getByTestId(`pin-key-${digit}`).click({ timeout });
  await page.getByTestId('pin-enter').click({ timeout });
  await page.getByTestId('scan-input').waitFor({ timeout });
}

/**
 * On this shared, loaded machine CDP delivers a burst's keys further apart than a USB scanner's
 * (the wedge detector's settle timer then splits a scan into typing), so the benches give the
 * register's wedge detector a 150 ms inter-key gap (setting `scanner.wedge`, as a shop with a slow
 * scanner would). What is timed starts at the suffix Enter, which the gap does not change.
 */
export function allowSlowWedgeBursts(registerDbFile) {
  const db = new Database(registerDbFile, { timeout: 10_000 });
  try {
    const value = JSON.stringify({ maxInterKeyMs: 150, minLength: 6, suffix: 'Enter', repeatAddsUnit: true, repeatWindowMs: 800 });
    db.prepare("INSERT INTO setting (key, value) VALUES ('scanner.wedge', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(
      value,
    );
  } finally {
    db.close();
  }
}

/**
 * The probe's `ready` for a scan into the till's cart holding `before` lines: the list says it
 * holds one more and the new line's row is in the DOM. (A long cart keeps only the rows around the
 * visible part in the DOM, src/renderer/components/cart-window.ts, so rows are not counted.)
 */
export const tillLineLanded = (before) => ({
  present: [`[data-testid="cart-lines"][data-line-count="${before + 1}"] [data-testid="cart-line-${before}"]`],
});

/** The probe's `ready` for the till's cart holding exactly `count` (> 0) lines. */
export const tillHolding = (count) => ({ present: [`[data-testid="cart-lines"][data-line-count="${count}"]`] });
