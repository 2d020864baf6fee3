/**
 * Backups and restore (issue 17) on real files: a backup taken while the register sells is
 * consistent, verified and (with a passphrase) hands out no secret in clear; a restore never
 * reuses a receipt number or an outbox seq, keeps a safety copy, and leaves an audit log that
 * verifies and records the restore.
 */
import Database from 'better-sqlite3';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractArchive, readManifest } from '../../../src/main/backup/backup-archive';
import { listBackups, makeBackup, readBackupKey } from '../../../src/main/backup/backup-files';
import { restoreBackup } from '../../../src/main/backup/restore';
import { loadMigrations } from '../../../src/main/db/migrate';
import { appPaths } from '../../../src/main/app-paths';
import { verifyAuditChain } from '../../../src/main/audit/audit-log';
import { anchorPath } from '../../../src/main/audit/audit-anchor';
import type { ChannelResponse } from '../../../src/shared/channels';
import { DEMO_MANAGER } from '../helpers/demo-register';
import { useDemoRegisters, type RegisterSession } from '../helpers/register-session';
import { useTempDirs } from '../helpers/temp-dir';

const openRegister = useDemoRegisters();
const tempDir = useTempDirs();
const latestSchema = () => loadMigrations(appPaths().migrationsDir).length;

async function sell(session: RegisterSession): Promise<string> {
  const cart = await session.call<{ id: number; total: number }>('cart:scan', { code: '4891234000012' });
  const receipt = await session.call<{ receiptNo: string }>('sale:complete', {
    cartId: cart.id,
    tenders: [{ method: 'cash', amount: cart.total }],
  });
  return receipt.receiptNo;
}

const seqOf = (receiptNo: string) => Number(receiptNo.split('-').at(-1));

