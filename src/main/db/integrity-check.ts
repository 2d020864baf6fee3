/**
 * `PRAGMA quick_check` reads every page: on a 200,000-product register (about 300 MB) that is
 * seconds, so it runs on a worker thread with its own read-only connection while the register
 * already serves. A damaged file is reported (log + status), never silently used.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
let problems;
try {
  const db = new Database(workerData.file, { readonly: true, fileMustExist: true });
  try {
    const pragma = workerData.full ? 'integrity_check' : 'quick_check';
    problems = db.pragma(pragma).map((row) => row[pragma]).filter((result) => result !== 'ok');
  } finally {
    db.close();
  }
} catch (error) {
  problems = [String(error && error.message ? error.message : error)];
}
parentPort.postMessage(problems);
`;

export interface IntegrityCheck {
  /** The problems quick_check found; empty when the file is sound. */
  result: Promise<string[]>;
  /** Stops waiting (the register is closing); the worker exits when its read finishes. */
  cancel(): void;
}

/** `full`: PRAGMA integrity_check (also checks indexes against their tables; the diagnostics bundle), else quick_check. */
export function checkIntegrityInBackground(file: string, options: { full?: boolean } = {}): IntegrityCheck {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver, full: options.full === true } });
  worker.unref();
  const result = new Promise<string[]>((resolve) => {
    worker.once('message', (problems: string[]) => resolve(problems));
    worker.once('error', (error) => resolve([`integrity check failed to run: ${error.message}`]));
  });
  return { result, cancel: () => void worker.terminate() };
}
