/**
 * Stocktakes several registers of one store count into (src/shared/count-session.ts). A session
 * arrives as a `count.session` mutation of the register that opened it; every scan of every
 * participant as a `count.entry` mutation, kept as it came (count_entry, append-only, named by
 * register and entry number, so a re-sent entry lands once). Posting is one decision, here, under
 * the session's row lock: the union of the entries taken becomes a count stock document, applied
 * by the same code as a register's own count (the cloud computes expected-at-count-time from its
 * ledger: sales made at any register of the store after a product's last scan are netted out).
 *
 * Entries take the session's row FOR SHARE: an entry batch and a post take turns, so an entry is
 * either in the post or arrives after it and is kept refused (`refused_at`), which its register
 * shows as not counted; nothing is dropped silently.
 *
 * A register that leaves says so as a `count.leave` mutation, after all its entries (its outbox is
 * in order): it is marked left, no longer suspected of holding unsent entries, and its entries stay
 * counted unless it withdrew them while the session was open (under the same FOR SHARE lock: a
 * withdrawal and a post take turns; one arriving after the post is recorded as too late).
 */
import type { Pool, PoolClient } from '../db/pool';
import { withTransaction } from '../db/tx';
import { CloudError } from '../errors';
import {
  CountEntry,
  CountLeave,
  CountSessionOpened,
  type CountParticipant,
  type CountSessionVariance,
  type CountSessionView,
  type CountUnionLine,
} from '../../src/shared/count-session';
import type { CountLeftScans, CountScope, StockDocumentPayload } from '../../src/shared/stock-schemas';
import type { CountSessionRow } from '../hq/contract';
import { appendChanges } from './change-log';
import { MutationRejected, type Mutation } from './quarantine';
import type { RegisterContext } from './registers';
import { describeIssues } from './schemas';
import { applyOnHand } from './stock';
import { applyStockDocuments, expectedAtCountTime } from './stock-documents';

export interface CountSessionWrite {
  type: 'count-session';
  opened: CountSessionOpened;
  skus: [];
}

export interface CountEntryWrite {
  type: 'count-entry';
  entry: CountEntry;
  skus: string[];
}

export interface CountLeaveWrite {
  type: 'count-leave';
  leave: CountLeave;
  skus: [];
}

/** count.session: in memory, the payload and its ref (the document number). */
export function readCountSession(_register: RegisterContext, mutation: Mutation): CountSessionWrite {
  const parsed = CountSessionOpened.safeParse(mutation.payload);
  if (!parsed.success) throw new MutationRejected('INVALID_PAYLOAD', describeIssues(parsed.error));
  if (mutation.ref !== parsed.data.docNo)
    throw new MutationRejected('REF_MISMATCH', `ref ${mutation.ref} is not the count's number ${parsed.data.docNo}`);
  return { type: 'count-session', opened: parsed.data, skus: [] };
}

/** count.entry: in memory, the payload and its ref (`{docNo}:{entrySeq}`). */
export function readCountEntry(_register: RegisterContext, mutation: Mutation): CountEntryWrite {
  const parsed = CountEntry.safeParse(mutation.payload);
  if (!parsed.success) throw new MutationRejected('INVALID_PAYLOAD', describeIssues(parsed.error));
  if (!mutation.ref.endsWith(`:${parsed.data.entrySeq}`))
    throw new MutationRejected('REF_MISMATCH', `ref ${mutation.ref} does not end in the entry's number ${parsed.data.entrySeq}`);
  return { type: 'count-entry', entry: parsed.data, skus: [parsed.data.sku] };
}

/** count.leave: in memory, the payload and its ref (`{docNo}:leave`). */
export function readCountLeave(_register: RegisterContext, mutation: Mutation): CountLeaveWrite {
  const parsed = CountLeave.safeParse(mutation.payload);
  if (!parsed.success) throw new MutationRejected('INVALID_PAYLOAD', describeIssues(parsed.error));
  if (!mutation.ref.endsWith(':leave')) throw new MutationRejected('REF_MISMATCH', `ref ${mutation.ref} is not a count's {docNo}:leave`);
  return { type: 'count-leave', leave: parsed.data, skus: [] };
}

/**
 * The batch's sessions, entries and leaves, in seq order within each kind (a register's session
 * comes before its own entries in its outbox, and its leave after them; a batch is one register's).
 * An entry or leave of a session the cloud does not have, or of another store's, is rejected
 * (quarantined): the batch writer isolates it.
 */
