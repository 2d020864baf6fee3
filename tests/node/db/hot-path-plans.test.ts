/**
 * What the till does with every scan and sale must cost the same on the first day and after a year:
 * no statement it runs may read a table that grows (sales, the outbox, stock movements, orders,
 * members, the audit log …) from end to end. This runs the till's hot path on a demo register,
 * records every SQL text its connection prepares, and asks SQLite for each one's plan. A full scan
 * is allowed only of the small tables a shop configures (payment methods, roles, its own register);
 * a scan in an index's order only to its first row, or of the few rows waiting for a person.
 */
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { Cart } from '../../../src/shared/checkout-schemas';
import { DEMO_CASHIER } from '../helpers/demo-register';
import { useDemoRegisters } from '../helpers/register-session';

const MILK_TEA = '4891234000012';
const PINEAPPLE_BUN = '4891234000128';

/** Tables a full scan may read: configuration, bounded by what a shop sets up, not by what it sells. */
const SMALL_TABLES = new Set([
  'this_register',
  'store',
  'payment_method',
  'role',
  'role_permission',
  'permission_seen',
  'sqlite_master',
  'category',
  'sync_held_change', // changes the register could not apply yet: retried, then deleted
]);

/**
 * Partial indexes of what waits for a person (order conflicts, documents the cloud put aside, shared
 * counts it refused) or for a sale (a cart's claim on an order): a handful, settled and gone. Not the
 * outbox's pending rows, which a register offline for weeks or never enrolled holds by the ten thousand.
 */
const OPEN_ONLY_INDEXES = new Set(['customer_order_conflict', 'sync_quarantine_open', 'stock_document_cloud_refusal', 'cart_order_claim']);

const openRegister = useDemoRegisters();
const original = Database.prototype.prepare;
afterEach(() => {
  Database.prototype.prepare = original;
});

/** The table a plan's `SCAN x` reads: x itself, or the table x is an alias of in the statement. */
function scannedTable(sql: string, name: string, tables: Set<string>): string {
  if (tables.has(name)) return name;
  const aliased = new RegExp(`\\b(?:FROM|JOIN)\\s+(\\w+)\\s+(?:AS\\s+)?${name}\\b`, 'i').exec(sql);
  return aliased?.[1] ?? name;
}

describe('the till hot path', () => {
  it('reads no growing table by a full scan: scans, search, member, suspend and recall, sales, the status', async () => {
    const prepared = new Set<string>();
    Database.prototype.prepare = function (this: Database.Database, sql: string) {
      prepared.add(sql);
      return original.call(this, sql);
    } as typeof original;
    const { call, reg } = await openRegister({ staff: DEMO_CASHIER });
    const memberCode = (() => {
      const db = new Database(reg.dbFile, { readonly: true });
      const code = original.call(db, 'SELECT code FROM cloud_member LIMIT 1').pluck().get() as string | undefined;
      db.close();
      return code;
    })();
    expect(memberCode).toBeDefined();

    for (let sale = 0; sale < 3; sale += 1) {
      let cart = await call<Cart>('cart:scan', { code: MILK_TEA });
      const [found] = await call<{ id: number }[]>('catalog:search', { text: '菠蘿' });
      cart = await call<Cart>('cart:add-product', { productId: found!.id, known: cart.revision });
      cart = await call<Cart>('cart:scan', { code: PINEAPPLE_BUN, known: cart.revision });
      cart = await call<Cart>('cart:set-quantity', { lineId: cart.lines[0]!.id, quantity: 2 });
      if (memberCode !== undefined) {
        await call('member:find', { query: memberCode });
        cart = await call<Cart>('cart:set-member', { code: memberCode });
      }
      await call('cart:suspend', { label: `hold ${sale}` });
      await call('cart:list-suspended');
      cart = await call<Cart>('cart:recall', { cartId: cart.id });
      await call('register:status');
      await call('sync:status');
      const tenders =
        sale === 1
          ? [{ method: 'card', amount: cart.total, approvalCode: 'A1B2C3' }]
          : [{ method: 'cash', amount: cart.total, tendered: 100_000 }];
      await call('sale:complete', { cartId: cart.id, tenders });
      await call('register:status');
      // what follows the answer (status event, customer display, receipt) runs too
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    Database.prototype.prepare = original;

    const db = new Database(reg.dbFile, { readonly: true });
    const tables = new Set(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]);
    const fullScans: string[] = [];
    for (const sql of prepared) {
      let plan: { detail: string }[];
      try {
        plan = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[];
      } catch {
        continue; // a pragma or a statement for another attached file
      }
      for (const { detail } of plan) {
        const scan = /^SCAN (\w+)(?: USING (?:COVERING )?INDEX (\w+))?/.exec(detail);
        if (!scan) continue; // SEARCH: by a key
        const table = scannedTable(sql, scan[1] as string, tables);
        if (!tables.has(table) || SMALL_TABLES.has(table)) continue; // CONSTANT ROW, json_each …
        if (scan[2] !== undefined && OPEN_ONLY_INDEXES.has(scan[2])) continue;
        // the first rows in an order, and no more
        if (/ORDER BY [\w.]+(?: DESC)? LIMIT 1\s*$/i.test(sql.trim())) continue;
        fullScans.push(`${table}: ${sql.replace(/\s+/g, ' ').trim()}`);
      }
    }
    db.close();
    expect(prepared.size).toBeGreaterThan(50);
    expect(fullScans).toEqual([]);
  });
});
