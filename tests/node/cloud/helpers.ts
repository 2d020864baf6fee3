/**
 * Test support for the cloud service: a throwaway PostgreSQL database per test file, a server on a
 * real loopback socket, and builders for what registers and head office send.
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createApp, type AppOptions } from '../../../cloud/app';
import { createPool, type Pool } from '../../../cloud/db/pool';
import { loadMigrations, migrate } from '../../../cloud/db/migrate';
import type { Clock } from '../../../cloud/domain/clock';
import { issueEnrolmentCode } from '../../../cloud/domain/enrolment';
import { createMerchant, createStore, type Store } from '../../../cloud/domain/merchants';
import { upsertProduct } from '../../../cloud/domain/catalogue';
import { recordStockEntry } from '../../../cloud/domain/stock-admin';
import { call, pushMutations, type BatchAnswer, type EnrolledRegister } from '../../support/register-documents';

// What a register sends (no vitest in it, so the e2e specs take it too): one owner, re-exported here for the cloud tests.
export {
  SALES_DAY,
  call,
  pushMutations,
  receipt,
  saleMutation,
  type Answer,
  type BatchAnswer,
  type EnrolledRegister,
  type LineSpec,
} from '../../support/register-documents';

/** A test's register and the last seq it pushed: its pushes take the next seqs in turn (pushInTurn). */
export interface Till {
  register: EnrolledRegister;
  seq: number;
}

export type NumberedMutations = { seq: number; kind: string; ref: string; payload: unknown }[];

/** Pushes `mutations` as the till's next seqs; the test fails unless the cloud answers 200. */
export async function pushInTurn(
  base: string,
  till: Till,
  mutations: { kind: string; ref: string; payload: unknown }[],
): Promise<{ body: BatchAnswer; numbered: NumberedMutations }> {
  const numbered = mutations.map((m) => ({ ...m, seq: (till.seq += 1) }));
  const answer = await pushMutations(base, till.register, numbered);
  expect(answer.status).toBe(200);
  return { body: answer.body, numbered };
}

/** A member's points as their ledger holds them: the sum of its entries, and how many there are. */
export async function memberPoints(pool: Pool, code: string): Promise<{ balance: number; entries: number }> {
  const rows = (
    await pool.query<{ amount: string }>(
      `SELECT e.amount FROM ledger_entry e JOIN ledger_account a ON a.id = e.account_id JOIN member m ON m.id = a.member_id
       WHERE m.code = $1 AND a.kind = 'points' ORDER BY e.id`,
      [code],
    )
  ).rows;
  return { balance: rows.reduce((sum, r) => sum + Number(r.amount), 0), entries: rows.length };
}

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../cloud/migrations/', import.meta.url));
const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  name: string;
  url: string;
  pool: Pool;
}

