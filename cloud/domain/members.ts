/**
 * Members and their ledgers (issue 13). Points and store credit are append-only ledgers settled
 * here: a balance is the running sum of an account's entries, written under the account's row
 * lock, and every entry carries the idempotency key of the document or request it belongs to, so
 * a retried push or request finds the entry it already made instead of counting twice.
 *
 * Two ways money leaves an account:
 * - decided here (a till online, the online shop): under the lock, refused when the balance does
 *   not cover it (INSUFFICIENT_BALANCE), so concurrent redemptions can never take it below zero;
 * - already paid at a till offline (a pushed document): recorded whatever the balance, because the
 *   customer has left with the goods; what it takes below zero is an overdraft entry, listed as an
 *   exception. Nothing paid is quarantined for it.
 */
import type { FeedMember } from '../../src/shared/change-feed';
import { MEMBER_HISTORY_LIMIT, normaliseHkPhone, type MemberEnrolment, type MemberHistory } from '../../src/shared/member-schemas';
import { AdminError, CloudError } from '../errors';
import type { Pool, PoolClient, Queryable } from '../db/pool';
import { withTransaction } from '../db/tx';
import { appendChanges, type Change } from './change-log';
import { unitsForValue } from '../../src/shared/stored-value';

export type LedgerKind = 'points' | 'credit';
/** A member's kinds, and a gift card's own account (cloud/domain/gift-cards.ts). */
export type AccountKind = LedgerKind | 'gift';
export type LedgerReason = 'earn' | 'reverse' | 'redeem' | 'refund' | 'adjust' | 'issue' | 'void';

export interface MemberRules {
  earnCentsPerPoint: number;
  tierMultipliers: Record<string, number>;
  excludedCategories: string[];
  pointsPerDollar: number;
  offlineLimitCents: number;
}

export const DEFAULT_RULES: MemberRules = {
  earnCentsPerPoint: 100,
  tierMultipliers: {},
  excludedCategories: [],
  pointsPerDollar: 100,
  offlineLimitCents: 50_000,
};

export async function loadRules(db: Queryable, merchantId: number): Promise<MemberRules> {
  const row = (
    await db.query<{
      earn_cents_per_point: number;
      tier_multipliers: Record<string, number>;
      excluded_categories: string[];
      points_per_dollar: number;
      offline_limit_cents: string;
    }>('SELECT * FROM member_rules WHERE merchant_id = $1', [merchantId])
  ).rows[0];
  if (!row) return DEFAULT_RULES;
  return {
    earnCentsPerPoint: row.earn_cents_per_point,
    tierMultipliers: row.tier_multipliers,
    excludedCategories: row.excluded_categories,
    pointsPerDollar: row.points_per_dollar,
    offlineLimitCents: Number(row.offline_limit_cents),
  };
}

/**
 * Sets the merchant's rules (the admin CLI, the console's 會員 screen): checked here, on `db` (a
 * transaction's client to commit with an audit entry). Points earned on pushed documents and
 * redemptions the cloud decides follow them at once. They are not in the change feed: a register
 * keeps its offline limit and points rate in its own setting `members.offlineRedemption`.
 */
export async function setRules(db: Queryable, merchantId: number, rules: Partial<MemberRules>, now: number): Promise<MemberRules> {
  const next = { ...(await loadRules(db, merchantId)), ...rules };
  for (const [tier, multiplier] of Object.entries(next.tierMultipliers)) {
    if (typeof multiplier !== 'number' || !(multiplier >= 0 && multiplier <= 100))
      throw new AdminError('INVALID', `Tier ${tier}: the multiplier must be a number from 0 to 100`);
  }
  if (!Number.isInteger(next.earnCentsPerPoint) || next.earnCentsPerPoint < 1)
    throw new AdminError('INVALID', 'earnCentsPerPoint must be a whole number of cents, at least 1');
  if (!Number.isInteger(next.pointsPerDollar) || next.pointsPerDollar < 1)
    throw new AdminError('INVALID', 'pointsPerDollar must be a whole number, at least 1');
  if (!Number.isInteger(next.offlineLimitCents) || next.offlineLimitCents < 0)
    throw new AdminError('INVALID', 'offlineLimitCents must be a whole number of cents, 0 or more');
  await db.query(
    `INSERT INTO member_rules (merchant_id, earn_cents_per_point, tier_multipliers, excluded_categories, points_per_dollar, offline_limit_cents, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (merchant_id) DO UPDATE SET earn_cents_per_point = EXCLUDED.earn_cents_per_point, tier_multipliers = EXCLUDED.tier_multipliers,
       excluded_categories = EXCLUDED.excluded_categories, points_per_dollar = EXCLUDED.points_per_dollar,
       offline_limit_cents = EXCLUDED.offline_limit_cents, updated_at = EXCLUDED.updated_at`,
    [
      merchantId,
      next.earnCentsPerPoint,
      JSON.stringify(next.tierMultipliers),
      next.excludedCategories,
      next.pointsPerDollar,
      next.offlineLimitCents,
      new Date(now),
    ],
  );
  return next;
}

