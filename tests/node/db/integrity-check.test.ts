import { closeSync, openSync, readdirSync, readlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { withTimeout } from '../../support/bounded.mjs';
import { openDatabase } from '../../../src/main/db/open';
import { checkIntegrityInBackground } from '../../../src/main/db/integrity-check';
import type { Register } from '../../../src/main/register';
import { useTempDirs } from '../helpers/temp-dir';
import { openDemoRegister } from '../helpers/demo-register';

const tempDir = useTempDirs();
let register: Register | null = null;
afterEach(() => {
  register?.close();
  register = null;
});

/** How many open files, in every process on this machine, are `file` (Linux: /proc/<pid>/fd). */
function timesOpen(file: string): number {
  let count = 0;
  for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // gone, or not ours to read
    }
    for (const fd of fds) {
      try {
        if (readlinkSync(`/proc/${pid}/fd/${fd}`) === file) count += 1;
      } catch {
        // closed meanwhile
      }
    }
  }
  return count;
}

function databaseWithRows(file: string): void {
  const db = openDatabase(file);
  db.exec('CREATE TABLE t (x TEXT)');
  const insert = db.prepare('INSERT INTO t VALUES (?)');
  for (let i = 0; i < 2000; i++) insert.run(`row ${i} ${'x'.repeat(100)}`);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

describe('the background integrity check', () => {
  it('finds nothing wrong with a sound file', async () => {
    const file = join(tempDir(), 'register.db');
    databaseWithRows(file);
    expect(await checkIntegrityInBackground(file).result).toEqual([]);
  });

  it('reports a damaged file instead of throwing', async () => {
    const file = join(tempDir(), 'register.db');
    databaseWithRows(file);
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(8192, 0xab), 0, 8192, 4096 * 3);
    closeSync(fd);
    const problems = await checkIntegrityInBackground(file).result;
    expect(problems.length).toBeGreaterThan(0);
  });

  it('is stopped at once when the register closes, even while SQLite is still busy reading', async () => {
    const file = join(tempDir(), 'register.db');
    databaseWithRows(file);
    // Another connection holds the file exclusively: the check's read waits on it, in SQLite's own
    // code, where a worker thread could not be stopped (it kept the register from exiting).
    const holder = new Database(file);
    holder.pragma('locking_mode = EXCLUSIVE');
    holder.exec('BEGIN EXCLUSIVE');
    try {
      expect(timesOpen(file)).toBe(1);
      const check = checkIntegrityInBackground(file);
      let settled = false;
      void check.result.then(() => (settled = true));
      await expect.poll(() => timesOpen(file), { timeout: 20_000 }).toBe(2); // the check has opened it and waits
      await withTimeout(check.cancel(), 20_000, 'the check to stop when cancelled');
      expect(timesOpen(file)).toBe(1); // nobody reads it any more but the holder
      expect(settled).toBe(false); // a cancelled check reports nothing
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
  });

  it('a register starts while checking, then says its database is ok', async () => {
    register = await openDemoRegister(tempDir());
    const first = await register.dispatch('register:status', {});
    expect(first.ok && ['checking', 'ok'].includes((first.value as { database: string }).database)).toBe(true);
    await expect
      .poll(async () => {
        const status = await register!.dispatch('register:status', {});
        return status.ok ? (status.value as { database: string }).database : 'error';
      })
      .toBe('ok');
  });
});
