/**
 * Return points that wait for their original sale (cloud migration 0033). A return by receipt takes
 * its returned lines' points back from the member the ORIGINAL sale earned for (return-points.ts);
 * when the cloud does not have that sale yet (sold on another register that has not pushed), it
 * cannot know who that is, so the reversal is recorded here instead of being taken from whoever the
 * return names. The push that brings the original applies it in its own transaction, as it would
 * have been applied then (member-mutations.ts), and marks it applied with the points it took.
 *
 * One whose original never comes (the register that sold it was lost, the receipt number was
 * mistyped) is closed by head office, or by the manager of the store whose register pushed the
 * return (`storeScope`: another store's row is not found), with a reason (migration 0035): it then
 * takes no points, ever; an original arriving after all only notes when it came.
 *
 * Races: a return deferring its reversal and a push bringing the original may run at once, each
 * missing the other's uncommitted row. Every push with documents holds the merchant's
 * `return-points-pending` lock shared from before it writes a sale until COMMIT; a push that defers
 * takes it exclusive before it reads the originals. So either the original committed first (the
 * return finds it and takes the points directly) or the return did (the original's push then finds
 * the waiting row). Only a push that defers waits for the merchant's other pushes, and they for it.
 * A close takes the same lock exclusive before it reads the row, so a close and the push that brings
 * the original take turns: the push finds the row closed and takes nothing, or the close finds it
 * applied and is refused (RETURN_POINTS_SETTLED). Like a deferring push, a close waits for the
 * merchant's pushes in flight and holds off new ones for its few statements (a rare, manual act).
 */
import { withTransaction } from '../db/tx';
import type { Pool, PoolClient, Queryable } from '../db/pool';
import { AdminError, CloudError } from '../errors';
import type { PendingReturnPointsRow, PendingReturnPointsState } from '../hq/contract';

/** A returned line as the cloud knew it when the return arrived (net in cents, < 0). */
export interface ReturnedLine {
  sku: string;
  net: number;
  categoryCode: string | null;
}

/** A return whose points wait for its original sale. */
export interface DeferredReturnPoints {
  returnReceiptNo: string;
  originalReceiptNo: string;
  lines: ReturnedLine[];
  /** when the return was made (ms; never later than when the cloud took it): the rules of then apply */
  returnedAt: number;
}

export interface WaitingReturnPoints extends DeferredReturnPoints {
  id: number;
  /** the ledger source of the register that pushed the return (`register:<id>`) */
  source: string;
  /** closed by head office: its original, when it comes, takes nothing (noteOriginalsArrived) */
  closed: boolean;
}

/**
 * The merchant's lock between returns that defer their points and the pushes that bring originals,
 * until COMMIT; taken before any other lock of the batch but the register's row (lockRefundedOriginals).
 */
export async function lockPendingReturnPoints(client: PoolClient, merchantId: number, deferring: boolean): Promise<void> {
  await client.query(deferring ? 'SELECT pg_advisory_xact_lock(hashtext($1))' : 'SELECT pg_advisory_xact_lock_shared(hashtext($1))', [
    `return-points-pending:${merchantId}`,
  ]);
}

/** Of the receipt numbers `receiptNos` (originals of returns), those the cloud does not have: one index probe each. */
export async function originalsNotHere(client: PoolClient, merchantId: number, receiptNos: readonly string[]): Promise<string[]> {
  if (receiptNos.length === 0) return [];
  const here = new Set(
    (
      await client.query<{ receipt_no: string }>(
        `SELECT s.receipt_no FROM unnest($2::text[]) AS w(receipt_no)
         CROSS JOIN LATERAL (SELECT receipt_no FROM sale WHERE merchant_id = $1 AND channel = 'register' AND receipt_no = w.receipt_no LIMIT 1) s`,
        [merchantId, [...new Set(receiptNos)]],
      )
    ).rows.map((r) => r.receipt_no),
  );
  return receiptNos.filter((r) => !here.has(r));
}

/**
 * The reversals still waiting for any of `receiptNos` (the batch's documents) as their original,
 * and the closed ones whose original has not come: one index probe per receipt
 * (pending_return_points_waiting), oldest first. Read under lockPendingReturnPoints.
 */
