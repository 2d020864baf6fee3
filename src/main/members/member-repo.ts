/**
 * The members this till knows: the cloud's list as pulled (with balances and the provisional codes
 * it merged), and members enrolled here that the cloud has not confirmed yet. Lookups read SQLite
 * only; indexes make a phone or code lookup one probe at 200,000 members.
 */
import type { FeedMember } from '../../shared/change-feed';
import type { StoredValueKind } from '../../shared/stored-value';
import { MEMBER_HISTORY_LIMIT, maskPhone, normaliseHkPhone, type MemberPurchase, type MemberView } from '../../shared/member-schemas';
import { readIdentity } from '../settings/identity';
import type { Db } from '../db/open';
import { prepared } from '../db/prepared';
import { IN_PULLED_FIGURES } from '../sync/pulled-figures';
import { readOfflineRedemptionRules } from './offline-redemption';
import { unsettledUnits } from './stored-value-movements';

export interface LocalMember {
  code: string;
  name: string;
  phone: string | null;
  tier: string;
  points: number;
  storeCredit: number;
  provisional: boolean;
  /** Every code documents of this member may carry (its own, its aliases, its provisional one). */
  codes: string[];
  /** For the pricing engine (member prices by tier); 0 for a member not yet confirmed. */
  id: number;
}

interface CloudRow {
  id: number;
  code: string;
  name: string;
  phone: string | null;
  tier: string;
  points: number;
  store_credit: number;
}

interface EnrolmentRow {
  provisional_code: string;
  name: string;
  phone: string;
}

function fromCloud(db: Db, row: CloudRow): LocalMember {
  const aliases = prepared<{ id: number }, string>(db, 'SELECT code FROM cloud_member_alias WHERE member_id = :id')
    .pluck()
    .all({ id: row.id });
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    phone: row.phone,
    tier: row.tier,
    points: row.points,
    storeCredit: row.store_credit,
    provisional: false,
    codes: [row.code, ...aliases],
  };
}

const fromEnrolment = (row: EnrolmentRow): LocalMember => ({
  id: 0,
  code: row.provisional_code,
  name: row.name,
  phone: row.phone,
  tier: 'standard',
  points: 0,
  storeCredit: 0,
  provisional: true,
  codes: [row.provisional_code],
});

const CLOUD_COLUMNS = 'm.id, m.code, m.name, m.phone, m.tier, m.points, m.store_credit';

/** By member code, a provisional code the cloud merged, or a provisional code of this till. */
export function findMemberByCode(db: Db, code: string): LocalMember | null {
  const cloud =
    prepared<{ code: string }, CloudRow>(db, `SELECT ${CLOUD_COLUMNS} FROM cloud_member m WHERE m.code = :code AND m.active = 1`).get({
      code,
    }) ??
    prepared<{ code: string }, CloudRow>(
      db,
      `SELECT ${CLOUD_COLUMNS} FROM cloud_member_alias a JOIN cloud_member m ON m.id = a.member_id WHERE a.code = :code AND m.active = 1`,
    ).get({ code });
  if (cloud) return fromCloud(db, cloud);
  const enrolled = prepared<{ code: string }, EnrolmentRow>(
    db,
    'SELECT provisional_code, name, phone FROM member_enrolment WHERE provisional_code = :code',
  ).get({ code });
  return enrolled ? fromEnrolment(enrolled) : null;
}

/** By an 8-digit Hong Kong phone: the cloud's member first, else one enrolled here. */
export function findMemberByPhone(db: Db, phone: string): LocalMember | null {
  const cloud = prepared<{ phone: string }, CloudRow>(
    db,
    `SELECT ${CLOUD_COLUMNS} FROM cloud_member m WHERE m.phone_key = :phone AND m.active = 1 ORDER BY m.id LIMIT 1`,
  ).get({ phone });
  if (cloud) return fromCloud(db, cloud);
  const enrolled = prepared<{ phone: string }, EnrolmentRow>(
    db,
    'SELECT provisional_code, name, phone FROM member_enrolment WHERE phone = :phone ORDER BY id DESC LIMIT 1',
  ).get({ phone });
  if (!enrolled) return null;
  // the cloud may already have it under its own code (the alias arrived with the pull)
  return findMemberByCode(db, enrolled.provisional_code);
}

/** Points earned here on documents the pulled balance does not hold yet (sync/pulled-figures.ts). */
export function unsyncedPoints(db: Db, codes: readonly string[]): number {
  if (codes.length === 0) return 0;
  const placeholders = codes.map((_, i) => `:c${i}`).join(', ');
  const params = Object.fromEntries(codes.map((c, i) => [`c${i}`, c]));
  return (
    (db
      .prepare(
        `SELECT coalesce(sum(json_extract(s.member, '$.pointsEarned')), 0) FROM sale s
         WHERE s.member IS NOT NULL AND json_extract(s.member, '$.code') IN (${placeholders})
           AND EXISTS (SELECT 1 FROM outbox o WHERE o.ref = s.receipt_no AND o.kind LIKE 'document.%' AND NOT ${IN_PULLED_FIGURES})`,
      )
      .pluck()
      .get(params) as number) ?? 0
  );
}

