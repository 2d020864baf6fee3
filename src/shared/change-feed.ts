/**
 * The change feed (GET /v1/changes) and the snapshot (GET /v1/snapshot): ONE schema for what the
 * cloud sends and what a register accepts. The cloud types its output with it (cloud/domain/
 * change-log.ts, snapshot.ts, catalogue.ts); the register parses every change with it before
 * applying it (src/main/sync/apply-changes.ts); tests/node/cloud/feed-contract.test.ts feeds a
 * real cloud's pages and snapshot through the register's parser.
 *
 * Objects are not strict: a newer cloud may add fields, which an older register ignores. A change
 * whose entity this register does not know, or whose data does not parse, is held, never dropped.
 */
import { z } from 'zod';
import { FeedMemberRules } from './member-rules';

export { FeedMemberRules };

const Version = z.number().int().min(0);
const EpochMs = z.number().int();
const Code = z.string().min(1);

export const FeedProduct = z.object({
  sku: Code,
  nameZh: z.string().min(1),
  nameEn: z.string().min(1),
  categoryCode: z.string().nullable(),
  taxClass: z.string().min(1),
  active: z.boolean(),
  /** The complete set: a barcode belongs to one product at a time. */
  barcodes: z.array(Code),
  /**
   * A variant (a size or a colour) names the product it belongs to, one level deep
   * (src/shared/product-variants.ts); null: not a variant. Absent from an older cloud: the
   * register keeps what it has.
   */
  parentSku: Code.nullable().optional(),
  /** A variant's option label (尺碼 M / Size M); '' when none. */
  optionZh: z.string().optional(),
  optionEn: z.string().optional(),
});
export type FeedProduct = z.infer<typeof FeedProduct>;

export const FeedPrice = z.object({
  sku: Code,
  /** cents */
  price: z.number().int().min(0),
  /** The current price is the latest validFrom <= now. */
  validFrom: EpochMs,
});
export type FeedPrice = z.infer<typeof FeedPrice>;

/** `params` are checked by the pricing engine's own schema (src/main/pricing/promotion-schema.ts) when it reads them. */
export const FeedPromotion = z.object({
  id: z.number().int().positive(),
  code: Code,
  nameZh: z.string().min(1),
  nameEn: z.string().min(1),
  kind: Code,
  params: z.record(z.string(), z.unknown()),
  priority: z.number().int(),
  startsAt: EpochMs.nullable(),
  endsAt: EpochMs.nullable(),
  active: z.boolean(),
});
export type FeedPromotion = z.infer<typeof FeedPromotion>;

export const FeedMember = z.object({
  id: z.number().int().positive(),
  code: Code,
  name: z.string(),
  /** Head office may not have one. */
  phone: z.string().nullable(),
  tier: z.string(),
  active: z.boolean(),
  /** Balances as the cloud's ledgers settle them (points; store credit in cents); 0 from an older cloud. */
  points: z.number().int().default(0),
  storeCredit: z.number().int().default(0),
  /** Provisional codes tills gave this member when enrolling it offline (merged ones included). */
  aliases: z.array(Code).default([]),
});
export type FeedMember = z.infer<typeof FeedMember>;

/** On-hand of one SKU in one store (every store's: a register keeps its own store's). */
export const FeedStock = z.object({ storeCode: Code, sku: Code, onHandMilli: z.number().int() });
export type FeedStock = z.infer<typeof FeedStock>;

/**
 * Goods one store sent another (issue 14): in transit until the receiving store posts what arrived.
 * A long transfer arrives in parts; it can be received once all `parts` are in (`partsIn`).
 */
export const FeedTransfer = z.object({
  docId: z.string().uuid(),
  docNo: Code,
  fromStoreCode: Code,
  toStoreCode: Code,
  sentAt: EpochMs,
  parts: z.number().int().min(1),
  partsIn: z.number().int().min(0),
  status: z.enum(['in-transit', 'received']),
  lines: z.array(z.object({ sku: Code, quantityMilli: z.number().int() })),
});
export type FeedTransfer = z.infer<typeof FeedTransfer>;

/**
 * Goods head office ordered for one store (issue 14): open until a register of the store receives
 * against it (what arrived against what was ordered), then `received`; `cancelled` by head office.
 */