export async function waitingReturnPoints(
  client: PoolClient,
  merchantId: number,
  receiptNos: readonly string[],
): Promise<WaitingReturnPoints[]> {
  if (receiptNos.length === 0) return [];
  const rows = (
    await client.query<{
      id: string;
      return_receipt_no: string;
      original_receipt_no: string;
      lines: ReturnedLine[];
      returned_at: Date;
      register_id: string;
      closed: boolean;
    }>(
      `SELECT p.id, p.return_receipt_no, p.original_receipt_no, p.lines, p.returned_at, p.register_id, p.closed
       FROM unnest($2::text[]) AS w(receipt_no)
       CROSS JOIN LATERAL (SELECT id, return_receipt_no, original_receipt_no, lines, returned_at, register_id, closed_at IS NOT NULL AS closed
                           FROM pending_return_points
                           WHERE merchant_id = $1 AND original_receipt_no = w.receipt_no AND applied_at IS NULL AND original_arrived_at IS NULL
                           OFFSET 0) p
       ORDER BY p.id`,
      [merchantId, [...new Set(receiptNos)]],
    )
  ).rows;
  return rows.map((r) => ({
    id: Number(r.id),
    returnReceiptNo: r.return_receipt_no,
    originalReceiptNo: r.original_receipt_no,
    lines: r.lines,
    returnedAt: r.returned_at.getTime(),
    source: `register:${r.register_id}`,
    closed: r.closed,
  }));
}

/** Records the batch's returns whose points wait for their original; a return recorded already stays as it was. */
export async function deferReturnPoints(
  client: PoolClient,
  merchantId: number,
  registerId: string,
  deferred: readonly DeferredReturnPoints[],
  now: number,
): Promise<void> {
  if (deferred.length === 0) return;
  await client.query(
    `INSERT INTO pending_return_points (merchant_id, return_receipt_no, original_receipt_no, lines, returned_at, register_id, created_at)
     SELECT $1, t.return_receipt_no, t.original_receipt_no, t.lines, t.returned_at, $2, $3
     FROM unnest($4::text[], $5::text[], $6::jsonb[], $7::timestamptz[]) AS t(return_receipt_no, original_receipt_no, lines, returned_at)
     ON CONFLICT (merchant_id, return_receipt_no) DO NOTHING`,
    [
      merchantId,
      registerId,
      new Date(now),
      deferred.map((d) => d.returnReceiptNo),
      deferred.map((d) => d.originalReceiptNo),
      deferred.map((d) => JSON.stringify(d.lines)),
      deferred.map((d) => new Date(d.returnedAt)),
    ],
  );
}

/** Marks waiting reversals applied, with the points each took (kept for audit); one already applied is left alone. */
export async function markReturnPointsApplied(
  client: PoolClient,
  applied: readonly { id: number; points: number }[],
  now: number,
): Promise<void> {
  if (applied.length === 0) return;
  await client.query(
    `UPDATE pending_return_points p SET applied_at = $1, points_taken = t.points
     FROM unnest($2::bigint[], $3::bigint[]) AS t(id, points) WHERE p.id = t.id AND p.applied_at IS NULL`,
    [new Date(now), applied.map((a) => a.id), applied.map((a) => a.points)],
  );
}

/**
 * Notes that the originals of closed returns (`ids`) arrived after all: they took nothing, and the
 * row says when the original came.
 */
export async function noteOriginalsArrived(client: PoolClient, ids: readonly number[], now: number): Promise<void> {
  if (ids.length === 0) return;
  await client.query(
    `UPDATE pending_return_points SET original_arrived_at = $1
     WHERE id = ANY($2::bigint[]) AND closed_at IS NOT NULL AND original_arrived_at IS NULL`,
    [new Date(now), [...ids]],
  );
}

interface Filter {
  state: PendingReturnPointsState;
  /** a store manager's stores keep others out; null: all */
  storeScope: number[] | null;
  id?: number;
  /** any state, the row locked (inside the caller's transaction) */
  forUpdate?: boolean;
}

async function selectPending(db: Queryable, merchantId: number, filter: Filter, now: number): Promise<PendingReturnPointsRow[]> {
  const rows = (
    await db.query<{
      id: string;
      return_receipt_no: string;
      original_receipt_no: string;
      store_code: string | null;
      returned_at: Date;
      created_at: Date;
      applied_at: Date | null;
      points_taken: string | null;
      closed_at: Date | null;
      closed_by: string | null;
      close_reason: string | null;
      original_arrived_at: Date | null;
    }>(
      `SELECT p.id, p.return_receipt_no, p.original_receipt_no, st.code AS store_code, p.returned_at, p.created_at,
              p.applied_at, p.points_taken, p.closed_at, u.email AS closed_by, p.close_reason, p.original_arrived_at
       FROM pending_return_points p JOIN register r ON r.id = p.register_id JOIN store st ON st.id = r.store_id
       LEFT JOIN hq_user u ON u.id = p.closed_by
       WHERE p.merchant_id = $1 AND ($2::bigint[] IS NULL OR st.id = ANY($2::bigint[])) AND ($3::bigint IS NULL OR p.id = $3)
         AND ($4 OR CASE WHEN $5 = 'waiting' THEN p.applied_at IS NULL AND p.closed_at IS NULL ELSE p.closed_at IS NOT NULL END)
       ORDER BY ${filter.state === 'waiting' ? 'p.created_at, p.id' : 'p.closed_at DESC, p.id DESC'}
       ${filter.forUpdate ? 'FOR UPDATE OF p' : ''}`,
      [merchantId, filter.storeScope, filter.id ?? null, filter.forUpdate ?? false, filter.state],
    )
  ).rows;
  return rows.map((r) => ({
    id: Number(r.id),
    returnReceiptNo: r.return_receipt_no,
    originalReceiptNo: r.original_receipt_no,
    storeCode: r.store_code,
    returnedAt: r.returned_at.getTime(),
    createdAt: r.created_at.getTime(),
    waitedMs: Math.max(0, (r.closed_at?.getTime() ?? now) - r.created_at.getTime()),
    appliedAt: r.applied_at?.getTime() ?? null,
    pointsTaken: r.points_taken === null ? null : Number(r.points_taken),
    closedAt: r.closed_at?.getTime() ?? null,
    closedBy: r.closed_by,
    closeReason: r.close_reason,
    originalArrivedAt: r.original_arrived_at?.getTime() ?? null,
  }));
}