/**
 * Points a document earns (negative for a return): eligible spend (lines not in an excluded
 * category) in whole earn units, times the tier's multiplier, rounded toward zero. The cloud's own
 * arithmetic from the lines it checked, never the till's figure.
 */
export function pointsFor(eligibleCents: number, tier: string, rules: MemberRules): number {
  const units = Math.trunc(eligibleCents / rules.earnCentsPerPoint);
  const multiplier = rules.tierMultipliers[tier] ?? 1;
  return Math.trunc(units * multiplier) || 0;
}

// Members as the feed carries them ------------------------------------------------------------------

interface FeedRow {
  id: number;
  code: string;
  name: string;
  phone: string | null;
  tier: string;
  active: boolean;
  points: string;
  credit: string;
  aliases: string[];
}

/** Members with their balances and aliases, as registers pull them; all the merchant's when `ids` is omitted. */
export async function loadMemberFeed(db: Queryable, merchantId: number, ids?: number[]): Promise<FeedMember[]> {
  const rows = (
    await db.query<FeedRow>(
      `SELECT m.id, m.code, m.name, m.phone, m.tier, m.active,
              coalesce((SELECT e.balance_after FROM ledger_account a JOIN LATERAL (
                 SELECT balance_after FROM ledger_entry WHERE account_id = a.id ORDER BY id DESC LIMIT 1) e ON true
               WHERE a.member_id = m.id AND a.kind = 'points'), 0) AS points,
              coalesce((SELECT e.balance_after FROM ledger_account a JOIN LATERAL (
                 SELECT balance_after FROM ledger_entry WHERE account_id = a.id ORDER BY id DESC LIMIT 1) e ON true
               WHERE a.member_id = m.id AND a.kind = 'credit'), 0) AS credit,
              coalesce((SELECT array_agg(code ORDER BY code) FROM member_alias WHERE member_id = m.id), '{}') AS aliases
       FROM member m
       WHERE m.merchant_id = $1 AND ($2::bigint[] IS NULL OR m.id = ANY($2::bigint[]))
       ORDER BY m.id`,
      [merchantId, ids ?? null],
    )
  ).rows;
  return rows.map((r) => ({
    id: Number(r.id),
    code: r.code,
    name: r.name,
    phone: r.phone,
    tier: r.tier,
    active: r.active,
    points: Number(r.points),
    storeCredit: Number(r.credit),
    aliases: r.aliases,
  }));
}

export async function memberChanges(db: Queryable, merchantId: number, ids: Iterable<number>): Promise<Change[]> {
  const unique = [...new Set(ids)].sort((a, b) => a - b);
  if (unique.length === 0) return [];
  return (await loadMemberFeed(db, merchantId, unique)).map((data) => ({ entity: 'member', op: 'upsert', data }));
}

