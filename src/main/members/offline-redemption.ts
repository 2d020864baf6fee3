/**
 * The offline redemption bound (issue 13): how much of a stored-value account (points, store
 * credit, a gift card) a register may spend while it cannot ask the cloud. ONE rule, called by every
 * stored-value tender before it records a payment offline; online, the cloud decides under the
 * account's lock instead (POST /v1/members/redeem) and this bound is not used.
 *
 * A register may spend at most
 *   1. what the last balance it pulled allows, minus what it has already spent from that account
 *      since (its movements the cloud has not acknowledged yet), and
 *   2. the merchant's offline limit per account per day, minus what it has already spent offline
 *      from that account today (the store's day), acknowledged or not.
 * Beyond that the tender is refused with the reason. Two registers can still overspend one account
 * between them: the cloud records that overdraft and lists it (cloud/domain/members.ts); nothing
 * paid is lost.
 *
 * Pure: the caller reads the figures (the pulled balance, its own unsynced and today's offline
 * spend, the limit from `readOfflineRedemptionRules`: head office's, pulled) in the same SQLite transaction that records
 * the tender, so two tenders on one till cannot both pass on the same figures.
 */
import type { Db } from '../db/open';
import { readMemberRules, type OfflineRedemptionRules } from './member-rules';

export interface OfflineRedemptionInput {
  /** What the tender wants to take: points, or cents for store credit and gift cards. */
  requested: number;
  /** The balance as the cloud last settled it (the pull, or a lookup), in the account's unit. */
  lastKnownBalance: number;
  /** Spent from this account at this register since, not yet acknowledged by the cloud (account's unit, >= 0). */
  unsyncedSpent: number;
  /** Spent offline from this account at this register today, in cents of value (>= 0). */
  spentOfflineTodayCents: number;
  /** The merchant's offline limit per account per day, in cents of value. */
  dailyLimitCents: number;
  /** How many of the account's units make HK$1: 100 for cents (credit, gift cards), the points rate for points. */
  unitsPerDollar: number;
}

export type OfflineRedemptionRefusal = 'INVALID_AMOUNT' | 'INSUFFICIENT_BALANCE' | 'OFFLINE_DAILY_LIMIT';

export type OfflineRedemptionDecision =
  | { ok: true; /** units that may still be spent after this one */ remaining: number }
  | {
      ok: false;
      reason: OfflineRedemptionRefusal;
      /** The most that may be spent now (units), so the screen can offer it. */
      available: number;
      /** For logs and the cashier, in English; the screen words it from `reason` and `available`. */
      message: string;
    };

/** Units worth at most `cents` (rounded down: the limit is never exceeded). */
export function unitsForCents(cents: number, unitsPerDollar: number): number {
  return Math.floor((Math.max(0, cents) * unitsPerDollar) / 100);
}

/** Cents of value `units` are worth (rounded up: counts against the limit conservatively). */
export function centsForUnits(units: number, unitsPerDollar: number): number {
  return Math.ceil((Math.max(0, units) * 100) / unitsPerDollar);
}

/** The most this register may spend now from the account offline, in the account's units (never negative). */
export function offlineRedemptionAvailable(input: Omit<OfflineRedemptionInput, 'requested'>): number {
  const byBalance = input.lastKnownBalance - Math.max(0, input.unsyncedSpent);
  const byLimit = unitsForCents(input.dailyLimitCents - Math.max(0, input.spentOfflineTodayCents), input.unitsPerDollar);
  return Math.max(0, Math.min(byBalance, byLimit));
}

/** Whether an offline redemption of `requested` units may be recorded, and if not, why. */
export function checkOfflineRedemption(input: OfflineRedemptionInput): OfflineRedemptionDecision {
  const { requested, unitsPerDollar } = input;
  const figures = [input.requested, input.lastKnownBalance, input.unsyncedSpent, input.spentOfflineTodayCents, input.dailyLimitCents];
  if (!figures.every(Number.isSafeInteger) || !Number.isSafeInteger(unitsPerDollar) || unitsPerDollar < 1 || requested < 1) {
    return { ok: false, reason: 'INVALID_AMOUNT', available: 0, message: 'The amount to redeem must be a whole number above 0' };
  }
  const available = offlineRedemptionAvailable(input);
  if (requested <= available) return { ok: true, remaining: available - requested };
  const byBalance = Math.max(0, input.lastKnownBalance - Math.max(0, input.unsyncedSpent));
  // the balance is the first reason when it alone refuses; otherwise the day's limit is what binds
  if (requested > byBalance) {
    return {
      ok: false,
      reason: 'INSUFFICIENT_BALANCE',
      available,
      message: `Offline, at most ${available} can be spent: the last known balance is ${input.lastKnownBalance}, ${input.unsyncedSpent} already spent here and not yet synced`,
    };
  }
  return {
    ok: false,
    reason: 'OFFLINE_DAILY_LIMIT',
    available,
    message: `Offline, at most ${available} more can be spent from this account today (limit HK$${(input.dailyLimitCents / 100).toFixed(2)} per day)`,
  };
}

export { DEFAULT_OFFLINE_REDEMPTION_RULES, OFFLINE_REDEMPTION_SETTING, OfflineRedemptionRules } from './member-rules';

/** The offline limit and points rate of the merchant's rules as this register holds them (src/main/members/member-rules.ts). */
export function readOfflineRedemptionRules(db: Db): OfflineRedemptionRules {
  const rules = readMemberRules(db);
  return { dailyLimitCents: rules.offlineLimitCents, pointsPerDollar: rules.pointsPerDollar };
}
