/**
 * `npm run backup` / `npm run restore` as IT runs them (built the way scripts/build-main.mjs builds
 * dist/backup/cli.js), a backup killed half-way, and the till's event loop while a large database is
 * backed up.
 */
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { listBackups, makeBackup } from '../../../src/main/backup/backup-files';
import { runNodeScript } from '../../support/serve-process';
import { DEMO_MANAGER } from '../helpers/demo-register';
import { useDemoRegisters } from '../helpers/register-session';
import { useBuiltCli } from '../helpers/built-cli';

const builtCli = useBuiltCli('src/main/backup/backup-cli.ts');
const openRegister = useDemoRegisters();

const runCli = (...args: string[]) => runNodeScript(builtCli(), args);

/** Adds `mib` MiB of incompressible rows, so a backup takes long enough to kill and to measure. */
function grow(dbFile: string, mib: number): void {
  const db = new Database(dbFile);
  try {
    db.exec('CREATE TABLE IF NOT EXISTS filler (id INTEGER PRIMARY KEY, data BLOB NOT NULL)');
    const insert = db.prepare('INSERT INTO filler (data) VALUES (randomblob(65536))');
    db.transaction(() => {
      for (let i = 0; i < mib * 16; i++) insert.run();
    })();
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
}

describe('npm run backup / restore (the built CLI)', () => {
  it('backs up a running register, lists it, refuses to restore while it runs, restores once stopped', async () => {
    const session = await openRegister({ staff: DEMO_MANAGER });
    const made = await runCli('--data-dir', session.dataDir);
    expect(made).toMatchObject({ code: 0, stdout: expect.stringContaining('integrity checked') });
    const listed = await runCli('list', '--data-dir', session.dataDir);
    expect(listed.code).toBe(0);
    const [backup] = await listBackups(join(session.dataDir, 'backups'));
    expect(listed.stdout).toContain(backup!.name);

    const running = await runCli('restore', '--data-dir', session.dataDir, '--from', backup!.file, '--yes');
    expect(running.code).toBe(1);
    expect(running.stderr).toContain('DATA_DIR_IN_USE');
    session.close();
    const restored = await runCli('restore', '--data-dir', session.dataDir, '--from', backup!.file, '--yes');
    expect(restored).toMatchObject({ code: 0, stdout: expect.stringContaining('ok: restored') });
    expect(readdirSync(join(session.dataDir, 'backups')).some((name) => name.endsWith('-pre-restore.spbak'))).toBe(true);
  });

  it('a usage mistake is exit 2; a file that is not a backup is exit 1 with BACKUP_INVALID', async () => {
    expect((await runCli('restore', '--from', 'x')).code).toBe(2);
    const notData = dirname(builtCli());
    expect((await runCli('frobnicate', '--data-dir', notData)).code).toBe(2);
    const notBackup = await runCli('restore', '--data-dir', notData, '--from', builtCli(), '--yes');
    expect(notBackup).toMatchObject({ code: 1, stderr: expect.stringContaining('BACKUP_INVALID') });
  });

  it('a backup killed half-way leaves no file that looks like a backup; the database is intact and the next backup cleans up', async () => {
    const session = await openRegister();
    session.close();
    const dbFile = join(session.dataDir, 'register.db');
    grow(dbFile, 64);
    const folder = join(session.dataDir, 'backups');
    const child = spawn(process.execPath, [builtCli(), '--data-dir', session.dataDir], { stdio: 'ignore' });
    // Killed once its work has visibly started (the snapshot copy or the partial archive is there).
    const deadline = Date.now() + 30_000;
    while (!(existsSync(folder) && readdirSync(folder).some((name) => name.startsWith('.snapshot-') || name.endsWith('.partial')))) {
      if (Date.now() > deadline) throw new Error('the backup never started');
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(await listBackups(folder)).toEqual([]);
    const leftovers = readdirSync(folder);
    expect(leftovers.length).toBeGreaterThan(0);
    const db = new Database(dbFile, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();

    const info = await makeBackup({
      dataDir: session.dataDir,
      dbFile,
      folder,
      kind: 'manual',
      appVersion: 'test',
      now: Date.now(),
      key: null,
    });
    expect(readdirSync(folder)).toEqual([info.name]);
  });

  it('the event loop keeps answering while a large database is backed up (the till never stalls)', async () => {
    const session = await openRegister({ staff: DEMO_MANAGER });
    grow(session.reg.dbFile, 16);
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const started = Date.now();
    const backup = session.call('backup:create');
    // Sales during the backup complete.
    let sales = 0;
    let done = false;
    void backup.finally(() => (done = true));
    while (!done) {
      const cart = await session.call<{ id: number; total: number }>('cart:scan', { code: '4891234000012' });
      await session.call('sale:complete', { cartId: cart.id, tenders: [{ method: 'cash', amount: cart.total }] });
      sales += 1;
      // A brisk cashier: a sale every 50 ms, each request its own macrotask as from a socket.
      await new Promise((r) => setTimeout(r, 50));
    }
    await backup;
    delay.disable();
    const maxMs = delay.max / 1e6;
    console.log(`backup of ~24 MB: ${Date.now() - started} ms, ${sales} sales meanwhile, event loop max delay ${maxMs.toFixed(1)} ms`);
    expect(sales).toBeGreaterThan(0);
    expect(maxMs).toBeLessThan(1_000);
  }, 180_000);
});
