/**
 * The merchant's earn and redeem rules (issue 13), ONE owner: head office sets them in the cloud
 * (admin CLI `member-rules`, the console's 會員 › 積分規則), every change is a new version, and registers
 * pull them (change feed entity `member_rules`, and the snapshot). The same schema checks what the
 * console sends, what the cloud stores and what a register accepts; the same arithmetic gives the
 * points a register prints and the points the cloud credits (the cloud with the version in force
 * when the sale was made: cloud/domain/member-mutations.ts).
 */
import * as z from './zod';
import { GIFT_CARD_SKU } from './gift-card';

/** A tier name as head office types it (gold, 金卡 …). */
const TierName = z.text(32);

export const MemberRules = z.object({
  /** cents of eligible spend per point earned (100: HK$1 earns 1 point) */
  earnCentsPerPoint: z.number().int().min(1).max(1_000_000),
  /** points that pay HK$1 */
  pointsPerDollar: z.number().int().min(1).max(1_000_000),
  /** what a register may spend offline per account per day, cents */
  offlineLimitCents: z.number().int().min(0).max(100_000_000_000),
  /** tier → multiplier of the points earned (0 to 100); a tier not listed earns ×1 */
  tierMultipliers: z.record(TierName, z.number().min(0).max(100)),
  /** category codes whose lines earn no points */
  excludedCategories: z.array(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a category code')).max(200),
});
export type MemberRules = z.infer<typeof MemberRules>;

/** The rules as the change feed carries them: which version, and from when it is in force. */
export const FeedMemberRules = MemberRules.extend({
  /** 0: the defaults, head office never set any; then 1, 2 … one per change */
  version: z.number().int().min(0),
  /** epoch ms: sales completed from this moment earn by this version */
  effectiveFrom: z.number().int(),
});
export type FeedMemberRules = z.infer<typeof FeedMemberRules>;

export const DEFAULT_MEMBER_RULES: MemberRules = {
  earnCentsPerPoint: 100,
  pointsPerDollar: 100,
  offlineLimitCents: 50_000,
  tierMultipliers: {},
  excludedCategories: [],
};

/** The tier's multiplier (×1 when the rules do not name the tier). */
export function tierMultiplier(rules: MemberRules, tier: string): number {
  return Object.hasOwn(rules.tierMultipliers, tier) ? (rules.tierMultipliers[tier] as number) : 1;
}

/**
 * Points for `eligibleCents` of spend (negative for a return): whole earn units, times the tier's
 * multiplier, rounded toward zero.
 */
export function pointsFor(eligibleCents: number, tier: string, rules: MemberRules): number {
  const units = Math.trunc(eligibleCents / rules.earnCentsPerPoint);
  return Math.trunc(units * tierMultiplier(rules, tier)) || 0;
}

/** A document line as the earn rule reads it: net cents (negative when returned), SKU and category. */
export interface EarningLine {
  sku: string;
  net: number;
  categoryCode: string | null;
}

/** Whether a line earns points: not in an excluded category, and not a gift card sold (its points come when it is spent). */
export function lineEarns(line: EarningLine, rules: MemberRules): boolean {
  if (line.sku === GIFT_CARD_SKU) return false;
  return line.categoryCode === null || !rules.excludedCategories.includes(line.categoryCode);
}

/** The points `lines` earn for a member of `tier` under `rules`. */
export function pointsEarned(lines: readonly EarningLine[], tier: string, rules: MemberRules): number {
  const eligible = lines.filter((l) => lineEarns(l, rules)).reduce((sum, l) => sum + l.net, 0);
  return pointsFor(eligible, tier, rules);
}

/** The rules as a register holds them (`member:rules`): head office's version, or its own while it has no cloud (version 0). */
export const RegisterMemberRulesView = FeedMemberRules.extend({ source: z.enum(['cloud', 'local']) });
export type RegisterMemberRulesView = z.infer<typeof RegisterMemberRulesView>;
