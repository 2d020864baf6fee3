/**
 * What head office edits and registers pull: products with their barcodes, effective-dated prices,
 * promotions and members. Every write appends its changes to the merchant's change log in the same
 * transaction; an upsert that changes nothing appends nothing.
 *
 * The `data` shapes below are the protocol (cloud/README.md): the change log and the snapshot
 * carry exactly the same objects.
 */
import type { z } from 'zod';
import type { FeedMember, FeedPrice, FeedProduct } from '../../src/shared/change-feed';
import { AdminError } from '../errors';
import type { Pool, Queryable } from '../db/pool';
import { withTransaction } from '../db/tx';
import { appendChanges, type Change } from './change-log';
import { canonicalJson } from './canonical-json';
import { PromotionDefinition, Promotion } from './promotion-schema';
import { loadMemberFeed, memberChanges } from './members';
import { MemberInput, NonNegativeCents, ProductInput, Sku, describeIssues } from './schemas';
import { variantProblem } from '../../src/shared/product-variants';

export type PriceData = FeedPrice;
export type MemberData = FeedMember;

/** A product as the cloud keeps it: the feed's shape with the variant fields always present. */
export type ProductData = FeedProduct & { parentSku: string | null; optionZh: string; optionEn: string };

/**
 * Products by SKU (all of the merchant's when `skus` is omitted), barcodes included. Parents come
 * before variants, so a register applying the list in order always has a variant's parent first.
 */
export async function loadProducts(db: Queryable, merchantId: number, skus?: string[]): Promise<ProductData[]> {
  const rows = (
    await db.query<{
      sku: string;
      name_zh: string;
      name_en: string;
      category_code: string | null;
      tax_class: string;
      active: boolean;
      barcodes: string[];
      parent_sku: string | null;
      option_zh: string;
      option_en: string;
    }>(
      `SELECT p.sku, p.name_zh, p.name_en, p.category_code, p.tax_class, p.active, p.parent_sku, p.option_zh, p.option_en,
              coalesce(array_agg(b.code ORDER BY b.code) FILTER (WHERE b.code IS NOT NULL), '{}') AS barcodes
       FROM product p LEFT JOIN barcode b ON b.merchant_id = p.merchant_id AND b.sku = p.sku
       WHERE p.merchant_id = $1 AND ($2::text[] IS NULL OR p.sku = ANY($2::text[]))
       GROUP BY p.merchant_id, p.sku
       ORDER BY p.parent_sku IS NOT NULL, p.sku`,
      [merchantId, skus ?? null],
    )
  ).rows;
  return rows.map((r) => ({
    sku: r.sku,
    nameZh: r.name_zh,
    nameEn: r.name_en,
    categoryCode: r.category_code,
    taxClass: r.tax_class,
    active: r.active,
    barcodes: r.barcodes,
    parentSku: r.parent_sku,
    optionZh: r.option_zh,
    optionEn: r.option_en,
  }));
}

/**
 * Refuses making `sku` a variant of `parentSku` when the rule says no (src/shared/product-variants.ts),
 * naming the field for the console. Locks both products first (in SKU order), so two edits at once
 * cannot each pass and together make a chain.
 */