function urlFor(name: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** CREATE DATABASE suanpan_test_<random>, migrated unless told otherwise. */
export async function createTestDatabase(options: { migrated?: boolean } = {}): Promise<TestDatabase & { drop(): Promise<void> }> {
  const name = `suanpan_test_${randomBytes(6).toString('hex')}`;
  const admin = createPool(ADMIN_URL, { max: 1 });
  await admin.query(`CREATE DATABASE ${name}`);
  const url = urlFor(name);
  const pool = createPool(url, { max: 8 });
  if (options.migrated ?? true) await migrate(pool, loadMigrations(MIGRATIONS_DIR));
  return {
    name,
    url,
    pool,
    async drop() {
      await pool.end();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

/** One migrated database for the whole file, dropped after it. */
export function useTestDatabase(): () => TestDatabase {
  let db: Awaited<ReturnType<typeof createTestDatabase>> | undefined;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });
  return () => {
    if (!db) throw new Error('the test database is not ready');
    return db;
  };
}

/** A frozen clock that tests move by hand. */
export function manualClock(start = Date.parse('2025-07-01T02:00:00Z')): Clock & { advance(ms: number): void; set(ms: number): void } {
  let now = start;
  return {
    now: () => now,
    advance(ms) {
      now += ms;
    },
    set(ms) {
      now = ms;
    },
  };
}

export interface Server {
  app: FastifyInstance;
  base: string;
  close(): Promise<void>;
}

/** The API on a real socket on 127.0.0.1, on a port of the system's choosing. */
export async function startServer(options: AppOptions): Promise<Server> {
  const app = await createApp(options);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return { app, base: `http://127.0.0.1:${address.port}`, close: () => app.close() };
}

/**
 * Call at the top of a test file, after useTestDatabase: the API listening on the file's database
 * for the whole file (closed after it). `server.base` and `server.app` are the running one's.
 */
export function useTestServer(db: () => TestDatabase, options: Omit<AppOptions, 'pool'> = {}): Server {
  let running: Server | undefined;
  beforeAll(async () => {
    running = await startServer({ pool: db().pool, enrolAttemptsPerMinute: 1000, ...options });
  });
  afterAll(async () => {
    await running?.close();
  });
  const current = () => {
    if (!running) throw new Error('the test server is not ready');
    return running;
  };
  return {
    get app() {
      return current().app;
    },
    get base() {
      return current().base;
    },
    close: () => current().close(),
  };
}

export interface Shop {
  merchantId: number;
  stores: Store[];
  skus: string[];
}

let shopCounter = 0;

/**
 * A merchant of its own (so tests sharing a database never see each other's data), with stores
 * MK and TST, products P1..Pn at HK$10, and `initialStock` units of each in every store.
 */
export async function createShop(pool: Pool, options: { products?: number; initialStock?: number; now?: number } = {}): Promise<Shop> {
  const now = options.now ?? Date.now();
  shopCounter += 1;
  const merchant = await createMerchant(pool, `Shop ${shopCounter} ${randomBytes(4).toString('hex')}`);
  const stores = [
    await createStore(pool, merchant.id, { code: 'MK', nameZh: '旺角店', nameEn: 'Mong Kok' }),
    await createStore(pool, merchant.id, { code: 'TST', nameZh: '尖沙咀店', nameEn: 'Tsim Sha Tsui' }),
  ];
  const skus: string[] = [];
  for (let i = 1; i <= (options.products ?? 3); i += 1) {
    const sku = `P${i}`;
    await upsertProduct(
      pool,
      merchant.id,
      { sku, nameZh: `產品${i}`, nameEn: `Product ${i}`, barcodes: [`489${String(i).padStart(10, '0')}`], price: 1000 },
      now,
    );
    skus.push(sku);
    if (options.initialStock) {
      for (const store of stores) {
        await recordStockEntry(
          pool,
          merchant.id,
          { storeId: store.id, storeCode: store.code, sku, quantityMilli: options.initialStock * 1000, reason: 'count', ref: 'opening' },
          now,
        );
      }
    }
  }
  return { merchantId: merchant.id, stores, skus };
}

/** Issues a code for `store` and enrols through the API, as IT would. */
export async function enrolRegister(pool: Pool, base: string, store: Store, now = Date.now()): Promise<EnrolledRegister> {
  const { code } = await issueEnrolmentCode(pool, store.id, { ttlMinutes: 60, now });
  const answer = await call<{ registerId: string; registerCode: string; token: string }>(base, 'POST', '/v1/enroll', { body: { code } });
  if (answer.status !== 201) throw new Error(`enrolment failed: ${answer.status} ${JSON.stringify(answer.body)}`);
  return { registerId: answer.body.registerId, registerCode: answer.body.registerCode, token: answer.body.token, storeCode: store.code };
}

/** Every committed row of every table as one fingerprint per table: equal means nothing was written. */
export async function fingerprint(pool: Pool, except: string[] = ['enrol_bucket']): Promise<Record<string, string>> {
  const tables = (
    await pool.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1",
    )
  ).rows
    .map((r) => r.table_name)
    .filter((t) => !except.includes(t));
  const result: Record<string, string> = {};
  for (const table of tables) {
    const row = (
      await pool.query<{ n: number; digest: string | null }>(
        `SELECT count(*) AS n, md5(string_agg(t::text, '|' ORDER BY t::text)) AS digest FROM "${table}" t`,
      )
    ).rows[0];
    result[table] = `${row?.n}:${row?.digest ?? ''}`;
  }
  return result;
}
