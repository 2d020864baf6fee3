/**
 * Register events other than sales documents and stock movements: the shift, cash and day-close
 * records, voided carts. The cloud keeps each one whole in register_event (one row per register
 * and seq); it does not interpret them. Which kinds are events: src/shared/outbox-kinds.ts.
 */
import { z } from 'zod';
import type { Queryable } from '../db/pool';
import { MutationRejected, type Mutation } from './quarantine';
import type { RegisterContext } from './registers';
import { describeIssues } from './schemas';

/** Any JSON object without NUL characters (PostgreSQL's JSONB cannot hold them). */
const EventPayload = z
  .record(z.string(), z.unknown())
  .refine((value) => !JSON.stringify(value).includes('\\u0000'), 'must not contain NUL characters');

export interface RegisterEventRecord {
  registerId: string;
  seq: number;
  merchantId: number;
  storeId: number;
  kind: string;
  ref: string;
  payload: Record<string, unknown>;
}

/** Checks an event's payload (throws MutationRejected) and answers the row it becomes. */
export function readRegisterEvent(register: RegisterContext, mutation: Mutation): RegisterEventRecord {
  const parsed = EventPayload.safeParse(mutation.payload);
  if (!parsed.success) throw new MutationRejected('INVALID_PAYLOAD', describeIssues(parsed.error));
  return {
    registerId: register.registerId,
    seq: mutation.seq,
    merchantId: register.merchantId,
    storeId: register.storeId,
    kind: mutation.kind,
    ref: mutation.ref,
    payload: parsed.data,
  };
}

/** Every event of a batch in one INSERT. */
export async function insertRegisterEvents(client: Queryable, events: readonly RegisterEventRecord[], now: number): Promise<void> {
  if (events.length === 0) return;
  await client.query(
    `INSERT INTO register_event (register_id, seq, merchant_id, store_id, kind, ref, payload, received_at)
     SELECT t.register_id, t.seq, t.merchant_id, t.store_id, t.kind, t.ref, t.payload::jsonb, $1
     FROM unnest($2::uuid[], $3::bigint[], $4::bigint[], $5::bigint[], $6::text[], $7::text[], $8::text[]) AS t(register_id, seq, merchant_id, store_id, kind, ref, payload)`,
    [
      new Date(now),
      events.map((e) => e.registerId),
      events.map((e) => e.seq),
      events.map((e) => e.merchantId),
      events.map((e) => e.storeId),
      events.map((e) => e.kind),
      events.map((e) => e.ref),
      events.map((e) => JSON.stringify(e.payload)),
    ],
  );
}