async function checkParent(client: Queryable, merchantId: number, sku: string, parentSku: string): Promise<void> {
  const locked = new Map(
    (
      await client.query<{ sku: string; parent_sku: string | null }>(
        'SELECT sku, parent_sku FROM product WHERE merchant_id = $1 AND sku = ANY($2::text[]) ORDER BY sku FOR UPDATE',
        [merchantId, [sku, parentSku]],
      )
    ).rows.map((r) => [r.sku, r.parent_sku]),
  );
  const parentsAbove = async (at: string): Promise<string | null | undefined> => {
    if (at === sku) return parentSku;
    if (locked.has(at)) return locked.get(at);
    const row = (
      await client.query<{ parent_sku: string | null }>('SELECT parent_sku FROM product WHERE merchant_id = $1 AND sku = $2', [
        merchantId,
        at,
      ])
    ).rows[0];
    return row ? row.parent_sku : undefined;
  };
  // The chain above the parent is one level at most, so two look-ups answer every case.
  const known = new Map<string, string | null | undefined>();
  for (let at: string | null | undefined = parentSku, i = 0; typeof at === 'string' && i < 3 && !known.has(at); i += 1) {
    const above: string | null | undefined = await parentsAbove(at);
    known.set(at, above);
    at = above;
  }
  const hasVariants =
    (await client.query('SELECT 1 FROM product WHERE merchant_id = $1 AND parent_sku = $2 LIMIT 1', [merchantId, sku])).rowCount !== 0;
  const problem = variantProblem(sku, parentSku, {
    parentOf: (at) => (at === sku ? parentSku : known.get(at)),
    hasVariants: () => hasVariants,
  });
  if (problem) throw new AdminError('INVALID', problem.en, [{ path: 'parentSku', message: problem.code }]);
}

