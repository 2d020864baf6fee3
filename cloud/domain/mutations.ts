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
 */
import { CloudError } from '../errors';
import type { Pool, PoolClient } from '../db/pool';
import { sqlState, withTransaction } from '../db/tx';
import { appendChanges } from './change-log';
import { mutationContentHash } from './canonical-json';
import { appliers, type Mutation } from './mutation-kinds';
import { MutationRejected, quarantine } from './quarantine';
import type { RegisterContext } from './registers';
import { OnHandDeltas, applyOnHand } from './stock';

export const MAX_BATCH = 500;

export interface BatchResult {
  lastAppliedSeq: number;
  /** Mutations applied by this request. */
  applied: number;
  /** Replays of seqs already taken, with the same content: absorbed. */
  duplicates: number;
  /** Mutations of this request that went to quarantine. */
  quarantined: number;
  quarantinedSeqs: number[];
  /** Replays of seqs already taken, with different content: flagged in quarantine. */
  conflicts: number;
  conflictSeqs: number[];
}

/** Seqs must go up by one within a batch: anything else is a register bug, refused whole. */
export function checkBatchOrder(mutations: readonly Mutation[]): void {
  mutations.forEach((m, index) => {
    const previous = mutations[index - 1];
    if (previous && m.seq !== previous.seq + 1) {
      throw new CloudError('INVALID_BATCH', `Mutations must have consecutive seqs in ascending order: ${previous.seq} is followed by ${m.seq}`);
    }
  });
}

/** A failure that belongs to the one mutation (its data), not to the batch (the database, a bug). */
function rejectionOf(error: unknown): MutationRejected | undefined {
  if (error instanceof MutationRejected) return error;
  const state = sqlState(error);
  // 22: data exception (a value out of range), 23: integrity constraint violation
  if (state?.startsWith('22') || state?.startsWith('23')) {
    return new MutationRejected('REJECTED_BY_DATABASE', `The database refused it (${state}): ${(error as Error).message}`);
  }
  return undefined;
}

async function applyOne(client: PoolClient, register: RegisterContext, mutation: Mutation, now: number): Promise<OnHandDeltas | MutationRejected> {
  const applier = appliers.get(mutation.kind);
  if (!applier) return new MutationRejected('UNKNOWN_KIND', `This server does not know mutation kind ${mutation.kind}; known: ${[...appliers.keys()].join(', ')}`);
  // A savepoint per mutation: a rejected one is undone alone, the batch carries on.
  await client.query('SAVEPOINT mutation');
  try {
    const deltas = await applier(client, register, mutation, now);
    await client.query('RELEASE SAVEPOINT mutation');
    return deltas;
  } catch (error) {
    const rejection = rejectionOf(error);
    if (!rejection) throw error;
    await client.query('ROLLBACK TO SAVEPOINT mutation');
    return rejection;
  }
}

