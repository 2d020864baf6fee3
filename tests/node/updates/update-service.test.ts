import { copyFileSync, cpSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { UpdateStatus } from '../../../src/shared/update-schemas';
import { appPaths } from '../../../src/main/app-paths';
import { listBackups } from '../../../src/main/backup/backup-files';
import { nodeLauncher, useChildLauncher, type LaunchedChild } from '../../../src/main/process/node-child';
import { readLastVersion } from '../../../src/main/updates/version-start';
import type { Installer } from '../../../src/main/updates/update-service';
import { extractArchive } from '../../../src/main/backup/backup-archive';
import { useDemoRegisters, type RegisterSession } from '../helpers/register-session';
import { DEMO_CASHIER, DEMO_MANAGER } from '../helpers/demo-register';
import { useTempDirs } from '../helpers/temp-dir';
import { withTimeout } from '../../support/bounded.mjs';
import { publishRelease, startStaticFeed, type StaticFeed } from './static-feed';

const openRegister = useDemoRegisters();
const tempDir = useTempDirs();
let feed: StaticFeed | null = null;
afterEach(async () => {
  await feed?.close();
  feed = null;
});

const MILK_TEA = '4891234000012';
const CURRENT = appPaths().version;

/** A feed offering 99.0.0 (newer than any real version) as an AppImage. */
async function serveRelease(version = '99.0.0'): Promise<StaticFeed> {
  const site = tempDir();
  publishRelease(site, {
    version,
    installer: `suanpan-${version}-x86_64.AppImage`,
    bytes: Buffer.alloc(200_000, 7),
    feedFile: 'latest-linux.yml',
  });
  feed = await startStaticFeed(site);
  return feed;
}

/** The installer port as the desktop app has it, recording what it was asked to start. */
function recordingInstaller(outcome: 'starts' | 'fails' = 'starts') {
  const calls: { file: string; version: string }[] = [];
  return {
    calls,
    installer: (file: string, version: string) => {
      calls.push({ file, version });
      return outcome === 'starts' ? Promise.resolve() : Promise.reject(new Error('spawn EACCES'));
    },
  };
}

async function openWithUpdates(
  installer: { installer: Installer },
  extra: { dataDir?: string; appVersion?: string; migrationsDir?: string; installTimeoutMs?: number } = {},
) {
  return openRegister({
    ...(extra.dataDir ? { dataDir: extra.dataDir } : {}),
    staff: DEMO_MANAGER,
    config: {
      ...(extra.appVersion ? { appVersion: extra.appVersion } : {}),
      ...(extra.migrationsDir ? { migrationsDir: extra.migrationsDir } : {}),
      updates: {
        installerKind: 'appimage',
        installer: installer.installer,
        platform: 'linux',
        autoCheck: false,
        tuning: { feedTimeoutMs: 5_000, ...(extra.installTimeoutMs ? { installTimeoutMs: extra.installTimeoutMs } : {}) },
      },
    },
  });
}

/**
 * From now on a backup's process is held before it reads its input (the register's own wait for it
 * shows), until release(), which lets them go on; kill() kills the held ones instead (as a stopped
 * register's children die). Either restores the plain launcher.
 */
function holdBackupChildren(): { release(): void; kill(): void } {
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  const children: LaunchedChild[] = [];
  useChildLauncher((file, args) => {
    const child = nodeLauncher(file, args);
    if (!file.endsWith('backup-child.js')) return child;
    children.push(child);
    return { ...child, send: (input) => void held.then(() => child.send(input)) };
  });
  return {
    release() {
      useChildLauncher(nodeLauncher);
      release();
    },
    kill() {
      useChildLauncher(nodeLauncher);
      for (const child of children) child.kill();
    },
  };
}

/** A migrations folder with this version's migrations and one more: `latest` is the schema before it. */
function oneMoreMigration(): { migrations: string; latest: number } {
  const migrations = tempDir();
  for (const name of readdirSync(appPaths().migrationsDir)) copyFileSync(join(appPaths().migrationsDir, name), join(migrations, name));
  const latest = readdirSync(migrations).length;
  const next = String(latest + 1).padStart(4, '0');
  writeFileSync(join(migrations, `${next}-from-99.sql`), 'CREATE TABLE from_ninety_nine (id INTEGER PRIMARY KEY) STRICT;');
  return { migrations, latest };
}

/** Waits until the start's backup (or the first backup) is made and none runs. */
async function backupSettled(session: RegisterSession): Promise<void> {
  await withTimeout(
    (async () => {
      for (;;) {
        const now = await session.call<{ running: boolean; lastBackup: unknown }>('backup:status');
        if (!now.running && now.lastBackup !== null) return;
        await new Promise((r) => setTimeout(r, 50));
      }
    })(),
    30_000,
    'the start’s backup',
  );
}

/** The version that last started on the database, as the start's backup decision reads it. */
function lastVersion(dbFile: string): string | null {
  const db = new Database(dbFile, { readonly: true });
  try {
    return readLastVersion(db);
  } finally {
    db.close();
  }
}

async function checkAndSettle(session: RegisterSession): Promise<UpdateStatus> {
  await session.call('update:check');
  await withTimeout(session.reg.updates.settled(), 20_000, 'the update download');
  session.reg.updates.evaluate();
  return session.call<UpdateStatus>('update:status');
}

describe('updates on a real register', () => {
  it('downloads in the background and installs only once the sale is over and the shift is closed', async () => {
    const served = await serveRelease();
    const installer = recordingInstaller();
    const t = await openWithUpdates(installer);
    expect(await t.call<UpdateStatus>('update:status')).toMatchObject({ phase: 'idle', currentVersion: CURRENT, installer: 'appimage' });
    await t.call('update:save-settings', { feedUrl: served.url, checkEveryMinutes: 60, autoInstall: true, installHour: null });

    // A shift open and a sale under way (the manager sells too).
    await t.call('shift:open', { float: [{ value: 10_000, count: 2 }] });
    const cart = await t.call<{ id: number; total: number }>('cart:scan', { code: MILK_TEA });
    let status = await checkAndSettle(t);
    expect(status).toMatchObject({ phase: 'ready', availableVersion: '99.0.0', waitingFor: ['cart-open'], lastError: null });
    expect(readdirSync(join(t.dataDir, 'updates'))).toEqual(['suanpan-99.0.0-x86_64.AppImage']);
    expect(installer.calls).toEqual([]);

    // The sale completes: the shift is still open.
    await t.call('sale:complete', { cartId: cart.id, tenders: [{ method: 'cash', amount: cart.total }] });
    t.reg.updates.evaluate();
    status = await t.call<UpdateStatus>('update:status');
    expect(status).toMatchObject({ phase: 'ready', waitingFor: ['shift-open'] });
    expect(installer.calls).toEqual([]);

    // The shift closes (counted, then closed by the manager): now.
    await t.call('shift:count', {
      counted: [
        { value: 10_000, count: 2 },
        { value: 2_000, count: 1 },
      ],
    });
    await t.call('shift:close', { reason: 'update test' });
    t.reg.updates.evaluate();
    expect(installer.calls).toEqual([{ file: join(t.dataDir, 'updates', 'suanpan-99.0.0-x86_64.AppImage'), version: '99.0.0' }]);
    expect((await t.call<UpdateStatus>('update:status')).phase).toBe('installing');
  });

  it('a failed install keeps the old version, says so, and waits for a manager before trying that version again', async () => {
    const served = await serveRelease();
    const installer = recordingInstaller();
    const t = await openWithUpdates(installer);
    await t.call('update:save-settings', { feedUrl: served.url, checkEveryMinutes: 60, autoInstall: true, installHour: null });
    await checkAndSettle(t);
    expect(installer.calls).toHaveLength(1);
    // The installer ran but the old version came back up (same version at the next start).
    t.close();
    const again = recordingInstaller();
    const t2 = await openWithUpdates(again, { dataDir: t.dataDir });
    let status = await t2.call<UpdateStatus>('update:status');
    expect(status).toMatchObject({
      phase: 'failed',
      currentVersion: CURRENT,
      availableVersion: '99.0.0',
      lastError: { code: 'UPDATE_INSTALL' },
    });
    expect(status.lastError?.message).toContain(`The update to 99.0.0 did not install; ${CURRENT} runs on`);
    const audit = await t2.call<{ kind: string; subject: string | null }[]>('audit:list', { kinds: ['update.failed'] });
    expect(audit.map((r) => [r.kind, r.subject])).toEqual([['update.failed', '99.0.0']]);

    // Nothing open, but it is not retried by itself…
    await checkAndSettle(t2);
    status = await t2.call<UpdateStatus>('update:status');
    expect(status.phase).toBe('failed');
    expect(again.calls).toEqual([]);
    // …until a manager asks.
    status = await t2.call<UpdateStatus>('update:install-when-safe');
    expect(again.calls.map((c) => c.version)).toEqual(['99.0.0']);
    expect(status.phase).toBe('installing');
  });

  it('an installer that cannot start leaves the register on its version, failed, with the reason', async () => {
    const served = await serveRelease();
    const installer = recordingInstaller('fails');
    const t = await openWithUpdates(installer);
    await t.call('update:save-settings', { feedUrl: served.url, checkEveryMinutes: 60, autoInstall: true, installHour: null });
    await checkAndSettle(t);
    await new Promise((resolve) => setImmediate(resolve));
    const status = await t.call<UpdateStatus>('update:status');
    expect(status).toMatchObject({ phase: 'failed', lastError: { code: 'UPDATE_INSTALL' } });
    expect(status.lastError?.message).toMatch(/did not start \(Error: spawn EACCES\)/);
  });

  it('an installer that never finishes (a password prompt behind the kiosk window) is stopped at its time limit: failed, and can be asked again', async () => {
    const served = await serveRelease();
    const signals: AbortSignal[] = [];
    const hanging = {
      calls: [] as { file: string; version: string }[],
      // like pkexec waiting for a password nobody types: ends only when the signal kills it
      installer: (file: string, version: string, signal: AbortSignal) => {
        hanging.calls.push({ file, version });
        signals.push(signal);
        return new Promise<void>(() => undefined);
      },
    };
    const t = await openWithUpdates(hanging, { installTimeoutMs: 300 });
    await t.call('update:save-settings', { feedUrl: served.url, checkEveryMinutes: 60, autoInstall: true, installHour: null });
    expect((await checkAndSettle(t)).phase).toBe('installing');
    const status = await withTimeout(
      (async () => {
        for (;;) {
          const now = await t.call<UpdateStatus>('update:status');
          if (now.phase !== 'installing') return now;
          await new Promise((r) => setTimeout(r, 50));
        }
      })(),
      5_000,
      'the install to time out',
    );
    expect(status).toMatchObject({ phase: 'failed', lastError: { code: 'UPDATE_INSTALL' } });
    expect(status.lastError?.message).toMatch(/did not finish within .* and was stopped; .* runs on: ask for the install again/);
    expect(signals[0]?.aborted).toBe(true);
    // not stuck: a manager may ask again
    expect((await t.call<UpdateStatus>('update:install-when-safe')).phase).toBe('installing');
    expect(hanging.calls).toHaveLength(2);
  });

  it('an installer stopped at its time limit after it had installed: the next start runs the new version and says installed', async () => {
    const served = await serveRelease();
    // like `pkexec dpkg -i` that unpacked the new version, then hung until it was killed
    const hanging = { installer: () => new Promise<void>(() => undefined) };
    const t = await openWithUpdates(hanging, { installTimeoutMs: 300 });
    await t.call('update:save-settings', { feedUrl: served.url, checkEveryMinutes: 60, autoInstall: true, installHour: null });
    expect((await checkAndSettle(t)).phase).toBe('installing');
    await withTimeout(
      (async () => {
        while ((await t.call<UpdateStatus>('update:status')).phase === 'installing') await new Promise((r) => setTimeout(r, 50));
      })(),
      5_000,
      'the install to time out',
    );
    expect(await t.call<UpdateStatus>('update:status')).toMatchObject({ phase: 'failed', lastError: { code: 'UPDATE_INSTALL' } });
    t.close();

    // had it not installed, the old version starting again: still failed, not said (nor audited) twice
    const copy = tempDir();
    cpSync(t.dataDir, copy, { recursive: true });
    const again = await openWithUpdates(recordingInstaller(), { dataDir: copy });
    expect(await again.call<UpdateStatus>('update:status')).toMatchObject({ phase: 'failed', lastError: { code: 'UPDATE_INSTALL' } });
    expect(await again.call<unknown[]>('audit:list', { kinds: ['update.failed'] })).toHaveLength(1);
    again.close();

    // the new version starts (the package was in place): installed, from the old one, no failure shown
    const t2 = await openWithUpdates(recordingInstaller(), { dataDir: t.dataDir, appVersion: '99.0.0' });
    expect(await t2.call<UpdateStatus>('update:status')).toMatchObject({ phase: 'up-to-date', currentVersion: '99.0.0', lastError: null });
    const installed = await t2.call<{ subject: string | null; detail: Record<string, unknown> }[]>('audit:list', {
      kinds: ['update.installed'],
    });
    expect(installed.map((r) => [r.subject, r.detail])).toEqual([['99.0.0', { from: CURRENT }]]);
    await backupSettled(t2);
  });

  it('an installer that asks for a relaunch while a sale is open waits for the sale to end before restarting', async () => {
    const served = await serveRelease();
    let finish: () => void = () => undefined;
    let relaunched = 0;
    const slow = {
      calls: [] as { file: string; version: string }[],
      installer: (file: string, version: string) => {
        slow.calls.push({ file, version });
        return new Promise<{ relaunch(): void }>((resolve) => {
          finish = () => resolve({ relaunch: () => void relaunched++ });
        });
      },
    };
    const t = await openWithUpdates(slow);
    await t.call('update:save-settings', { feedUrl: served.url, checkEveryMinutes: 60, autoInstall: true, installHour: null });
    expect((await checkAndSettle(t)).phase).toBe('installing');
    // the cashier starts a sale while the installer waits; then it is done
    const cart = await t.call<{ id: number; total: number }>('cart:scan', { code: MILK_TEA });
    finish();
    await new Promise((resolve) => setImmediate(resolve));
    t.reg.updates.evaluate();
    expect(relaunched).toBe(0);
    expect(await t.call<UpdateStatus>('update:status')).toMatchObject({ phase: 'installing', waitingFor: ['cart-open'] });

    await t.call('sale:complete', { cartId: cart.id, tenders: [{ method: 'cash', amount: cart.total }] });
    t.reg.updates.evaluate();
    expect(relaunched).toBe(1);
  });

  it('a feed whose installer does not match its SHA-512 fails the update and keeps nothing', async () => {
    const site = tempDir();
    publishRelease(site, {
      version: '99.0.0',
      installer: 'suanpan-99.0.0-x86_64.AppImage',
      bytes: Buffer.alloc(1000, 1),
      feedFile: 'latest-linux.yml',
      sha512: publishRelease(tempDir(), {
        version: '1.0.0',
        installer: 'x.AppImage',
        bytes: Buffer.alloc(1000, 2),
        feedFile: 'f.yml',
      }).match(/sha512: (\S+)/)![1]!,
    });
    feed = await startStaticFeed(site);
    const installer = recordingInstaller();
    const t = await openWithUpdates(installer);
    await t.call('update:save-settings', { feedUrl: feed.url, checkEveryMinutes: 60, autoInstall: true, installHour: null });
    const status = await checkAndSettle(t);
    expect(status).toMatchObject({ phase: 'failed', lastError: { code: 'UPDATE_CHECKSUM' } });
    expect(readdirSync(join(t.dataDir, 'updates'))).toEqual([]);
    expect(installer.calls).toEqual([]);
  });

  it('refuses a feed address that is not https, and a cashier may not touch updates', async () => {
    const t = await openWithUpdates(recordingInstaller());
    const refused = await t.reg.dispatch('update:save-settings', {
      feedUrl: 'http://updates.example.com/',
      checkEveryMinutes: 60,
      autoInstall: true,
      installHour: null,
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    await t.as(DEMO_CASHIER);
    expect(await t.reg.dispatch('update:status', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});

describe('the first start of a new version', () => {
  it('backs the database up (as the old version left it) before the new version migrates it, and records the install', async () => {
    const served = await serveRelease();
    const installer = recordingInstaller();
    const t = await openWithUpdates(installer);
    await t.call('update:save-settings', { feedUrl: served.url, checkEveryMinutes: 60, autoInstall: true, installHour: null });
    const cart = await t.call<{ id: number; total: number }>('cart:scan', { code: MILK_TEA });
    const receipt = await t.call<{ receiptNo: string }>('sale:complete', {
      cartId: cart.id,
      tenders: [{ method: 'cash', amount: cart.total }],
    });
    await checkAndSettle(t);
    expect(installer.calls).toHaveLength(1);
    t.close();
    expect((await listBackups(join(t.dataDir, 'backups'))).map((b) => b.manifest.kind)).toEqual([]);

    // The new version brings one more migration.
    const { migrations, latest } = oneMoreMigration();

    // The start waits for the copy, not for the archive: its process is held, and the new version runs meanwhile.
    const held = holdBackupChildren();
    let t2: RegisterSession;
    try {
      t2 = await withTimeout(
        openWithUpdates(recordingInstaller(), { dataDir: t.dataDir, appVersion: '99.0.0', migrationsDir: migrations }),
        20_000,
        'the new version to start with its archive held',
      );
      expect((await t2.call<{ running: boolean }>('backup:status')).running).toBe(true);
      expect(readdirSync(join(t.dataDir, 'backups')).filter((name) => name.startsWith('.start-pre-update-'))).toHaveLength(1);
    } finally {
      held.release();
    }
    await backupSettled(t2);
    expect(readdirSync(join(t.dataDir, 'backups')).filter((name) => name.startsWith('.'))).toEqual([]);
    const backups = await listBackups(join(t.dataDir, 'backups'));
    expect(backups.map((b) => [b.manifest.kind, b.manifest.appVersion, b.manifest.schemaVersion, b.manifest.lastReceiptNo])).toEqual([
      ['pre-update', CURRENT, latest, receipt.receiptNo],
    ]);
    const live = new Database(t2.reg.dbFile, { readonly: true });
    expect(live.pragma('user_version', { simple: true })).toBe(latest + 1);
    live.close();
    // The backup holds the database before the migration: restoring it rolls the version back.
    const out = join(tempDir(), 'extracted');
    mkdirSync(out);
    await extractArchive({ file: backups[0]!.file, dbOut: join(out, 'register.db') });
    const old = new Database(join(out, 'register.db'), { readonly: true });
    expect(old.pragma('user_version', { simple: true })).toBe(latest);
    expect(old.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'from_ninety_nine'").get()).toEqual({ n: 0 });
    expect(old.prepare('SELECT receipt_no FROM sale ORDER BY id DESC LIMIT 1').pluck().get()).toBe(receipt.receiptNo);
    old.close();

    expect(await t2.call<UpdateStatus>('update:status')).toMatchObject({ phase: 'up-to-date', currentVersion: '99.0.0', lastError: null });
    const audit = await t2.call<{ subject: string | null; detail: Record<string, unknown> }[]>('audit:list', {
      kinds: ['update.installed'],
    });
    expect(audit.map((r) => [r.subject, r.detail])).toEqual([['99.0.0', { from: CURRENT }]]);

    // The next start of the same version makes no backup.
    t2.close();
    await openWithUpdates(recordingInstaller(), { dataDir: t.dataDir, appVersion: '99.0.0', migrationsDir: migrations });
    expect(await listBackups(join(t.dataDir, 'backups'))).toHaveLength(1);
  });

  it('a register stopped before the copy made before its migrations is archived archives it at its next start', async () => {
    const t = await openWithUpdates(recordingInstaller());
    const cart = await t.call<{ id: number; total: number }>('cart:scan', { code: MILK_TEA });
    const receipt = await t.call<{ receiptNo: string }>('sale:complete', {
      cartId: cart.id,
      tenders: [{ method: 'cash', amount: cart.total }],
    });
    t.close();
    const { migrations, latest } = oneMoreMigration();

    const held = holdBackupChildren();
    const t2 = await withTimeout(
      openWithUpdates(recordingInstaller(), { dataDir: t.dataDir, appVersion: '99.0.0', migrationsDir: migrations }),
      20_000,
      'the new version to start with its archive held',
    );
    held.kill(); // as when the register stops: its children die with it
    await withTimeout(
      (async () => {
        while ((await t2.call<{ running: boolean }>('backup:status')).running) await new Promise((r) => setTimeout(r, 50));
      })(),
      10_000,
      'the killed archive to be reported',
    );
    t2.close();
    expect(await listBackups(join(t.dataDir, 'backups'))).toEqual([]);
    expect(readdirSync(join(t.dataDir, 'backups')).filter((name) => name.startsWith('.start-pre-update-'))).toHaveLength(1);

    // The next start migrates nothing and records no new version, but archives the copy it finds.
    const t3 = await openWithUpdates(recordingInstaller(), { dataDir: t.dataDir, appVersion: '99.0.0', migrationsDir: migrations });
    await backupSettled(t3);
    const backups = await listBackups(join(t.dataDir, 'backups'));
    expect(backups.map((b) => [b.manifest.kind, b.manifest.appVersion, b.manifest.schemaVersion, b.manifest.lastReceiptNo])).toEqual([
      ['pre-update', CURRENT, latest, receipt.receiptNo],
    ]);
    expect(readdirSync(join(t.dataDir, 'backups')).filter((name) => name.startsWith('.'))).toEqual([]);
  });

  it('with no migration to run, the till is ready at once and the backup of the old version is made beside it', async () => {
    const t = await openWithUpdates(recordingInstaller());
    const sell = async (session: RegisterSession) => {
      const cart = await session.call<{ id: number; total: number }>('cart:scan', { code: MILK_TEA });
      return session.call<{ receiptNo: string }>('sale:complete', { cartId: cart.id, tenders: [{ method: 'cash', amount: cart.total }] });
    };
    const before = await sell(t);
    t.close();

    // The backup's process is held before it reads its input: the new version must start, and sell, meanwhile.
    const held = holdBackupChildren();
    let t2: RegisterSession;
    let during: { receiptNo: string };
    try {
      t2 = await withTimeout(
        openWithUpdates(recordingInstaller(), { dataDir: t.dataDir, appVersion: '99.0.1' }),
        20_000,
        'the new version to start with its backup held',
      );
      expect((await t2.call<{ running: boolean }>('backup:status')).running).toBe(true);
      during = await sell(t2);
      expect(await listBackups(join(t.dataDir, 'backups'))).toEqual([]);
      // the new version is recorded once its backup is there: a start that ended sooner makes it again
      expect(lastVersion(t2.reg.dbFile)).toBe(CURRENT);
    } finally {
      held.release();
    }
    await backupSettled(t2);
    const backups = await listBackups(join(t.dataDir, 'backups'));
    expect(backups.map((b) => [b.manifest.kind, b.manifest.appVersion])).toEqual([['pre-update', CURRENT]]);
    // one snapshot of the database: the old version's sales, and perhaps the first of the new
    expect([before.receiptNo, during.receiptNo]).toContain(backups[0]!.manifest.lastReceiptNo);
    expect(lastVersion(t2.reg.dbFile)).toBe('99.0.1');

    // The next start of the same version makes none.
    t2.close();
    const t3 = await openWithUpdates(recordingInstaller(), { dataDir: t.dataDir, appVersion: '99.0.1' });
    expect((await t3.call<{ running: boolean }>('backup:status')).running).toBe(false);
    expect(await listBackups(join(t.dataDir, 'backups'))).toHaveLength(1);
  });
});
