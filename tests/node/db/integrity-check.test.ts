import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
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
