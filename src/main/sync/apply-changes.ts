/**
 * Applies what the cloud changed (GET /v1/changes, GET /v1/snapshot) to the register's catalogue:
 * products and barcodes, effective-dated prices, promotions, members and the store's on-hand.
 * Every change is parsed with the shared feed schema (src/shared/change-feed.ts) first. Cart lines
 * keep the unit price they were scanned at, so an open cart never changes under the cashier; a new
 * price applies to the next scan. A change this register cannot apply is never dropped: it is held
 * in sync_held_change (counted in the sync status), retried at every pull, and forgotten only when
 * it applies or a newer change to the same thing does.
 */
import { catalogueKey } from '../../shared/barcode';
import { upsertCloudMember } from '../members/member-repo';
import { upsertCloudGiftCard } from '../members/gift-cards';
import { applyCloudMemberRules } from '../members/member-rules';
import {
  SNAPSHOT_LISTS,
  feedChangeKey,
  parseFeedChange,
  type FeedChangeEnvelope,
  type FeedData,
  type FeedEntity,
  type FeedSnapshotEnvelope,
} from '../../shared/change-feed';
import type { Db } from '../db/open';
import { prepared } from '../db/prepared';

function upsertProduct(db: Db, p: FeedData['product']): void {
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
  prepared(db, 'DELETE FROM barcode WHERE product_id = :productId AND code NOT IN (SELECT value FROM json_each(:keys))').run({
    productId,
    keys: JSON.stringify(keys),
  });
  const insert = prepared(
    db,
    'INSERT INTO barcode (code, product_id) VALUES (:code, :productId) ON CONFLICT (code) DO UPDATE SET product_id = excluded.product_id',
  );
  for (const code of keys) insert.run({ code, productId });
  // 4. a variant's parent and option label; an older cloud sends neither and what is here stays
  if (p.parentSku !== undefined) {
    const parentId =
      p.parentSku === null
        ? null
        : (prepared<{ sku: string }, number>(db, 'SELECT id FROM product WHERE sku = :sku').pluck().get({ sku: p.parentSku }) ?? null);
    // held, and tried again at the next pull: the parent comes first in the feed, so this is rare
    if (p.parentSku !== null && parentId === null) throw new Error(`the parent ${p.parentSku} of ${p.sku} is not here yet`);
    prepared(db, 'UPDATE product SET parent_id = :parentId WHERE id = :productId').run({ parentId, productId });
  }
  if (p.optionZh !== undefined || p.optionEn !== undefined)
    prepared(db, 'UPDATE product SET option_zh = :optionZh, option_en = :optionEn WHERE id = :productId').run({
      optionZh: p.optionZh ?? '',
      optionEn: p.optionEn ?? '',
      productId,
    });
}

