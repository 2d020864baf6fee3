/**
 * Register events other than sales documents and stock movements: the shift, cash and day-close
 * records, voided carts. Each kind's payload is checked against the schema the register writes it
 * with (src/shared/register-event-schemas.ts), and its ref against the pushing register's store and
 * register; what passes is kept whole in register_event (one row per register and seq). Which
 * kinds are events: src/shared/outbox-kinds.ts.
 */
import type { Queryable } from '../db/pool';
import type { RegisterEventKind } from '../../src/shared/outbox-kinds';
import { registerEventRefTail, registerEventSchemas } from '../../src/shared/register-event-schemas';
import { holdsNul } from './payload-bytes';
import { MutationRejected, type Mutation } from './quarantine';
import type { RegisterContext } from './registers';
import { describeIssues } from './schemas';

export interface RegisterEventRecord {
  registerId: string;
  seq: number;
  merchantId: number;
  storeId: number;
  kind: string;
  ref: string;
  payload: Record<string, unknown>;
  /**
   * The register code the event names when it is not the pushing register's own; the batch
   * accepts it only when that code belonged to a register of the store that head office has since
   * revoked (the same till enrolled again sends what it did before), as for receipt numbers.
   */
  otherRegister: string | null;
}

/** The register code `ref` names: `{store}-{code}-{tail}` of the pusher's store (throws MutationRejected). */
function registerCodeOfRef(register: RegisterContext, ref: string, tail: string): string {
  const storePrefix = `${register.storeCode}-`;
  if (!ref.startsWith(storePrefix))
    throw new MutationRejected('STORE_MISMATCH', `ref ${ref} is not of this register's store ${register.storeCode}`);
  if (!ref.endsWith(`-${tail}`) || ref.length <= storePrefix.length + tail.length + 1)
    throw new MutationRejected('REF_MISMATCH', `ref ${ref} is not ${register.storeCode}-{register}-${tail}, as the payload says`);
  return ref.slice(storePrefix.length, ref.length - tail.length - 1);
}

/** Checks an event's payload and ref (throws MutationRejected) and answers the row it becomes. */
export function readRegisterEvent(register: RegisterContext, kind: RegisterEventKind, mutation: Mutation): RegisterEventRecord {
  const parsed = registerEventSchemas[kind].safeParse(mutation.payload);
  if (!parsed.success) throw new MutationRejected('INVALID_PAYLOAD', describeIssues(parsed.error));
  if (holdsNul(mutation.payload, mutation.payloadBytes))
    throw new MutationRejected('INVALID_PAYLOAD', 'The event holds a NUL character (U+0000), which the cloud cannot store');
  const tail = registerEventRefTail(kind, parsed.data);
  let code = register.registerCode;
  if (tail === null) {
    const cartId = (parsed.data as { cartId: number }).cartId;
    if (mutation.ref !== `cart-${cartId}`) throw new MutationRejected('REF_MISMATCH', `ref ${mutation.ref} is not cart-${cartId}`);
  } else {
    code = registerCodeOfRef(register, mutation.ref, tail);
    const named = parsed.data as { storeCode?: string; registerCode?: string };
    if (named.storeCode !== undefined && named.storeCode !== register.storeCode)
      throw new MutationRejected(
        'STORE_MISMATCH',
        `The event is from store ${named.storeCode}; this register is enrolled in store ${register.storeCode}`,
      );
    if (named.registerCode !== undefined && named.registerCode !== code)
      throw new MutationRejected('REF_MISMATCH', `ref ${mutation.ref} is not of register ${named.registerCode}, as the payload says`);
  }
  return {
    registerId: register.registerId,
    seq: mutation.seq,
    merchantId: register.merchantId,
    storeId: register.storeId,
    kind,
    ref: mutation.ref,
    // kept as the register sent it
    payload: mutation.payload as Record<string, unknown>,
    otherRegister: code === register.registerCode ? null : code,
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
