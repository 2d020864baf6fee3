/**
 * The push protocol (DESIGN.md section 5): a register's batch of outbox rows is applied in ONE
 * transaction against its last_applied_seq, row-locked, so any number of instances and retries
 * give an exactly-once outcome.
 *
 * - seq <= lastAppliedSeq: a replay, a no-op; if its content differs from what was applied under
 *   that seq, a SEQ_CONFLICT entry goes to quarantine (once).
 * - first seq > lastAppliedSeq + 1: a gap; nothing is written (SEQ_GAP, 409).
 * - a mutation that cannot be applied goes to quarantine and its seq advances all the same: one
 *   bad sale never blocks the queue behind it.
 *
 * Set-based (issue 18): each mutation is read and checked in memory before the transaction; then
 * the batch takes a fixed handful of statements whatever its size: the register row lock, one SKU
 * check and one duplicate check for the whole batch, one INSERT each for sale headers, lines,
 * payments, stock movements, register events, quarantine entries and applied seqs, one on-hand
 * upsert and one change-log allocation; documents paying with an order's prepayment (`deposit`) add
 * one lock of the orders they name, one read of what those spent and one INSERT of what they take
 * (order-deposits.ts). Member enrolments and points (issue 13) are the exception:
 * they take the members' ledger locks one account at a time (cloud/domain/member-mutations.ts); so
 * are order moves and pickups (issue 15), one at a time on each order's row lock, each under its
 * own savepoint (a refused one is quarantined alone). Only when the database refuses the set (a
 * value out of range, say) is the batch written again one mutation at a time, to quarantine just
 * the offender.
 */
import { createHash } from 'node:crypto';
import { CloudError, type CloudErrorCode } from '../errors';
import { numberArray, textArray } from '../db/array-literal';
import type { Pool, PoolClient } from '../db/pool';
import { sqlState, withTransaction } from '../db/tx';
import { appendChanges } from './change-log';
import { PayloadTooDeep, mutationContentHash } from './canonical-json';
import { readMutation, type Write } from './mutation-kinds';
import { refuseFutureDated } from './future-dated';
import { MutationRejected, quarantineAll, type Mutation, type QuarantineEntry } from './quarantine';
import type { RegisterContext } from './registers';
import { insertRegisterEvents } from './register-events';
import { insertSales, missingSkus, receivedRegisterReceipts } from './sales';
import { applyMemberWrites, lockRefundedOriginals } from './member-mutations';
import { applyOrderMove, assignBatchVersions, newOrderBatch } from './orders';
import { applyOrderPickup } from './order-pickups';
import { DepositsNotCovered, takeDeposits } from './order-deposits';
import { releaseOrderClaim } from './order-claims';
import { memberChanges } from './members';
import { applyGiftCardWrites, giftCardChanges } from './gift-cards';
import { applyRedemptionReleases } from './online-redemptions';
import { OnHandDeltas, applyOnHand, insertMovements } from './stock';
import { applyStockDocuments, checkStockDocuments } from './stock-documents';
import { applyCountWrites } from './count-sessions';

export const MAX_BATCH = 500;

/** Members and gift cards a batch changed: their feed rows go to the change log last; orders it changed take their versions last. */
interface Touched {
  members: number[];
  giftCards: number[];
  orders: number[];
}

export interface BatchResult {
  lastAppliedSeq: number;
  /** Mutations applied by this request. */
  applied: number;
  /** Replays of seqs already taken, with the same content: absorbed. */
  duplicates: number;
  /** Mutations of this request that went to quarantine. */
  quarantined: number;
  /** Those, and replays of seqs that went to quarantine when first taken (the register may not have heard). */
  quarantinedSeqs: number[];
  /** Replays of seqs already taken, with different content: flagged in quarantine. */
  conflicts: number;
  conflictSeqs: number[];
  /**
   * Why each of quarantinedSeqs and conflictSeqs was put aside (a QuarantineReason, keyed by seq), so
   * the register can say it in its 雲端同步 list; a replay's reason is the one it was first given.
   */
  quarantineReasons: Record<number, string>;
}

/** Seqs must go up by one within a batch: anything else is a register bug, refused whole. */
export function checkBatchOrder(mutations: readonly Mutation[]): void {
  mutations.forEach((m, index) => {
    const previous = mutations[index - 1];
    if (previous && m.seq !== previous.seq + 1) {
      throw new CloudError(
        'INVALID_BATCH',
        `Mutations must have consecutive seqs in ascending order: ${previous.seq} is followed by ${m.seq}`,
      );
    }
  });
}

