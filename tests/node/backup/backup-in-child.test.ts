/**
 * The register's backups are made by a process of their own (backup-in-child.ts), so the buffers a
 * 300 MB archive streams through never stay in the kiosk host's resident set. What crosses between
 * the two processes: the options and the key on the child's stdin (never its command line), and
 * the backup or a typed error back on its stdout; a child that dies or hangs is a BACKUP_FAILED.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deriveBackupKey, extractArchive } from '../../../src/main/backup/backup-archive';
import { makeBackupInChild } from '../../../src/main/backup/backup-in-child';
import { DEMO_MANAGER } from '../helpers/demo-register';
import { useDemoRegisters } from '../helpers/register-session';
import { useTempDirs } from '../helpers/temp-dir';

const tempDir = useTempDirs();
const openRegister = useDemoRegisters();

/** A stand-in for dist/backup/backup-child.js running `source` (ESM). */
function fakeChild(source: string): string {
  const file = join(tempDir(), 'child.mjs');
  writeFileSync(file, source);
  return file;
}

const options = (dir: string) => ({
  dataDir: dir,
  dbFile: join(dir, 'register.db'),
  folder: join(dir, 'backups'),
  kind: 'manual' as const,
  appVersion: '0.1.0',
  now: Date.UTC(2026, 11, 4, 8),
});

describe('a backup in a process of its own', () => {
  it('makes an encrypted backup of a running register that opens with the key', async () => {
    const session = await openRegister({ staff: DEMO_MANAGER });
    const cart = await session.call<{ id: number; total: number }>('cart:scan', { code: '4891234000012' });
    const receipt = await session.call<{ receiptNo: string }>('sale:complete', {
      cartId: cart.id,
      tenders: [{ method: 'cash', amount: cart.total }],
    });
    const key = await deriveBackupKey('correct horse battery');
    const info = await makeBackupInChild({ ...options(session.dataDir), key });
    expect(info.manifest).toMatchObject({ kind: 'manual', lastReceiptNo: receipt.receiptNo });
    expect(info.manifest.encryption).not.toBeNull();
    const { manifest } = await extractArchive({ file: info.file, dbOut: null, passphrase: 'correct horse battery' });
    expect(manifest.sha256).toBe(info.manifest.sha256);
  });

  it('a database that is not there comes back as BACKUP_FAILED with the reason, not a crash', async () => {
    const dir = tempDir();
    await expect(makeBackupInChild({ ...options(dir), key: null })).rejects.toMatchObject({
      code: 'BACKUP_FAILED',
      message: expect.stringMatching(/register\.db|unable to open|copy/i) as unknown as string,
    });
  });

  it('the key reaches the child on its stdin, never on its command line', async () => {
    const key = await deriveBackupKey('correct horse battery');
    const child = fakeChild(`
      let input = '';
      for await (const chunk of process.stdin) input += chunk;
      process.stdout.write(JSON.stringify({ ok: false, code: 'BACKUP_INVALID', message: JSON.stringify({ argv: process.argv, input: JSON.parse(input) }) }));
    `);
    const error = (await makeBackupInChild({ ...options(tempDir()), key }, child).catch((e: unknown) => e)) as {
      code: string;
      message: string;
    };
    expect(error.code).toBe('BACKUP_INVALID');
    const seen = JSON.parse(error.message) as { argv: string[]; input: { key: { key: string; salt: string } } };
    expect(seen.input.key).toEqual({ key: key.key.toString('base64'), salt: key.salt.toString('base64') });
    expect(seen.argv.join(' ')).not.toContain(key.key.toString('base64'));
  });

  it('a child that dies says how; one that hangs is killed at its bound; an unknown error code is BACKUP_FAILED', async () => {
    const dies = fakeChild(`process.stderr.write('out of memory'); process.exit(3);`);
    await expect(makeBackupInChild({ ...options(tempDir()), key: null }, dies)).rejects.toMatchObject({
      code: 'BACKUP_FAILED',
      message: expect.stringContaining('exit 3') as unknown as string,
    });
    const hangs = fakeChild(`setInterval(() => {}, 1000);`);
    await expect(makeBackupInChild({ ...options(tempDir()), key: null, timeoutMs: 200 }, hangs)).rejects.toMatchObject({
      code: 'BACKUP_FAILED',
      message: expect.stringContaining('did not finish') as unknown as string,
    });
    const odd = fakeChild(`process.stdout.write(JSON.stringify({ ok: false, code: 'SOMETHING_ELSE', message: 'odd' }));`);
    await expect(makeBackupInChild({ ...options(tempDir()), key: null }, odd)).rejects.toMatchObject({
      code: 'BACKUP_FAILED',
      message: 'odd',
    });
  });
});
