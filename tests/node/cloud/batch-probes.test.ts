import { beforeAll, describe, expect, it } from 'vitest';
import type { PoolClient } from '../../../cloud/db/pool';
import { enrol, issueEnrolmentCode } from '../../../cloud/domain/enrolment';
import { missingSkus, receivedRegisterReceipts } from '../../../cloud/domain/sales';
import { waitingReturnPoints } from '../../../cloud/domain/pending-return-points';
import { createShop, useTestDatabase, type Shop } from './helpers';

// A push checks its batch's receipt numbers and SKUs against tables that grow all day. The check
// must look each key up (a probe each), not read the merchant's whole table: with statistics taken
// while the table was small, `receipt_no = ANY($2)` read every sale of the merchant for each batch
// (issue 18; found in the ingest bench's database, 50 receipts read 10,000 sales).
const db = useTestDatabase();
let shop: Shop;
let registerId: string;
const SALES = 3000;
const PRODUCTS = 2000;
const PENDING = 2000;

beforeAll(async () => {
  const pool = db().pool;
  shop = await createShop(pool, { products: 2 });
  const { code } = await issueEnrolmentCode(pool, shop.stores[0]!.id, { ttlMinutes: 5, now: Date.now() });
  registerId = (await enrol(pool, { code }, Date.now())).registerId;
  const insertSales = (from: number, to: number) =>
    pool.query(
      `INSERT INTO sale (merchant_id, store_id, channel, register_id, register_seq, kind, receipt_no, completed_at, subtotal,
                         promotion_total, discount_total, tax_total, total, rounding, change_given, document, received_at)
       SELECT $1, $2, 'register', $3, n, 'sale', 'MK-01-' || lpad(n::text, 6, '0'), now(), 100, 0, 0, 0, 100, 0, 0, '{}', now()
       FROM generate_series($4::int, $5::int) AS n`,
      [shop.merchantId, shop.stores[0]!.id, registerId, from, to],
    );
  const insertProducts = (from: number, to: number) =>
    pool.query(
      `INSERT INTO product (merchant_id, sku, name_zh, name_en, updated_at)
       SELECT $1, 'X' || n, '產品', 'Product', now() FROM generate_series($2::int, $3::int) AS n`,
      [shop.merchantId, from, to],
    );
  // the statistics of small tables, then the day's growth
  await insertSales(1, 20);
  await insertProducts(1, 20);
  await pool.query('ANALYZE sale; ANALYZE product');
  await insertSales(21, SALES);
  await insertProducts(21, PRODUCTS);
  // returns whose points waited for originals of another register: most applied long since
  await pool.query(
    `INSERT INTO pending_return_points (merchant_id, return_receipt_no, original_receipt_no, lines, returned_at, register_id, created_at,
                                        applied_at, points_taken)
     SELECT $1, 'MK-02-' || lpad(n::text, 6, '0'), 'MK-03-' || lpad(n::text, 6, '0'), '[]', now(), $2, now(),
            CASE WHEN n % 100 = 0 THEN NULL ELSE now() END, CASE WHEN n % 100 = 0 THEN NULL ELSE 0 END
     FROM generate_series(1, $3::int) AS n`,
    [shop.merchantId, registerId, PENDING],
  );
  await pool.query('ANALYZE pending_return_points');
});

/** What `check` read from `table` (heap rows fetched through an index or a scan), in one transaction. */
async function rowsRead(table: string, check: (client: PoolClient) => Promise<unknown>): Promise<number> {
  const client = await db().pool.connect();
  try {
    await client.query('BEGIN');
    await check(client);
    const stats = await client.query<{ n: string }>(
      'SELECT coalesce(idx_tup_fetch, 0) + coalesce(seq_tup_read, 0) AS n FROM pg_stat_xact_user_tables WHERE relname = $1',
      [table],
    );
    await client.query('ROLLBACK');
    return Number(stats.rows[0]?.n ?? 0);
  } finally {
    client.release();
  }
}

describe('batch checks probe each key', () => {
  it('finds the receipts already received, reading only those sales', async () => {
    const asked = Array.from({ length: 50 }, (_, i) => `MK-01-${String(100 + i * 53).padStart(6, '0')}`);
    const unknown = ['MK-01-999998', 'MK-01-999999'];
    let found = new Map<string, unknown>();
    const read = await rowsRead('sale', async (client) => {
      found = await receivedRegisterReceipts(client, shop.merchantId, [...asked, ...unknown]);
    });
    expect([...found.keys()].sort()).toEqual([...asked].sort());
    expect(found.get(asked[0]!)).toEqual({ registerId, registerSeq: 100 });
    expect(read).toBeLessThanOrEqual(2 * asked.length); // a probe each (the table scan read 3,050)
  });

  it('finds the SKUs the catalogue lacks, reading only the products asked for', async () => {
    const asked = Array.from({ length: 50 }, (_, i) => `X${30 + i * 37}`);
    let missing: string[] = [];
    const read = await rowsRead('product', async (client) => {
      missing = await missingSkus(client, shop.merchantId, [...asked, 'NOPE-1', 'P1']);
    });
    expect(missing).toEqual(['NOPE-1']);
    // a probe each, and the older versions of the products createShop wrote (the scan read 2,061)
    expect(read).toBeLessThanOrEqual(2 * asked.length);
  });

  it('finds the returns waiting for the batch’s receipts, reading only those', async () => {
    const asked = [
      ...Array.from({ length: 50 }, (_, i) => `MK-01-${String(100 + i * 53).padStart(6, '0')}`),
      'MK-03-000100',
      'MK-03-000101',
    ];
    let waiting: { originalReceiptNo: string }[] = [];
    const read = await rowsRead('pending_return_points', async (client) => {
      waiting = await waitingReturnPoints(client, shop.merchantId, asked);
    });
    // MK-03-000101's return was applied: it waits no more
    expect(waiting.map((w) => w.originalReceiptNo)).toEqual(['MK-03-000100']);
    expect(read).toBeLessThanOrEqual(2);
  });
});