/**
 * The ledger's refusals of a movement (cloud/domain/members.ts postMovements): about the mutation's
 * own figures and keys, never the database's state of health.
 */
const LEDGER_REFUSALS: ReadonlySet<CloudErrorCode> = new Set(['IDEMPOTENCY_CONFLICT', 'INSUFFICIENT_BALANCE', 'GIFT_CARD_UNUSABLE']);

/** A failure that belongs to the data written (a value out of range, a ledger key taken), not to the batch (the database, a bug). */
function rejectionOf(error: unknown): MutationRejected | undefined {
  if (error instanceof MutationRejected) return error;
  if (error instanceof CloudError && LEDGER_REFUSALS.has(error.code))
    return new MutationRejected('LEDGER_REFUSED', `${error.code}: ${error.message}`);
  const state = sqlState(error);
  // 22: data exception (a value out of range), 23: integrity constraint violation
  if (state?.startsWith('22') || state?.startsWith('23')) {
    return new MutationRejected('REJECTED_BY_DATABASE', `The database refused it (${state}): ${(error as Error).message}`);
  }
  return undefined;
}

/** A new mutation of the batch, read, with its content hash. */
interface Fresh {
  mutation: Mutation;
  hash: Buffer;
  read: Write | MutationRejected;
  /** what quarantine keeps of a payload that cannot be serialised */
  payloadText?: string;
}

/** A mutation read and hashed; one nested too deep to hash is refused, hashed over its bytes instead. */
function hashAndRead(register: RegisterContext, m: Mutation): Fresh {
  try {
    return { mutation: m, hash: mutationContentHash(m.kind, m.ref, m.payload), read: readMutation(register, m) };
  } catch (error) {
    if (!(error instanceof PayloadTooDeep)) throw error;
    const text = m.payloadBytes?.toString('utf8') ?? '';
    return {
      mutation: m,
      hash: createHash('sha256').update(`${m.kind}\u0000${m.ref}\u0000${text}`, 'utf8').digest(),
      read: new MutationRejected('INVALID_PAYLOAD', error.message),
      // kept as a JSON string a person can read, the beginning of what came
      payloadText: JSON.stringify(`${error.message}; it began: ${text.slice(0, 2000)}`),
    };
  }
}

interface Accepted {
  mutation: Mutation;
  write: Write;
}

const limitedList = (items: readonly string[]): string =>
  `${items.slice(0, 10).join(', ')}${items.length > 10 ? ` and ${items.length - 10} more` : ''}`;

/** Of `codes`, those of registers of the pusher's store that head office has revoked. */
async function revokedRegisterCodes(client: PoolClient, register: RegisterContext, codes: string[]): Promise<Set<string>> {
  if (codes.length === 0) return new Set();
  const rows = (
    await client.query<{ code: string }>(
      'SELECT code FROM register WHERE store_id = $1 AND code = ANY($2::text[]) AND revoked_at IS NOT NULL',
      [register.storeId, [...new Set(codes)]],
    )
  ).rows;
  return new Set(rows.map((r) => r.code));
}

/**
 * The batch's set-based checks, one query each for all its mutations: receipt numbers outside the
 * pusher's series and events of another register (accepted only for a revoked register of its store), SKUs the
 * catalogue lacks, and receipt numbers already received (earlier, or twice within the batch).
 * Rejections go to `rejections`; answers what may be written, in seq order.
 */
