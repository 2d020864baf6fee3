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
import {
  MEMBER_HISTORY_LIMIT,
  normaliseHkPhone,
  type MemberEnrolment,
  type MemberHistory,
  type MemberPurchase,
} from '../../src/shared/member-schemas';
import { AdminError, CloudError } from '../errors';
import type { Pool, PoolClient, Queryable } from '../db/pool';
import { withTransaction } from '../db/tx';
import { appendChanges, readLastVersion, type Change } from './change-log';
import { unitsForValue } from '../../src/shared/stored-value';
import { DEFAULT_MEMBER_RULES, MemberRules, pointsFor, type FeedMemberRules } from '../../src/shared/member-rules';
import { canonicalJson } from './canonical-json';
import { LedgerNoteFacts, type LedgerExceptionFacts, type LedgerReason } from '../hq/contract';
import { isRegisterSource, openRedemptionKey, recordRedemptionEntry } from './online-redemption-keys';

export type LedgerKind = 'points' | 'credit';
/** A member's kinds, and a gift card's own account (cloud/domain/gift-cards.ts). */
export type AccountKind = LedgerKind | 'gift';
export type { LedgerReason };

export type { MemberRules };
export { pointsFor };
export const DEFAULT_RULES: MemberRules = DEFAULT_MEMBER_RULES;

interface RulesRow {
  earn_cents_per_point: number;
  tier_multipliers: Record<string, number>;
  excluded_categories: string[];
  points_per_dollar: number;
  offline_limit_cents: string;
  version: number;
  updated_at: Date;
}

const rulesOf = (row: RulesRow): MemberRules => ({
  earnCentsPerPoint: row.earn_cents_per_point,
  tierMultipliers: row.tier_multipliers,
  excludedCategories: row.excluded_categories,
  pointsPerDollar: row.points_per_dollar,
  offlineLimitCents: Number(row.offline_limit_cents),
});

/** The merchant's rules now, with their version (0 and the defaults when head office never set any): what registers pull. */
export async function loadRulesFeed(db: Queryable, merchantId: number): Promise<FeedMemberRules> {
  const row = (await db.query<RulesRow>('SELECT * FROM member_rules WHERE merchant_id = $1', [merchantId])).rows[0];
  if (!row) return { ...DEFAULT_RULES, version: 0, effectiveFrom: 0 };
  return { ...rulesOf(row), version: Number(row.version), effectiveFrom: row.updated_at.getTime() };
}

export async function loadRules(db: Queryable, merchantId: number): Promise<MemberRules> {
  const { version: _version, effectiveFrom: _from, ...rules } = await loadRulesFeed(db, merchantId);
  return rules;
}

/** Every version of the merchant's rules, oldest first (version 0, the defaults, is implied before the first). */
export async function loadRuleVersions(db: Queryable, merchantId: number): Promise<FeedMemberRules[]> {
  return (
    await db.query<{ version: number; rules: MemberRules; effective_from: Date }>(
      'SELECT version, rules, effective_from FROM member_rules_version WHERE merchant_id = $1 ORDER BY version',
      [merchantId],
    )
  ).rows.map((r) => ({ ...DEFAULT_RULES, ...r.rules, version: Number(r.version), effectiveFrom: r.effective_from.getTime() }));
}

/**
 * The version in force at `at` (epoch ms): the newest that took force at or before it; the
 * defaults (version 0) before head office set any.
 */
export function rulesInForce(versions: readonly FeedMemberRules[], at: number): FeedMemberRules {
  let found: FeedMemberRules = { ...DEFAULT_RULES, version: 0, effectiveFrom: 0 };
  for (const v of versions) if (v.effectiveFrom <= at && v.version > found.version) found = v;
  return found;
}

/**
 * Sets the merchant's rules (the admin CLI, the console's 會員 screen): checked here, on `db`, which
 * must be a transaction's client (to commit with its audit entry and its change). A change is a new
 * version, in force from `now` for the points of pushed documents and the redemptions the cloud
 * decides, and goes to every register through the change feed (`member_rules`); the same rules
 * again change nothing. Changes take turns on an advisory lock, so versions never collide.
 */
