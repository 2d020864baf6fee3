/**
 * A full disk (issue 11, item 3) is DISK_FULL, not INTERNAL: for real, on a small tmpfs filled to
 * the last page (needs root to mount; CI runs as root), and on SQLite's own SQLITE_FULL
 * (max_page_count) and the kernel's ENOSPC (/dev/full) for the mapping itself.
 */
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createRegister } from '../../../src/main/register';
import { isDiskFull } from '../../../src/main/db/disk-full';
import { silentLogger } from '../../../src/main/log';
import type { RegisterStatus } from '../../../src/shared/schemas';
import type { Cart } from '../../../src/shared/checkout-schemas';
import { snapshotDatabase } from '../helpers/db-snapshot';
import { useDemoRegisters } from '../helpers/register-session';
import { CASHIER, MILK_TEA, WATER } from '../staff/staff-helpers';

const openTill = useDemoRegisters();

function canMountTmpfs(): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  const probe = mkdtempSync(join(tmpdir(), 'suanpan-tmpfs-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}
const realFilesystem = canMountTmpfs();

const mounted: string[] = [];
afterEach(() => {
  for (const dir of mounted.splice(0)) {
    execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  }
});

function smallDisk(megabytes: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'suanpan-small-disk-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${megabytes}m`, 'tmpfs', dir]);
  mounted.push(dir);
  return dir;
}

/** Writes a file until the disk refuses another byte; returns its path (delete it to make room). */
function fillDisk(dir: string): string {
  const file = join(dir, 'filler');
  const fd = openSync(file, 'w');
  // The last write that fits is a partial one, so this fills the disk to its last byte.
  const chunk = Buffer.alloc(1 << 20, 0x55);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
  return file;
}

describe('disk full', () => {
  it('knows SQLite’s SQLITE_FULL and the kernel’s ENOSPC for what they are', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE t (x BLOB)');
    db.pragma(`max_page_count = ${Number(db.pragma('page_count', { simple: true })) + 2}`);
    let sqliteFull: unknown = null;
    try {
      for (let i = 0; i < 100; i++) db.prepare('INSERT INTO t VALUES (?)').run(Buffer.alloc(4096));
    } catch (error) {
      sqliteFull = error;
    }
    db.close();
    expect(sqliteFull).toMatchObject({ code: 'SQLITE_FULL' });
    expect(isDiskFull(sqliteFull)).toBe(true);
    let enospc: unknown = null;
    if (existsSync('/dev/full')) {
      try {
        writeFileSync('/dev/full', 'x');
      } catch (error) {
        enospc = error;
      }
      expect(enospc).toMatchObject({ code: 'ENOSPC' });
      expect(isDiskFull(enospc)).toBe(true);
    }
    expect(isDiskFull(new Error('wrapped', { cause: { code: 'SQLITE_FULL' } }))).toBe(true);
    expect(isDiskFull(Object.assign(new Error('busy'), { code: 'SQLITE_BUSY' }))).toBe(false);
  });

  it.skipIf(!realFilesystem)(
    'answers DISK_FULL on a full disk, shows it in register:status, loses nothing, and recovers once there is room',
    async () => {
      const disk = smallDisk(48);
      const dataDir = join(disk, 'register');
      mkdirSync(dataDir);
      const till = await openTill({ dataDir, staff: CASHIER });
      await till.call<Cart>('cart:scan', { code: MILK_TEA });
      const filler = fillDisk(disk);
      const before = snapshotDatabase(till.reg.dbFile);

      const refused = await till.reg.dispatch('cart:scan', { code: WATER });
      expect(refused).toMatchObject({ ok: false, error: { code: 'DISK_FULL', message: expect.stringContaining('Disk full') } });
      expect(await till.call<RegisterStatus>('register:status')).toMatchObject({ database: 'disk-full' });
      expect(snapshotDatabase(till.reg.dbFile)).toBe(before);
      expect((await till.call<Cart>('cart:get')).lines).toHaveLength(1);

      rmSync(filler);
      await expect
        .poll(async () => (await till.call<RegisterStatus>('register:status')).database, { timeout: 30_000 })
        .not.toBe('disk-full');
      expect((await till.call<Cart>('cart:scan', { code: WATER })).lines).toHaveLength(2);
    },
    180_000,
  );

  it.skipIf(!realFilesystem)('says plainly that a start on a full disk failed for want of space', async () => {
    const disk = smallDisk(2);
    fillDisk(disk);
    const start = createRegister({ dataDir: join(disk, 'register'), log: silentLogger });
    await expect(start).rejects.toMatchObject({
      code: 'DB_DISK_FULL',
      message: expect.stringMatching(/^磁碟已滿 Disk full: the disk holding .* has no space left/),
    });
  });
});