async function checkAgainstDatabase(
  client: PoolClient,
  register: RegisterContext,
  candidates: readonly Accepted[],
  rejections: Map<number, MutationRejected>,
): Promise<Accepted[]> {
  if (candidates.length === 0) return [];
  const otherSeries = candidates.flatMap((c) => {
    if (c.write.type === 'document' && c.write.otherSeries !== null) return [c.write.otherSeries];
    if (c.write.type === 'event' && c.write.event.otherRegister !== null) return [c.write.event.otherRegister];
    return [];
  });
  const revoked = await revokedRegisterCodes(client, register, otherSeries);
  const missing = new Set(
    await missingSkus(
      client,
      register.merchantId,
      candidates.flatMap((c) => c.write.skus),
    ),
  );
  const receiptNos = candidates.flatMap((c) => (c.write.type === 'document' ? [c.write.sale.receiptNo] : []));
  const earlier = new Map(
    [...(await receivedRegisterReceipts(client, register.merchantId, receiptNos))].map(([receiptNo, from]) => [
      receiptNo,
      `register ${from.registerId} as seq ${from.registerSeq}`,
    ]),
  );
  const accepted: Accepted[] = [];
  for (const candidate of candidates) {
    const { mutation, write } = candidate;
    if (write.type === 'document' && write.otherSeries !== null && !revoked.has(write.otherSeries)) {
      const own = `${register.storeCode}-${register.registerCode}-NNNNNN`;
      rejections.set(
        mutation.seq,
        new MutationRejected(
          'FOREIGN_RECEIPT_NO',
          `Receipt ${write.sale.receiptNo} is not in this register's series ${own}, nor in that of a revoked register of the store`,
        ),
      );
      continue;
    }
    if (write.type === 'event' && write.event.otherRegister !== null && !revoked.has(write.event.otherRegister)) {
      rejections.set(
        mutation.seq,
        new MutationRejected(
          'FOREIGN_REGISTER',
          `Event ${write.event.ref} names register ${write.event.otherRegister}: not this register (${register.registerCode}), nor a revoked register of the store`,
        ),
      );
      continue;
    }
    const unknown = [...new Set(write.skus.filter((sku) => missing.has(sku)))];
    if (unknown.length > 0) {
      rejections.set(mutation.seq, new MutationRejected('UNKNOWN_SKU', `Not in the catalogue: ${limitedList(unknown)}`));
      continue;
    }
    if (write.type === 'document') {
      const receiptNo = write.sale.receiptNo;
      const before = earlier.get(receiptNo);
      if (before !== undefined) {
        rejections.set(
          mutation.seq,
          new MutationRejected('DUPLICATE_DOCUMENT', `Receipt ${receiptNo} was already received from ${before}`),
        );
        continue;
      }
      earlier.set(receiptNo, `register ${register.registerId} as seq ${mutation.seq}`);
    }
    accepted.push(candidate);
  }
  const stockDocuments = accepted.flatMap((a) => (a.write.type === 'stock-document' ? [{ seq: a.mutation.seq, write: a.write }] : []));
  await checkStockDocuments(client, register, stockDocuments, rejections);
  return accepted.filter((a) => !rejections.has(a.mutation.seq));
}

/**
 * Everything the accepted mutations write, one INSERT per table; answers the on-hand deltas and
 * the order moves and pickups the orders' rules refused.
 */
