import { beforeAll, describe, expect, it } from 'vitest';
import { sqlState } from '../../../cloud/db/tx';
import { enrol, issueEnrolmentCode } from '../../../cloud/domain/enrolment';
import { createShop, useTestDatabase, type Shop } from './helpers';

// Migrations 0027 and 0028 check the references of sales, their lines and payments, stock movements
// and applied mutations once per statement instead of with per-row foreign keys (issue 18): these
// must still be refused.
const db = useTestDatabase();
let shop: Shop;

beforeAll(async () => {
  shop = await createShop(db().pool, { products: 2 });
});

async function refusal(sql: string, params: unknown[]): Promise<string | undefined> {
  try {
    await db().pool.query(sql, params);
    return undefined;
  } catch (error) {
    return sqlState(error);
  }
}

const movement = `INSERT INTO stock_movement (merchant_id, store_id, sku, quantity_milli, reason, source, line, created_at)
  SELECT $1, t.store_id, t.sku, -1000, 'sale', 'test:' || $4, t.line, now()
  FROM unnest($2::bigint[], $3::text[]) WITH ORDINALITY AS t(store_id, sku, line)`;

describe('ledger references, checked per statement', () => {
  it('refuses a stock movement naming an unknown product or store, even among good rows, and writes none of it', async () => {
    const store = shop.stores[0]!.id;
    expect(await refusal(movement, [shop.merchantId, [store, store], ['P1', 'NOPE'], 'a'])).toBe('23503');
    expect(await refusal(movement, [shop.merchantId, [store, 987_654_321], ['P1', 'P2'], 'b'])).toBe('23503');
    // another merchant's SKU is unknown to this one
    const other = await createShop(db().pool, { products: 1 });
    expect(await refusal(movement, [other.merchantId, [other.stores[0]!.id], ['P2'], 'c'])).toBe('23503');
    const written = await db().pool.query("SELECT count(*)::int AS n FROM stock_movement WHERE source IN ('test:a', 'test:b', 'test:c')");
    expect(written.rows[0].n).toBe(0);
    expect(await refusal(movement, [shop.merchantId, [store, shop.stores[1]!.id], ['P1', 'P2'], 'd'])).toBeUndefined();
    // a source's lines land once (a retried command): sales' own sources are unique by construction
    expect(await refusal(movement, [shop.merchantId, [store], ['P1'], 'd'])).toBe('23505');
  });

  it('refuses sale lines and payments of a sale that does not exist', async () => {
    expect(
      await refusal(
        `INSERT INTO sale_line (sale_id, position, sku, name_zh, name_en, quantity_milli, unit_price, gross, promotion_amount, discount_amount, net)
         VALUES (987654321, 1, 'P1', '產品', 'Product', 1000, 1000, 1000, 0, 0, 1000)`,
        [],
      ),
    ).toBe('23503');
    expect(
      await refusal(
        `INSERT INTO sale_payment (sale_id, position, method, amount, tendered, change_given) VALUES (987654321, 1, 'cash', 1000, 1000, 0)`,
        [],
      ),
    ).toBe('23503');
  });

  it('refuses a sale naming an unknown merchant, store or register, and an applied mutation of an unknown register', async () => {
    const sale = (merchant: number, store: number, register: string | null, receiptNo: string) =>
      refusal(
        `INSERT INTO sale (merchant_id, store_id, channel, register_id, kind, receipt_no, completed_at, subtotal, promotion_total,
                           discount_total, tax_total, total, rounding, change_given, document, received_at)
         VALUES ($1, $2, $3, $4, 'sale', $5, now(), 0, 0, 0, 0, 0, 0, 0, '{}', now())`,
        [merchant, store, register === null ? 'online' : 'register', register, receiptNo],
      );
    const store = shop.stores[0]!.id;
    expect(await sale(987_654_321, store, null, 'O-1')).toBe('23503');
    expect(await sale(shop.merchantId, 987_654_321, null, 'O-2')).toBe('23503');
    expect(await sale(shop.merchantId, store, '00000000-0000-4000-8000-000000000000', 'MK-99-000001')).toBe('23503');
    expect(await sale(shop.merchantId, store, null, 'O-3')).toBeUndefined();
    expect(
      await refusal(
        `INSERT INTO applied_mutation (register_id, seq, kind, ref, content_hash, outcome, applied_at)
         VALUES ('00000000-0000-4000-8000-000000000000', 1, 'document.sale', 'R', '\\x00', 'applied', now())`,
        [],
      ),
    ).toBe('23503');
  });

  it('never deletes a product, a store, a register or a merchant that the ledger could name', async () => {
    expect(await refusal('DELETE FROM product WHERE merchant_id = $1 AND sku = $2', [shop.merchantId, 'P2'])).toBe('23001');
    expect(await refusal('DELETE FROM store WHERE id = $1', [shop.stores[1]!.id])).toBe('23001');
    const other = await createShop(db().pool, { products: 0 });
    const { code } = await issueEnrolmentCode(db().pool, other.stores[0]!.id, { ttlMinutes: 5, now: Date.now() });
    const { registerId } = await enrol(db().pool, { code }, Date.now());
    expect(await refusal('DELETE FROM register WHERE id = $1', [registerId])).toBe('23001');
    expect(await refusal('DELETE FROM merchant WHERE id = $1', [other.merchantId])).toBe('23001');
  });
});
