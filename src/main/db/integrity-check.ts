/**
 * `PRAGMA quick_check` reads every page: on a 200,000-product register (about 300 MB) that is
 * seconds, on 1,000,000 products (1.5 GB) tens of seconds on a busy PC, so it runs in a child
 * process of its own with a read-only connection while the register already serves. A damaged file
 * is reported (log + status), never silently used.
 *
 * A process, not a worker thread: SQLite's read cannot be interrupted from JavaScript, and a worker
 * thread busy in it kept the register from exiting (a SIGTERM at 1,000,000 products waited 11–13 s
 * for the read to finish). A process is killed at once when the register closes.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

const CHECK_SOURCE = `
const { file, driver, full } = JSON.parse(process.argv[1]);
const Database = require(driver);
let problems;
try {
  // A long busy timeout: nothing here is waited for by anyone (the register serves meanwhile).
  const db = new Database(file, { readonly: true, fileMustExist: true, timeout: 60000 });
  try {
    // One pass over every page: a cache would only hold memory (better-sqlite3's default is 16 MiB).
    db.pragma('cache_size = -256');
    const pragma = full ? 'integrity_check' : 'quick_check';
    problems = db.pragma(pragma).map((row) => row[pragma]).filter((result) => result !== 'ok');
  } finally {
    db.close();
  }
} catch (error) {
  problems = [String(error && error.message ? error.message : error)];
}
process.stdout.write(JSON.stringify(problems));
`;

export interface IntegrityCheck {
  /** The problems the check found; empty when the file is sound. Never settles once cancelled. */
  result: Promise<string[]>;
  /** Stops the check at once (the register is closing); resolves when its process has exited. */
  cancel(): Promise<void>;
}

/** `full`: PRAGMA integrity_check (also checks indexes against their tables; the diagnostics bundle), else quick_check. */
export function checkIntegrityInBackground(file: string, options: { full?: boolean } = {}): IntegrityCheck {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const child = spawn(process.execPath, ['-e', CHECK_SOURCE, JSON.stringify({ file, driver, full: options.full === true })], {
    // Electron's binary runs as plain Node for this (better-sqlite3 is built for its ABI).
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    windowsHide: true,
  });
  // Kept referenced: a caller awaiting the result (npm run diagnostics) stays alive for it; the
  // register kills it when it closes.
  let cancelled = false;
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<void>((resolve) => {
    child.once('close', () => resolve());
    child.once('error', () => resolve());
  });
  const result = new Promise<string[]>((resolve) => {
    child.once('error', (error) => {
      if (!cancelled) resolve([`integrity check failed to run: ${error.message}`]);
    });
    child.once('close', (code, signal) => {
      if (cancelled) return;
      try {
        resolve(JSON.parse(out) as string[]);
      } catch {
        resolve([`integrity check failed to run (exit ${code ?? signal}): ${err.trim().slice(0, 500)}`]);
      }
    });
  });
  return {
    result,
    cancel: () => {
      cancelled = true;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      return exited;
    },
  };
}
