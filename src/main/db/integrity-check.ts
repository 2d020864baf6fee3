/**
 * `PRAGMA quick_check` reads every page: on a 200,000-product register (about 300 MB) that is
 * seconds, on 1,000,000 products (1.5 GB) tens of seconds on a busy PC, so it runs in a process of
 * its own (dist/db/integrity-child.js, src/main/process/node-child.ts) with a read-only connection
 * while the register already serves. A damaged file is reported (log + status), never silently used.
 *
 * A process, not a worker thread: SQLite's read cannot be interrupted from JavaScript, and a worker
 * thread busy in it kept the register from exiting (a SIGTERM at 1,000,000 products waited 11–13 s
 * for the read to finish). A process is killed at once when the register closes.
 */
import { join } from 'node:path';
import { appPaths } from '../app-paths';
import { childAnswer, startChild } from '../process/node-child';

/** A quick check at 1,000,000 products on a busy PC takes tens of seconds; a full one longer. */
const CHECK_BOUND_MS = 60 * 60_000;

export interface IntegrityCheck {
  /** The problems the check found; empty when the file is sound. Never settles once cancelled. */
  result: Promise<string[]>;
  /** Stops the check at once (the register is closing); resolves when its process has exited. */
  cancel(): Promise<void>;
}

/** `full`: PRAGMA integrity_check (also checks indexes against their tables; the diagnostics bundle), else quick_check. */
export function checkIntegrityInBackground(file: string, options: { full?: boolean } = {}): IntegrityCheck {
  // Kept referenced: a caller awaiting the result (npm run diagnostics) stays alive for it; the
  // register kills it when it closes.
  const child = startChild(join(appPaths().root, 'dist', 'db', 'integrity-child.js'), [], {
    input: JSON.stringify({ file, full: options.full === true }),
    timeoutMs: CHECK_BOUND_MS,
  });
  let cancelled = false;
  const exited = child.result.then(() => undefined);
  const result = new Promise<string[]>((resolve) => {
    void child.result.then((run) => {
      if (cancelled) return;
      const answer = childAnswer<string[]>(run, 'the integrity check', CHECK_BOUND_MS);
      resolve(answer.ok ? answer.value : [answer.reason]);
    });
  });
  return {
    result,
    cancel: () => {
      cancelled = true;
      child.kill();
      return exited;
    },
  };
}