export async function applyCountWrites(
  client: PoolClient,
  register: RegisterContext,
  writes: readonly (CountSessionWrite | CountEntryWrite | CountLeaveWrite)[],
  now: number,
): Promise<void> {
  if (writes.length === 0) return;
  for (const w of writes) {
    if (w.type !== 'count-session') continue;
    const o = w.opened;
    await client.query(
      `INSERT INTO count_session (session_id, merchant_id, store_id, doc_no, scope, blind, opened_by_register, opened_by_staff, opened_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (session_id) DO NOTHING`,
      [
        o.sessionId,
        register.merchantId,
        register.storeId,
        o.docNo,
        JSON.stringify(o.scope),
        o.blind,
        register.registerId,
        o.staffName,
        new Date(o.openedAt),
      ],
    );
    await client.query('INSERT INTO count_participant (session_id, register_id, joined_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
      o.sessionId,
      register.registerId,
      new Date(now),
    ]);
  }
  const entries = writes.flatMap((w) => (w.type === 'count-entry' ? [w.entry] : []));
  const leaves = writes.flatMap((w) => (w.type === 'count-leave' ? [w.leave] : []));
  if (entries.length === 0 && leaves.length === 0) return;
  const ids = [...new Set([...entries, ...leaves].map((e) => e.sessionId))].sort();
  // FOR SHARE: a post (FOR UPDATE) waits for this batch, or this batch for the post; never both at once.
  const sessions = new Map(
    (
      await client.query<{ session_id: string; merchant_id: string; store_id: string; status: 'open' | 'posted' | 'cancelled' }>(
        'SELECT session_id, merchant_id, store_id, status FROM count_session WHERE session_id = ANY($1::uuid[]) ORDER BY session_id FOR SHARE',
        [ids],
      )
    ).rows.map((r) => [r.session_id, r]),
  );
  for (const e of [...entries, ...leaves]) {
    const s = sessions.get(e.sessionId);
    if (!s || Number(s.merchant_id) !== register.merchantId)
      throw new MutationRejected('UNKNOWN_COUNT_SESSION', `No shared count ${e.sessionId} in this merchant`);
    if (Number(s.store_id) !== register.storeId)
      throw new MutationRejected('STORE_MISMATCH', `Shared count ${e.sessionId} is another store's`);
  }
  if (entries.length > 0) await insertEntries(client, register, entries, now);
  for (const l of leaves) {
    const status = sessions.get(l.sessionId)!.status;
    const scans: CountLeftScans = !l.withdraw ? 'kept' : status === 'posted' ? 'too-late' : 'withdrawn';
    // a participant whether or not its join was heard; left once (a second leave changes nothing)
    await client.query(
      `INSERT INTO count_participant (session_id, register_id, joined_at, left_at, left_by_staff, left_scans)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (session_id, register_id) DO UPDATE
         SET left_at = excluded.left_at, left_by_staff = excluded.left_by_staff, left_scans = excluded.left_scans
       WHERE count_participant.left_at IS NULL`,
      [l.sessionId, register.registerId, new Date(now), new Date(l.leftAt), l.staffName, scans],
    );
  }
}

/** Entries as they came (a re-sent one lands once); one arriving after the session closed is kept, refused. */
async function insertEntries(client: PoolClient, register: RegisterContext, entries: CountEntry[], now: number): Promise<void> {
  await client.query(
    `INSERT INTO count_entry (session_id, register_id, entry_seq, sku, quantity_milli, scanned_at, staff_name, received_at, refused_at)
     SELECT t.session_id, $1::uuid, t.entry_seq, t.sku, t.q, t.at, t.staff, $2::timestamptz,
            CASE WHEN s.status = 'open' THEN NULL ELSE $2::timestamptz END
       FROM unnest($3::uuid[], $4::bigint[], $5::text[], $6::bigint[], $7::timestamptz[], $8::text[])
            AS t(session_id, entry_seq, sku, q, at, staff)
       JOIN count_session s ON s.session_id = t.session_id
     ON CONFLICT (session_id, register_id, entry_seq) DO NOTHING`,
    [
      register.registerId,
      new Date(now),
      entries.map((e) => e.sessionId),
      entries.map((e) => e.entrySeq),
      entries.map((e) => e.sku),
      entries.map((e) => e.quantityMilli),
      entries.map((e) => new Date(e.scannedAt)),
      entries.map((e) => e.staffName),
    ],
  );
  // A register that scans into a session is one of its participants, whether or not its join was heard.
  await client.query(
    `INSERT INTO count_participant (session_id, register_id, joined_at)
     SELECT DISTINCT t.id, $1::uuid, $2::timestamptz FROM unnest($3::uuid[]) AS t(id) ON CONFLICT DO NOTHING`,
    [register.registerId, new Date(now), [...new Set(entries.map((e) => e.sessionId))]],
  );
}

