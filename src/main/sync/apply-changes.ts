/**
 * Applies what the cloud changed (GET /v1/changes, GET /v1/snapshot) to the register's catalogue:
 * products and barcodes, effective-dated prices, promotions, members and the store's on-hand.
 * Cart lines keep the unit price they were scanned at, so an open cart never changes under the
 * cashier; a new price applies to the next scan. A change this register cannot store is skipped
 * and reported, never allowed to stop the pull.
 */
import { z } from 'zod';
import { catalogueKey } from '../../shared/barcode';
import type { Db } from '../db/open';
import { prepared } from '../db/prepared';

const CloudProduct = z.object({
  sku: z.string().min(1),
  nameZh: z.string().min(1),
  nameEn: z.string().min(1),
  categoryCode: z.string().nullable(),
  taxClass: z.string().min(1),
  active: z.boolean(),
  barcodes: z.array(z.string().min(1)),
});
const CloudPrice = z.object({ sku: z.string().min(1), validFrom: z.number().int(), price: z.number().int().min(0) });
const CloudPromotion = z.object({
  code: z.string().min(1),
  nameZh: z.string().min(1),
  nameEn: z.string().min(1),
  kind: z.string().min(1),
  params: z.record(z.string(), z.unknown()),
  priority: z.number().int(),
  startsAt: z.number().int().nullable(),
  endsAt: z.number().int().nullable(),
  active: z.boolean(),
});
const CloudMember = z.object({ id: z.number().int(), code: z.string().min(1), name: z.string(), phone: z.string(), tier: z.string(), active: z.boolean() });
const CloudStock = z.object({ storeCode: z.string(), sku: z.string().min(1), onHandMilli: z.number().int() });

export interface Change {
  version: number;
  entity: string;
  op: string;
  data: unknown;
}

export interface Snapshot {
  version: number;
  products: unknown[];
  prices: unknown[];
  promotions: unknown[];
  members: unknown[];
  stock: unknown[];
}

function upsertProduct(db: Db, data: unknown): void {
  const p = CloudProduct.parse(data);
  prepared(
    db,
    `INSERT INTO product (sku, category_id, name_zh, name_en, price, tax_class, active)
     VALUES (:sku, (SELECT id FROM category WHERE code = :categoryCode), :nameZh, :nameEn, 0, :taxClass, :active)
     ON CONFLICT (sku) DO UPDATE SET category_id = coalesce(excluded.category_id, product.category_id), name_zh = excluded.name_zh,
       name_en = excluded.name_en, tax_class = excluded.tax_class, active = excluded.active`,
  ).run({ sku: p.sku, categoryCode: p.categoryCode, nameZh: p.nameZh, nameEn: p.nameEn, taxClass: p.taxClass, active: p.active ? 1 : 0 });
  const productId = prepared<{ sku: string }, number>(db, 'SELECT id FROM product WHERE sku = :sku').pluck().get({ sku: p.sku }) as number;
  // The complete set: a code moves to this product; codes it no longer has are dropped.
  const keys = [...new Set(p.barcodes.map((code) => catalogueKey(code) ?? code))];
  prepared(db, 'DELETE FROM barcode WHERE product_id = :productId AND code NOT IN (SELECT value FROM json_each(:keys))').run({ productId, keys: JSON.stringify(keys) });
  const insert = prepared(db, 'INSERT INTO barcode (code, product_id) VALUES (:code, :productId) ON CONFLICT (code) DO UPDATE SET product_id = excluded.product_id');
  for (const code of keys) insert.run({ code, productId });
}

function recordPrice(db: Db, data: unknown): void {
  const p = CloudPrice.parse(data);
  prepared(db, 'INSERT INTO scheduled_price (sku, valid_from, price) VALUES (:sku, :validFrom, :price) ON CONFLICT (sku, valid_from) DO UPDATE SET price = excluded.price').run(p);
}

/** Puts every price whose time has come on its product, and forgets the ones it supersedes. */
export function applyDuePrices(db: Db, now: number): number {
  const changed = prepared(
    db,
    `UPDATE product SET price = due.price
     FROM (SELECT sku, price, max(valid_from) AS valid_from FROM scheduled_price WHERE valid_from <= :now GROUP BY sku) AS due
     WHERE product.sku = due.sku AND product.price <> due.price`,
  ).run({ now }).changes;
  prepared(
    db,
    `DELETE FROM scheduled_price WHERE valid_from < (
       SELECT max(s.valid_from) FROM scheduled_price s WHERE s.sku = scheduled_price.sku AND s.valid_from <= :now)`,
  ).run({ now });
  return changed;
}

