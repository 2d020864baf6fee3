/**
 * Return points that wait for their original sale (cloud migration 0033). A return by receipt takes
 * its returned lines' points back from the member the ORIGINAL sale earned for (return-points.ts);
 * when the cloud does not have that sale yet (sold on another register that has not pushed), it
 * cannot know who that is, so the reversal is recorded here instead of being taken from whoever the
 * return names. The push that brings the original applies it in its own transaction, as it would
 * have been applied then (member-mutations.ts), and marks it applied with the points it took.
 *
 * Races: a return deferring its reversal and a push bringing the original may run at once, each
 * missing the other's uncommitted row. Every push with documents holds the merchant's
 * `return-points-pending` lock shared from before it writes a sale until COMMIT; a push that defers
 * takes it exclusive before it reads the originals. So either the original committed first (the
 * return finds it and takes the points directly) or the return did (the original's push then finds
 * the waiting row). Only a push that defers waits for the merchant's other pushes, and they for it.
 */
import type { PoolClient, Queryable } from '../db/pool';
import type { PendingReturnPointsRow } from '../hq/contract';

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
 * The reversals still waiting for any of `receiptNos` (the batch's documents) as their original:
 * one index probe per receipt (pending_return_points_waiting), oldest first.
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
    }>(
      `SELECT p.id, p.return_receipt_no, p.original_receipt_no, p.lines, p.returned_at, p.register_id
       FROM unnest($2::text[]) AS w(receipt_no)
       CROSS JOIN LATERAL (SELECT id, return_receipt_no, original_receipt_no, lines, returned_at, register_id FROM pending_return_points
                           WHERE merchant_id = $1 AND original_receipt_no = w.receipt_no AND applied_at IS NULL OFFSET 0) p
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

/** The reversals still waiting, oldest first; `storeScope` (a store manager's stores) keeps others out, null: all. */
export async function listPendingReturnPoints(
  db: Queryable,
  merchantId: number,
  storeScope: number[] | null,
  now: number,
): Promise<PendingReturnPointsRow[]> {
  const rows = (
    await db.query<{
      return_receipt_no: string;
      original_receipt_no: string;
      store_code: string | null;
      returned_at: Date;
      created_at: Date;
    }>(
      `SELECT p.return_receipt_no, p.original_receipt_no, st.code AS store_code, p.returned_at, p.created_at
       FROM pending_return_points p JOIN register r ON r.id = p.register_id JOIN store st ON st.id = r.store_id
       WHERE p.merchant_id = $1 AND p.applied_at IS NULL AND ($2::bigint[] IS NULL OR st.id = ANY($2::bigint[]))
       ORDER BY p.created_at, p.id`,
      [merchantId, storeScope],
    )
  ).rows;
  return rows.map((r) => ({
    returnReceiptNo: r.return_receipt_no,
    originalReceiptNo: r.original_receipt_no,
    storeCode: r.store_code,
    returnedAt: r.returned_at.getTime(),
    createdAt: r.created_at.getTime(),
    waitedMs: Math.max(0, now - r.created_at.getTime()),
  }));
}