function recordPrice(db: Db, p: FeedData['price']): void {
  prepared(
    db,
    'INSERT INTO scheduled_price (sku, valid_from, price) VALUES (:sku, :validFrom, :price) ON CONFLICT (sku, valid_from) DO UPDATE SET price = excluded.price',
  ).run(p);
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

function upsertPromotion(db: Db, p: FeedData['promotion']): void {
  prepared(
    db,
    `INSERT INTO promotion (code, name_zh, name_en, kind, params, priority, starts_at, ends_at, active)
     VALUES (:code, :nameZh, :nameEn, :kind, :params, :priority, :startsAt, :endsAt, :active)
     ON CONFLICT (code) DO UPDATE SET name_zh = excluded.name_zh, name_en = excluded.name_en, kind = excluded.kind, params = excluded.params,
       priority = excluded.priority, starts_at = excluded.starts_at, ends_at = excluded.ends_at, active = excluded.active`,
  ).run({ ...p, params: JSON.stringify(p.params), active: p.active ? 1 : 0 });
}

function upsertStock(db: Db, s: FeedData['stock'], storeCode: string): void {
  if (s.storeCode !== storeCode) return; // other stores' stock is not this register's business
  prepared(
    db,
    'INSERT INTO cloud_stock (sku, on_hand_milli) VALUES (:sku, :onHandMilli) ON CONFLICT (sku) DO UPDATE SET on_hand_milli = excluded.on_hand_milli',
  ).run(s);
}

/** A transfer to this store: kept until received (here, or at another register of the store). */
function upsertTransfer(db: Db, t: FeedData['transfer'], storeCode: string): void {
  if (t.toStoreCode !== storeCode) return;
  prepared(
    db,
    `INSERT INTO inbound_transfer (doc_id, doc_no, from_store_code, sent_at, complete, received, lines)
       VALUES (:docId, :docNo, :fromStoreCode, :sentAt, :complete, :received, :lines)
     ON CONFLICT (doc_id) DO UPDATE SET complete = excluded.complete, received = max(received, excluded.received), lines = excluded.lines`,
  ).run({
    docId: t.docId,
    docNo: t.docNo,
    fromStoreCode: t.fromStoreCode,
    sentAt: t.sentAt,
    complete: t.partsIn >= t.parts ? 1 : 0,
    received: t.status === 'received' ? 1 : 0,
    lines: JSON.stringify(t.lines),
  });
}

/** A purchase order for this store: open until received (here, or at another register of the store). */
function upsertPurchaseOrder(db: Db, o: FeedData['purchase_order'], storeCode: string): void {
  if (o.storeCode !== storeCode) return;
  prepared(
    db,
    `INSERT INTO purchase_order (po_id, po_no, supplier, created_at, status, lines)
       VALUES (:poId, :poNo, :supplier, :createdAt, :status, :lines)
     ON CONFLICT (po_id) DO UPDATE SET status = CASE WHEN purchase_order.status = 'open' THEN excluded.status ELSE purchase_order.status END,
       supplier = excluded.supplier, lines = excluded.lines`,
  ).run({ poId: o.poId, poNo: o.poNo, supplier: o.supplier, createdAt: o.createdAt, status: o.status, lines: JSON.stringify(o.lines) });
}

/**
 * This store's reorder level for a product, as head office set it (the cloud owns reorder levels of
 * an enrolled register); null clears it. A product not pulled yet holds the change until it is.
 */
function upsertReorderLevel(db: Db, l: FeedData['reorder_level'], storeCode: string): void {
  if (l.storeCode !== storeCode) return;
  const productId = prepared<{ sku: string }, number>(db, 'SELECT id FROM product WHERE sku = :sku').pluck().get({ sku: l.sku });
  if (productId === undefined) throw new Error(`no product ${l.sku} yet`);
  if (l.reorderMilli === null) prepared(db, 'DELETE FROM stock_level WHERE product_id = :productId').run({ productId });
  else
    prepared(
      db,
      `INSERT INTO stock_level (product_id, reorder_milli) VALUES (:productId, :q)
       ON CONFLICT (product_id) DO UPDATE SET reorder_milli = excluded.reorder_milli`,
    ).run({ productId, q: l.reorderMilli });
}

/** A price for one store (issue 16): this store's joins the scheduled prices, other stores' are not this register's business. */
function recordStorePrice(db: Db, p: FeedData['store_price'], storeCode: string): void {
  if (p.storeCode !== storeCode) return;
  recordPrice(db, { sku: p.sku, price: p.price, validFrom: p.validFrom });
}

/**
 * A person head office keeps (issue 16), matched by code: name, role and active come from the cloud;
 * the PIN never does. Someone new gets no usable PIN until a manager sets one here (staff:save);
 * someone whose stores no longer include this one is deactivated here.
 */
function upsertCloudStaff(db: Db, s: FeedData['staff'], storeCode: string): void {
  const worksHere = s.active && (s.storeCodes === null || s.storeCodes.includes(storeCode));
  const existing = prepared<{ code: string }, { id: number }>(db, 'SELECT id FROM staff WHERE code = :code').get({ code: s.code });
  if (existing) {
    prepared(db, 'UPDATE staff SET name_zh = :nameZh, name_en = :nameEn, role = :role, active = :active WHERE id = :id').run({
      id: existing.id,
      nameZh: s.nameZh,
      nameEn: s.nameEn,
      role: s.role,
      active: worksHere ? 1 : 0,
    });
    return;
  }
  if (!worksHere) return;
  // pin_hash '' matches no PIN (pin-hash.ts verifyPin): logging in needs the PIN a manager sets here.
  prepared(db, "INSERT INTO staff (code, name_zh, name_en, role, pin_hash, active) VALUES (:code, :nameZh, :nameEn, :role, '', 1)").run({
    code: s.code,
    nameZh: s.nameZh,
    nameEn: s.nameEn,
    role: s.role,
  });
}

/** Each entity's applier; `version` is the change's (a snapshot's), for what the register keeps as of a version (balances). */
const appliers: { [E in FeedEntity]: (db: Db, data: FeedData[E], storeCode: string, version: number) => void } = {
  product: upsertProduct,
  price: recordPrice,
  store_price: recordStorePrice,
  staff: upsertCloudStaff,
  promotion: upsertPromotion,
  member: (db, m, _storeCode, version) => upsertCloudMember(db, m, version),
  stock: upsertStock,
  transfer: upsertTransfer,
  purchase_order: upsertPurchaseOrder,
  gift_card: (db, c, _storeCode, version) => upsertCloudGiftCard(db, c, version),
  reorder_level: upsertReorderLevel,
  member_rules: applyCloudMemberRules,
};

/** Parses and applies one change in its own savepoint; answers why it could not, or null. */
function applyOne(db: Db, version: number, entity: string, op: string, data: unknown, storeCode: string): string | null {
  const parsed = parseFeedChange(entity, op, data);
  if (!parsed.ok) return parsed.error;
  const change = parsed.change;
  try {
    const apply = appliers[change.entity] as (db: Db, data: unknown, storeCode: string, version: number) => void;
    db.transaction(() => apply(db, change.data, storeCode, version))();
    return null;
  } catch (error) {
    return `${entity}: ${(error as Error).message.slice(0, 200)}`;
  }
}

interface HeldRow {
  id: number;
  version: number;
  entity: string;
  op: string;
  data: string;
}

/** Applies a change, or holds it; a change that applies supersedes the held ones it is newer than. */
function applyOrHold(db: Db, change: FeedChangeEnvelope, storeCode: string, now: number): boolean {
  const error = applyOne(db, change.version, change.entity, change.op, change.data, storeCode);
  const key = feedChangeKey(change.entity, change.data);
  if (error === null) {
    if (key !== null)
      prepared(db, 'DELETE FROM sync_held_change WHERE change_key = :key AND version <= :version').run({ key, version: change.version });
    return true;
  }
  prepared(
    db,
    `INSERT INTO sync_held_change (version, entity, op, change_key, data, error, held_at) VALUES (:version, :entity, :op, :key, :data, :error, :now)`,
  ).run({ version: change.version, entity: change.entity, op: change.op, key, data: JSON.stringify(change.data ?? null), error, now });
  return false;
}

/** Tries every held change again, oldest first: those that apply now are forgotten. */
function retryHeld(db: Db, storeCode: string): void {
  const held = prepared<[], HeldRow>(db, 'SELECT id, version, entity, op, data FROM sync_held_change ORDER BY version, id').all();
  for (const row of held) {
    const error = applyOne(db, row.version, row.entity, row.op, JSON.parse(row.data) as unknown, storeCode);
    if (error === null) prepared(db, 'DELETE FROM sync_held_change WHERE id = :id').run({ id: row.id });
    else prepared(db, 'UPDATE sync_held_change SET error = :error, attempts = attempts + 1 WHERE id = :id').run({ id: row.id, error });
  }
}

/** Changes held for retry, and why the oldest is held. */
export function heldChanges(db: Db): { count: number; firstError: string | null } {
  const row = prepared<[], { count: number; first: string | null }>(
    db,
    'SELECT count(*) AS count, (SELECT error FROM sync_held_change ORDER BY version, id LIMIT 1) AS first FROM sync_held_change',
  ).get() as { count: number; first: string | null };
  return { count: row.count, firstError: row.first };
}

/**
 * One page of changes and the new cursor, in ONE transaction: a crash leaves either both or
 * neither. Held changes are tried again first (they are older than the page). Answers how many of
 * the page's changes were held.
 */
export function applyChangePage(db: Db, changes: readonly FeedChangeEnvelope[], nextSince: number, storeCode: string, now: number): number {
  let held = 0;
  db.transaction(() => {
    retryHeld(db, storeCode);
    for (const change of changes) if (!applyOrHold(db, change, storeCode, now)) held += 1;
    applyDuePrices(db, now);
    prepared(db, 'UPDATE sync_enrolment SET changes_cursor = :nextSince WHERE id = 1').run({ nextSince });
  }).immediate();
  return held;
}

/**
 * The versions pulled balances are kept as of (migration 0026) mean something only against the
 * change log that gave them: forgotten when that log starts again (a restored cloud) or is another
 * (a new enrolment), so the first snapshot from it is the truth.
 */
export function forgetPulledVersions(db: Db): void {
  prepared(db, 'UPDATE cloud_gift_card SET version = 0 WHERE version <> 0').run();
  prepared(
    db,
    'UPDATE cloud_member SET points_version = 0, store_credit_version = 0 WHERE points_version <> 0 OR store_credit_version <> 0',
  ).run();
}

/**
 * A snapshot replaces the pulled data (products are upserted, never deleted: old sales name them)
 * and every held change (it is the whole truth as of its version). Answers how many items were held.
 */
export function applySnapshot(db: Db, snapshot: FeedSnapshotEnvelope, storeCode: string, now: number): number {
  let held = 0;
  db.transaction(() => {
    prepared(db, 'DELETE FROM scheduled_price').run();
    prepared(db, 'DELETE FROM cloud_stock').run();
    // reorder levels are head office's: the snapshot holds every one this store has
    prepared(db, 'DELETE FROM stock_level').run();
    prepared(db, 'DELETE FROM sync_held_change').run();
    // A snapshot older than the cursor: the cloud's database was restored and its versions start
    // again lower; what this register kept as of the old versions must not outrank the snapshot.
    const cursor = prepared<[], number>(db, 'SELECT changes_cursor FROM sync_enrolment WHERE id = 1').pluck().get() ?? 0;
    if (cursor > snapshot.version) forgetPulledVersions(db);
    // An older cloud sends no cards: the ones this register has stay as they were. A card kept as of
    // a newer version (a redemption answered after the snapshot was read) stays too.
    if (snapshot.giftCards.length > 0)
      prepared(db, 'DELETE FROM cloud_gift_card WHERE version <= :version').run({ version: snapshot.version });
    for (const [list, entity] of Object.entries(SNAPSHOT_LISTS) as [keyof typeof SNAPSHOT_LISTS, FeedEntity][]) {
      for (const data of snapshot[list])
        if (!applyOrHold(db, { version: snapshot.version, entity, op: 'upsert', data }, storeCode, now)) held += 1;
    }
    applyDuePrices(db, now);
    prepared(db, 'UPDATE sync_enrolment SET changes_cursor = :version WHERE id = 1').run({ version: snapshot.version });
  }).immediate();
  return held;
}
