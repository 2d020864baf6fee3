/**
 * Register events other than sales documents and stock movements: the shift, cash and day-close
 * records, voided carts. The cloud keeps each one whole in register_event (one row per register
 * and seq); it does not interpret them. Which kinds are events: src/shared/outbox-kinds.ts.
 */
import { z } from 'zod';
import type { Queryable } from '../db/pool';
import { MutationRejected } from './quarantine';
import type { RegisterContext } from './registers';
import { describeIssues } from './schemas';
import { OnHandDeltas } from './stock';
import type { Mutation } from './mutation-kinds';

/** Any JSON object without NUL characters (PostgreSQL's JSONB cannot hold them). */
const EventPayload = z.record(z.string(), z.unknown()).refine((value) => !JSON.stringify(value).includes('\\u0000'), 'must not contain NUL characters');

export async function applyRegisterEvent(client: Queryable, register: RegisterContext, mutation: Mutation, now: number): Promise<OnHandDeltas> {
  const parsed = EventPayload.safeParse(mutation.payload);
  if (!parsed.success) throw new MutationRejected('INVALID_PAYLOAD', describeIssues(parsed.error));
  await client.query(
    `INSERT INTO register_event (register_id, seq, merchant_id, store_id, kind, ref, payload, received_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8)`,
    [register.registerId, mutation.seq, register.merchantId, register.storeId, mutation.kind, mutation.ref, JSON.stringify(parsed.data), new Date(now)],
  );
  return new OnHandDeltas();
}