/** A member by phone (any way of writing an HK number) or by code (its own or a till's provisional one). */
export async function lookupMember(
  db: Queryable,
  merchantId: number,
  query: { phone: string } | { code: string },
): Promise<FeedMember | null> {
  let id: number | undefined;
  if ('phone' in query) {
    const phone = normaliseHkPhone(query.phone);
    if (phone === null) throw new CloudError('BAD_REQUEST', 'phone must be an 8-digit Hong Kong number');
    id = (
      await db.query<{ id: number }>('SELECT id FROM member WHERE merchant_id = $1 AND phone_key = $2 ORDER BY active DESC, id LIMIT 1', [
        merchantId,
        phone,
      ])
    ).rows[0]?.id;
  } else {
    id = (
      await db.query<{ id: number }>(
        `SELECT id FROM member WHERE merchant_id = $1 AND code = $2
         UNION ALL SELECT member_id FROM member_alias WHERE merchant_id = $1 AND code = $2 LIMIT 1`,
        [merchantId, query.code],
      )
    ).rows[0]?.id;
  }
  if (id === undefined) return null;
  return (await loadMemberFeed(db, merchantId, [Number(id)]))[0] ?? null;
}

/**
 * A member's recent purchases from every store (the till's member panel): documents naming the
 * member's code or any provisional code merged into it, newest first.
 */
export async function memberHistory(db: Queryable, merchantId: number, code: string): Promise<MemberHistory | null> {
  const member = (
    await db.query<{ id: number; code: string }>(
      `SELECT m.id, m.code FROM member m WHERE m.merchant_id = $1 AND m.code = $2
       UNION ALL SELECT m.id, m.code FROM member_alias a JOIN member m ON m.id = a.member_id WHERE a.merchant_id = $1 AND a.code = $2
       LIMIT 1`,
      [merchantId, code],
    )
  ).rows[0];
  if (!member) return null;
  const rows = (
    await db.query<{
      receipt_no: string;
      kind: 'sale' | 'return' | 'exchange';
      channel: 'register' | 'online';
      store_code: string;
      completed_at: Date;
      total: string;
    }>(
      `SELECT s.receipt_no, s.kind, s.channel, st.code AS store_code, s.completed_at, s.total
       FROM sale s JOIN store st ON st.id = s.store_id
       WHERE s.merchant_id = $1
         AND (s.document -> 'member' ->> 'code') = ANY(ARRAY[$2::text] || ARRAY(SELECT code FROM member_alias WHERE member_id = $3))
       ORDER BY s.completed_at DESC, s.id DESC LIMIT $4`,
      [merchantId, member.code, member.id, MEMBER_HISTORY_LIMIT],
    )
  ).rows;
  return {
    source: 'cloud',
    purchases: rows.map((r) => ({
      receiptNo: r.receipt_no,
      kind: r.kind,
      channel: r.channel,
      storeCode: r.store_code,
      completedAt: r.completed_at.getTime(),
      total: Number(r.total),
    })),
  };
}

/** Member ids by code or provisional code, for the documents of a batch. */
export async function resolveMemberCodes(
  db: Queryable,
  merchantId: number,
  codes: string[],
): Promise<Map<string, { id: number; tier: string }>> {
  if (codes.length === 0) return new Map();
  const rows = (
    await db.query<{ code: string; id: number; tier: string }>(
      `SELECT m.code, m.id, m.tier FROM member m WHERE m.merchant_id = $1 AND m.code = ANY($2::text[])
       UNION ALL
       SELECT a.code, m.id, m.tier FROM member_alias a JOIN member m ON m.id = a.member_id WHERE a.merchant_id = $1 AND a.code = ANY($2::text[])`,
      [merchantId, [...new Set(codes)]],
    )
  ).rows;
  return new Map(rows.map((r) => [r.code, { id: Number(r.id), tier: r.tier }]));
}

// Enrolment at a till ----------------------------------------------------------------------------------

/**
 * A member enrolled at a till. When the merchant already has a member with that phone, the
 * provisional code becomes an alias of that member (a merge: the receipt's points follow it);
 * otherwise a member is created, coded `M` + its id. Phone enrolments take turns under an advisory
 * lock on the phone, so two tills enrolling one number at once make one member. Answers the id.
 */