async function writeAll(
  client: PoolClient,
  register: RegisterContext,
  accepted: readonly Accepted[],
  now: number,
  touched: Touched,
): Promise<{ deltas: OnHandDeltas; refused: Map<number, MutationRejected> }> {
  const writes = accepted.map((a) => a.write);
  const deltas = new OnHandDeltas();
  // before the sales: a return's refund cap reads the returns of its sale taken before it
  const waitingReturns = await lockRefundedOriginals(client, register.merchantId, writes);
  const sales = writes.flatMap((w) => (w.type === 'document' ? [w.sale] : []));
  if (sales.length > 0) deltas.merge((await insertSales(client, sales, now)).deltas);
  const movements = writes.flatMap((w) => (w.type === 'movements' ? w.movements : []));
  if (movements.length > 0) deltas.merge(await insertMovements(client, register.merchantId, movements, now));
  // After the sales: a count in the same batch nets out the sales made before its count time.
  const stockDocuments = writes.flatMap((w) => (w.type === 'stock-document' ? [w] : []));
  if (stockDocuments.length > 0) deltas.merge(await applyStockDocuments(client, register, stockDocuments, now));
  // Shared counts: sessions, then entries, then leaves (a register's outbox has them in that order).
  await applyCountWrites(
    client,
    register,
    writes.flatMap((w) => (w.type === 'count-session' || w.type === 'count-entry' || w.type === 'count-leave' ? [w] : [])),
    now,
  );
  await insertRegisterEvents(
    client,
    writes.flatMap((w) => (w.type === 'event' ? [w.event] : [])),
    now,
  );
  // online redemptions no sale carries: given back first (the register wrote each before the sale
  // that followed it, and a sale never carries a released key), so a later spend finds the balance whole
  const released = await applyRedemptionReleases(
    client,
    register,
    writes.flatMap((w) => (w.type === 'redemption-release' ? [w.release] : [])),
    now,
  );
  touched.members.push(...released.members, ...(await applyMemberWrites(client, register, writes, now, waitingReturns)));
  touched.giftCards.push(...released.giftCards, ...(await applyGiftCardWrites(client, register, writes, now)));
  // Documents paying with an order's prepayment, on the orders' row locks (taken here, with the
  // order moves' and pickups', after the members' and gift cards': one lock order for every batch).
  // One not covered undoes the batch's writes, which are done again without it (DepositsNotCovered).
  const notCovered = await takeDeposits(
    client,
    register,
    accepted.flatMap(({ mutation, write }) =>
      write.type === 'document' && write.deposit ? [{ seq: mutation.seq, receiptNo: write.sale.receiptNo, ...write.deposit }] : [],
    ),
    now,
  );
  if (notCovered.size > 0) throw new DepositsNotCovered(notCovered);
  // Order moves and pickups one at a time, in seq order, each on its order's row lock (an order
  // decides once). One refused (two tills raced for the order: a routine outcome, not a bad batch)
  // is undone alone under its own savepoint and quarantined; the rest of the batch stands. (Thrown
  // out of the set instead, every refusal had the whole batch written again in halves: with many
  // orders in a backlog, pushes grew longer than the register waits, and held the merchant's order
  // and stock locks that the till's own collections wait for.) Their stock joins the batch's and
  // their versions are taken last (OrderBatch in orders.ts).
  const refused = new Map<number, MutationRejected>();
  for (const { mutation, write } of accepted) {
    if (write.type !== 'order' && write.type !== 'order-pickup' && write.type !== 'order-release') continue;
    const batch = newOrderBatch();
    await client.query('SAVEPOINT order_write');
    try {
      if (write.type === 'order') await applyOrderMove(client, register, write.move, now, batch);
      else if (write.type === 'order-pickup') await applyOrderPickup(client, register, write.pickup, now, batch);
      else await releaseOrderClaim(client, register, write.release, now, batch);
      await client.query('RELEASE SAVEPOINT order_write');
      deltas.merge(batch.stock);
      touched.orders.push(...batch.orders);
    } catch (error) {
      const rejection = rejectionOf(error);
      if (!rejection) throw error;
      await client.query('ROLLBACK TO SAVEPOINT order_write');
      await client.query('RELEASE SAVEPOINT order_write');
      refused.set(mutation.seq, rejection);
    }
  }
  return { deltas, refused };
}

/**
 * writeAll under a savepoint. When the database refuses the set, the set is undone and written
 * again in halves, down to the one mutation it refuses, which is rejected: the rest still land.
 * Documents whose prepayment is not covered are rejected, and the set written again without them.
 */
async function writeIsolatingRefusals(
  client: PoolClient,
  register: RegisterContext,
  accepted: readonly Accepted[],
  now: number,
  rejections: Map<number, MutationRejected>,
  touched: Touched,
): Promise<OnHandDeltas> {
  if (accepted.length === 0) return new OnHandDeltas();
  await client.query('SAVEPOINT batch_write');
  try {
    const { deltas, refused } = await writeAll(client, register, accepted, now, touched);
    await client.query('RELEASE SAVEPOINT batch_write');
    for (const [seq, rejection] of refused) rejections.set(seq, rejection);
    return deltas;
  } catch (error) {
    if (error instanceof DepositsNotCovered) {
      await client.query('ROLLBACK TO SAVEPOINT batch_write');
      await client.query('RELEASE SAVEPOINT batch_write');
      for (const [seq, rejection] of error.rejections) rejections.set(seq, rejection);
      const rest = accepted.filter((a) => !error.rejections.has(a.mutation.seq));
      return writeIsolatingRefusals(client, register, rest, now, rejections, touched);
    }
    const rejection = rejectionOf(error);
    if (!rejection) throw error;
    await client.query('ROLLBACK TO SAVEPOINT batch_write');
    await client.query('RELEASE SAVEPOINT batch_write');
    if (accepted.length === 1) {
      rejections.set((accepted[0] as Accepted).mutation.seq, rejection);
      return new OnHandDeltas();
    }
    const half = Math.ceil(accepted.length / 2);
    const deltas = await writeIsolatingRefusals(client, register, accepted.slice(0, half), now, rejections, touched);
    deltas.merge(await writeIsolatingRefusals(client, register, accepted.slice(half), now, rejections, touched));
    return deltas;
  }
}