function readDb<T>(file: string, read: (db: Database.Database) => T): T {
  const db = new Database(file, { readonly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

describe('backups', () => {
  it('a backup made while selling is checked, read back, and tells its last receipt and unsynced count', async () => {
    const session = await openRegister({ staff: DEMO_MANAGER });
    const first = await sell(session);
    // Sales go on while the backup runs on its worker.
    const running = session.call<ChannelResponse<'backup:create'>>('backup:create');
    const during = [await sell(session), await sell(session)];
    const status = await running;
    expect(status.backups).toHaveLength(1);
    const backup = status.backups[0]!;
    expect(backup.kind).toBe('manual');
    expect(backup.encrypted).toBe(false);
    expect([first, ...during]).toContain(backup.lastReceiptNo);
    expect(backup.unsynced).toBeGreaterThanOrEqual(1);

    // The file reads back into a database that passes integrity_check and holds the sales it names.
    const out = join(tempDir(), 'copy.db');
    const { manifest } = await extractArchive({ file: join(status.folder, backup.name), dbOut: out });
    expect(manifest.secrets).toEqual([]); // without a passphrase no secret leaves with it
    readDb(out, (db) => {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.prepare('SELECT receipt_no FROM sale ORDER BY register_seq DESC LIMIT 1').pluck().get()).toBe(backup.lastReceiptNo);
    });
    // No leftovers beside it.
    expect(readdirSync(status.folder).filter((name) => !name.endsWith('.spbak'))).toEqual([]);
  });

  it('with a passphrase the backup is encrypted, carries the secrets, and shows neither the pepper nor the database in clear', async () => {
    const session = await openRegister({ staff: DEMO_MANAGER });
    await sell(session);
    await session.call('backup:set-passphrase', { passphrase: 'correct horse battery' });
    const status = await session.call<ChannelResponse<'backup:create'>>('backup:create');
    expect(status.keySet).toBe(true);
    const file = join(status.folder, status.backups[0]!.name);
    const bytes = readFileSync(file);
    const pepper = readFileSync(join(session.dataDir, 'secrets', 'pin-pepper'));
    expect(bytes.includes(pepper)).toBe(false);
    expect(bytes.includes(Buffer.from('SQLite format 3'))).toBe(false);
    const { manifest } = await readManifest(file);
    expect(manifest.encryption?.cipher).toBe('aes-256-gcm');
    expect(manifest.secrets).toEqual(['audit-key', 'pin-pepper']);

    // Another PC: the right passphrase opens it, a wrong one or none is BACKUP_PASSPHRASE.
    await expect(extractArchive({ file, dbOut: null })).rejects.toMatchObject({ code: 'BACKUP_PASSPHRASE' });
    await expect(extractArchive({ file, dbOut: null, passphrase: 'wrong horse' })).rejects.toMatchObject({ code: 'BACKUP_PASSPHRASE' });
    const { secrets } = await extractArchive({ file, dbOut: null, passphrase: 'correct horse battery' });
    expect(secrets['pin-pepper']!.equals(pepper)).toBe(true);

    // One flipped byte in the payload: refused, never restored.
    const damaged = join(tempDir(), 'damaged.spbak');
    bytes[bytes.length - 100]! ^= 0xff;
    writeFileSync(damaged, bytes);
    await expect(extractArchive({ file: damaged, dbOut: null, passphrase: 'correct horse battery' })).rejects.toMatchObject({
      code: 'BACKUP_INVALID',
    });
  });

  it('a second request while a backup runs is BACKUP_BUSY; bad settings are BAD_REQUEST', async () => {
    const session = await openRegister({ staff: DEMO_MANAGER });
    const results = await Promise.all([session.reg.dispatch('backup:create', {}), session.reg.dispatch('backup:create', {})]);
    expect(results.map((r) => (r.ok ? 'ok' : r.error.code)).sort()).toEqual(['BACKUP_BUSY', 'ok']);
    const bad = await session.reg.dispatch('backup:save-settings', {
      scheduled: true,
      intervalMinutes: 1,
      keepRecent: 48,
      keepDays: 14,
      secondFolder: 'relative/folder',
    });
    expect(bad.ok ? null : bad.error.code).toBe('BAD_REQUEST');
    const cashier = await openRegister({ staff: { id: 1, pin: '1234' } });
    const refused = await cashier.reg.dispatch('backup:status', {});
    expect(refused.ok ? null : refused.error.code).toBe('FORBIDDEN');
  });

  it('a second folder gets only encrypted backups', async () => {
    const session = await openRegister({ staff: DEMO_MANAGER });
    const usb = tempDir();
    const settings = { scheduled: true, intervalMinutes: 60, keepRecent: 48, keepDays: 14, secondFolder: usb };
    await session.call('backup:save-settings', settings);
    await session.call('backup:create');
    expect(readdirSync(usb)).toEqual([]);
    await session.call('backup:set-passphrase', { passphrase: 'usb-stick-2026' });
    const status = await session.call<ChannelResponse<'backup:status'>>('backup:create');
    expect(readdirSync(usb).filter((name) => name.endsWith('.spbak'))).toHaveLength(1);
    expect(status.backups.filter((b) => b.where === 'second')).toHaveLength(1);
  });
});

describe('restore', () => {
  it('from the back office: needs the typed word, keeps a safety copy, never reuses a receipt number, and the audit log records it', async () => {
    const session = await openRegister({ staff: DEMO_MANAGER });
    await sell(session);
    const status = await session.call<ChannelResponse<'backup:create'>>('backup:create');
    const backup = status.backups[0]!;
    const after = [await sell(session), await sell(session), await sell(session)];

    const unconfirmed = await session.reg.dispatch('backup:restore', { name: backup.name, where: 'local', confirm: 'yes' });
    expect(unconfirmed.ok ? null : unconfirmed.error.code).toBe('RESTORE_REFUSED');
    const foreign = await session.reg.dispatch('backup:restore', { name: '../register.spbak', where: 'local', confirm: '還原' });
    expect(foreign.ok ? null : foreign.error.code).toBe('BAD_REQUEST');

    const result = await session.call<ChannelResponse<'backup:restore'>>('backup:restore', {
      name: backup.name,
      where: 'local',
      confirm: '還原',
    });
    expect(result.receiptFloor).toBe(seqOf(after.at(-1)!));
    expect(result.safetyCopy).toMatch(/pre-restore\.spbak$/);
    expect(existsSync(result.safetyCopy!)).toBe(true);

    // The register runs again on the restored data: logged out, and the next sale goes on after the
    // highest number ever printed, not after the backup's.
    const loggedOut = await session.reg.dispatch('cart:get', {});
    expect(loggedOut.ok ? null : loggedOut.error.code).toBe('NOT_LOGGED_IN');
    await session.as(DEMO_MANAGER);
    const next = await sell(session);
    expect(seqOf(next)).toBe(seqOf(after.at(-1)!) + 1);
    readDb(join(session.dataDir, 'register.db'), (db) => {
      expect(db.prepare('SELECT count(*) FROM sale WHERE receipt_no = ?').pluck().get(after[0])).toBe(0); // rolled back
      const kinds = db.prepare("SELECT kind FROM audit_log WHERE kind LIKE 'backup.%' ORDER BY seq").pluck().all();
      expect(kinds.at(-1)).toBe('backup.restored');
      const key = readFileSync(join(session.dataDir, 'secrets', 'audit-key'));
      expect(verifyAuditChain(db, key, anchorPath(session.dataDir))).toMatchObject({ ok: true });
    });
  });

  it('a restore and a backup asked for together exclude each other: the second is BACKUP_BUSY, never INTERNAL', async () => {
    const session = await openRegister({ staff: DEMO_MANAGER });
    await sell(session);
    const backup = (await session.call<ChannelResponse<'backup:create'>>('backup:create')).backups[0]!;
    const restoreRequest = { name: backup.name, where: 'local', confirm: '還原' };

    const restoreFirst = await Promise.all([
      session.reg.dispatch('backup:restore', restoreRequest),
      session.reg.dispatch('backup:create', {}),
    ]);
    expect(restoreFirst.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual(['ok', 'BACKUP_BUSY']);

    await session.as(DEMO_MANAGER);
    const backupFirst = await Promise.all([
      session.reg.dispatch('backup:create', {}),
      session.reg.dispatch('backup:restore', restoreRequest),
    ]);
    expect(backupFirst.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual(['ok', 'BACKUP_BUSY']);
    // and the register goes on: the backup made is listed, a sale completes
    const listed = (await session.call<ChannelResponse<'backup:status'>>('backup:status')).backups;
    expect(listed.filter((b) => b.kind === 'manual')).toHaveLength(2);
    await sell(session);
  });

  it('the outbox goes on after the last seq the cloud acknowledged, and the floor survives the next backup', async () => {
    const session = await openRegister({ staff: DEMO_MANAGER });
    await sell(session);
    const status = await session.call<ChannelResponse<'backup:create'>>('backup:create');
    for (let i = 0; i < 3; i++) await sell(session);
    const dbFile = join(session.dataDir, 'register.db');
    session.close();
    // The cloud acknowledged everything up to here, after the backup was made.
    const acked = (() => {
      const db = new Database(dbFile);
      try {
        db.prepare('UPDATE outbox SET acked_at = 1').run();
        return db.prepare('SELECT max(seq) FROM outbox').pluck().get() as number;
      } finally {
        db.close();
      }
    })();
    const summary = await restoreBackup({
      dataDir: session.dataDir,
      file: join(status.folder, status.backups[0]!.name),
      latestSchema: latestSchema(),
      appVersion: 'test',
      now: Date.now(),
    });
    expect(summary.floors.outboxAckedSeq).toBe(acked);
    const reopened = await openRegister({ dataDir: session.dataDir, staff: DEMO_MANAGER });
    await sell(reopened);
    readDb(dbFile, (db) => {
      const newest = db.prepare("SELECT seq FROM outbox WHERE kind LIKE 'document.%' ORDER BY seq DESC LIMIT 1").pluck().get() as number;
      expect(newest).toBeGreaterThan(acked);
    });
    // A backup made now carries the floors: restoring it later still goes on from there.
    const again = await reopened.call<ChannelResponse<'backup:create'>>('backup:create');
    const manifest = (await listBackups(again.folder)).find((b) => b.name === again.backups[0]!.name)!.manifest;
    expect(manifest.outboxAckedSeq).toBeGreaterThanOrEqual(acked);
  });

  it('a backup from a newer schema, a damaged file, or a running register are refused and change nothing', async () => {
    const session = await openRegister({ staff: DEMO_MANAGER });
    const status = await session.call<ChannelResponse<'backup:create'>>('backup:create');
    const file = join(status.folder, status.backups[0]!.name);
    const before = readFileSync(join(session.dataDir, 'register.db')).length;
    session.close();
    await expect(
      restoreBackup({ dataDir: session.dataDir, file, latestSchema: 1, appVersion: 'test', now: Date.now() }),
    ).rejects.toMatchObject({ code: 'RESTORE_REFUSED' });
    const cut = join(tempDir(), 'cut.spbak');
    writeFileSync(cut, readFileSync(file).subarray(0, 5000));
    await expect(
      restoreBackup({ dataDir: session.dataDir, file: cut, latestSchema: latestSchema(), appVersion: 'test', now: Date.now() }),
    ).rejects.toMatchObject({
      code: 'BACKUP_INVALID',
    });
    expect(readFileSync(join(session.dataDir, 'register.db')).length).toBe(before);
    expect(existsSync(join(session.dataDir, 'register.db.restoring'))).toBe(false);
  });

  it('onto a new PC: an encrypted backup restores with its passphrase and brings the PIN pepper (staff PINs work)', async () => {
    const old = await openRegister({ staff: DEMO_MANAGER });
    await sell(old);
    await old.call('backup:set-passphrase', { passphrase: 'shop IT passphrase' });
    const status = await old.call<ChannelResponse<'backup:create'>>('backup:create');
    const file = join(status.folder, status.backups[0]!.name);
    old.close();

    const newPc = tempDir();
    await expect(
      restoreBackup({ dataDir: newPc, file, latestSchema: latestSchema(), appVersion: 'test', now: Date.now() }),
    ).rejects.toMatchObject({
      code: 'BACKUP_PASSPHRASE',
    });
    const summary = await restoreBackup({
      dataDir: newPc,
      file,
      passphrase: 'shop IT passphrase',
      latestSchema: latestSchema(),
      appVersion: 'test',
      now: Date.now(),
    });
    expect(summary.safetyCopy).toBeNull();
    expect(summary.secretsRestored.sort()).toEqual(['audit-key', 'pin-pepper']);
    expect(await readBackupKey(newPc)).not.toBeNull(); // later backups here use the same passphrase
    const restored = await openRegister({ dataDir: newPc, staff: DEMO_MANAGER }); // the manager's PIN 9999 still works
    const next = await sell(restored);
    expect(seqOf(next)).toBe(2);
  });
});

describe('makeBackup', () => {
  it('refuses to name a copy that fails integrity_check', async () => {
    const dir = tempDir();
    const dbFile = join(dir, 'register.db');
    writeFileSync(dbFile, Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(4096, 7)]));
    await expect(
      makeBackup({ dataDir: dir, dbFile, folder: join(dir, 'backups'), kind: 'manual', appVersion: 'test', now: Date.now(), key: null }),
    ).rejects.toMatchObject({ code: 'BACKUP_FAILED' });
    expect(await listBackups(join(dir, 'backups'))).toEqual([]);
  });
});