/** The cloud's time, and how long a participant may be quiet before it may hold unsent entries. */
export interface When {
  now: number;
  staleMs: number;
}

interface SessionRow {
  session_id: string;
  merchant_id: string;
  store_id: string;
  doc_no: string;
  scope: CountScope;
  blind: boolean;
  opened_by_staff: string;
  opened_at: Date;
  opened_by_code: string;
  status: 'open' | 'posted' | 'cancelled';
  posted_at: Date | null;
  posted_by: string | null;
  opened_by_register: string;
  cancelled_at: Date | null;
  cancelled_by: string | null;
  cancel_reason: string;
}

const SELECT_SESSION = `
  SELECT s.session_id, s.merchant_id, s.store_id, s.doc_no, s.scope, s.blind, s.opened_by_staff, s.opened_at,
         o.code AS opened_by_code, s.status, s.posted_at,
         CASE WHEN s.posted_by_register IS NULL THEN NULL ELSE st.code || '-' || p.code || ' ' || s.posted_by_staff END AS posted_by,
         s.opened_by_register, s.cancelled_at, s.cancel_reason,
         CASE WHEN s.cancelled_by_register IS NULL THEN NULL ELSE st.code || '-' || c.code || ' ' || s.cancelled_by_staff END AS cancelled_by
    FROM count_session s JOIN register o ON o.id = s.opened_by_register JOIN store st ON st.id = s.store_id
    LEFT JOIN register p ON p.id = s.posted_by_register LEFT JOIN register c ON c.id = s.cancelled_by_register`;

async function participantsOf(client: Pool | PoolClient, sessionId: string, asking: string, at: When): Promise<CountParticipant[]> {
  const rows = await client.query<{
    register_id: string;
    code: string;
    queue_depth: number | null;
    last_contact: Date | null;
    entries: string;
    refused: string;
    last_seq: string;
    last_at: Date | null;
    left_at: Date | null;
    left_scans: CountLeftScans | null;
  }>(
    `SELECT r.id AS register_id, r.code, r.queue_depth, greatest(r.last_push_at, r.last_pull_at, r.reported_at) AS last_contact,
            p.left_at, p.left_scans,
            count(e.entry_seq) FILTER (WHERE e.refused_at IS NULL) AS entries,
            count(e.entry_seq) FILTER (WHERE e.refused_at IS NOT NULL) AS refused,
            coalesce(max(e.entry_seq), 0) AS last_seq, max(e.scanned_at) AS last_at
       FROM count_participant p JOIN register r ON r.id = p.register_id
       LEFT JOIN count_entry e ON e.session_id = p.session_id AND e.register_id = p.register_id
      WHERE p.session_id = $1
      GROUP BY r.id, r.code, r.queue_depth, r.last_push_at, r.last_pull_at, r.reported_at, p.left_at, p.left_scans
      ORDER BY r.code`,
    [sessionId],
  );
  return rows.rows.map((r) => {
    const lastContactAt = r.last_contact?.getTime() ?? null;
    return {
      registerCode: r.code,
      entries: Number(r.entries),
      refused: Number(r.refused),
      lastEntrySeq: Number(r.last_seq),
      lastEntryAt: r.last_at?.getTime() ?? null,
      lastContactAt,
      queueDepth: r.queue_depth,
      // the asking register speaks for itself (it sends its own entries before it posts); a register
      // that left sent its leave after all its entries: the cloud has them all
      mayHaveUnsent:
        r.register_id !== asking &&
        r.left_at === null &&
        (lastContactAt === null || lastContactAt < at.now - at.staleMs || (r.queue_depth ?? 0) > 0),
      leftAt: r.left_at?.getTime() ?? null,
      leftScans: r.left_scans,
    };
  });
}

