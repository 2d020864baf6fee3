/**
 * What a promotion is (kind + params), ONE schema for every side: the register's pricing engine
 * parses its `promotion` rows and cloud pulls with it (src/main/pricing/promotion-schema.ts
 * re-exports it), the cloud validates what head office stores with it (cloud/domain/
 * promotion-schema.ts re-exports it), and the console's promotions editor builds exactly these
 * shapes. Runtime-free: zod only.
 */
import { z } from 'zod';
import { FULL_BASIS_POINTS } from './money';

/** HK$1,000,000 a unit (src/main/pricing/limits.ts takes it from here). */
export const MAX_UNIT_PRICE_CENTS = 100_000_000;

const Id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const Sku = z.string().min(1).max(64);
const Cents = z.number().int().min(0).max(MAX_UNIT_PRICE_CENTS);
const PositiveBasisPoints = z.number().int().min(1).max(FULL_BASIS_POINTS);
/** Units in one promotion group (a bundle, a buy-X-get-Y set); bounded so a group stays small. */
const GroupQuantity = z.number().int().min(1).max(99);

/** The products a promotion is about: a unit qualifies when it matches any of the lists. */
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
export type ProductSet = z.infer<typeof ProductSet>;

/** `basisPoints` off every qualifying unit (1000 = 10 % off, 九折). */
export const PercentParams = z.strictObject({ target: ProductSet, basisPoints: PositiveBasisPoints });

/**
 * Buy `buyQuantity`, get `getQuantity` more at `rewardBasisPoints` off (10000 = free): buy 1 get the
 * 2nd half price is 1/1/5000, buy 2 get 1 free is 2/1/10000. Any mix of qualifying units counts.
 */
export const BuyXGetYParams = z
  .strictObject({ target: ProductSet, buyQuantity: GroupQuantity, getQuantity: GroupQuantity, rewardBasisPoints: PositiveBasisPoints })
  .refine((p) => p.buyQuantity + p.getQuantity <= 99, 'buyQuantity + getQuantity is at most 99');

/** Any `quantity` qualifying units for `price` cents together (蛋撻 3 件 HK$18: quantity 3, price 1800). */
export const BundleParams = z.strictObject({ target: ProductSet, quantity: GroupQuantity.min(2), price: Cents });

/** A per-SKU unit price for members, optionally only for some tiers. */
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
  /** Breaks ties between equal savings: the higher priority wins, then the lower id. */
  priority: z.number().int().min(-1_000_000).max(1_000_000),
  /** Validity window in ms since the epoch: in effect when startsAt <= now < endsAt; null is open-ended. */
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

/** What head office edits and the cloud stores (no id yet). */
export const PromotionDefinition = byKind(definition).refine(windowOk, windowRule);
export type PromotionDefinition = z.infer<typeof PromotionDefinition>;

/** A promotion as the register keeps it and the cloud sends it (change log and snapshot). */
export const Promotion = byKind({ ...definition, id: Id }).refine(windowOk, windowRule);
export type Promotion = z.infer<typeof Promotion>;
export type PromotionKind = Promotion['kind'];
