/**
 * Staged rollout per store, end to end: head office's admin CLI on a real PostgreSQL cloud, the
 * cloud's update-policy route, and an enrolled demo register reading a real update feed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { UpdateStatus } from '../../../src/shared/update-schemas';
import { createRegister, type Register } from '../../../src/main/register';
import { silentLogger } from '../../../src/main/log';
import { runAdmin } from '../../../cloud/admin/commands';
import { createStore } from '../../../cloud/domain/merchants';
import {
  MIGRATIONS_DIR,
  call as cloudCall,
  enrolRegister as enrolInCloud,
  manualClock,
  useTestDatabase,
  useTestServer,
} from '../cloud/helpers';
import {
  TEST_TUNING,
  buildSyncWorker,
  call,
  createCloudShop,
  enrol,
  enrolmentCode,
  eventually,
  loginManager,
  syncStatus,
} from '../sync/helpers';
import { withTimeout } from '../../support/bounded.mjs';
import { useTempDirs } from '../helpers/temp-dir';
import { publishRelease, startStaticFeed, type StaticFeed } from './static-feed';

const database = useTestDatabase();
const server = useTestServer(database, { logger: false });
const tempDir = useTempDirs();
let worker: Awaited<ReturnType<typeof buildSyncWorker>> | undefined;
beforeAll(async () => {
  worker = await buildSyncWorker();
});
afterAll(() => worker?.remove());

const opened: { register: Register; dir: string }[] = [];
let feed: StaticFeed | null = null;
afterEach(async () => {
  for (const r of opened.splice(0)) {
    r.register.close();
    rmSync(r.dir, { recursive: true, force: true });
  }
  await feed?.close();
  feed = null;
});

async function admin(...argv: string[]): Promise<Record<string, unknown>> {
  const out: string[] = [];
  await runAdmin(argv, {
    pool: database().pool,
    clock: manualClock(),
    migrationsDir: MIGRATIONS_DIR,
    out: (l) => out.push(l),
    err: () => undefined,
  });
  return JSON.parse(out.join('\n')) as Record<string, unknown>;
}

describe('staged rollout per store', () => {
  it('head office holds a store at 1.3.5: its register sees 2.0.0 in the feed and does not take it; released, it does', async () => {
    const shop = await createCloudShop(database().pool);
    const merchant = String(shop.merchantId);
    await createStore(database().pool, shop.merchantId, { code: 'CWB1', nameZh: '銅鑼灣店', nameEn: 'Causeway Bay' });
    const site = tempDir();
    publishRelease(site, {
      version: '2.0.0',
      installer: 'suanpan-2.0.0-x86_64.AppImage',
      bytes: Buffer.alloc(50_000, 3),
      feedFile: 'latest-linux.yml',
    });
    feed = await startStaticFeed(site);

    const installs: string[] = [];
    const dir = mkdtempSync(join(tmpdir(), 'suanpan-rollout-'));
    const register = await createRegister({
      dataDir: dir,
      demo: true,
      appVersion: '1.3.0',
      log: silentLogger,
      sync: { workerFile: worker!.file, tuning: TEST_TUNING },
      updates: {
        installerKind: 'appimage',
        installer: (_file, version) => {
          installs.push(version);
          return Promise.resolve();
        },
        platform: 'linux',
        autoCheck: false,
        tuning: { feedTimeoutMs: 5_000, cloudTimeoutMs: 5_000 },
      },
    });
    opened.push({ register, dir });
    await loginManager(register);
    await enrol(register, server.base, await enrolmentCode(database().pool, shop.store));
    await eventually(
      () => syncStatus(register),
      (s) => s.state === 'online' && s.pending === 0,
      'the register to be online with nothing queued',
    );
    await call(register, 'update:save-settings', { feedUrl: feed.url, checkEveryMinutes: 60, autoInstall: true, installHour: null });

    // The merchant goes to 2.0.0, but Mong Kok stays at 1.3.5 for now.
    expect(await admin('update-rollout', '2.0.0', '--merchant', merchant)).toMatchObject({ merchant: '2.0.0' });
    expect(await admin('update-rollout', '1.3.5', '--store', 'MK01', '--merchant', merchant)).toEqual({
      merchant: '2.0.0',
      stores: [
        { code: 'CWB1', setting: null, allowedVersion: '2.0.0' },
        { code: 'MK01', setting: '1.3.5', allowedVersion: '1.3.5' },
      ],
    });
    let status = await call<UpdateStatus>(register, 'update:check');
    expect(status).toMatchObject({
      phase: 'held',
      heldBy: 'rollout',
      availableVersion: '2.0.0',
      allowedVersion: '1.3.5',
      currentVersion: '1.3.0',
    });
    expect(feed.requests).toEqual(['/feed/latest-linux.yml']);
    expect(installs).toEqual([]);

    // Mong Kok follows the merchant again: the next check downloads and installs (nothing open, queue empty).
    await admin('update-rollout', 'follow', '--store', 'MK01', '--merchant', merchant);
    status = await call<UpdateStatus>(register, 'update:check');
    expect(status).toMatchObject({ allowedVersion: '2.0.0' });
    await withTimeout(register.updates.settled(), 20_000, 'the download');
    expect(feed.requests).toEqual(['/feed/latest-linux.yml', '/feed/latest-linux.yml', '/feed/suanpan-2.0.0-x86_64.AppImage']);
    expect(installs).toEqual(['2.0.0']);
  });

  it('the update-policy route answers only the register itself; the admin CLI refuses what is not a version', async () => {
    const shop = await createCloudShop(database().pool);
    const a = await enrolInCloud(database().pool, server.base, shop.store);
    const b = await enrolInCloud(database().pool, server.base, shop.store);
    const own = await cloudCall(server.base, 'GET', `/v1/registers/${a.registerId}/update-policy`, { token: a.token });
    expect(own).toMatchObject({ status: 200, body: { allowedVersion: null, source: 'none' } });
    const other = await cloudCall(server.base, 'GET', `/v1/registers/${a.registerId}/update-policy`, { token: b.token });
    expect(other.status).toBe(403);
    const none = await cloudCall(server.base, 'GET', `/v1/registers/${a.registerId}/update-policy`, {});
    expect(none.status).toBe(401);

    const merchant = String(shop.merchantId);
    await expect(admin('update-rollout', 'latest', '--merchant', merchant)).rejects.toMatchObject({ code: 'INVALID' });
    await expect(admin('update-rollout', 'follow', '--merchant', merchant)).rejects.toMatchObject({ code: 'USAGE' });
    await admin('update-rollout', '1.4.0-beta.1', '--store', 'MK01', '--merchant', merchant);
    expect((await cloudCall(server.base, 'GET', `/v1/registers/${a.registerId}/update-policy`, { token: a.token })).body).toMatchObject({
      allowedVersion: '1.4.0-beta.1',
      source: 'store',
    });
  });
});