async function viewOf(client: Pool | PoolClient, row: SessionRow, register: RegisterContext, at: When): Promise<CountSessionView> {
  const refused = await client.query<{ entry_seq: string }>(
    'SELECT entry_seq FROM count_entry WHERE session_id = $1 AND register_id = $2 AND refused_at IS NOT NULL ORDER BY entry_seq',
    [row.session_id, register.registerId],
  );
  return {
    sessionId: row.session_id,
    docNo: row.doc_no,
    scope: row.scope,
    blind: row.blind,
    openedAt: row.opened_at.getTime(),
    openedBy: row.opened_by_staff,
    openedByRegister: row.opened_by_code,
    status: row.status,
    postedAt: row.posted_at?.getTime() ?? null,
    postedBy: row.posted_by,
    cancelledAt: row.cancelled_at?.getTime() ?? null,
    cancelledBy: row.cancelled_by,
    cancelReason: row.cancel_reason,
    participants: await participantsOf(client, row.session_id, register.registerId, at),
    refusedEntrySeqs: refused.rows.map((r) => Number(r.entry_seq)),
  };
}

async function sessionRow(client: Pool | PoolClient, register: RegisterContext, sessionId: string, lock: boolean): Promise<SessionRow> {
  const row = (
    await client.query<SessionRow>(`${SELECT_SESSION} WHERE s.session_id = $1 AND s.merchant_id = $2${lock ? ' FOR UPDATE OF s' : ''}`, [
      sessionId,
      register.merchantId,
    ])
  ).rows[0];
  if (!row || Number(row.store_id) !== register.storeId) throw new CloudError('NOT_FOUND', `No shared count ${sessionId} at this store`);
  return row;
}

/** The store's open shared counts, newest first (the 盤點 screen's list of counts to join). */
export async function listOpenCountSessions(pool: Pool, register: RegisterContext, at: When): Promise<CountSessionView[]> {
  const rows = await pool.query<SessionRow>(
    `${SELECT_SESSION} WHERE s.store_id = $1 AND s.status = 'open' ORDER BY s.opened_at DESC LIMIT 20`,
    [register.storeId],
  );
  const views: CountSessionView[] = [];
  for (const row of rows.rows) views.push(await viewOf(pool, row, register, at));
  return views;
}

export async function countSession(pool: Pool, register: RegisterContext, sessionId: string, at: When): Promise<CountSessionView> {
  return viewOf(pool, await sessionRow(pool, register, sessionId, false), register, at);
}

function alreadyClosed(row: SessionRow): CloudError {
  return row.status === 'posted'
    ? new CloudError('COUNT_ALREADY_POSTED', `${row.doc_no} was posted by ${row.posted_by ?? '?'} at ${row.posted_at?.toISOString()}`, {
        postedBy: row.posted_by,
        postedAt: row.posted_at?.getTime() ?? null,
      })
    : new CloudError('COUNT_ALREADY_POSTED', `${row.doc_no} was cancelled by ${row.cancelled_by ?? '?'}`, {
        postedBy: null,
        postedAt: null,
        cancelledBy: row.cancelled_by,
        cancelledAt: row.cancelled_at?.getTime() ?? null,
        cancelReason: row.cancel_reason,
      });
}

/** A register joins an open session of its store: it is a participant from now on (its entries may follow offline). */
export async function joinCountSession(pool: Pool, register: RegisterContext, sessionId: string, at: When): Promise<CountSessionView> {
  return withTransaction(pool, async (client) => {
    const row = await sessionRow(client, register, sessionId, false);
    if (row.status !== 'open') throw alreadyClosed(row);
    await client.query('INSERT INTO count_participant (session_id, register_id, joined_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
      sessionId,
      register.registerId,
      new Date(at.now),
    ]);
    return viewOf(client, row, register, at);
  });
}

/**
 * The union of the entries taken, per SKU (counted sum, latest scan time), plus what the scope
 * covers that nobody scanned and the store has on hand (counted as none at `now`). Entries of a
 * register that left and withdrew them are not in it.
 */
