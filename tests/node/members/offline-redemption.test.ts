/**
 * The offline redemption bound (issue 13): the one rule every stored-value tender runs before it
 * records a payment it could not ask the cloud about.
 */
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_OFFLINE_REDEMPTION_RULES,
  OFFLINE_REDEMPTION_SETTING,
  centsForUnits,
  checkOfflineRedemption,
  offlineRedemptionAvailable,
  readOfflineRedemptionRules,
  type OfflineRedemptionInput,
} from '../../../src/main/members/offline-redemption';
import { writeSetting } from '../../../src/main/settings/settings-repo';
import { useDemoRegisters } from '../helpers/register-session';

const credit = (over: Partial<OfflineRedemptionInput>): OfflineRedemptionInput => ({
  requested: 1_000,
  lastKnownBalance: 5_000,
  unsyncedSpent: 0,
  spentOfflineTodayCents: 0,
  dailyLimitCents: 50_000,
  unitsPerDollar: 100,
  ...over,
});

const openRegister = useDemoRegisters();

describe('how much a register may spend offline from one account', () => {
  it('the last known balance, less what this register already spent and has not synced', () => {
    expect(checkOfflineRedemption(credit({ requested: 5_000 }))).toEqual({ ok: true, remaining: 0 });
    expect(checkOfflineRedemption(credit({ requested: 3_000, unsyncedSpent: 2_000 }))).toEqual({ ok: true, remaining: 0 });
    expect(checkOfflineRedemption(credit({ requested: 3_001, unsyncedSpent: 2_000 }))).toMatchObject({
      ok: false,
      reason: 'INSUFFICIENT_BALANCE',
      available: 3_000,
    });
    // spent more than it knew of (a pull since lowered it): nothing, never a negative offer
    expect(checkOfflineRedemption(credit({ requested: 1, lastKnownBalance: 100, unsyncedSpent: 300 }))).toMatchObject({
      ok: false,
      reason: 'INSUFFICIENT_BALANCE',
      available: 0,
    });
  });

  it('and the merchant’s offline limit per account per day, less what was spent offline today', () => {
    const rich = { lastKnownBalance: 1_000_000, dailyLimitCents: 50_000 };
    expect(checkOfflineRedemption(credit({ ...rich, requested: 50_000 }))).toEqual({ ok: true, remaining: 0 });
    expect(checkOfflineRedemption(credit({ ...rich, requested: 20_001, spentOfflineTodayCents: 30_000 }))).toMatchObject({
      ok: false,
      reason: 'OFFLINE_DAILY_LIMIT',
      available: 20_000,
    });
    // a limit of 0: nothing offline at all
    expect(checkOfflineRedemption(credit({ ...rich, requested: 1, dailyLimitCents: 0 }))).toMatchObject({
      ok: false,
      reason: 'OFFLINE_DAILY_LIMIT',
      available: 0,
    });
  });

  it('points count against the limit at their cash value (100 points = HK$1 by default)', () => {
    const points = { unitsPerDollar: 100, lastKnownBalance: 90_000, dailyLimitCents: 500 };
    expect(offlineRedemptionAvailable({ ...points, unsyncedSpent: 0, spentOfflineTodayCents: 0 })).toBe(500);
    // 20 points = HK$1: HK$5 of limit is 100 points
    const dear = { ...points, unitsPerDollar: 20 };
    expect(checkOfflineRedemption({ ...dear, requested: 100, unsyncedSpent: 0, spentOfflineTodayCents: 0 })).toEqual({
      ok: true,
      remaining: 0,
    });
    expect(checkOfflineRedemption({ ...dear, requested: 101, unsyncedSpent: 0, spentOfflineTodayCents: 0 })).toMatchObject({
      reason: 'OFFLINE_DAILY_LIMIT',
      available: 100,
    });
    expect(centsForUnits(101, 20)).toBe(505);
    expect(centsForUnits(3, 40)).toBe(8); // 7.5 cents counts as 8
  });

  it('refuses an amount that is not a whole number above 0', () => {
    for (const requested of [0, -5, 1.5, Number.NaN]) {
      expect(checkOfflineRedemption(credit({ requested }))).toMatchObject({ ok: false, reason: 'INVALID_AMOUNT' });
    }
    expect(checkOfflineRedemption(credit({ unitsPerDollar: 0 }))).toMatchObject({ ok: false, reason: 'INVALID_AMOUNT' });
  });

  it('whatever the figures, an accepted redemption keeps within both the balance and the day’s limit', () => {
    fc.assert(
      fc.property(
        fc.record({
          requested: fc.integer({ min: 1, max: 2_000_000 }),
          lastKnownBalance: fc.integer({ min: 0, max: 2_000_000 }),
          unsyncedSpent: fc.integer({ min: 0, max: 2_000_000 }),
          spentOfflineTodayCents: fc.integer({ min: 0, max: 2_000_000 }),
          dailyLimitCents: fc.integer({ min: 0, max: 2_000_000 }),
          unitsPerDollar: fc.integer({ min: 1, max: 1_000 }),
        }),
        (input) => {
          const decision = checkOfflineRedemption(input);
          const fitsBalance = input.unsyncedSpent + input.requested <= input.lastKnownBalance;
          const fitsLimit = input.spentOfflineTodayCents + centsForUnits(input.requested, input.unitsPerDollar) <= input.dailyLimitCents;
          if (decision.ok) {
            expect(fitsBalance && fitsLimit).toBe(true);
          } else {
            expect(decision.available).toBeLessThan(input.requested);
            // what it offers instead is itself accepted (or nothing)
            if (decision.available > 0) expect(checkOfflineRedemption({ ...input, requested: decision.available }).ok).toBe(true);
          }
        },
      ),
    );
  });
});

describe('the limit as this register holds it', () => {
  it('defaults to the cloud’s default and reads what the pull stored; a mistyped value falls back', async () => {
    const { reg } = await openRegister();
    const db = new Database(reg.dbFile);
    try {
      expect(readOfflineRedemptionRules(db)).toEqual(DEFAULT_OFFLINE_REDEMPTION_RULES);
      writeSetting(db, OFFLINE_REDEMPTION_SETTING, { dailyLimitCents: 20_000, pointsPerDollar: 50 });
      expect(readOfflineRedemptionRules(db)).toEqual({ dailyLimitCents: 20_000, pointsPerDollar: 50 });
      writeSetting(db, OFFLINE_REDEMPTION_SETTING, { dailyLimitCents: -1, pointsPerDollar: 50 });
      expect(readOfflineRedemptionRules(db)).toEqual(DEFAULT_OFFLINE_REDEMPTION_RULES);
    } finally {
      db.close();
    }
  });
});
