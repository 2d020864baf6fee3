/**
 * The merchant's earn and redeem rules as this register holds them (issue 13; the schema and the
 * arithmetic are src/shared/member-rules.ts). Head office owns them: an enrolled register keeps the
 * version it last pulled (change feed `member_rules`, and the snapshot) and refuses a local edit, so
 * an edit here can never fight the next pull; enrolling drops whatever it had set for itself. A
 * register with no cloud sets its own (`member:set-rules`). Read in the transaction that uses them
 * (the offline bound, the points printed on a receipt).
 */
import { z } from 'zod';
import { PosError } from '../../shared/errors';
import { DEFAULT_MEMBER_RULES, RegisterMemberRulesView, type FeedMemberRules, type MemberRules } from '../../shared/member-rules';
import type { Db } from '../db/open';
import { prepared } from '../db/prepared';
import { readSetting, writeSetting } from '../settings/settings-repo';

export const MEMBER_RULES_SETTING = 'members.rules';

/** The rules and where they came from: head office's version, or this register's own (version 0). */
const RegisterMemberRules = RegisterMemberRulesView;
type RegisterMemberRules = RegisterMemberRulesView;

/**
 * The older register setting `members.offlineRedemption` (before the rules came from the cloud): a
 * register with no cloud that set it keeps its figures until it sets rules of its own.
 */
export const OfflineRedemptionRules = z.object({
  /** cents of value per account per day */
  dailyLimitCents: z.number().int().min(0),
  /** points that pay HK$1 */
  pointsPerDollar: z.number().int().min(1),
});
export type OfflineRedemptionRules = z.infer<typeof OfflineRedemptionRules>;
export const OFFLINE_REDEMPTION_SETTING = 'members.offlineRedemption';
export const DEFAULT_OFFLINE_REDEMPTION_RULES: OfflineRedemptionRules = {
  dailyLimitCents: DEFAULT_MEMBER_RULES.offlineLimitCents,
  pointsPerDollar: DEFAULT_MEMBER_RULES.pointsPerDollar,
};

const isEnrolled = (db: Db) => prepared<[], number>(db, 'SELECT 1 FROM sync_enrolment WHERE id = 1').pluck().get() !== undefined;

/** Built once: every sale reads the rules, and building a zod schema costs more than parsing with it. */
const HeldMemberRules = RegisterMemberRules.nullable();

export function readMemberRules(db: Db): RegisterMemberRules {
  const stored = readSetting(db, MEMBER_RULES_SETTING, HeldMemberRules, null);
  if (stored) return stored;
  // enrolled and nothing pulled: head office never set any (a change would be in the feed), so the cloud's defaults
  if (isEnrolled(db)) return { ...DEFAULT_MEMBER_RULES, version: 0, effectiveFrom: 0, source: 'cloud' };
  const legacy = readSetting(db, OFFLINE_REDEMPTION_SETTING, OfflineRedemptionRules, DEFAULT_OFFLINE_REDEMPTION_RULES);
  return {
    ...DEFAULT_MEMBER_RULES,
    pointsPerDollar: legacy.pointsPerDollar,
    offlineLimitCents: legacy.dailyLimitCents,
    version: 0,
    effectiveFrom: 0,
    source: 'local',
  };
}

/** Head office's rules from the pull: a version older than the one held is ignored (a replayed page). */
export function applyCloudMemberRules(db: Db, rules: FeedMemberRules): void {
  const held = readSetting(db, MEMBER_RULES_SETTING, HeldMemberRules, null);
  if (held?.source === 'cloud' && held.version > rules.version) return;
  writeSetting(db, MEMBER_RULES_SETTING, { ...rules, source: 'cloud' } satisfies RegisterMemberRules);
}

/** A register with no cloud sets its own rules; enrolled, head office does (CONFLICT). */
export function setLocalMemberRules(db: Db, rules: MemberRules): RegisterMemberRules {
  return db
    .transaction(() => {
      if (isEnrolled(db))
        throw new PosError('CONFLICT', 'The member rules of an enrolled register are set by head office (console › 會員 › 積分規則)');
      const next: RegisterMemberRules = { ...rules, version: 0, effectiveFrom: 0, source: 'local' };
      writeSetting(db, MEMBER_RULES_SETTING, next);
      return next;
    })
    .immediate();
}

/** Enrolling: the register's own rules go; head office's arrive with the snapshot. */
export function forgetLocalMemberRules(db: Db): void {
  prepared(db, `DELETE FROM setting WHERE key IN ('${MEMBER_RULES_SETTING}', '${OFFLINE_REDEMPTION_SETTING}')`).run();
}