export async function applyMutationBatch(
  pool: Pool,
  register: RegisterContext,
  mutations: readonly Mutation[],
  now: number,
): Promise<BatchResult> {
  checkBatchOrder(mutations);
  // Read and checked before the transaction: CPU work holds no lock and no connection.
  const read = mutations.map((m) => hashAndRead(register, m)).map((f) => ({ ...f, read: refuseFutureDated(f.read, now) }));
  return withTransaction(pool, async (client) => {
    // 1. the register's row, locked until COMMIT: concurrent batches of one register take turns, as
    // do a revocation or a token rotation (FOR UPDATE there). NO KEY: the push changes no key, so a
    // row that refers to the register (an order claim of the same register, asked while its push
    // runs) is written at once instead of waiting for COMMIT under a lock the push may want next.
    const row = (
      await client.query<{ last_applied_seq: number; revoked_at: Date | null }>({
        name: 'push-lock-register',
        text: 'SELECT last_applied_seq, revoked_at FROM register WHERE id = $1 FOR NO KEY UPDATE',
        values: [register.registerId],
      })
    ).rows[0];
    if (!row) throw new CloudError('TOKEN_INVALID', 'This register no longer exists: enrol again');
    if (row.revoked_at)
      throw new CloudError('TOKEN_REVOKED', 'This register has been revoked by head office: enrol it again with a new code');
    const last = row.last_applied_seq;
    const result: BatchResult = {
      lastAppliedSeq: last,
      applied: 0,
      duplicates: 0,
      quarantined: 0,
      quarantinedSeqs: [],
      conflicts: 0,
      conflictSeqs: [],
      quarantineReasons: {},
    };
    const first = mutations[0];
    if (!first) return result;
    if (first.seq > last + 1) {
      throw new CloudError(
        'SEQ_GAP',
        `This batch starts at seq ${first.seq} but the server has applied up to ${last}: send from ${last + 1}`,
        { lastAppliedSeq: last },
      );
    }
    const entry = (m: Mutation, hash: Buffer, rejection: MutationRejected, payloadText?: string): QuarantineEntry => ({
      merchantId: register.merchantId,
      registerId: register.registerId,
      seq: m.seq,
      kind: m.kind,
      ref: m.ref,
      payload: m.payload,
      ...(payloadText === undefined ? {} : { payloadText }),
      contentHash: hash,
      reason: rejection.reason,
      message: rejection.message,
    });
    const toQuarantine: QuarantineEntry[] = [];

    // 2. replays: compare with what was taken under each seq
    const replayed = read.filter((r) => r.mutation.seq <= last);
    if (replayed.length > 0) {
      const stored = new Map(
        (
          await client.query<{ seq: number; content_hash: Buffer; outcome: string }>(
            // one probe per seq (see sales.ts): a register's whole history is never read for a replay
            `SELECT a.seq, a.content_hash, a.outcome FROM unnest($2::bigint[]) AS w(seq)
             CROSS JOIN LATERAL (SELECT seq, content_hash, outcome FROM applied_mutation WHERE register_id = $1 AND seq = w.seq LIMIT 1) a`,
            [register.registerId, replayed.map((r) => r.mutation.seq)],
          )
        ).rows.map((r) => [Number(r.seq), r]),
      );
      for (const { mutation: m, hash, payloadText } of replayed) {
        const original = stored.get(m.seq);
        if (original === undefined || original.content_hash.equals(hash)) {
          result.duplicates += 1;
          // Quarantined when first taken: said again, so a register whose answer was lost on the way
          // (cut after COMMIT) still learns it (an order pickup it must show as a clash, say).
          if (original?.outcome === 'quarantined') result.quarantinedSeqs.push(m.seq);
          continue;
        }
        result.conflicts += 1;
        result.conflictSeqs.push(m.seq);
        result.quarantineReasons[m.seq] = 'SEQ_CONFLICT';
        toQuarantine.push(
          entry(
            m,
            hash,
            new MutationRejected('SEQ_CONFLICT', `Seq ${m.seq} was already applied with different content; this version was not applied`),
            payloadText,
          ),
        );
      }
    }

    const quarantinedReplays = result.quarantinedSeqs.filter((seq) => !(seq in result.quarantineReasons));
    if (quarantinedReplays.length > 0) {
      // the reason each was first given (quarantine_register_seq, cloud migration 0032)
      const first = await client.query<{ seq: string; reason_code: string }>(
        `SELECT DISTINCT ON (seq) seq, reason_code FROM quarantine
          WHERE register_id = $1 AND seq = ANY($2::bigint[]) AND reason_code <> 'SEQ_CONFLICT' ORDER BY seq, id`,
        [register.registerId, quarantinedReplays],
      );
      for (const r of first.rows) result.quarantineReasons[Number(r.seq)] = r.reason_code;
    }

    // 3. new mutations: checked as a set, written as a set
    const fresh: Fresh[] = read.filter((r) => r.mutation.seq > last);
    const rejections = new Map<number, MutationRejected>();
    const candidates: Accepted[] = [];
    for (const f of fresh) {
      if (f.read instanceof MutationRejected) rejections.set(f.mutation.seq, f.read);
      else candidates.push({ mutation: f.mutation, write: f.read });
    }
    const accepted = await checkAgainstDatabase(client, register, candidates, rejections);
    // members whose balance or record the batch changed (a savepoint undone may leave extra ids: harmless)
    const touched: Touched = { members: [], giftCards: [], orders: [] };
    const deltas = await writeIsolatingRefusals(client, register, accepted, now, rejections, touched);
    for (const f of fresh) {
      const rejection = rejections.get(f.mutation.seq);
      if (rejection) {
        toQuarantine.push(entry(f.mutation, f.hash, rejection, f.payloadText));
        result.quarantined += 1;
        result.quarantinedSeqs.push(f.mutation.seq);
        result.quarantineReasons[f.mutation.seq] = rejection.reason;
      } else {
        result.applied += 1;
      }
    }
    await quarantineAll(client, toQuarantine, now);
    if (fresh.length === 0) return result;

    // 4. what was taken, with its content hash, for recognising replays
    await client.query({
      name: 'push-applied',
      text: `INSERT INTO applied_mutation (register_id, seq, kind, ref, content_hash, outcome, applied_at)
       SELECT $1, t.seq, t.kind, t.ref, t.content_hash, t.outcome, $2
       FROM unnest($3::bigint[], $4::text[], $5::text[], $6::bytea[], $7::text[]) AS t(seq, kind, ref, content_hash, outcome)`,
      values: [
        register.registerId,
        new Date(now),
        numberArray(fresh.map((f) => f.mutation.seq)),
        textArray(fresh.map((f) => f.mutation.kind)),
        textArray(fresh.map((f) => f.mutation.ref)),
        fresh.map((f) => f.hash),
        textArray(fresh.map((f) => (rejections.has(f.mutation.seq) ? 'quarantined' : 'applied'))),
      ],
    });
    // 5. the new high-water mark
    result.lastAppliedSeq = (fresh.at(-1) as Fresh).mutation.seq;
    await client.query({
      name: 'push-high-water-mark',
      text: 'UPDATE register SET last_applied_seq = $2, last_push_at = $3 WHERE id = $1',
      values: [register.registerId, result.lastAppliedSeq, new Date(now)],
    });
    // 6. the changed orders' versions, on-hand, then the change log: its statement is the
    // transaction's last, as it takes the merchant's version lock, which every push of the merchant
    // waits for until this COMMIT (so does the order counter's, for every order move of the merchant)
    await assignBatchVersions(client, register.merchantId, touched.orders);
    const changes = await applyOnHand(client, register.merchantId, deltas, now);
    changes.push(...(await memberChanges(client, register.merchantId, touched.members)));
    changes.push(...(await giftCardChanges(client, register.merchantId, touched.giftCards)));
    await appendChanges(client, register.merchantId, changes, now);
    return result;
  });
}