export async function applyMutationBatch(pool: Pool, register: RegisterContext, mutations: readonly Mutation[], now: number): Promise<BatchResult> {
  checkBatchOrder(mutations);
  const hashes = mutations.map((m) => mutationContentHash(m.kind, m.ref, m.payload));
  return withTransaction(pool, async (client) => {
    // 1. the register's row, locked until COMMIT: concurrent batches of one register take turns
    const row = (await client.query<{ last_applied_seq: number; revoked_at: Date | null }>('SELECT last_applied_seq, revoked_at FROM register WHERE id = $1 FOR UPDATE', [register.registerId]))
      .rows[0];
    if (!row) throw new CloudError('TOKEN_INVALID', 'This register no longer exists: enrol again');
    if (row.revoked_at) throw new CloudError('TOKEN_REVOKED', 'This register has been revoked by head office: enrol it again with a new code');
    const last = row.last_applied_seq;
    const result: BatchResult = { lastAppliedSeq: last, applied: 0, duplicates: 0, quarantined: 0, quarantinedSeqs: [], conflicts: 0, conflictSeqs: [] };
    const first = mutations[0];
    if (!first) return result;
    if (first.seq > last + 1) {
      throw new CloudError('SEQ_GAP', `This batch starts at seq ${first.seq} but the server has applied up to ${last}: send from ${last + 1}`, { lastAppliedSeq: last });
    }

    // 2. replays: compare with what was taken under each seq
    const replayed = mutations.filter((m) => m.seq <= last);
    if (replayed.length > 0) {
      const stored = new Map(
        (
          await client.query<{ seq: number; content_hash: Buffer }>('SELECT seq, content_hash FROM applied_mutation WHERE register_id = $1 AND seq = ANY($2::bigint[])', [
            register.registerId,
            replayed.map((m) => m.seq),
          ])
        ).rows.map((r) => [r.seq, r.content_hash]),
      );
      for (const [index, m] of mutations.entries()) {
        if (m.seq > last) break;
        const hash = hashes[index] as Buffer;
        const original = stored.get(m.seq);
        if (original === undefined || original.equals(hash)) {
          result.duplicates += 1;
          continue;
        }
        result.conflicts += 1;
        result.conflictSeqs.push(m.seq);
        await quarantine(
          client,
          {
            merchantId: register.merchantId,
            registerId: register.registerId,
            seq: m.seq,
            kind: m.kind,
            ref: m.ref,
            payload: m.payload,
            contentHash: hash,
            reason: 'SEQ_CONFLICT',
            message: `Seq ${m.seq} was already applied with different content; this version was not applied`,
          },
          now,
        );
      }
    }

    // 3. new mutations, in seq order, each applied or quarantined
    const deltas = new OnHandDeltas();
    const taken: { seq: number; kind: string; ref: string; hash: Buffer; outcome: 'applied' | 'quarantined' }[] = [];
    for (const [index, m] of mutations.entries()) {
      if (m.seq <= last) continue;
      const hash = hashes[index] as Buffer;
      const outcome = await applyOne(client, register, m, now);
      if (outcome instanceof MutationRejected) {
        await quarantine(
          client,
          { merchantId: register.merchantId, registerId: register.registerId, seq: m.seq, kind: m.kind, ref: m.ref, payload: m.payload, contentHash: hash, reason: outcome.reason, message: outcome.message },
          now,
        );
        result.quarantined += 1;
        result.quarantinedSeqs.push(m.seq);
        taken.push({ seq: m.seq, kind: m.kind, ref: m.ref, hash, outcome: 'quarantined' });
      } else {
        deltas.merge(outcome);
        result.applied += 1;
        taken.push({ seq: m.seq, kind: m.kind, ref: m.ref, hash, outcome: 'applied' });
      }
    }
    if (taken.length === 0) return result;

    // 4. what was taken, with its content hash, for recognising replays
    await client.query(
      `INSERT INTO applied_mutation (register_id, seq, kind, ref, content_hash, outcome, applied_at)
       SELECT $1, t.seq, t.kind, t.ref, t.content_hash, t.outcome, $2
       FROM unnest($3::bigint[], $4::text[], $5::text[], $6::bytea[], $7::text[]) AS t(seq, kind, ref, content_hash, outcome)`,
      [register.registerId, new Date(now), taken.map((t) => t.seq), taken.map((t) => t.kind), taken.map((t) => t.ref), taken.map((t) => t.hash), taken.map((t) => t.outcome)],
    );
    // 5. on-hand, then the change log (last: it holds the merchant's version lock until COMMIT)
    const changes = await applyOnHand(client, register.merchantId, deltas, now);
    await appendChanges(client, register.merchantId, changes, now);
    // 6. the new high-water mark
    result.lastAppliedSeq = (taken.at(-1) as { seq: number }).seq;
    await client.query('UPDATE register SET last_applied_seq = $2, last_push_at = $3 WHERE id = $1', [register.registerId, result.lastAppliedSeq, new Date(now)]);
    return result;
  });
}