export async function enrolFromRegister(
  client: PoolClient,
  merchantId: number,
  registerId: string,
  enrolment: MemberEnrolment,
  now: number,
): Promise<number> {
  // 1. the phone, serialised across every instance and batch
  await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`member-phone:${merchantId}:${enrolment.phone}`]);
  // 2. a replay of this enrolment (another batch, an earlier attempt) finds its alias
  const known = (
    await client.query<{ member_id: number }>('SELECT member_id FROM member_alias WHERE merchant_id = $1 AND code = $2', [
      merchantId,
      enrolment.provisionalCode,
    ])
  ).rows[0];
  if (known) return Number(known.member_id);
  // 3. the same phone already a member: merge
  const existing = (
    await client.query<{ id: number }>('SELECT id FROM member WHERE merchant_id = $1 AND phone_key = $2 ORDER BY active DESC, id LIMIT 1', [
      merchantId,
      enrolment.phone,
    ])
  ).rows[0];
  let memberId: number;
  let merged: boolean;
  if (existing) {
    memberId = Number(existing.id);
    merged = true;
  } else {
    const created = (
      await client.query<{ id: number }>(
        `INSERT INTO member (merchant_id, code, name, phone, email, birth_month, enrolled_via, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
        [
          merchantId,
          `P-${enrolment.provisionalCode}`.slice(0, 32),
          enrolment.name,
          enrolment.phone,
          enrolment.email,
          enrolment.birthMonth,
          `register:${registerId}`,
          new Date(now),
        ],
      )
    ).rows[0] as { id: number };
    memberId = Number(created.id);
    const code = `M${String(memberId).padStart(8, '0')}`;
    // head office may have used that code by hand: then the member keeps the provisional one
    const finalCode = (
      await client.query<{ n: number }>('SELECT count(*)::int AS n FROM member WHERE merchant_id = $1 AND code = $2', [merchantId, code])
    ).rows[0]?.n
      ? enrolment.provisionalCode
      : code;
    await client.query('UPDATE member SET code = $2 WHERE id = $1', [memberId, finalCode]);
    merged = false;
  }
  // 4. the alias, and the consent as given
  await client.query('INSERT INTO member_alias (merchant_id, code, member_id, merged, created_at) VALUES ($1, $2, $3, $4, $5)', [
    merchantId,
    enrolment.provisionalCode,
    memberId,
    merged,
    new Date(now),
  ]);
  await client.query(
    `INSERT INTO member_consent (member_id, marketing, wording_version, given_at, source, recorded_at) VALUES ($1, $2, $3, $4, $5, $6)`,
    [
      memberId,
      enrolment.marketingConsent.given,
      enrolment.marketingConsent.wordingVersion,
      new Date(enrolment.marketingConsent.at),
      `register:${registerId}`,
      new Date(now),
    ],
  );
  return memberId;
}

// The ledger ------------------------------------------------------------------------------------------

export type Movement = MemberMovement | GiftCardMovement;

interface MemberMovement extends MovementCommon {
  memberId: number;
  kind: LedgerKind;
}

/** A gift card's movement: its account is the card's (issue 13). */
export interface GiftCardMovement extends MovementCommon {
  giftCardId: number;
  kind: 'gift';
}

interface MovementCommon {
  merchantId: number;
  /** Signed: points or cents. */
  amount: number;
  idemKey: string;
  reason: LedgerReason;
  document: string | null;
  source: string;
  note?: string | null;
  /**
   * 'refuse': decided here, refused when the balance does not cover it.
   * 'record': already happened (paid offline, points reversed): recorded, an overdraft listed.
   */
  whenShort: 'refuse' | 'record';
  /**
   * The key may already name this movement with another figure the cloud itself decided (a till's
   * redemption taken online, at the cloud's rate): that entry stands and this one is its replay.
   */
  acceptEarlier?: boolean;
}

export interface Posted {
  entryId: number;
  balance: number;
  /** The idempotency key had already been used for this same movement: nothing new was written. */
  replayed: boolean;
}

/** The account of a member and kind, or of a gift card, created on first use (concurrent creators agree on one). */
async function accountOf(client: Queryable, m: Movement, now: number): Promise<number> {
  const [find, insert, params] =
    m.kind === 'gift'
      ? [
          'SELECT id FROM ledger_account WHERE gift_card_id = $1',
          `INSERT INTO ledger_account (merchant_id, gift_card_id, kind, created_at) VALUES ($2, $1, 'gift', $3) ON CONFLICT (gift_card_id) DO NOTHING`,
          [m.giftCardId],
        ]
      : [
          'SELECT id FROM ledger_account WHERE member_id = $1 AND kind = $2',
          'INSERT INTO ledger_account (merchant_id, member_id, kind, created_at) VALUES ($3, $1, $2, $4) ON CONFLICT (member_id, kind) DO NOTHING',
          [m.memberId, m.kind],
        ];
  const found = (await client.query<{ id: number }>(find, params)).rows[0];
  if (found) return Number(found.id);
  await client.query(insert, [...params, m.merchantId, new Date(now)]);
  const row = (await client.query<{ id: number }>(find, params)).rows[0];
  return Number((row as { id: number }).id);
}

/**
 * Posts movements in one transaction: accounts are locked in id order (so two batches touching
 * the same members never deadlock), then each movement is checked against its key and the running
 * balance. Answers one result per movement, in the order given.
 */
export async function postMovements(client: PoolClient, movements: readonly Movement[], now: number): Promise<Posted[]> {
  if (movements.length === 0) return [];
  const accounts: number[] = [];
  for (const m of movements) accounts.push(await accountOf(client, m, now));
  // 1. every account of the set, locked until COMMIT, in one order
  await client.query('SELECT id FROM ledger_account WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE', [[...new Set(accounts)]]);
  const results: Posted[] = [];
  for (const [index, m] of movements.entries()) {
    const accountId = accounts[index] as number;
    // 2. the key already used: the same movement is a replay, another one is a conflict
    const earlier = (
      await client.query<{ id: number; account_id: number; amount: string }>(
        'SELECT id, account_id, amount FROM ledger_entry WHERE merchant_id = $1 AND idem_key = $2',
        [m.merchantId, m.idemKey],
      )
    ).rows[0];
    const balanceNow = async (): Promise<number> =>
      Number(
        (
          await client.query<{ balance_after: string }>(
            'SELECT balance_after FROM ledger_entry WHERE account_id = $1 ORDER BY id DESC LIMIT 1',
            [accountId],
          )
        ).rows[0]?.balance_after ?? 0,
      );
    if (earlier) {
      if (Number(earlier.account_id) !== accountId || (Number(earlier.amount) !== m.amount && !m.acceptEarlier)) {
        throw new CloudError('IDEMPOTENCY_CONFLICT', `The key ${m.idemKey} was already used for another movement`);
      }
      results.push({ entryId: Number(earlier.id), balance: await balanceNow(), replayed: true });
      continue;
    }
    // 3. the running balance, under the lock
    const before = await balanceNow();
    const after = before + m.amount;
    if (after < 0 && m.amount < 0 && m.whenShort === 'refuse') {
      throw new CloudError('INSUFFICIENT_BALANCE', `The ${m.kind} balance is ${before}; ${-m.amount} cannot be taken`, {
        balance: before,
      });
    }
    const overdraft = after < 0 ? Math.min(-after, Math.abs(m.amount)) : 0;
    const entry = (
      await client.query<{ id: number }>(
        `INSERT INTO ledger_entry (merchant_id, account_id, idem_key, amount, balance_after, reason, document, source, note, overdraft, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
        [m.merchantId, accountId, m.idemKey, m.amount, after, m.reason, m.document, m.source, m.note ?? null, overdraft, new Date(now)],
      )
    ).rows[0] as { id: number };
    if (overdraft > 0) {
      await client.query(
        `INSERT INTO ledger_exception (merchant_id, entry_id, kind, amount, document, detail, created_at, gift_card_id)
         VALUES ($1, $2, 'overdraft', $3, $4, $5, $6, $7)`,
        [
          m.merchantId,
          entry.id,
          overdraft,
          m.document,
          `${m.reason} of ${-m.amount} ${m.kind === 'gift' ? 'cents of gift card' : m.kind} left the balance at ${after} (it was ${before})`,
          new Date(now),
          m.kind === 'gift' ? m.giftCardId : null,
        ],
      );
    }
    results.push({ entryId: Number(entry.id), balance: after, replayed: false });
  }
  return results;
}