/** What a person corrected before applying a quarantined mutation again. */
export interface QuarantineCorrection {
  /** SKUs of the document's lines to replace (an unknown SKU mapped to a product the catalogue has). */
  skuMap: Record<string, string>;
}

function corrected(payload: unknown, correction: QuarantineCorrection): unknown {
  if (Object.keys(correction.skuMap).length === 0 || typeof payload !== 'object' || payload === null) return payload;
  const document = payload as { lines?: unknown };
  if (!Array.isArray(document.lines)) return payload;
  return {
    ...document,
    lines: document.lines.map((line: unknown) => {
      if (typeof line !== 'object' || line === null) return line;
      const sku = (line as { sku?: unknown }).sku;
      return typeof sku === 'string' && Object.hasOwn(correction.skuMap, sku) ? { ...line, sku: correction.skuMap[sku] } : line;
    }),
  };
}

export interface ReapplyResult {
  id: number;
  registerId: string;
  seq: number;
  kind: string;
  ref: string;
  /** the payload as applied */
  payload: unknown;
}

/**
 * Applies a quarantined register mutation again after a person corrected it, through the SAME steps
 * as a push (readMutation, checkAgainstDatabase, writeIsolatingRefusals, on-hand and the change
 * log), in one transaction with the quarantine row locked, so it lands once. When it still cannot
 * be applied nothing is written and the refusal says why (`MutationRejected`).
 */