async function unionOf(client: Pool | PoolClient, row: SessionRow, now: number): Promise<{ sku: string; q: number; at: number }[]> {
  const counted = (
    await client.query<{ sku: string; q: string; at: Date }>(
      `SELECT e.sku, sum(e.quantity_milli) AS q, max(e.scanned_at) AS at
         FROM count_entry e LEFT JOIN count_participant p ON p.session_id = e.session_id AND p.register_id = e.register_id
        WHERE e.session_id = $1 AND e.refused_at IS NULL AND p.left_scans IS DISTINCT FROM 'withdrawn'
        GROUP BY e.sku ORDER BY e.sku`,
      [row.session_id],
    )
  ).rows.map((r) => ({ sku: r.sku, q: Number(r.q), at: r.at.getTime() }));
  const below = counted.find((c) => c.q < 0);
  if (below) throw new CloudError('BAD_REQUEST', `${below.sku}: the entries of ${row.doc_no} add up to below zero`);
  if (row.scope.kind === 'scanned') return counted;
  const unscanned = await client.query<{ sku: string }>(
    `SELECT h.sku FROM stock_on_hand h JOIN product p ON p.merchant_id = h.merchant_id AND p.sku = h.sku
      WHERE h.store_id = $1 AND h.quantity_milli <> 0 AND ($2::text IS NULL OR p.category_code = $2)
        AND h.sku <> ALL($3::text[]) ORDER BY h.sku`,
    [row.store_id, row.scope.kind === 'category' ? row.scope.categoryCode : null, counted.map((c) => c.sku)],
  );
  return [...counted, ...unscanned.rows.map((r) => ({ sku: r.sku, q: 0, at: now }))];
}

/** The variance of the merged count as it stands, before posting: read only, nothing locked. */
export async function countSessionVariance(
  pool: Pool,
  register: RegisterContext,
  sessionId: string,
  at: When,
): Promise<CountSessionVariance> {
  const row = await sessionRow(pool, register, sessionId, false);
  const now = at.now;
  const session = await viewOf(pool, row, register, at);
  if (row.status === 'posted') return { session, lines: await postedLines(pool, sessionId) };
  const union = await unionOf(pool, row, now);
  const client = await pool.connect();
  let expected: Map<number, number>;
  try {
    expected = await expectedAtCountTime(
      client,
      register.storeId,
      { postedAt: now, lines: union.map((u, i) => ({ line: i + 1, sku: u.sku, quantityMilli: u.q, countedAt: u.at, costCents: null })) },
      false,
    );
  } finally {
    client.release();
  }
  const lines: CountUnionLine[] = union.map((u, i) => {
    const e = expected.get(i + 1) ?? 0;
    return { sku: u.sku, countedMilli: u.q, expectedMilli: e, varianceMilli: u.q - e, countedAt: u.at };
  });
  return { session, lines };
}

async function postedLines(client: Pool | PoolClient, sessionId: string): Promise<CountUnionLine[]> {
  return (
    await client.query<{ sku: string; q: string; e: string; m: string; at: Date | null }>(
      `SELECT sku, quantity_milli AS q, expected_milli AS e, movement_milli AS m, counted_at AS at
         FROM stock_document_line WHERE doc_id = $1 ORDER BY line`,
      [sessionId],
    )
  ).rows.map((r) => ({
    sku: r.sku,
    countedMilli: Number(r.q),
    expectedMilli: Number(r.e),
    varianceMilli: Number(r.m),
    countedAt: r.at?.getTime() ?? null,
  }));
}

/**
 * Posts the session once. Under its row lock: posted already → COUNT_ALREADY_POSTED (who, when);
 * a participant that may hold unsent entries → COUNT_PARTICIPANTS_UNSENT unless the poster
 * accepted that; then the union is applied as a count stock document (doc_id = the session) with
 * its movements and on-hand changes, and the session is posted by this register. A stock document
 * a register pushed under the session's id → COUNT_ID_TAKEN, nothing posted.
 */