/** A paid document names a member this cloud does not know: listed once, the sale itself is kept. */
export async function recordUnknownMember(
  client: Queryable,
  merchantId: number,
  document: string,
  code: string,
  now: number,
): Promise<void> {
  await client.query(
    `INSERT INTO ledger_exception (merchant_id, kind, amount, document, detail, created_at) VALUES ($1, 'unknown_member', 0, $2, $3, $4)
     ON CONFLICT (merchant_id, document) WHERE kind = 'unknown_member' DO NOTHING`,
    [
      merchantId,
      document,
      `Document ${document} names member ${code}, which this cloud does not know: no points were given`,
      new Date(now),
    ],
  );
}

/**
 * Redemption decided here (a till online, the online shop): refused when it is not covered. The
 * caller sends the units (`amount`) or the cents of `value` to pay, converted at the merchant's rate.
 * A replay of the key with the same movement answers the entry already made.
 */
export async function redeem(
  pool: Pool,
  input: {
    merchantId: number;
    memberCode: string;
    kind: LedgerKind;
    idemKey: string;
    document: string | null;
    source: string;
  } & ({ amount: number } | { value: number }),
  now: number,
): Promise<Posted & { memberCode: string; units: number }> {
  return withTransaction(pool, async (client) => {
    const member = (await resolveMemberCodes(client, input.merchantId, [input.memberCode])).get(input.memberCode);
    if (!member) throw new CloudError('NOT_FOUND', `No member ${input.memberCode}`);
    const units =
      'amount' in input
        ? input.amount
        : unitsForValue(input.kind, input.value, (await loadRules(client, input.merchantId)).pointsPerDollar);
    const [posted] = await postMovements(
      client,
      [
        {
          merchantId: input.merchantId,
          memberId: member.id,
          kind: input.kind,
          amount: -units,
          idemKey: input.idemKey,
          reason: 'redeem',
          document: input.document,
          source: input.source,
          whenShort: 'refuse',
        },
      ],
      now,
    );
    if (!posted?.replayed) await appendChanges(client, input.merchantId, await memberChanges(client, input.merchantId, [member.id]), now);
    return { ...(posted as Posted), memberCode: input.memberCode, units };
  });
}

