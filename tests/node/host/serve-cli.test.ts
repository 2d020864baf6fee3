import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../helpers/temp-dir';
import { stopChild } from '../../support/bounded.mjs';
import { hostArgs } from '../../support/host-command.mjs';
import { runServe, startServe } from '../../support/serve-process';

const tempDir = useTempDirs();

/** The pids of `parent`'s child processes whose command line holds `needle` (read from /proc). */
function childProcesses(parent: number, needle: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // stat: "pid (comm) state ppid …"; comm may hold spaces, so read after its closing parenthesis
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parent && readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(needle)) found.push(Number(entry));
    } catch {
      // the process ended while we read it
    }
  }
  return found;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

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

  it('a SIGTERM while it is still starting stops it cleanly: exit 0, the lock released, the database check ended with it', async () => {
    const dataDir = tempDir();
    await stopChild((await startServe(['--data-dir', dataDir, '--port', '0', '--demo'])).child, 'the first kiosk host');
    const child = spawn(process.execPath, hostArgs(process.cwd(), ['--data-dir', dataDir, '--port', '0', '--demo']), {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // the database check's process starts while the register is being built: stop the host then
    const deadline = Date.now() + 30_000;
    let checks: number[] = [];
    while (checks.length === 0 && !out.includes('ready') && Date.now() < deadline) {
      checks = childProcesses(child.pid as number, 'integrity-child');
      if (checks.length === 0) await new Promise((resolve) => setTimeout(resolve, 2));
    }
    expect(checks, `the database check never started; the host printed:\n${out}`).toHaveLength(1);
    expect(out).not.toContain('ready');
    expect(await stopChild(child, 'the starting kiosk host')).toBe(0);
    expect(await exited).toBe(0);
    expect(out).toContain('stopped cleanly');
    expect(existsSync(join(dataDir, 'register.lock'))).toBe(false);
    const check = checks[0] as number;
    const checkDeadline = Date.now() + 5_000;
    while (alive(check) && Date.now() < checkDeadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(alive(check)).toBe(false);
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
