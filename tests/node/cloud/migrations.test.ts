import { mkdtempSync, writeFileSync, copyFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadMigrations, migrate, MigrationError } from '../../../cloud/db/migrate';
import type { Pool } from '../../../cloud/db/pool';
import { upsertProduct } from '../../../cloud/domain/catalogue';
import { enrol, issueEnrolmentCode } from '../../../cloud/domain/enrolment';
import { createMerchant, createStore } from '../../../cloud/domain/merchants';
import { readMutation } from '../../../cloud/domain/mutation-kinds';
import { MutationRejected } from '../../../cloud/domain/quarantine';
import { insertSales } from '../../../cloud/domain/sales';
import { createTestDatabase, MIGRATIONS_DIR, receipt } from './helpers';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function freshDatabase() {
  const db = await createTestDatabase({ migrated: false });
  cleanups.push(() => db.drop());
  return db;
}

describe('cloud migrations', () => {
  it('apply every migration once, in order, recorded in schema_migrations', async () => {
    const db = await freshDatabase();
    const migrations = loadMigrations(MIGRATIONS_DIR);
    expect(await migrate(db.pool, migrations)).toEqual(migrations.map((m) => m.name));
    expect(await migrate(db.pool, migrations)).toEqual([]);
    const rows = (await db.pool.query('SELECT version, name FROM schema_migrations ORDER BY version')).rows;
    expect(rows).toEqual(migrations.map((m) => ({ version: m.version, name: m.name })));
  });

  it('two instances starting at once apply each migration exactly once', async () => {
    const db = await freshDatabase();
    const migrations = loadMigrations(MIGRATIONS_DIR);
    const [a, b, c] = await Promise.all([migrate(db.pool, migrations), migrate(db.pool, migrations), migrate(db.pool, migrations)]);
    expect([...(a ?? []), ...(b ?? []), ...(c ?? [])].sort()).toEqual(migrations.map((m) => m.name).sort());
    expect((await db.pool.query('SELECT count(*) AS n FROM schema_migrations')).rows[0]).toEqual({ n: migrations.length });
  });

  it('a database migrated by a newer release refuses to start', async () => {
    const db = await freshDatabase();
    const migrations = loadMigrations(MIGRATIONS_DIR);
    await migrate(db.pool, [
      ...migrations,
      { version: migrations.length + 1, name: '9999-from-the-future.sql', sql: 'CREATE TABLE future_thing (id int)' },
    ]);
    await expect(migrate(db.pool, migrations)).rejects.toMatchObject({ code: 'DB_FROM_FUTURE' });
  });

  it('a failing migration is rolled back whole and leaves the version where it was', async () => {
    const db = await freshDatabase();
    const migrations = loadMigrations(MIGRATIONS_DIR);
    const broken = {
      version: migrations.length + 1,
      name: `${String(migrations.length + 1).padStart(4, '0')}-broken.sql`,
      sql: 'CREATE TABLE half_done (id int); SELECT no_such_function();',
    };
    const error = await migrate(db.pool, [...migrations, broken]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as MigrationError).code).toBe('DB_MIGRATION_FAILED');
    expect((await db.pool.query("SELECT to_regclass('half_done') AS t")).rows[0]).toEqual({ t: null });
    expect((await db.pool.query('SELECT max(version) AS v FROM schema_migrations')).rows[0]).toEqual({ v: migrations.length });
  });

  it('refuses migration files that are misnamed or leave a gap', () => {
    const dir = mkdtempSync(join(tmpdir(), 'suanpan-cloud-migrations-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    copyFileSync(join(MIGRATIONS_DIR, '0001-init.sql'), join(dir, '0001-init.sql'));
    writeFileSync(join(dir, '0003-skipped.sql'), 'SELECT 1;');
    expect(() => loadMigrations(dir)).toThrow(/without gaps/);
    writeFileSync(join(dir, 'Bad Name.sql'), 'SELECT 1;');
    expect(() => loadMigrations(dir)).toThrow(/NNNN-slug/);
  });
});

/**
 * A prepaid online order as the schema before 0030 holds it, written in SQL: the domain code of this
 * release reads columns later migrations add (0031's `released_at`).
 */
async function orderAsBefore0030(pool: Pool, merchantId: number, storeId: number, orderNo: string, paid: number): Promise<string> {
  await pool.query(
    `INSERT INTO customer_order (merchant_id, store_id, order_no, channel, customer_name, customer_phone, status, total, paid,
       paid_method, paid_reference, pickup_on, note, request_hash, created_by, version, created_at, updated_at)
     VALUES ($1, $2, $3, 'online', '陳大文', NULL, 'new', $4, $4, 'online', NULL, NULL, '', '\\x00', 'console:1', 1, now(), now())`,
    [merchantId, storeId, orderNo, paid],
  );
  return orderNo;
}

describe('0030 order deposits', () => {
  it('books what register sales paid with orders’ prepayments and what hand-over slips used before it', async () => {
    const db = await freshDatabase();
    const all = loadMigrations(MIGRATIONS_DIR);
    await migrate(
      db.pool,
      all.filter((m) => m.version < 30),
    );
    const now = Date.now();
    const merchant = await createMerchant(db.pool, 'Deposits before 0030');
    const store = await createStore(db.pool, merchant.id, { code: 'MK', nameZh: '旺角店', nameEn: 'Mong Kok' });
    await upsertProduct(db.pool, merchant.id, { sku: 'P1', nameZh: '產品1', nameEn: 'Product 1', barcodes: [], price: 1000 }, now);
    const { code } = await issueEnrolmentCode(db.pool, store.id, { ttlMinutes: 60, now });
    const till = await enrol(db.pool, { code }, now);
    const order = await orderAsBefore0030(db.pool, merchant.id, store.id, 'OLD-1', 3000);
    // a sale that took HK$10.00 of it, a plain sale, and a hand-over slip that used HK$20.00
    const context = {
      registerId: till.registerId,
      registerCode: till.registerCode,
      merchantId: merchant.id,
      storeId: store.id,
      storeCode: 'MK',
      viaPreviousToken: false,
    };
    const withDeposit = receipt(context, 1, [{ sku: 'P1', quantity: 1 }]);
    withDeposit.payments = [{ ...withDeposit.payments[0]!, method: 'deposit', reference: 'OLD-1' }];
    const sales = [
      { ...withDeposit, order: { orderNo: 'OLD-1', channel: 'online' as const } },
      receipt(context, 2, [{ sku: 'P1', quantity: 1 }]),
    ].map((doc, index) => {
      const write = readMutation(context, { seq: index + 1, kind: 'document.sale', ref: doc.receiptNo, payload: doc });
      if (write instanceof MutationRejected || write.type !== 'document') throw new Error('not a document');
      return write.sale;
    });
    await insertSales(db.pool, sales, now);
    await db.pool.query(
      `INSERT INTO customer_order_pickup (order_id, receipt_no, register_id, by_name, request_hash, collect, release, applied, final, at)
       SELECT id, 'MK-${till.registerCode}-P000001', $2, 'MK-${till.registerCode}', '\\x00', '[{"line":1,"quantityMilli":2000}]', '[]', 2000, false, now()
       FROM customer_order WHERE merchant_id = $1 AND order_no = $3`,
      [merchant.id, till.registerId, order],
    );

    // a prepaid order handed over whole on a slip number
    const whole = await orderAsBefore0030(db.pool, merchant.id, store.id, 'OLD-2', 1000);
    await db.pool.query(
      `UPDATE customer_order SET status = 'collected', final_by_kind = 'register', final_by_name = 'MK-01', final_register_id = $2,
         final_receipt_no = $3, final_at = now() WHERE merchant_id = $1 AND order_no = $4`,
      [merchant.id, till.registerId, `MK-${till.registerCode}-P000002`, whole],
    );

    await migrate(db.pool, all);
    const booked = await db.pool.query<{ receipt_no: string; amount: string }>(
      'SELECT receipt_no, amount FROM order_deposit ORDER BY receipt_no',
    );
    expect(booked.rows.map((r) => [r.receipt_no, Number(r.amount)])).toEqual([
      [`MK-${till.registerCode}-000001`, 1000],
      [`MK-${till.registerCode}-P000001`, 2000],
      [`MK-${till.registerCode}-P000002`, 1000],
    ]);
  });
});
