/**
 * What a promotion is: kind + params. This MIRRORS the register's
 * src/main/pricing/promotion-schema.ts (the cloud never imports src/: it deploys on its own), so
 * what head office stores here is exactly what the register's pricing engine accepts.
 * tests/node/cloud/promotions.test.ts parses the cloud's output with the register's schema to keep
 * the two in step.
 */
import { z } from 'zod';

const FULL_BASIS_POINTS = 10_000;
const MAX_UNIT_PRICE_CENTS = 100_000_000;

const Id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const Sku = z.string().min(1).max(64);
const Cents = z.number().int().min(0).max(MAX_UNIT_PRICE_CENTS);
const PositiveBasisPoints = z.number().int().min(1).max(FULL_BASIS_POINTS);
const GroupQuantity = z.number().int().min(1).max(99);

export const ProductSet = z
  .strictObject({
    skus: z.array(Sku).max(10_000).optional(),
    productIds: z.array(Id).max(10_000).optional(),
    categoryCodes: z.array(z.string().min(1).max(64)).max(1_000).optional(),
  })
  .refine(
    (set) => (set.skus?.length ?? 0) + (set.productIds?.length ?? 0) + (set.categoryCodes?.length ?? 0) > 0,
    'names at least one SKU, product or category',
  );

export const PercentParams = z.strictObject({ target: ProductSet, basisPoints: PositiveBasisPoints });

export const BuyXGetYParams = z
  .strictObject({ target: ProductSet, buyQuantity: GroupQuantity, getQuantity: GroupQuantity, rewardBasisPoints: PositiveBasisPoints })
  .refine((p) => p.buyQuantity + p.getQuantity <= 99, 'buyQuantity + getQuantity is at most 99');

export const BundleParams = z.strictObject({ target: ProductSet, quantity: GroupQuantity.min(2), price: Cents });

export const MemberPriceParams = z
  .strictObject({
    prices: z
      .array(z.strictObject({ sku: Sku, unitPrice: Cents }))
      .min(1)
      .max(10_000),
    tiers: z.array(z.string().min(1).max(32)).min(1).optional(),
  })
  .refine((p) => new Set(p.prices.map((entry) => entry.sku)).size === p.prices.length, 'each SKU appears once in prices');

/** Everything but the id: what head office edits (the cloud allocates ids; the code is the key). */
const definition = {
  code: z.string().trim().min(1).max(32),
  nameZh: z.string().trim().min(1).max(100),
  nameEn: z.string().trim().min(1).max(100),
  priority: z.number().int().min(-1_000_000).max(1_000_000),
  /** ms since the epoch: in effect when startsAt <= now < endsAt; null is open-ended. */
  startsAt: z.number().int().min(0).nullable(),
  endsAt: z.number().int().min(0).nullable(),
  active: z.boolean(),
};

const byKind = <Common extends z.ZodRawShape>(common: Common) =>
  z.discriminatedUnion('kind', [
    z.strictObject({ ...common, kind: z.literal('percent'), params: PercentParams }),
    z.strictObject({ ...common, kind: z.literal('buy_x_get_y'), params: BuyXGetYParams }),
    z.strictObject({ ...common, kind: z.literal('bundle'), params: BundleParams }),
    z.strictObject({ ...common, kind: z.literal('member_price'), params: MemberPriceParams }),
  ]);

const windowRule = { message: 'endsAt must be after startsAt', path: ['endsAt'] };
const windowOk = (p: { startsAt: number | null; endsAt: number | null }) =>
  p.startsAt === null || p.endsAt === null || p.endsAt > p.startsAt;

export const PromotionDefinition = byKind(definition).refine(windowOk, windowRule);
export type PromotionDefinition = z.infer<typeof PromotionDefinition>;

/** The shape registers receive (change log and snapshot), identical to the register's Promotion. */
export const Promotion = byKind({ ...definition, id: Id }).refine(windowOk, windowRule);
export type Promotion = z.infer<typeof Promotion>;