export const FeedPurchaseOrder = z.object({
  poId: z.string().uuid(),
  poNo: Code,
  storeCode: Code,
  supplier: z.string(),
  createdAt: EpochMs,
  status: z.enum(['open', 'received', 'cancelled']),
  lines: z.array(z.object({ sku: Code, quantityMilli: z.number().int().positive(), costCents: z.number().int().min(0).nullable() })),
});
export type FeedPurchaseOrder = z.infer<typeof FeedPurchaseOrder>;

/**
 * A price for one store from `validFrom` (issue 16). At a store the price in force is the latest
 * validFrom among the merchant-wide prices and the store's own; other stores' are ignored.
 */
export const FeedStorePrice = z.object({ storeCode: Code, sku: Code, price: z.number().int().min(0), validFrom: EpochMs });
export type FeedStorePrice = z.infer<typeof FeedStorePrice>;

/**
 * A register staff member head office keeps (issue 16), matched by code. The roles are the
 * register's built-in ones; never a PIN: each register sets its own. `storeCodes` null: every store.
 */
export const FeedStaff = z.object({
  code: z.string().regex(/^[A-Za-z0-9-]{1,16}$/),
  nameZh: z.string().min(1).max(40),
  nameEn: z.string().min(1).max(40),
  role: z.enum(['cashier', 'supervisor', 'manager', 'admin']),
  active: z.boolean(),
  storeCodes: z.array(Code).nullable(),
});
export type FeedStaff = z.infer<typeof FeedStaff>;

/**
 * A gift card (issue 13), by the hash of its code (never the code): its status and its balance as
 * the cloud's ledger settles it (cents). A `void` card is refused by every till from this pull on.
 */
export const FeedGiftCard = z.object({
  hash: z.string().regex(/^gc1:[0-9a-f]{60}$/),
  last4: z.string().regex(/^\d{4}$/),
  status: z.enum(['issued', 'active', 'void']),
  balance: z.number().int(),
});
export type FeedGiftCard = z.infer<typeof FeedGiftCard>;

/**
 * A store's reorder level for one product (issue 14), set by head office: at or under it the product
 * is on the store's low-stock list. null: head office cleared it. The cloud owns these: an enrolled
 * register does not edit its own.
 */
export const FeedReorderLevel = z.object({ storeCode: Code, sku: Code, reorderMilli: z.number().int().min(0).nullable() });
export type FeedReorderLevel = z.infer<typeof FeedReorderLevel>;

export const FEED_ENTITIES = {
  product: FeedProduct,
  price: FeedPrice,
  store_price: FeedStorePrice,
  staff: FeedStaff,
  promotion: FeedPromotion,
  member: FeedMember,
  stock: FeedStock,
  transfer: FeedTransfer,
  purchase_order: FeedPurchaseOrder,
  gift_card: FeedGiftCard,
  reorder_level: FeedReorderLevel,
  /** The merchant's earn and redeem rules (src/shared/member-rules.ts): one at a time, the newest version wins. */
  member_rules: FeedMemberRules,
} as const;
export type FeedEntity = keyof typeof FEED_ENTITIES;
export interface FeedData {
  product: FeedProduct;
  price: FeedPrice;
  store_price: FeedStorePrice;
  staff: FeedStaff;
  promotion: FeedPromotion;
  member: FeedMember;
  stock: FeedStock;
  transfer: FeedTransfer;
  purchase_order: FeedPurchaseOrder;
  gift_card: FeedGiftCard;
  reorder_level: FeedReorderLevel;
  member_rules: FeedMemberRules;
}

/** One change as the cloud appends it ('upsert' is the only op: nothing is deleted, things are deactivated). */
export type FeedChange = { [E in FeedEntity]: { entity: E; op: 'upsert'; data: FeedData[E] } }[FeedEntity];
export type FeedChangeRow = FeedChange & { version: number };

/** The envelope of a change: parsed first, so one change this register cannot read does not lose the page. */
export const FeedChangeEnvelope = z.object({ version: Version, entity: z.string(), op: z.string(), data: z.unknown() });
export type FeedChangeEnvelope = z.infer<typeof FeedChangeEnvelope>;