export function parseOrThrow<T>(schema: z.ZodType<T>, input: unknown, what: string): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new AdminError('INVALID', `Invalid ${what}: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

export async function upsertProduct(
  pool: Pool,
  merchantId: number,
  input: unknown,
  now: number,
): Promise<{ product: ProductData; price: PriceData | null; changed: boolean }> {
  const product = parseOrThrow(ProductInput, input, 'product');
  return withTransaction(pool, async (client) => {
    // 1. the product, and the products its barcodes are taken from (they change too)
    const codes = product.barcodes ?? [];
    const losers = (
      await client.query<{ sku: string }>(
        'SELECT DISTINCT sku FROM barcode WHERE merchant_id = $1 AND code = ANY($2::text[]) AND sku <> $3',
        [merchantId, codes, product.sku],
      )
    ).rows.map((r) => r.sku);
    const touched = [product.sku, ...losers];
    const before = new Map((await loadProducts(client, merchantId, touched)).map((p) => [p.sku, canonicalJson(p)]));
    if (product.parentSku) await checkParent(client, merchantId, product.sku, product.parentSku);
    // parentSku and the option labels: omitted keeps what the product has (a new product: none)
    await client.query(
      `INSERT INTO product (merchant_id, sku, name_zh, name_en, category_code, tax_class, active, updated_at, parent_sku, option_zh, option_en)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, coalesce($10, ''), coalesce($11, ''))
       ON CONFLICT (merchant_id, sku) DO UPDATE SET name_zh = EXCLUDED.name_zh, name_en = EXCLUDED.name_en, category_code = EXCLUDED.category_code,
         tax_class = EXCLUDED.tax_class, active = EXCLUDED.active, updated_at = EXCLUDED.updated_at,
         parent_sku = CASE WHEN $12 THEN EXCLUDED.parent_sku ELSE product.parent_sku END,
         option_zh = coalesce($10, product.option_zh), option_en = coalesce($11, product.option_en)`,
      [
        merchantId,
        product.sku,
        product.nameZh,
        product.nameEn,
        product.categoryCode,
        product.taxClass,
        product.active,
        new Date(now),
        product.parentSku ?? null,
        product.optionZh ?? null,
        product.optionEn ?? null,
        product.parentSku !== undefined,
      ],
    );
    // 2. barcodes: the given set replaces the product's, and moves codes away from other products
    if (product.barcodes) {
      await client.query('DELETE FROM barcode WHERE merchant_id = $1 AND (sku = $2 OR code = ANY($3::text[]))', [
        merchantId,
        product.sku,
        codes,
      ]);
      await client.query(
        'INSERT INTO barcode (merchant_id, code, sku) SELECT $1, code, $2 FROM unnest($3::text[]) AS code ON CONFLICT DO NOTHING',
        [merchantId, product.sku, codes],
      );
    }
    const after = await loadProducts(client, merchantId, touched);
    const changes: Change[] = after
      .filter((p) => before.get(p.sku) !== canonicalJson(p))
      .map((p) => ({ entity: 'product', op: 'upsert', data: { ...p } }));
    // 3. the price from now on, when given and different from the current one
    let price: PriceData | null = null;
    if (product.price !== undefined) {
      const current = await currentPrice(client, merchantId, product.sku, now);
      if (current?.price !== product.price) {
        price = await insertPrice(client, merchantId, product.sku, product.price, now, now);
        changes.push({ entity: 'price', op: 'upsert', data: { ...price } });
      }
    }
    // 4. the change log, last
    await appendChanges(client, merchantId, changes, now);
    return { product: after.find((p) => p.sku === product.sku) as ProductData, price, changed: changes.length > 0 };
  });
}

async function insertPrice(
  client: Queryable,
  merchantId: number,
  sku: string,
  price: number,
  validFrom: number,
  now: number,
): Promise<PriceData> {
  // The same instant again corrects that entry (a mistyped scheduled price); otherwise history is kept.
  await client.query(
    `INSERT INTO price (merchant_id, sku, price, valid_from, created_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (merchant_id, sku, valid_from) DO UPDATE SET price = EXCLUDED.price, created_at = EXCLUDED.created_at`,
    [merchantId, sku, price, new Date(validFrom), new Date(now)],
  );
  return { sku, price, validFrom };
}

export async function currentPrice(db: Queryable, merchantId: number, sku: string, now: number): Promise<PriceData | null> {
  const row = (
    await db.query<{ price: number; valid_from: Date }>(
      'SELECT price, valid_from FROM price WHERE merchant_id = $1 AND sku = $2 AND valid_from <= $3 ORDER BY valid_from DESC LIMIT 1',
      [merchantId, sku, new Date(now)],
    )
  ).rows[0];
  return row ? { sku, price: row.price, validFrom: row.valid_from.getTime() } : null;
}

/** Each SKU's current price and any scheduled after it, oldest first. */
export async function loadPrices(db: Queryable, merchantId: number, now: number): Promise<PriceData[]> {
  const rows = (
    await db.query<{ sku: string; price: number; valid_from: Date }>(
      `SELECT sku, price, valid_from FROM (
         SELECT DISTINCT ON (sku) sku, price, valid_from FROM price WHERE merchant_id = $1 AND valid_from <= $2 ORDER BY sku, valid_from DESC
       ) AS current_price
       UNION ALL
       SELECT sku, price, valid_from FROM price WHERE merchant_id = $1 AND valid_from > $2
       ORDER BY sku, valid_from`,
      [merchantId, new Date(now)],
    )
  ).rows;
  return rows.map((r) => ({ sku: r.sku, price: r.price, validFrom: r.valid_from.getTime() }));
}

/** A price for `sku` from `validFrom` (now when omitted; later for a scheduled change). */
export async function setPrice(
  pool: Pool,
  merchantId: number,
  sku: string,
  price: number,
  validFrom: number | undefined,
  now: number,
): Promise<PriceData> {
  parseOrThrow(Sku, sku, 'SKU');
  parseOrThrow(NonNegativeCents, price, 'price (integer cents, 0 or more)');
  return withTransaction(pool, async (client) => {
    const exists = await client.query('SELECT 1 FROM product WHERE merchant_id = $1 AND sku = $2', [merchantId, sku]);
    if (!exists.rowCount) throw new AdminError('NOT_FOUND', `No product ${sku}: upsert it first`);
    const data = await insertPrice(client, merchantId, sku, price, validFrom ?? now, now);
    await appendChanges(client, merchantId, [{ entity: 'price', op: 'upsert', data: { ...data } }], now);
    return data;
  });
}

interface PromotionRow {
  id: number;
  code: string;
  name_zh: string;
  name_en: string;
  kind: string;
  params: Record<string, unknown>;
  priority: number;
  starts_at: Date | null;
  ends_at: Date | null;
  active: boolean;
}

const PROMOTION_COLUMNS = 'id, code, name_zh, name_en, kind, params, priority, starts_at, ends_at, active';

function promotionOf(row: PromotionRow): Promotion {
  // Parsed on the way out as well: registers must only ever receive a promotion their engine accepts.
  return Promotion.parse({
    id: row.id,
    code: row.code,
    nameZh: row.name_zh,
    nameEn: row.name_en,
    kind: row.kind,
    params: row.params,
    priority: row.priority,
    startsAt: row.starts_at?.getTime() ?? null,
    endsAt: row.ends_at?.getTime() ?? null,
    active: row.active,
  });
}

export async function loadPromotions(db: Queryable, merchantId: number): Promise<Promotion[]> {
  const rows = (await db.query<PromotionRow>(`SELECT ${PROMOTION_COLUMNS} FROM promotion WHERE merchant_id = $1 ORDER BY id`, [merchantId]))
    .rows;
  return rows.map(promotionOf);
}

/** Upserts by code; priority 0, no window and active are the defaults. */
export async function upsertPromotion(pool: Pool, merchantId: number, input: unknown, now: number): Promise<Promotion> {
  const withDefaults =
    input !== null && typeof input === 'object' && !Array.isArray(input)
      ? { priority: 0, startsAt: null, endsAt: null, active: true, ...input }
      : input;
  const p = parseOrThrow(PromotionDefinition, withDefaults, 'promotion');
  return withTransaction(pool, async (client) => {
    const row = (
      await client.query<PromotionRow>(
        `INSERT INTO promotion (merchant_id, code, name_zh, name_en, kind, params, priority, starts_at, ends_at, active, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10, $11)
         ON CONFLICT (merchant_id, code) DO UPDATE SET name_zh = EXCLUDED.name_zh, name_en = EXCLUDED.name_en, kind = EXCLUDED.kind, params = EXCLUDED.params,
           priority = EXCLUDED.priority, starts_at = EXCLUDED.starts_at, ends_at = EXCLUDED.ends_at, active = EXCLUDED.active, updated_at = EXCLUDED.updated_at
         RETURNING ${PROMOTION_COLUMNS}`,
        [
          merchantId,
          p.code,
          p.nameZh,
          p.nameEn,
          p.kind,
          JSON.stringify(p.params),
          p.priority,
          p.startsAt === null ? null : new Date(p.startsAt),
          p.endsAt === null ? null : new Date(p.endsAt),
          p.active,
          new Date(now),
        ],
      )
    ).rows[0] as PromotionRow;
    const promotion = promotionOf(row);
    await appendChanges(client, merchantId, [{ entity: 'promotion', op: 'upsert', data: { ...promotion } }], now);
    return promotion;
  });
}

export async function loadMembers(db: Queryable, merchantId: number): Promise<MemberData[]> {
  return loadMemberFeed(db, merchantId);
}

/** Upserts by member code. */
export async function upsertMember(pool: Pool, merchantId: number, input: unknown, now: number): Promise<MemberData> {
  const m = parseOrThrow(MemberInput, input, 'member');
  return withTransaction(pool, async (client) => {
    const row = (
      await client.query<{ id: number }>(
        `INSERT INTO member (merchant_id, code, name, phone, tier, active, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (merchant_id, code) DO UPDATE SET name = EXCLUDED.name, phone = EXCLUDED.phone, tier = EXCLUDED.tier, active = EXCLUDED.active, updated_at = EXCLUDED.updated_at
         RETURNING id`,
        [merchantId, m.code, m.name, m.phone, m.tier, m.active, new Date(now)],
      )
    ).rows[0] as { id: number };
    const changes = await memberChanges(client, merchantId, [Number(row.id)]);
    await appendChanges(client, merchantId, changes, now);
    return (changes[0] as { data: MemberData }).data;
  });
}