export async function setRules(db: Queryable, merchantId: number, rules: Partial<MemberRules>, now: number): Promise<MemberRules> {
  await db.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`member-rules:${merchantId}`]);
  const current = await loadRulesFeed(db, merchantId);
  const { version: _version, effectiveFrom: _from, ...before } = current;
  const parsed = MemberRules.safeParse({ ...before, ...rules });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AdminError('INVALID', `${issue?.path.join('.') || 'rules'}: ${issue?.message ?? 'invalid'}`);
  }
  const next = parsed.data;
  if (canonicalJson(next) === canonicalJson(before)) return before;
  const version = current.version + 1;
  await db.query(
    `INSERT INTO member_rules (merchant_id, earn_cents_per_point, tier_multipliers, excluded_categories, points_per_dollar, offline_limit_cents, updated_at, version)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (merchant_id) DO UPDATE SET earn_cents_per_point = EXCLUDED.earn_cents_per_point, tier_multipliers = EXCLUDED.tier_multipliers,
       excluded_categories = EXCLUDED.excluded_categories, points_per_dollar = EXCLUDED.points_per_dollar,
       offline_limit_cents = EXCLUDED.offline_limit_cents, updated_at = EXCLUDED.updated_at, version = EXCLUDED.version`,
    [
      merchantId,
      next.earnCentsPerPoint,
      JSON.stringify(next.tierMultipliers),
      next.excludedCategories,
      next.pointsPerDollar,
      next.offlineLimitCents,
      new Date(now),
      version,
    ],
  );
  await db.query('INSERT INTO member_rules_version (merchant_id, version, rules, effective_from, created_at) VALUES ($1, $2, $3, $4, $4)', [
    merchantId,
    version,
    JSON.stringify(next),
    new Date(now),
  ]);
  await appendChanges(db, merchantId, [{ entity: 'member_rules', op: 'upsert', data: { ...next, version, effectiveFrom: now } }], now);
  return next;
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
 * `lookupMember` for a till (GET /v1/members/lookup), with the change-log version the member is as
 * of: both read in one REPEATABLE READ snapshot, so every change up to that version is in it.
 */
export async function lookupMemberAsOf(
  pool: Pool,
  merchantId: number,
  query: { phone: string } | { code: string },
): Promise<{ member: FeedMember | null; version: number }> {
  return withTransaction(
    pool,
    async (client) => {
      const version = await readLastVersion(client, merchantId);
      return { member: await lookupMember(client, merchantId, query), version };
    },
    { isolation: 'repeatable read', readOnly: true },
  );
}

