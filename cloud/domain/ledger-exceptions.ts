/**
 * Ledger exceptions (issue 13): an overdraft (two registers spent the same balance offline, or
 * points reversed after they were spent), a gift card's, or a paid document naming a member this
 * cloud does not know. The sale is always kept; a person looks into each one and marks it resolved with a note,
 * and a resolved one stays listed (who, when, why). Written by members.ts as movements post.
 */
import type { PoolClient, Queryable } from '../db/pool';
import { LedgerExceptionFacts } from '../hq/contract';
import { ENTRY_REGISTER, type AccountKind } from './members';
import { flagOpenRedemptions } from './online-redemptions';

export interface LedgerException {
  id: number;
  kind: 'overdraft' | 'unknown_member' | 'gift_card' | 'refund_over' | 'redemption_open';
  amount: number;
  document: string | null;
  /** the cloud's English technical line (the admin CLI prints it) */
  detail: string;
  /** what it is about, for the console's sentence; null: written before migration 0036 */
  facts: LedgerExceptionFacts | null;
  memberCode: string | null;
  /** the account an overdraft is on (points, or cents of credit or of a gift card); null for an unknown member */
  account: AccountKind | null;
  /** a gift card's exception: the card's last 4 (never more) */
  giftCardLast4: string | null;
  /** the store whose register made the movement or sold the document; null when not known */
  storeId: number | null;
  storeCode: string | null;
  createdAt: number;
  /** when, by whom (the console user's email; null: not through the console) and why it was resolved */
  resolvedAt: number | null;
  resolvedBy: string | null;
  resolution: string | null;
}

export type ExceptionState = 'open' | 'resolved';

interface Filter {
  state: ExceptionState;
  /** a store manager's stores keep those of other stores out; null: all of them */
  storeScope: number[] | null;
  id?: number;
  /** lock the exception row (inside the caller's transaction) */
  forUpdate?: boolean;
}

async function selectExceptions(db: Queryable, merchantId: number, filter: Filter): Promise<LedgerException[]> {
  const rows = (
    await db.query<{
      id: number;
      kind: 'overdraft' | 'unknown_member' | 'gift_card' | 'refund_over' | 'redemption_open';
      amount: string;
      document: string | null;
      detail: string;
      facts: unknown;
      member_code: string | null;
      account: AccountKind | null;
      gift_last4: string | null;
      store_id: number | null;
      store_code: string | null;
      created_at: Date;
      resolved_at: Date | null;
      resolved_by: string | null;
      resolution: string | null;
    }>(
      `SELECT x.id, x.kind, x.amount, x.document, x.detail, x.facts, m.code AS member_code, a.kind AS account, g.last4 AS gift_last4,
              st.id AS store_id, st.code AS store_code, x.created_at, x.resolved_at, u.email AS resolved_by, x.resolution
       FROM ledger_exception x
       LEFT JOIN ledger_entry e ON e.id = x.entry_id LEFT JOIN ledger_account a ON a.id = e.account_id LEFT JOIN member m ON m.id = a.member_id
       LEFT JOIN gift_card g ON g.id = x.gift_card_id
       LEFT JOIN register r ON r.id = ${ENTRY_REGISTER}
       LEFT JOIN sale s ON x.entry_id IS NULL AND s.merchant_id = x.merchant_id AND s.channel = 'register' AND s.receipt_no = x.document
       LEFT JOIN store st ON st.id = coalesce(r.store_id, s.store_id)
       LEFT JOIN hq_user u ON u.id = x.resolved_by
       WHERE x.merchant_id = $1 AND (x.resolved_at IS NULL) = ($2 = 'open') AND ($3::bigint[] IS NULL OR st.id = ANY($3::bigint[]))
         AND ($4::bigint IS NULL OR x.id = $4)
       ORDER BY ${filter.state === 'open' ? 'x.id' : 'x.resolved_at DESC, x.id DESC'}
       ${filter.forUpdate ? 'FOR UPDATE OF x' : ''}`,
      [merchantId, filter.state, filter.storeScope, filter.id ?? null],
    )
  ).rows;
  return rows.map((r) => ({
    id: Number(r.id),
    kind: r.kind,
    amount: Number(r.amount),
    document: r.document,
    detail: r.detail,
    facts: factsOf(r.facts),
    memberCode: r.member_code,
    account: r.account ?? (r.kind === 'gift_card' ? 'gift' : null),
    giftCardLast4: r.gift_last4,
    storeId: r.store_id === null ? null : Number(r.store_id),
    storeCode: r.store_code,
    createdAt: r.created_at.getTime(),
    resolvedAt: r.resolved_at?.getTime() ?? null,
    resolvedBy: r.resolved_by,
    resolution: r.resolution,
  }));
}

/** The stored facts in their one shape; a row without them (or in a shape this release does not know) shows its detail. */
function factsOf(stored: unknown): LedgerExceptionFacts | null {
  const parsed = LedgerExceptionFacts.safeParse(stored);
  return parsed.success ? parsed.data : null;
}

/**
 * Open exceptions oldest first, or resolved ones latest resolved first. `storeScope` (a store
 * manager's stores) keeps those of other stores out; null: all of them.
 */
export async function listLedgerExceptions(
  db: Queryable,
  merchantId: number,
  storeScope: number[] | null = null,
  state: ExceptionState = 'open',
  now: number = Date.now(),
): Promise<LedgerException[]> {
  // online redemptions past their bound with neither a sale nor a release join the list first
  await flagOpenRedemptions(db, merchantId, now);
  return selectExceptions(db, merchantId, { state, storeScope });
}

/**
 * Marks an open exception resolved, inside the caller's transaction (so its audit entry commits
 * with it). Null when there is no open exception `id` within `storeScope`: it was never there, is
 * another store's, or someone resolved it first (the row's lock makes the second one wait, then
 * find it resolved).
 */
export async function resolveLedgerException(
  client: PoolClient,
  merchantId: number,
  id: number,
  resolution: { userId: number; note: string; storeScope: number[] | null },
  now: number,
): Promise<{ before: LedgerException; after: LedgerException } | null> {
  const [before] = await selectExceptions(client, merchantId, { state: 'open', storeScope: resolution.storeScope, id, forUpdate: true });
  if (!before) return null;
  await client.query('UPDATE ledger_exception SET resolved_at = $2, resolved_by = $3, resolution = $4 WHERE id = $1', [
    id,
    new Date(now),
    resolution.userId,
    resolution.note,
  ]);
  const [after] = await selectExceptions(client, merchantId, { state: 'resolved', storeScope: null, id });
  return { before, after: after! };
}