/** What an adjustment did, for the audit entry written in its transaction. */
export interface Adjusted {
  memberCode: string;
  kind: LedgerKind;
  amount: number;
  before: number;
  after: number;
  entryId: number;
}

/**
 * Head office corrects a balance with a reason (admin CLI, the console's 會員 screen); a negative
 * adjustment is refused below zero, decided under the account's lock. `options.source` names who
 * (default 'admin'); `options.audit` runs in the same transaction when something was written.
 */
export async function adjustBalance(
  pool: Pool,
  merchantId: number,
  input: { memberCode: string; kind: LedgerKind; amount: number; reason: string; ref: string },
  now: number,
  options: { source?: string; audit?: (client: PoolClient, done: Adjusted) => Promise<void> } = {},
): Promise<Posted> {
  if (!Number.isSafeInteger(input.amount) || input.amount === 0) throw new AdminError('INVALID', 'The amount is a whole number, not 0');
  if (input.reason.trim().length === 0) throw new AdminError('USAGE', 'An adjustment needs --reason');
  return withTransaction(pool, async (client) => {
    const member = (await resolveMemberCodes(client, merchantId, [input.memberCode])).get(input.memberCode);
    if (!member) throw new AdminError('NOT_FOUND', `No member ${input.memberCode}`);
    try {
      const [posted] = await postMovements(
        client,
        [
          {
            merchantId,
            memberId: member.id,
            kind: input.kind,
            amount: input.amount,
            idemKey: `admin:${input.ref}`,
            reason: 'adjust',
            document: null,
            source: options.source ?? 'admin',
            note: input.reason.trim(),
            whenShort: 'refuse',
          },
        ],
        now,
      );
      if (!posted?.replayed) {
        await appendChanges(client, merchantId, await memberChanges(client, merchantId, [member.id]), now);
        await options.audit?.(client, {
          memberCode: input.memberCode,
          kind: input.kind,
          amount: input.amount,
          before: posted!.balance - input.amount,
          after: posted!.balance,
          entryId: posted!.entryId,
        });
      }
      return posted as Posted;
    } catch (error) {
      // the CLI's words; the cloud's own refusal (INSUFFICIENT_BALANCE …) stays as the cause
      if (error instanceof CloudError) throw new AdminError('CONFLICT', error.message, [], { cause: error });
      throw error;
    }
  });
}