/**
 * A member's recent purchases from every store and the online shop (the till's member panel),
 * newest first:
 * - documents naming the member's code or any provisional code merged into it (a till's sales,
 *   returns and exchanges; online orders recorded with a member);
 * - the online shop's orders the member earned or paid points or store credit on (their ledger
 *   entries' document, from a shop key, and shop_order_points), as the cloud knows the order: a
 *   customer order's total and pickup store, else an online sale's, else the cents the shop said
 *   earn points; a returned order adds a `return` row with the cents the shop returned.
 * An online order is listed once: the till sales that collected it (its pickups' receipts, or a
 * document naming the order) are folded into its row (`collectedOn`), never listed beside it, and
 * an online sale recorded under the same number is the order itself.
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
  const online = await onlineOrdersOf(db, merchantId, Number(member.id));
  const orderNos = new Set(online.filter((p) => p.kind === 'sale').map((p) => p.receiptNo));
  const collected = new Set(online.flatMap((p) => p.collectedOn ?? []));
  const rows = (
    await db.query<{
      receipt_no: string;
      kind: 'sale' | 'return' | 'exchange';
      channel: 'register' | 'online';
      store_code: string;
      completed_at: Date;
      total: string;
      order_no: string | null;
    }>(
      `SELECT s.receipt_no, s.kind, s.channel, st.code AS store_code, s.completed_at, s.total, s.document -> 'order' ->> 'orderNo' AS order_no
       FROM sale s JOIN store st ON st.id = s.store_id
       WHERE s.merchant_id = $1
         AND s.member_code = ANY(ARRAY[$2::text] || ARRAY(SELECT code FROM member_alias WHERE member_id = $3))
       ORDER BY s.completed_at DESC, s.id DESC LIMIT $4`,
      // enough to fill the list after the online orders' own documents are folded away
      [merchantId, member.code, member.id, MEMBER_HISTORY_LIMIT + orderNos.size + collected.size],
    )
  ).rows;
  const documents: MemberPurchase[] = rows
    .filter((r) =>
      r.channel === 'online'
        ? !orderNos.has(r.receipt_no)
        : !collected.has(r.receipt_no) && (r.order_no === null || !orderNos.has(r.order_no)),
    )
    .map((r) => ({
      receiptNo: r.receipt_no,
      kind: r.kind,
      channel: r.channel,
      storeCode: r.store_code,
      completedAt: r.completed_at.getTime(),
      total: Number(r.total),
    }));
  return {
    source: 'cloud',
    purchases: [...documents, ...online].sort((a, b) => b.completedAt - a.completedAt).slice(0, MEMBER_HISTORY_LIMIT),
  };
}

/** The member's online shop orders (and their returns) for the history, newest first, at most the history's length. */
async function onlineOrdersOf(db: Queryable, merchantId: number, memberId: number): Promise<MemberPurchase[]> {
  const rows = (
    await db.query<{
      order_no: string;
      first_at: Date;
      reversed_at: Date | null;
      order_total: string | null;
      order_store: string | null;
      order_at: Date | null;
      collected_on: string[] | null;
      sale_total: string | null;
      sale_store: string | null;
      sale_at: Date | null;
      earned_cents: string | null;
      returned_cents: string | null;
    }>(
      `WITH touched AS (
         SELECT e.document AS order_no, e.created_at AS at, e.reason = 'reverse' AS reversal
         FROM ledger_account a JOIN ledger_entry e ON e.account_id = a.id
         WHERE a.merchant_id = $1 AND a.member_id = $2 AND e.document IS NOT NULL AND e.source LIKE 'shop-key:%'
         UNION ALL
         SELECT order_no, created_at, eligible_cents < 0 FROM shop_order_points WHERE merchant_id = $1 AND member_id = $2
       ), orders AS (
         SELECT order_no, min(at) AS first_at, max(at) FILTER (WHERE reversal) AS reversed_at
         FROM touched GROUP BY order_no ORDER BY first_at DESC LIMIT $3
       )
       SELECT o.order_no, o.first_at, o.reversed_at,
              co.total AS order_total, cst.code AS order_store, co.created_at AS order_at,
              CASE WHEN co.id IS NULL THEN NULL ELSE
                ARRAY(SELECT receipt_no FROM (
                  SELECT p.receipt_no, p.at FROM customer_order_pickup p WHERE p.order_id = co.id AND p.released_at IS NULL
                  UNION SELECT co.final_receipt_no, co.final_at WHERE co.final_receipt_no IS NOT NULL) r
                GROUP BY receipt_no ORDER BY min(at)) END AS collected_on,
              os.total AS sale_total, sst.code AS sale_store, os.completed_at AS sale_at,
              p.earned_cents, p.returned_cents
       FROM orders o
       LEFT JOIN customer_order co ON co.merchant_id = $1 AND co.order_no = o.order_no
       LEFT JOIN store cst ON cst.id = co.store_id
       LEFT JOIN sale os ON os.merchant_id = $1 AND os.channel = 'online' AND os.receipt_no = o.order_no
       LEFT JOIN store sst ON sst.id = os.store_id
       LEFT JOIN LATERAL (
         SELECT sum(eligible_cents) FILTER (WHERE eligible_cents > 0) AS earned_cents,
                -sum(eligible_cents) FILTER (WHERE eligible_cents < 0) AS returned_cents
         FROM shop_order_points WHERE merchant_id = $1 AND order_no = o.order_no AND member_id = $2) p ON true
       ORDER BY o.first_at DESC`,
      [merchantId, memberId, MEMBER_HISTORY_LIMIT],
    )
  ).rows;
  return rows.flatMap((r) => {
    const known = r.order_total ?? r.sale_total ?? r.earned_cents;
    const storeCode = r.order_store ?? r.sale_store ?? '';
    const order: MemberPurchase = {
      receiptNo: r.order_no,
      kind: 'sale',
      channel: 'online',
      storeCode,
      completedAt: (r.order_at ?? r.sale_at ?? r.first_at).getTime(),
      total: Number(known ?? 0),
      ...(known === null ? { totalUnknown: true as const } : {}),
      ...(r.collected_on && r.collected_on.length > 0 ? { collectedOn: r.collected_on } : {}),
    };
    if (r.reversed_at === null) return [order];
    const back: MemberPurchase = {
      receiptNo: r.order_no,
      kind: 'return',
      channel: 'online',
      storeCode,
      completedAt: r.reversed_at.getTime(),
      total: -Number(r.returned_cents ?? 0),
      ...(r.returned_cents === null ? { totalUnknown: true as const } : {}),
    };
    return [back, order];
  });
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
  /** what the cloud itself says in `note`, for the console to say in the reader's language (none: a person's note) */
  noteFacts?: LedgerNoteFacts;
  /**
   * 'refuse': decided here, refused when the balance does not cover it.
   * 'record': already happened (paid offline, points reversed): recorded, an overdraft listed.
   */
  whenShort: 'refuse' | 'record';
  /**
   * The key may already name this movement with another figure the cloud itself decided (a card's
   * void, taking what was left on it then): that entry stands and this one is its replay. A
   * document's spend never uses it: what it paid beyond an online redemption is posted (documentSpend).
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
        const other = Number(earlier.account_id) !== accountId ? 'of another account' : `of ${Number(earlier.amount)}, not ${m.amount}`;
        throw new CloudError('IDEMPOTENCY_CONFLICT', `The key ${m.idemKey} was already used for another movement (${other})`);
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
    // the part of the movement that lies below zero (the schema requires it on every row below zero)
    const overdraft = after < 0 ? Math.min(-after, Math.abs(m.amount)) : 0;
    const entry = (
      await client.query<{ id: number }>(
        `INSERT INTO ledger_entry (merchant_id, account_id, idem_key, amount, balance_after, reason, document, source, note, overdraft, created_at, note_facts)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
        [
          m.merchantId,
          accountId,
          m.idemKey,
          m.amount,
          after,
          m.reason,
          m.document,
          m.source,
          m.note ?? null,
          overdraft,
          new Date(now),
          m.noteFacts ? JSON.stringify(m.noteFacts) : null,
        ],
      )
    ).rows[0] as { id: number };
    // an exception only where money or points were taken below zero: points earned or a refund landing
    // on an account already overdrawn bring it back up and are nothing for a person to look into
    if (overdraft > 0 && m.amount < 0) {
      const facts: LedgerExceptionFacts = { case: 'overdraft', reason: m.reason, account: m.kind, taken: -m.amount, before, after };
      await client.query(
        `INSERT INTO ledger_exception (merchant_id, entry_id, kind, amount, document, detail, created_at, gift_card_id, facts)
         VALUES ($1, $2, 'overdraft', $3, $4, $5, $6, $7, $8)`,
        [
          m.merchantId,
          entry.id,
          overdraft,
          m.document,
          `${m.reason} of ${-m.amount} ${m.kind === 'gift' ? 'cents of gift card' : m.kind} left the balance at ${after} (it was ${before})`,
          new Date(now),
          m.kind === 'gift' ? m.giftCardId : null,
          JSON.stringify(facts),
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
  const facts: LedgerExceptionFacts = { case: 'unknown_member', memberCode: code };
  await client.query(
    `INSERT INTO ledger_exception (merchant_id, kind, amount, document, detail, created_at, facts) VALUES ($1, 'unknown_member', 0, $2, $3, $4, $5)
     ON CONFLICT (merchant_id, document) WHERE kind = 'unknown_member' DO NOTHING`,
    [
      merchantId,
      document,
      `Document ${document} names member ${code}, which this cloud does not know: no points were given`,
      new Date(now),
      JSON.stringify(facts),
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
): Promise<Posted & { memberCode: string; units: number; version: number | null }> {
  return withTransaction(pool, async (client) => {
    const member = (await resolveMemberCodes(client, input.merchantId, [input.memberCode])).get(input.memberCode);
    if (!member) throw new CloudError('NOT_FOUND', `No member ${input.memberCode}`);
    const units =
      'amount' in input
        ? input.amount
        : unitsForValue(input.kind, input.value, (await loadRules(client, input.merchantId)).pointsPerDollar);
    // a till's redemption: its key tracked until a document settles it or the till releases it
    const tracked = isRegisterSource(input.source);
    if (tracked) await openRedemptionKey(client, input.merchantId, input.idemKey, input.source, now);
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
    if (tracked && posted) await recordRedemptionEntry(client, input.merchantId, input.idemKey, posted.entryId);
    // the member's change, and its version: the till keeps the balance as of it, so a pull read
    // before this redemption cannot put the older balance back (a replay answers no version)
    const version = posted?.replayed
      ? null
      : await appendChanges(client, input.merchantId, await memberChanges(client, input.merchantId, [member.id]), now);
    return { ...(posted as Posted), memberCode: input.memberCode, units, version };
  });
}

/**
 * The points an online shop order earns (or, with negative cents, a returned order takes back): the
 * cloud's arithmetic, never the shop's figure. An order earns by the merchant's rules in force now
 * and the member's tier. A return (negative cents, the same `document`: the shop's order number)
 * takes back what that order earned, in proportion to the cents returned (all of them when the whole
 * order comes back), whatever the rules or the tier are now, and never more than the order earned
 * across all its returns; an order this cloud never saw earn gives nothing back. Each call is kept
 * in shop_order_points (the order's own account of cents and points; the member's history reads it),
 * and the order's calls take turns on an advisory lock, so two returns at once never both take the
 * same points. A reversal is recorded whatever the balance (the order was refunded; points already
 * spent are an overdraft, listed). The key makes a retry answer the entry already made, with its points.
 */
export async function earnFromShop(
  pool: Pool,
  input: { merchantId: number; memberCode: string; eligibleCents: number; idemKey: string; document: string; source: string },
  now: number,
): Promise<Omit<Posted, 'entryId'> & { entryId: number | null; memberCode: string; points: number }> {
  return withTransaction(pool, async (client) => {
    const member = (await resolveMemberCodes(client, input.merchantId, [input.memberCode])).get(input.memberCode);
    if (!member) throw new CloudError('NOT_FOUND', `No member ${input.memberCode}`);
    // 1. the order's calls take turns (before the account's lock, as every caller of this order does)
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`shop-order:${input.merchantId}:${input.document}`]);
    // 2. a replay keeps the points first given (the rules may have changed since); calls made before
    //    shop_order_points existed are found by their ledger entry
    const kept = (
      await client.query<{ points: string; entry_id: number | null }>(
        'SELECT points, entry_id FROM shop_order_points WHERE merchant_id = $1 AND idem_key = $2',
        [input.merchantId, input.idemKey],
      )
    ).rows[0];
    if (kept && kept.entry_id === null) {
      const [feed] = await loadMemberFeed(client, input.merchantId, [member.id]);
      return { entryId: null, balance: feed?.points ?? 0, replayed: true, memberCode: input.memberCode, points: 0 };
    }
    const earlier =
      kept ??
      (
        await client.query<{ points: string }>('SELECT amount AS points FROM ledger_entry WHERE merchant_id = $1 AND idem_key = $2', [
          input.merchantId,
          input.idemKey,
        ])
      ).rows[0];
    const points =
      earlier !== undefined
        ? Number(earlier.points)
        : input.eligibleCents > 0
          ? pointsFor(input.eligibleCents, member.tier, await loadRules(client, input.merchantId))
          : -(await pointsBack(client, input.merchantId, member.id, input.document, -input.eligibleCents));
    const posted =
      points === 0
        ? null
        : (
            await postMovements(
              client,
              [
                {
                  merchantId: input.merchantId,
                  memberId: member.id,
                  kind: 'points',
                  amount: points,
                  idemKey: input.idemKey,
                  reason: points > 0 ? 'earn' : 'reverse',
                  document: input.document,
                  source: input.source,
                  whenShort: 'record',
                },
              ],
              now,
            )
          )[0];
    // 3. the order's account of this call (a legacy replay already has its entry and no row: none added)
    if (earlier === undefined) {
      await client.query(
        `INSERT INTO shop_order_points (merchant_id, idem_key, order_no, member_id, eligible_cents, points, entry_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [input.merchantId, input.idemKey, input.document, member.id, input.eligibleCents, points, posted?.entryId ?? null, new Date(now)],
      );
    }
    if (!posted) {
      // too little to earn a point, or nothing left to take back: no entry; the balance as it is
      const [feed] = await loadMemberFeed(client, input.merchantId, [member.id]);
      return { entryId: null, balance: feed?.points ?? 0, replayed: false, memberCode: input.memberCode, points: 0 };
    }
    if (!posted.replayed) await appendChanges(client, input.merchantId, await memberChanges(client, input.merchantId, [member.id]), now);
    return { ...posted, memberCode: input.memberCode, points };
  });
}

/**
 * The points a return of `returnedCents` of an online order takes back from its member (positive),
 * under the order's lock: the order's earned points times the share of its earning cents returned
 * so far, less what its earlier returns took, so partial returns add up to exactly what the order
 * earned and never more. What the ledger shows the order earned and got back bounds it too (orders
 * that earned before shop_order_points existed: by the rules now, up to what is left of them).
 */
async function pointsBack(
  client: Queryable,
  merchantId: number,
  memberId: number,
  orderNo: string,
  returnedCents: number,
): Promise<number> {
  const order = (
    await client.query<{ earned_cents: string; earned_points: string; returned_cents: string; returned_points: string }>(
      `SELECT coalesce(sum(eligible_cents) FILTER (WHERE eligible_cents > 0), 0) AS earned_cents,
              coalesce(sum(points) FILTER (WHERE eligible_cents > 0), 0) AS earned_points,
              coalesce(-sum(eligible_cents) FILTER (WHERE eligible_cents < 0), 0) AS returned_cents,
              coalesce(-sum(points) FILTER (WHERE eligible_cents < 0), 0) AS returned_points
       FROM shop_order_points WHERE merchant_id = $1 AND order_no = $2 AND member_id = $3`,
      [merchantId, orderNo, memberId],
    )
  ).rows[0];
  // what the ledger says is left of the order's points (every shop key's entries for it)
  const ledger = (
    await client.query<{ left: string }>(
      `SELECT coalesce(sum(e.amount), 0) AS left
       FROM ledger_account a JOIN ledger_entry e ON e.account_id = a.id
       WHERE a.member_id = $1 AND a.kind = 'points' AND e.merchant_id = $2 AND e.document = $3
         AND e.source LIKE 'shop-key:%' AND e.reason IN ('earn', 'reverse')`,
      [memberId, merchantId, orderNo],
    )
  ).rows[0];
  const left = Math.max(0, Number(ledger?.left ?? 0));
  const earnedCents = BigInt(order?.earned_cents ?? 0);
  if (earnedCents === 0n) {
    // earned before its cents were kept (or never): the rules now, never beyond what is left
    if (left === 0) return 0;
    const member = (await client.query<{ tier: string }>('SELECT tier FROM member WHERE id = $1', [memberId])).rows[0];
    return Math.min(left, -pointsFor(-returnedCents, member?.tier ?? '', await loadRules(client, merchantId)));
  }
  const earnedPoints = BigInt(order?.earned_points ?? 0);
  const returnedBefore = BigInt(order?.returned_cents ?? 0);
  const returnedAfter = returnedBefore + BigInt(returnedCents) > earnedCents ? earnedCents : returnedBefore + BigInt(returnedCents);
  const owedAfter = (earnedPoints * returnedAfter) / earnedCents; // rounded down: the last return takes the rest
  const back = Number(owedAfter) - Number(order?.returned_points ?? 0);
  return Math.max(0, Math.min(back, left));
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
  noteFacts: LedgerNoteFacts | null;
  /** `note` is the cloud's English line from before 0036 (isCloudNote): shown as it is, labelled for IT */
  cloudNote: boolean;
  overdraft: number;
  at: number;
}

/**
 * Whether a note with no facts is the cloud's own English line (one written before migration 0036
 * kept facts) rather than words a person typed. People type only an adjustment's reason and the
 * reason of a card head office voided (from the console or the CLI); a card a register's return
 * voided, and every other movement's note, the cloud wrote. `source` is the movement's, or the
 * card's `voided_by`. The console shows the cloud's line as it is, labelled for IT.
 */
export function cloudWroteNote(reason: LedgerReason, source: string | null): boolean {
  if (reason === 'adjust') return false;
  if (reason === 'void') return source?.startsWith('register:') ?? false;
  return true;
}

/** `note` is the cloud's English line with nothing to say it from in the reader's language (see cloudWroteNote). */
export function isCloudNote(note: string | null, facts: LedgerNoteFacts | null, reason: LedgerReason, source: string | null): boolean {
  return note !== null && facts === null && cloudWroteNote(reason, source);
}

/** Stored note facts in their one shape; none (a person's note, a row before 0036, a shape this release does not know): null. */
export function noteFactsOf(stored: unknown): LedgerNoteFacts | null {
  const parsed = LedgerNoteFacts.safeParse(stored);
  return parsed.success ? parsed.data : null;
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
      note_facts: unknown;
      overdraft: string;
      created_at: Date;
    }>(
      `SELECT e.id, a.kind, e.reason, e.amount, e.balance_after, e.document, st.code AS store_code, r.code AS register_code,
              e.source, e.note, e.note_facts, e.overdraft, e.created_at
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
      noteFacts: noteFactsOf(r.note_facts),
      cloudNote: isCloudNote(r.note, noteFactsOf(r.note_facts), r.reason, r.source),
      overdraft: Number(r.overdraft),
      at: r.created_at.getTime(),
    })),
    hasMore: rows.length > page.limit,
  };
}
