/**
 * The database check's process (integrity-check.ts starts it, as dist/db/integrity-child.js):
 * `PRAGMA quick_check` (or the full `integrity_check`) on a read-only connection; answers with the
 * problems found, none when the file is sound.
 */
import Database from 'better-sqlite3';
import { constants, setPriority } from 'node:os';
import { answerAndExit, readChildInput } from '../process/child-io';

/**
 * The lowest CPU priority: the check reads every page (1.6 s of CPU at 200,000 products), and on a
 * two-core till it ran while the page booted and the first PIN was hashed, slowing both
 * (register-start). At this priority it takes only the CPU nothing else wants; it still finishes.
 */
function yieldToTheTill(): void {
  try {
    setPriority(constants.priority.PRIORITY_LOW);
  } catch {
    // not allowed here: the check runs at normal priority, as before
  }
}

function check({ file, full }: { file: string; full: boolean }): string[] {
  try {
    // A long busy timeout: nothing here is waited for by anyone (the register serves meanwhile).
    const db = new Database(file, { readonly: true, fileMustExist: true, timeout: 60_000 });
    try {
      // One pass over every page: a cache would only hold memory (better-sqlite3's default is 16 MiB).
      db.pragma('cache_size = -256');
      const pragma = full ? 'integrity_check' : 'quick_check';
      return (db.pragma(pragma) as Record<string, string>[]).map((row) => row[pragma] ?? '').filter((result) => result !== 'ok');
    } finally {
      db.close();
    }
  } catch (error) {
    return [error instanceof Error ? error.message : String(error)];
  }
}

yieldToTheTill();
answerAndExit(check(JSON.parse(await readChildInput()) as { file: string; full: boolean }));