export function memberView(db: Db, member: LocalMember): MemberView {
  return {
    code: member.code,
    name: member.name,
    maskedPhone: maskPhone(member.phone),
    tier: member.tier,
    points: member.points + unsyncedPoints(db, member.codes) + unsettledUnits(db, member.codes, 'points'),
    storeCredit: member.storeCredit + unsettledUnits(db, member.codes, 'credit'),
    pointsPerDollar: readOfflineRedemptionRules(db).pointsPerDollar,
    provisional: member.provisional,
  };
}

/**
 * A member from the cloud (the pull, or a lookup) as of change-log `version`: what it carries
 * replaces what was here, except a balance this till holds as of a newer version (a redemption the
 * cloud answered after this change was read), which stays: the change that holds it comes with a later pull.
 */
export function upsertCloudMember(db: Db, m: FeedMember, version = 0): void {
  prepared(
    db,
    `INSERT INTO cloud_member (id, code, name, phone, tier, active, points, store_credit, phone_key, points_version, store_credit_version)
     VALUES (:id, :code, :name, :phone, :tier, :active, :points, :storeCredit, :phoneKey, :version, :version)
     ON CONFLICT (id) DO UPDATE SET code = excluded.code, name = excluded.name, phone = excluded.phone, tier = excluded.tier,
       active = excluded.active, phone_key = excluded.phone_key,
       points = CASE WHEN excluded.points_version >= cloud_member.points_version THEN excluded.points ELSE cloud_member.points END,
       points_version = max(excluded.points_version, cloud_member.points_version),
       store_credit = CASE WHEN excluded.store_credit_version >= cloud_member.store_credit_version
         THEN excluded.store_credit ELSE cloud_member.store_credit END,
       store_credit_version = max(excluded.store_credit_version, cloud_member.store_credit_version)`,
  ).run({
    version,
    id: m.id,
    code: m.code,
    name: m.name,
    phone: m.phone,
    tier: m.tier,
    active: m.active ? 1 : 0,
    points: m.points,
    storeCredit: m.storeCredit,
    phoneKey: m.phone === null ? null : normaliseHkPhone(m.phone),
  });
  prepared(db, 'DELETE FROM cloud_member_alias WHERE member_id = :id').run({ id: m.id });
  const insertAlias = prepared(
    db,
    'INSERT INTO cloud_member_alias (code, member_id) VALUES (:code, :id) ON CONFLICT (code) DO UPDATE SET member_id = excluded.member_id',
  );
  for (const code of m.aliases) insertAlias.run({ code, id: m.id });
}

/**
 * The balance the cloud answered for a redemption it took: the pulled one from now on, as of the
 * answer's version. A row already past that version (a pull brought a later change, which holds the
 * redemption) keeps its figure; an answer with no version (a replay, an older cloud) is written as it is.
 */
export function writeRedeemedBalance(
  db: Db,
  memberId: number,
  kind: StoredValueKind,
  answer: { balance: number; version: number | null },
): void {
  const [column, versionColumn] = kind === 'points' ? ['points', 'points_version'] : ['store_credit', 'store_credit_version'];
  prepared(
    db,
    `UPDATE cloud_member SET ${column} = :balance, ${versionColumn} = coalesce(:version, ${versionColumn})
     WHERE id = :id AND (:version IS NULL OR :version >= ${versionColumn})`,
  ).run({ balance: answer.balance, version: answer.version, id: memberId });
}

/** This register's own documents naming the member (any of its codes), newest first. */
export function localPurchases(db: Db, codes: readonly string[]): MemberPurchase[] {
  if (codes.length === 0) return [];
  const placeholders = codes.map((_, i) => `:c${i}`).join(', ');
  const params = Object.fromEntries(codes.map((c, i) => [`c${i}`, c]));
  const storeCode = readIdentity(db)?.store.code ?? '';
  const rows = db
    .prepare(
      `SELECT receipt_no, kind, completed_at, total FROM sale
       WHERE member IS NOT NULL AND json_extract(member, '$.code') IN (${placeholders})
       ORDER BY completed_at DESC, id DESC LIMIT ${MEMBER_HISTORY_LIMIT}`,
    )
    .all(params) as { receipt_no: string; kind: MemberPurchase['kind']; completed_at: number; total: number }[];
  return rows.map((r) => ({
    receiptNo: r.receipt_no,
    kind: r.kind,
    channel: 'register',
    storeCode,
    completedAt: r.completed_at,
    total: r.total,
  }));
}