export async function reapplyQuarantined(
  pool: Pool,
  merchantId: number,
  id: number,
  correction: QuarantineCorrection,
  resolution: { by: number; note: string },
  now: number,
  options: { storeScope?: number[] | null; audit?: (client: PoolClient, applied: ReapplyResult) => Promise<void> } = {},
): Promise<ReapplyResult> {
  const storeScope = options.storeScope ?? null;
  return withTransaction(pool, async (client) => {
    // 1. the entry, locked: two people applying it at once take turns, the second finds it resolved
    const row = (
      await client.query<{
        register_id: string | null;
        seq: number | null;
        kind: string;
        ref: string;
        payload: string;
        reason_code: string;
        store_id: number | null;
      }>(
        `SELECT q.register_id, q.seq, q.kind, q.ref, q.payload, q.reason_code, r.store_id FROM quarantine q LEFT JOIN register r ON r.id = q.register_id
         WHERE q.id = $1 AND q.merchant_id = $2 AND q.resolved_at IS NULL FOR UPDATE OF q`,
        [id, merchantId],
      )
    ).rows[0];
    if (!row || (storeScope !== null && (row.store_id === null || !storeScope.includes(row.store_id))))
      throw new CloudError('NOT_FOUND', `No open quarantine entry ${id}`);
    if (row.register_id === null || row.seq === null || row.reason_code === 'SEQ_CONFLICT')
      throw new CloudError('CONFLICT', 'Only a register’s own quarantined document can be applied again (a conflicting replay cannot)');
    const register = (
      await client.query<{ code: string; store_code: string; store_id: number }>(
        'SELECT r.code, s.code AS store_code, s.id AS store_id FROM register r JOIN store s ON s.id = r.store_id WHERE r.id = $1',
        [row.register_id],
      )
    ).rows[0]!;
    const context: RegisterContext = {
      registerId: row.register_id,
      registerCode: register.code,
      merchantId,
      storeId: register.store_id,
      storeCode: register.store_code,
      viaPreviousToken: false,
    };
    let original: unknown;
    try {
      original = JSON.parse(row.payload);
    } catch {
      throw new MutationRejected('INVALID_PAYLOAD', 'The stored document is not JSON and cannot be applied');
    }
    const mutation: Mutation = { seq: row.seq, kind: row.kind, ref: row.ref, payload: corrected(original, correction) };
    // 2. read, checked and written as a push would
    const read = refuseFutureDated(readMutation(context, mutation), now);
    if (read instanceof MutationRejected) throw read;
    const rejections = new Map<number, MutationRejected>();
    const accepted = await checkAgainstDatabase(client, context, [{ mutation, write: read }], rejections);
    const touched: Touched = { members: [], giftCards: [], orders: [] };
    const deltas = await writeIsolatingRefusals(client, context, accepted, now, rejections, touched);
    const rejection = rejections.get(mutation.seq);
    if (rejection) throw rejection;
    // 3. the entry resolved, the seq's outcome now applied
    await client.query('UPDATE quarantine SET resolved_at = $2, resolution = $3, resolved_by = $4 WHERE id = $1', [
      id,
      new Date(now),
      resolution.note,
      resolution.by,
    ]);
    await client.query("UPDATE applied_mutation SET outcome = 'applied' WHERE register_id = $1 AND seq = $2", [row.register_id, row.seq]);
    // 4. on-hand, then the change log, last
    const changes = await applyOnHand(client, merchantId, deltas, now);
    changes.push(...(await memberChanges(client, merchantId, touched.members)));
    changes.push(...(await giftCardChanges(client, merchantId, touched.giftCards)));
    const applied: ReapplyResult = {
      id,
      registerId: row.register_id,
      seq: row.seq,
      kind: row.kind,
      ref: row.ref,
      payload: mutation.payload,
    };
    await options.audit?.(client, applied);
    await appendChanges(client, merchantId, changes, now);
    return applied;
  });
}
