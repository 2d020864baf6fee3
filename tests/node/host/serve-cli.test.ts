import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../helpers/temp-dir';
import { stopChild } from '../../support/bounded.mjs';
import { runServe, startServe } from '../../support/serve-process';

const tempDir = useTempDirs();

describe('npm run serve (the built kiosk host)', () => {
  it('prints its URL, serves the demo store, and on SIGTERM checkpoints the WAL and exits 0', async () => {
    const dataDir = tempDir();
    const serve = await startServe(['--data-dir', dataDir, '--port', '0', '--demo']);
    expect(serve.stdout()).toMatch(/^Suanpan register ready: http:\/\/127\.0\.0\.1:\d+\/ /);
    const health = (await (await fetch(new URL('/healthz', serve.url))).json()) as { status: { store: { nameZh: string } } };
    expect(health.status.store.nameZh).toBe('算盤士多 旺角店');
    expect(existsSync(join(dataDir, 'register.lock'))).toBe(true);

    expect(await stopChild(serve.child, 'the kiosk host')).toBe(0);
    expect(serve.stdout()).toContain('stopped cleanly');
    const wal = join(dataDir, 'register.db-wal');
    expect(!existsSync(wal) || statSync(wal).size === 0).toBe(true);
    expect(existsSync(join(dataDir, 'register.lock'))).toBe(false);
    const db = new Database(join(dataDir, 'register.db'), { readonly: true });
    expect(db.prepare('SELECT count(*) FROM product').pluck().get()).toBeGreaterThan(50);
    db.close();
  });

  it('seeds the demo store once: a second start keeps the same data', async () => {
    const dataDir = tempDir();
    for (let run = 0; run < 2; run++) {
      const serve = await startServe(['--data-dir', dataDir, '--port', '0', '--demo']);
      expect(await stopChild(serve.child, 'the kiosk host', { signal: 'SIGINT' })).toBe(0);
    }
    const db = new Database(join(dataDir, 'register.db'), { readonly: true });
    expect(db.prepare('SELECT count(*) FROM staff').pluck().get()).toBe(3);
    db.close();
  });

  it('without --demo, a new register gets one manager whose PIN is in a private file, not the log', async () => {
    const dataDir = tempDir();
    const serve = await startServe(['--data-dir', dataDir, '--port', '0']);
    await stopChild(serve.child, 'the kiosk host');
    const pinFile = join(dataDir, 'secrets', 'first-manager-pin.txt');
    expect(statSync(pinFile).mode & 0o777).toBe(0o600);
    expect(serve.stderr()).toContain(pinFile);
  });

  it('refuses a database written by a newer Suanpan, with a clear message', async () => {
    const dataDir = tempDir();
    const db = new Database(join(dataDir, 'register.db'));
    db.pragma('user_version = 999');
    db.close();
    const { code, stderr } = await runServe(['--data-dir', dataDir, '--port', '0']);
    expect(code).toBe(1);
    expect(stderr).toContain('schema version 999');
    expect(stderr).toContain('newer Suanpan');
  });

  it('refuses a second register on the same data folder', async () => {
    const dataDir = tempDir();
    const first = await startServe(['--data-dir', dataDir, '--port', '0', '--demo']);
    const second = await runServe(['--data-dir', dataDir, '--port', '0']);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/Another Suanpan process \(pid \d+\) is already using/);
    expect(await stopChild(first.child, 'the first kiosk host')).toBe(0);
  });

  it('rejects an unknown option and a bad port with usage', async () => {
    expect(await runServe(['--colour'])).toMatchObject({ code: 1 });
    const bad = await runServe(['--port', 'abc', '--data-dir', tempDir()]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--port must be a number');
  });
});