export const FeedPage = z.object({
  changes: z.array(FeedChangeEnvelope),
  nextSince: Version,
  hasMore: z.boolean(),
  /** The newest version there is: how far behind the register is. */
  lastVersion: Version,
});
export type FeedPage = z.infer<typeof FeedPage>;

/** Everything as of one version; each item parsed on its own, like a change. */
export const FeedSnapshot = z.object({
  version: Version,
  products: z.array(z.unknown()),
  prices: z.array(z.unknown()),
  promotions: z.array(z.unknown()),
  members: z.array(z.unknown()),
  stock: z.array(z.unknown()),
  /** Lists an older cloud does not send. */
  storePrices: z.array(z.unknown()).default([]),
  staff: z.array(z.unknown()).default([]),
  giftCards: z.array(z.unknown()).default([]),
  reorderLevels: z.array(z.unknown()).default([]),
  /** The rules in force (one item); none from an older cloud: the register keeps its own. */
  memberRules: z.array(z.unknown()).default([]),
});
export type FeedSnapshotEnvelope = z.infer<typeof FeedSnapshot>;
/** The snapshot as the cloud builds it. */
export interface FeedSnapshotData {
  version: number;
  products: FeedProduct[];
  prices: FeedPrice[];
  promotions: FeedPromotion[];
  members: FeedMember[];
  stock: FeedStock[];
  storePrices: FeedStorePrice[];
  staff: FeedStaff[];
  giftCards: FeedGiftCard[];
  reorderLevels: FeedReorderLevel[];
  memberRules: FeedMemberRules[];
}
/** Which entity each snapshot list holds. */
export const SNAPSHOT_LISTS = {
  products: 'product',
  prices: 'price',
  promotions: 'promotion',
  members: 'member',
  stock: 'stock',
  storePrices: 'store_price',
  staff: 'staff',
  giftCards: 'gift_card',
  reorderLevels: 'reorder_level',
  memberRules: 'member_rules',
} as const satisfies Record<keyof Omit<FeedSnapshotData, 'version'>, FeedEntity>;

export type ParsedChange = { ok: true; change: FeedChange } | { ok: false; error: string };

function isFeedEntity(entity: string): entity is FeedEntity {
  return Object.hasOwn(FEED_ENTITIES, entity);
}

/** Reads one change's data as this register version understands it; says why when it cannot. */
export function parseFeedChange(entity: string, op: string, data: unknown): ParsedChange {
  if (!isFeedEntity(entity)) return { ok: false, error: `${entity}: not known to this register version` };
  if (op !== 'upsert') return { ok: false, error: `${entity}: operation ${op} not known to this register version` };
  const parsed = FEED_ENTITIES[entity].safeParse(data);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    return { ok: false, error: `${entity}: ${issues.join('; ')}` };
  }
  return { ok: true, change: { entity, op: 'upsert', data: parsed.data } as FeedChange };
}

/** What a change is about: a later change with the same key supersedes it. Null when the data is unreadable. */
export function feedChangeKey(entity: string, data: unknown): string | null {
  if (typeof data !== 'object' || data === null) return null;
  const d = data as Record<string, unknown>;
  const parts: unknown[] =
    entity === 'product'
      ? [d.sku]
      : entity === 'price'
        ? [d.sku, d.validFrom]
        : entity === 'store_price'
          ? [d.storeCode, d.sku, d.validFrom]
          : entity === 'staff'
            ? [d.code]
            : entity === 'promotion'
              ? [d.code]
              : entity === 'member'
                ? [d.id]
                : entity === 'stock'
                  ? [d.storeCode, d.sku]
                  : entity === 'transfer'
                    ? [d.docId]
                    : entity === 'purchase_order'
                      ? [d.poId]
                      : entity === 'gift_card'
                        ? [d.hash]
                        : entity === 'reorder_level'
                          ? [d.storeCode, d.sku]
                          : entity === 'member_rules'
                            ? ['merchant']
                            : [];
  if (parts.length === 0 || parts.some((p) => typeof p !== 'string' && typeof p !== 'number')) return null;
  return `${entity}:${parts.map(String).join('\u0000')}`;
}