function upsertPromotion(db: Db, data: unknown): void {
  const p = CloudPromotion.parse(data);
  prepared(
    db,
    `INSERT INTO promotion (code, name_zh, name_en, kind, params, priority, starts_at, ends_at, active)
     VALUES (:code, :nameZh, :nameEn, :kind, :params, :priority, :startsAt, :endsAt, :active)
     ON CONFLICT (code) DO UPDATE SET name_zh = excluded.name_zh, name_en = excluded.name_en, kind = excluded.kind, params = excluded.params,
       priority = excluded.priority, starts_at = excluded.starts_at, ends_at = excluded.ends_at, active = excluded.active`,
  ).run({ ...p, params: JSON.stringify(p.params), active: p.active ? 1 : 0 });
}

function upsertMember(db: Db, data: unknown): void {
  const m = CloudMember.parse(data);
  prepared(
    db,
    `INSERT INTO cloud_member (id, code, name, phone, tier, active) VALUES (:id, :code, :name, :phone, :tier, :active)
     ON CONFLICT (id) DO UPDATE SET code = excluded.code, name = excluded.name, phone = excluded.phone, tier = excluded.tier, active = excluded.active`,
  ).run({ ...m, active: m.active ? 1 : 0 });
}

function upsertStock(db: Db, data: unknown, storeCode: string): void {
  const s = CloudStock.parse(data);
  if (s.storeCode !== storeCode) return; // other stores' stock is not this register's business
  prepared(db, 'INSERT INTO cloud_stock (sku, on_hand_milli) VALUES (:sku, :onHandMilli) ON CONFLICT (sku) DO UPDATE SET on_hand_milli = excluded.on_hand_milli').run(s);
}

const appliers: Record<string, (db: Db, data: unknown, storeCode: string) => void> = {
  product: upsertProduct,
  price: recordPrice,
  promotion: upsertPromotion,
  member: upsertMember,
  stock: upsertStock,
};

/** Applies one change in its own savepoint: a change that cannot be stored is skipped, and named. */
function applyOne(db: Db, entity: string, data: unknown, storeCode: string, skipped: string[]): void {
  const applier = appliers[entity];
  if (!applier) {
    skipped.push(`${entity}: not known to this register version`);
    return;
  }
  try {
    db.transaction(() => applier(db, data, storeCode))();
  } catch (error) {
    skipped.push(`${entity}: ${(error as Error).message.slice(0, 200)}`);
  }
}

/**
 * One page of changes and the new cursor, in ONE transaction: a crash leaves either both or
 * neither. Answers what had to be skipped.
 */
export function applyChangePage(db: Db, changes: readonly Change[], nextSince: number, storeCode: string, now: number): string[] {
  const skipped: string[] = [];
  db.transaction(() => {
    for (const change of changes) applyOne(db, change.entity, change.data, storeCode, skipped);
    applyDuePrices(db, now);
    prepared(db, 'UPDATE sync_enrolment SET changes_cursor = :nextSince WHERE id = 1').run({ nextSince });
  }).immediate();
  return skipped;
}

/** A snapshot replaces the pulled data (products are upserted, never deleted: old sales name them). */
export function applySnapshot(db: Db, snapshot: Snapshot, storeCode: string, now: number): string[] {
  const skipped: string[] = [];
  db.transaction(() => {
    prepared(db, 'DELETE FROM scheduled_price').run();
    prepared(db, 'DELETE FROM cloud_stock').run();
    for (const p of snapshot.products) applyOne(db, 'product', p, storeCode, skipped);
    for (const p of snapshot.prices) applyOne(db, 'price', p, storeCode, skipped);
    for (const p of snapshot.promotions) applyOne(db, 'promotion', p, storeCode, skipped);
    for (const m of snapshot.members) applyOne(db, 'member', m, storeCode, skipped);
    for (const s of snapshot.stock) applyOne(db, 'stock', s, storeCode, skipped);
    applyDuePrices(db, now);
    prepared(db, 'UPDATE sync_enrolment SET changes_cursor = :version WHERE id = 1').run({ version: snapshot.version });
  }).immediate();
  return skipped;
}
