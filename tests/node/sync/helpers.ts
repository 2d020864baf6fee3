/**
 * Test support for the register side of sync: the worker bundled from the current source (the
 * same esbuild options as scripts/build-main.mjs, into a folder under dist/ so node_modules
 * resolves), a cloud on a throwaway PostgreSQL database, demo registers that sync to it.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, expect } from 'vitest';
import { createRegister, type Register } from '../../../src/main/register';
import { silentLogger } from '../../../src/main/log';
import type { SyncTuning } from '../../../src/main/sync/worker-protocol';
import type { SyncStatus } from '../../../src/shared/sync-schemas';
import type { Pool } from '../../../cloud/db/pool';
import { issueEnrolmentCode } from '../../../cloud/domain/enrolment';
import { createMerchant, createStore, type Store } from '../../../cloud/domain/merchants';
import { upsertProduct } from '../../../cloud/domain/catalogue';
import { recordStockEntry } from '../../../cloud/domain/stock-admin';
import { useTestDatabase, useTestServer, type Server, type TestDatabase } from '../cloud/helpers';
import type { AppOptions } from '../../../cloud/app';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Bundles src/main/sync/sync-worker.ts; answers the file and a cleanup. */
export async function buildSyncWorker(): Promise<{ file: string; remove(): void }> {
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  const dir = mkdtempSync(join(ROOT, 'dist', '.sync-test-'));
  const file = join(dir, 'sync-worker.js');
  await build({
    absWorkingDir: ROOT,
    entryPoints: ['src/main/sync/sync-worker.ts'],
    outfile: file,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    logLevel: 'error',
  });
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Fast timings for tests: short timeouts, quick retries, an idle pull every second. */
export const TEST_TUNING: SyncTuning = { requestTimeoutMs: 3_000, intervalMs: 1_000, backoffBaseMs: 50, backoffCapMs: 1_000 };

interface DemoProduct {
  sku: string;
  nameZh: string;
  nameEn: string;
  price: number;
  barcodes: string[];
}
const demo = JSON.parse(readFileSync(join(ROOT, 'assets', 'demo', 'store.json'), 'utf8')) as { products: DemoProduct[] };
export const MILK_TEA = { barcode: '4891234000012', sku: 'DRI-0001', price: 1800 };
export const BUN = { barcode: '4891234000128', sku: 'BAK-0012', price: 850 };
export const WATER = { barcode: '4891234000050', sku: 'DRI-0005', price: 800 };
/** In the demo register, not in the cloud shops these tests make. */
export const EGG_TART = '4891234000135';

export interface CloudShop {
  merchantId: number;
  store: Store;
}

/** A merchant with store MK01 (the demo register's store code) and the demo's products in the catalogue. */
export async function createCloudShop(pool: Pool, options: { initialStock?: number; skus?: string[] } = {}): Promise<CloudShop> {
  const merchant = await createMerchant(pool, `Sync ${randomBytes(4).toString('hex')}`);
  const store = await createStore(pool, merchant.id, { code: 'MK01', nameZh: '算盤士多 旺角店', nameEn: 'Suanpan Store Mong Kok' });
  const wanted = new Set(options.skus ?? [MILK_TEA.sku, BUN.sku, WATER.sku]);
  for (const p of demo.products.filter((d) => wanted.has(d.sku))) {
    await upsertProduct(
      pool,
      merchant.id,
      { sku: p.sku, nameZh: p.nameZh, nameEn: p.nameEn, barcodes: p.barcodes, price: p.price },
      Date.now(),
    );
    if (options.initialStock) {
      await recordStockEntry(
        pool,
        merchant.id,
        {
          storeId: store.id,
          storeCode: store.code,
          sku: p.sku,
          quantityMilli: options.initialStock * 1000,
          reason: 'count',
          ref: 'opening',
        },
        Date.now(),
      );
    }
  }
  return { merchantId: merchant.id, store };
}

export async function enrolmentCode(pool: Pool, store: Store): Promise<string> {
  return (await issueEnrolmentCode(pool, store.id, { ttlMinutes: 60, now: Date.now() })).code;
}

export interface SyncRegister {
  /** Replaced by restart(). */
  register: Register;
  dir: string;
  close(): void;
  /** Closes the register (its sync worker stops wherever it was) and opens it again on the same data folder. */
  restart(): Promise<void>;
}

/** A fresh demo register (its own data folder) whose sync worker is `workerFile`. */
export async function openSyncRegister(workerFile: string, tuning: SyncTuning = TEST_TUNING): Promise<SyncRegister> {
  const dir = mkdtempSync(join(tmpdir(), 'suanpan-sync-'));
  const open = () => createRegister({ dataDir: dir, demo: true, log: silentLogger, sync: { workerFile, tuning } });
  const opened: SyncRegister = {
    register: await open(),
    dir,
    close() {
      opened.register.close();
      // what close() stops without waiting (the sync worker's thread, the emulated devices) may still drop a file here
      rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    },
    async restart() {
      opened.register.close();
      opened.register = await open();
    },
  };
  return opened;
}

export async function call<T>(register: Register, channel: string, payload: unknown = {}): Promise<T> {
  const result = await register.dispatch(channel, payload);
  if (!result.ok) throw new Error(`${channel} failed: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

export async function loginManager(register: Register): Promise<void> {
  await call(register, 'staff:login', { staffId: 3, pin: '9999' });
}

/** Scans the barcodes into the open cart and pays the total in cash. */
export async function sell(register: Register, barcodes: string[]): Promise<{ receiptNo: string; total: number }> {
  let cart: { id: number; total: number } | undefined;
  for (const code of barcodes) cart = await call<{ id: number; total: number }>(register, 'cart:scan', { code });
  if (!cart) throw new Error('nothing to sell');
  const receipt = await call<{ receiptNo: string; total: number }>(register, 'sale:complete', {
    cartId: cart.id,
    tenders: [{ method: 'cash', amount: cart.total }],
  });
  return receipt;
}

export async function enrol(register: Register, cloudUrl: string, code: string): Promise<SyncStatus> {
  return call<SyncStatus>(register, 'sync:enrol', { cloudUrl, code });
}

export async function syncStatus(register: Register): Promise<SyncStatus> {
  return call<SyncStatus>(register, 'sync:status');
}

/** Polls until `check` passes (the worker runs on its own schedule). */
export async function eventually<T>(
  read: () => Promise<T> | T,
  check: (value: T) => boolean,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await read();
  while (!check(last)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    last = await read();
  }
  expect(check(last)).toBe(true);
  return last;
}

export interface SyncRig {
  /** The cloud's test database for this file. */
  database: () => TestDatabase;
  /** The cloud API on it, for the whole file. */
  server: Server;
  /** A demo register running the built sync worker (`tuning`: TEST_TUNING), its manager logged in; closed after the file. */
  openRegister(tuning?: SyncTuning): Promise<SyncRegister>;
  /** Every register opened so far, oldest first. */
  opened: readonly SyncRegister[];
}

/** Call at the top of a sync test file: a real cloud on PostgreSQL, the sync worker built once, and registers to sync with it. */
export function useSyncRig(serverOptions: Omit<AppOptions, 'pool'> = {}): SyncRig {
  const database = useTestDatabase();
  const server = useTestServer(database, { logger: false, ...serverOptions });
  let worker: Awaited<ReturnType<typeof buildSyncWorker>> | undefined;
  const opened: SyncRegister[] = [];
  beforeAll(async () => {
    worker = await buildSyncWorker();
  });
  afterAll(() => {
    for (const r of opened.splice(0)) r.close();
    worker?.remove();
  });
  return {
    database,
    server,
    opened,
    async openRegister(tuning = TEST_TUNING) {
      if (!worker) throw new Error('the sync worker is not built yet');
      const r = await openSyncRegister(worker.file, tuning);
      opened.push(r);
      await loginManager(r.register);
      return r;
    },
  };
}