/**
 * The reversals still waiting, oldest first, or the closed ones, latest closed first; `storeScope`
 * (a store manager's stores) keeps others out, null: all.
 */
export async function listPendingReturnPoints(
  db: Queryable,
  merchantId: number,
  storeScope: number[] | null,
  now: number,
  state: PendingReturnPointsState = 'waiting',
): Promise<PendingReturnPointsRow[]> {
  return selectPending(db, merchantId, { state, storeScope }, now);
}

/** The audit entry of a close, the console's and the admin CLI's alike (who: the caller's). */
export function closeAuditEntry({ before, after }: { before: PendingReturnPointsRow; after: PendingReturnPointsRow }) {
  return {
    action: 'member.return-points.close',
    target: `${before.returnReceiptNo} (original ${before.originalReceiptNo})`,
    before: {
      returnReceiptNo: before.returnReceiptNo,
      originalReceiptNo: before.originalReceiptNo,
      createdAt: before.createdAt,
      closedAt: null,
    },
    after: { closedAt: after.closedAt, reason: after.closeReason },
  };
}

/**
 * Closes a waiting return for good, with a reason: its points are never taken, even if its original
 * arrives later. `by` is the console user (null: the admin CLI); `audit` writes the audit entry in
 * the close's transaction. NOT_FOUND when there is no such return within `storeScope`; CONFLICT,
 * caused by RETURN_POINTS_SETTLED, when its original came first and took the points, or someone
 * closed it first.
 */
export async function closeReturnPoints(
  pool: Pool,
  merchantId: number,
  close: { id: number; by: number | null; reason: string; storeScope: number[] | null },
  now: number,
  audit: (client: PoolClient, done: { before: PendingReturnPointsRow; after: PendingReturnPointsRow }) => Promise<void>,
): Promise<PendingReturnPointsRow> {
  const reason = close.reason.trim();
  if (reason === '') throw new AdminError('USAGE', 'Closing a waiting return needs a reason');
  return withTransaction(pool, async (client) => {
    // 1. the merchant's lock exclusive, before the row is read: a push bringing the original holds
    //    it shared from before it reads the waiting rows until COMMIT, so the two take turns
    await lockPendingReturnPoints(client, merchantId, true);
    // 2. the row as it stands now, locked (two closes of it at once: the second finds it closed)
    const [before] = await selectPending(
      client,
      merchantId,
      { state: 'waiting', storeScope: close.storeScope, id: close.id, forUpdate: true },
      now,
    );
    if (!before) throw new AdminError('NOT_FOUND', `No waiting return ${close.id}`);
    if (before.appliedAt !== null || before.closedAt !== null) {
      const message =
        before.appliedAt !== null
          ? `The original ${before.originalReceiptNo} arrived first and took ${before.pointsTaken} points: ${before.returnReceiptNo} cannot be closed`
          : `${before.returnReceiptNo} was closed already by ${before.closedBy ?? 'cloud:admin'}`;
      throw new AdminError('CONFLICT', message, [], {
        cause: new CloudError('RETURN_POINTS_SETTLED', message, {
          appliedAt: before.appliedAt,
          pointsTaken: before.pointsTaken,
          closedAt: before.closedAt,
          closedBy: before.closedBy,
        }),
      });
    }
    // 3. closed, then the audit entry, in this transaction
    await client.query('UPDATE pending_return_points SET closed_at = $2, closed_by = $3, close_reason = $4 WHERE id = $1', [
      close.id,
      new Date(now),
      close.by,
      reason,
    ]);
    const [after] = await selectPending(client, merchantId, { state: 'closed', storeScope: null, id: close.id }, now);
    await audit(client, { before, after: after! });
    return after!;
  });
}