/** The store of a ledger entry's source (`register:<uuid>`), as SQL over `e.source`. */
export const ENTRY_REGISTER = `(CASE WHEN e.source ~ '^register:[0-9a-f-]{36}$' THEN substr(e.source, 10)::uuid END)`;

// Head office's view (the console's 會員 screen) ---------------------------------------------------------

export interface MemberConsent {
  marketing: boolean;
  wordingVersion: string;
  givenAt: number;
  source: string;
}

export interface MemberFound extends FeedMember {
  /** the latest direct-marketing answer; null when none was recorded (a member head office added) */
  consent: MemberConsent | null;
}

/** The latest consent row of each member (the rows are never updated: the latest is the choice). */
async function latestConsents(db: Queryable, ids: number[]): Promise<Map<number, MemberConsent>> {
  if (ids.length === 0) return new Map();
  const rows = (
    await db.query<{ member_id: number; marketing: boolean; wording_version: string; given_at: Date; source: string }>(
      `SELECT DISTINCT ON (member_id) member_id, marketing, wording_version, given_at, source
       FROM member_consent WHERE member_id = ANY($1::bigint[]) ORDER BY member_id, id DESC`,
      [ids],
    )
  ).rows;
  return new Map(
    rows.map((r) => [
      Number(r.member_id),
      { marketing: r.marketing, wordingVersion: r.wording_version, givenAt: r.given_at.getTime(), source: r.source },
    ]),
  );
}

/**
 * Members matching `q`: an 8-digit HK phone (any way of writing it: the whole number only), a code
 * (the member's own or a till's provisional one; from its start) or part of the name; everyone
 * when `q` is empty. Exact phone and code matches first, then by name. One page, and whether more follow.
 */
export async function searchMembers(
  db: Queryable,
  merchantId: number,
  q: string,
  page: { offset: number; limit: number },
): Promise<{ members: MemberFound[]; hasMore: boolean }> {
  const text = q.trim();
  const phone = text === '' ? null : normaliseHkPhone(text);
  const code = text.toUpperCase();
  const like = text.replace(/[\\%_]/g, (c) => `\\${c}`);
  const ids = (
    await db.query<{ id: number }>(
      `SELECT m.id FROM member m
       WHERE m.merchant_id = $1 AND (
         $2 = '' OR m.phone_key = $3 OR m.code IN ($2, $4) OR m.code LIKE $5 || '%' OR m.code LIKE upper($5) || '%' OR m.name ILIKE '%' || $5 || '%'
         OR EXISTS (SELECT 1 FROM member_alias a WHERE a.merchant_id = $1 AND a.member_id = m.id AND a.code IN ($2, $4)))
       ORDER BY (m.phone_key IS NOT DISTINCT FROM $3 OR m.code IN ($2, $4)) DESC, m.name, m.id
       OFFSET $6 LIMIT $7`,
      [merchantId, text, phone, code, like, page.offset, page.limit + 1],
    )
  ).rows.map((r) => Number(r.id));
  const hasMore = ids.length > page.limit;
  const shown = ids.slice(0, page.limit);
  const feed = new Map((await loadMemberFeed(db, merchantId, shown)).map((m) => [m.id, m]));
  const consents = await latestConsents(db, shown);
  return {
    members: shown.flatMap((id) => {
      const m = feed.get(id);
      return m ? [{ ...m, consent: consents.get(id) ?? null }] : [];
    }),
    hasMore,
  };
}

export interface MemberDetail extends MemberFound {
  email: string | null;
  birthMonth: number | null;
  /** 'admin', or the store whose register enrolled the member */
  enrolledVia: 'admin' | 'register';
  enrolledStoreCode: string | null;
  /** every consent answer, newest first */
  consents: MemberConsent[];
}