export async function postCountSession(
  pool: Pool,
  register: RegisterContext,
  sessionId: string,
  body: { staffName: string; acceptUnsent: boolean },
  at: When,
): Promise<CountSessionVariance> {
  const now = at.now;
  return withTransaction(pool, async (client) => {
    // 1. the decision, under the session's lock (entry batches hold it FOR SHARE while they write)
    const row = await sessionRow(client, register, sessionId, true);
    // read again after the lock: a row locked after a wait is the new version, but its joins (who posted) are not
    if (row.status !== 'open') throw alreadyClosed(await sessionRow(client, register, sessionId, false));
    const before = await viewOf(client, row, register, at);
    const unsent = before.participants.filter((p) => p.mayHaveUnsent);
    if (unsent.length > 0 && !body.acceptUnsent)
      throw new CloudError(
        'COUNT_PARTICIPANTS_UNSENT',
        `Register ${unsent.map((p) => p.registerCode).join(', ')} may still hold entries the cloud has not seen`,
        { participants: unsent },
      );
    // 2. the union, applied as the count's stock document: the cloud computes every movement
    const union = await unionOf(client, row, now);
    if (union.length === 0) throw new CloudError('BAD_REQUEST', `${row.doc_no} has no lines to post`);
    const doc: StockDocumentPayload = {
      docId: sessionId,
      docNo: row.doc_no,
      kind: 'count',
      part: 1,
      parts: 1,
      postedAt: now,
      staffName: body.staffName,
      reasonCode: null,
      note: '',
      supplierRef: '',
      toStoreCode: null,
      transferDocId: null,
      purchaseOrderId: null,
      lines: union.map((u, i) => ({ line: i + 1, sku: u.sku, quantityMilli: u.q, countedAt: u.at, costCents: null })),
    };
    const deltas = await applyStockDocuments(client, register, [{ type: 'stock-document', doc, skus: union.map((u) => u.sku) }], now).catch(
      (error: unknown) => {
        // the session's id names a stock document a register pushed: posting onto it would move nothing
        if (error instanceof MutationRejected && error.reason === 'DOCUMENT_ID_TAKEN')
          throw new CloudError('COUNT_ID_TAKEN', `${row.doc_no} cannot be posted: ${error.message}. Cancel it and count again`);
        throw error;
      },
    );
    // 3. the session is posted, by this register
    await client.query(
      "UPDATE count_session SET status = 'posted', posted_at = $2, posted_by_register = $3, posted_by_staff = $4 WHERE session_id = $1",
      [sessionId, new Date(now), register.registerId, body.staffName],
    );
    // 4. on-hand, then the change log (last: it holds the merchant's version lock until COMMIT)
    await appendChanges(client, register.merchantId, await applyOnHand(client, register.merchantId, deltas, now), now);
    const posted = await sessionRow(client, register, sessionId, false);
    return { session: await viewOf(client, posted, register, at), lines: await postedLines(client, sessionId) };
  });
}

/**
 * Cancels the whole session, once, under its row lock: the register that opened it may; another
 * participant of the store only as a manager (`manager`: its register checked stock.count-post).
 * Closed already (posted, or cancelled by someone else) → COUNT_ALREADY_POSTED saying who. Nothing
 * moves; entries that arrive after are kept, refused. Every register's pull closes its copy.
 */
export async function cancelCountSession(
  pool: Pool,
  register: RegisterContext,
  sessionId: string,
  body: { staffName: string; reason: string; manager: boolean },
  at: When,
): Promise<CountSessionView> {
  return withTransaction(pool, async (client) => {
    const row = await sessionRow(client, register, sessionId, true);
    if (row.status !== 'open') throw alreadyClosed(await sessionRow(client, register, sessionId, false));
    if (row.opened_by_register !== register.registerId && !body.manager)
      throw new CloudError('FORBIDDEN', `Only the register that opened ${row.doc_no}, or a manager, may cancel it for every register`);
    await client.query(
      `UPDATE count_session SET status = 'cancelled', cancelled_at = $2, cancelled_by_register = $3, cancelled_by_staff = $4, cancel_reason = $5
        WHERE session_id = $1`,
      [sessionId, new Date(at.now), register.registerId, body.staffName, body.reason],
    );
    return viewOf(client, await sessionRow(client, register, sessionId, false), register, at);
  });
}

/**
 * Head office's list (console 庫存 › 多機盤點): the shared counts of the given stores (all the
 * merchant's when null) that are open, or closed within `recentMs` of `now`; per session who
 * opened it, and per register that joined its scans, the products and units they name, scans
 * refused (arrived after it closed), its last scan, and whether it left (when, who, and whether its
 * scans stayed counted). Open ones first, then newest first.
 */