/** One member by code (its own or a provisional one), with the full phone: the member's page. */
export async function memberDetail(db: Queryable, merchantId: number, code: string): Promise<MemberDetail | null> {
  const member = (await resolveMemberCodes(db, merchantId, [code])).get(code);
  if (!member) return null;
  const [feed] = await loadMemberFeed(db, merchantId, [member.id]);
  if (!feed) return null;
  const row = (
    await db.query<{ email: string | null; birth_month: number | null; enrolled_via: string; store_code: string | null }>(
      `SELECT m.email, m.birth_month, m.enrolled_via, st.code AS store_code
       FROM member m
       LEFT JOIN register r ON r.id = (CASE WHEN m.enrolled_via ~ '^register:[0-9a-f-]{36}$' THEN substr(m.enrolled_via, 10)::uuid END)
       LEFT JOIN store st ON st.id = r.store_id
       WHERE m.id = $1`,
      [member.id],
    )
  ).rows[0];
  const consents = (
    await db.query<{ marketing: boolean; wording_version: string; given_at: Date; source: string }>(
      'SELECT marketing, wording_version, given_at, source FROM member_consent WHERE member_id = $1 ORDER BY id DESC',
      [member.id],
    )
  ).rows.map((r) => ({ marketing: r.marketing, wordingVersion: r.wording_version, givenAt: r.given_at.getTime(), source: r.source }));
  return {
    ...feed,
    consent: consents[0] ?? null,
    consents,
    email: row?.email ?? null,
    birthMonth: row?.birth_month ?? null,
    enrolledVia: row?.enrolled_via.startsWith('register:') ? 'register' : 'admin',
    enrolledStoreCode: row?.store_code ?? null,
  };
}

export interface LedgerLine {
  id: number;
  kind: LedgerKind;
  reason: LedgerReason;
  /** signed: points, or cents of store credit */
  amount: number;
  balanceAfter: number;
  /** the receipt or order number it belongs to */
  document: string | null;
  /** the store of the register that made it; null for head office's adjustments */
  storeCode: string | null;
  registerCode: string | null;
  /** 'register:<id>', 'admin' (the CLI) or 'hq:<email>' (the console) */
  source: string;
  note: string | null;
  overdraft: number;
  at: number;
}

/** A member's ledger entries, points and store credit together, newest first; `beforeId` pages back. */
export async function memberLedger(
  db: Queryable,
  merchantId: number,
  memberId: number,
  page: { beforeId?: number; limit: number },
): Promise<{ entries: LedgerLine[]; hasMore: boolean }> {
  const rows = (
    await db.query<{
      id: number;
      kind: LedgerKind;
      reason: LedgerReason;
      amount: string;
      balance_after: string;
      document: string | null;
      store_code: string | null;
      register_code: string | null;
      source: string;
      note: string | null;
      overdraft: string;
      created_at: Date;
    }>(
      `SELECT e.id, a.kind, e.reason, e.amount, e.balance_after, e.document, st.code AS store_code, r.code AS register_code,
              e.source, e.note, e.overdraft, e.created_at
       FROM ledger_account a JOIN ledger_entry e ON e.account_id = a.id
       LEFT JOIN register r ON r.id = ${ENTRY_REGISTER}
       LEFT JOIN store st ON st.id = r.store_id
       WHERE a.merchant_id = $1 AND a.member_id = $2 AND ($3::bigint IS NULL OR e.id < $3)
       ORDER BY e.id DESC LIMIT $4`,
      [merchantId, memberId, page.beforeId ?? null, page.limit + 1],
    )
  ).rows;
  return {
    entries: rows.slice(0, page.limit).map((r) => ({
      id: Number(r.id),
      kind: r.kind,
      reason: r.reason,
      amount: Number(r.amount),
      balanceAfter: Number(r.balance_after),
      document: r.document,
      storeCode: r.store_code,
      registerCode: r.register_code,
      source: r.source,
      note: r.note,
      overdraft: Number(r.overdraft),
      at: r.created_at.getTime(),
    })),
    hasMore: rows.length > page.limit,
  };
}