export async function countSessionsOverview(
  db: Pool | PoolClient,
  merchantId: number,
  storeIds: number[] | null,
  at: { now: number; recentMs: number },
): Promise<CountSessionRow[]> {
  const sessions = (
    await db.query<{
      session_id: string;
      doc_no: string;
      store_id: string;
      store_code: string;
      scope: CountScope;
      blind: boolean;
      status: CountSessionRow['status'];
      opened_at: Date;
      opened_by_code: string;
      opened_by_staff: string;
      closed_at: Date | null;
      closed_by: string | null;
      cancel_reason: string;
    }>(
      `SELECT s.session_id, s.doc_no, s.store_id, st.code AS store_code, s.scope, s.blind, s.status, s.opened_at,
              o.code AS opened_by_code, s.opened_by_staff, coalesce(s.posted_at, s.cancelled_at) AS closed_at, s.cancel_reason,
              CASE WHEN coalesce(s.posted_by_register, s.cancelled_by_register) IS NULL THEN NULL
                   ELSE st.code || '-' || p.code || ' ' || coalesce(s.posted_by_staff, s.cancelled_by_staff) END AS closed_by
         FROM count_session s JOIN store st ON st.id = s.store_id JOIN register o ON o.id = s.opened_by_register
         LEFT JOIN register p ON p.id = coalesce(s.posted_by_register, s.cancelled_by_register)
        WHERE s.merchant_id = $1 AND ($2::bigint[] IS NULL OR s.store_id = ANY($2::bigint[]))
          AND (s.status = 'open' OR coalesce(s.posted_at, s.cancelled_at) >= $3)
        ORDER BY s.status = 'open' DESC, s.opened_at DESC, s.doc_no
        LIMIT 200`,
      [merchantId, storeIds, new Date(at.now - at.recentMs)],
    )
  ).rows;
  if (sessions.length === 0) return [];
  const participants = (
    await db.query<{
      session_id: string;
      code: string;
      joined_at: Date;
      opener: boolean;
      scans: string;
      lines: string;
      units: string | null;
      refused: string;
      last_at: Date | null;
      left_at: Date | null;
      left_by: string | null;
      left_scans: CountLeftScans | null;
    }>(
      `SELECT p.session_id, r.code, p.joined_at, r.id = s.opened_by_register AS opener, p.left_at, p.left_by_staff AS left_by, p.left_scans,
              count(e.entry_seq) FILTER (WHERE e.refused_at IS NULL) AS scans,
              count(DISTINCT e.sku) FILTER (WHERE e.refused_at IS NULL) AS lines,
              sum(e.quantity_milli) FILTER (WHERE e.refused_at IS NULL) AS units,
              count(e.entry_seq) FILTER (WHERE e.refused_at IS NOT NULL) AS refused,
              max(e.scanned_at) FILTER (WHERE e.refused_at IS NULL) AS last_at
         FROM count_participant p JOIN count_session s ON s.session_id = p.session_id JOIN register r ON r.id = p.register_id
         LEFT JOIN count_entry e ON e.session_id = p.session_id AND e.register_id = p.register_id
        WHERE p.session_id = ANY($1::uuid[])
        GROUP BY p.session_id, r.code, p.joined_at, r.id, s.opened_by_register, p.left_at, p.left_by_staff, p.left_scans
        ORDER BY p.session_id, opener DESC, p.joined_at, r.code`,
      [sessions.map((s) => s.session_id)],
    )
  ).rows;
  const bySession = new Map<string, CountSessionRow['participants']>();
  for (const p of participants) {
    const list = bySession.get(p.session_id) ?? [];
    list.push({
      registerCode: p.code,
      joinedAt: p.joined_at.getTime(),
      scans: Number(p.scans),
      lines: Number(p.lines),
      unitsMilli: Number(p.units ?? 0),
      refused: Number(p.refused),
      lastScanAt: p.last_at?.getTime() ?? null,
      leftAt: p.left_at?.getTime() ?? null,
      leftBy: p.left_by,
      leftScans: p.left_scans,
    });
    bySession.set(p.session_id, list);
  }
  return sessions.map((s) => {
    const list = bySession.get(s.session_id) ?? [];
    const last = list.reduce<number | null>((m, p) => (p.lastScanAt !== null && (m === null || p.lastScanAt > m) ? p.lastScanAt : m), null);
    return {
      sessionId: s.session_id,
      docNo: s.doc_no,
      storeId: Number(s.store_id),
      storeCode: s.store_code,
      scope: s.scope.kind === 'category' ? s.scope.categoryCode : s.scope.kind,
      blind: s.blind,
      status: s.status,
      openedAt: s.opened_at.getTime(),
      openedByRegister: s.opened_by_code,
      openedBy: s.opened_by_staff,
      closedAt: s.closed_at?.getTime() ?? null,
      closedBy: s.closed_by,
      cancelReason: s.cancel_reason,
      participants: list,
      lastScanAt: last,
    };
  });
}
