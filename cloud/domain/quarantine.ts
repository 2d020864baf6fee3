/**
 * Mutations the server took but could not apply, kept whole with the reason, for a person to look
 * at. Quarantining never blocks a register's queue: its seq advances all the same.
 */
import type { Pool, Queryable } from '../db/pool';

export { quarantineReasons, type QuarantineReason } from '../hq/contract';
import type { QuarantineReason } from '../hq/contract';

/** One mutation of a register's push, as the route parsed it; its kind and payload are read later. */
export interface Mutation {
  seq: number;
  kind: string;
  ref: string;
  payload: unknown;
  /** The payload's JSON as the register sent it, where the body gave it (payload-bytes.ts). */
  payloadBytes?: Buffer;
}

/** Thrown while applying one mutation: it goes to quarantine, the batch goes on. */
export class MutationRejected extends Error {
  constructor(
    readonly reason: QuarantineReason,
    message: string,
  ) {
    super(message);
    this.name = 'MutationRejected';
  }
}

export interface QuarantineEntry {
  merchantId: number;
  registerId: string | null;
  seq: number | null;
  kind: string;
  ref: string;
  payload: unknown;
  /** What to keep of the payload where it cannot be serialised (nested too deep): JSON text. */
  payloadText?: string;
  contentHash: Buffer;
  reason: QuarantineReason;
  message: string;
}

/**
 * Quarantines the entries with one INSERT. An entry already there (a conflicting replay sent again)
 * is skipped; returns how many were new.
 */
export async function quarantineAll(client: Queryable, entries: readonly QuarantineEntry[], now: number): Promise<number> {
  if (entries.length === 0) return 0;
  const result = await client.query(
    `INSERT INTO quarantine (merchant_id, register_id, seq, kind, ref, payload, content_hash, reason_code, reason, created_at)
     SELECT t.merchant_id, t.register_id, t.seq, t.kind, t.ref, t.payload, t.content_hash, t.reason_code, t.reason, $1
     FROM unnest($2::bigint[], $3::uuid[], $4::bigint[], $5::text[], $6::text[], $7::text[], $8::bytea[], $9::text[], $10::text[])
       AS t(merchant_id, register_id, seq, kind, ref, payload, content_hash, reason_code, reason)
     ON CONFLICT DO NOTHING`,
    [
      new Date(now),
      entries.map((e) => e.merchantId),
      entries.map((e) => e.registerId),
      entries.map((e) => e.seq),
      entries.map((e) => e.kind),
      entries.map((e) => e.ref),
      entries.map((e) => e.payloadText ?? JSON.stringify(e.payload) ?? 'null'),
      entries.map((e) => e.contentHash),
      entries.map((e) => e.reason),
      entries.map((e) => e.message),
    ],
  );
  return result.rowCount ?? 0;
}

export interface QuarantineItem {
  id: number;
  merchantId: number;
  registerId: string | null;
  seq: number | null;
  kind: string;
  ref: string;
  reason: string;
  message: string;
  createdAt: number;
  resolvedAt: number | null;
  payload: unknown;
}

export async function listQuarantine(
  pool: Pool,
  options: { merchantId?: number; includeResolved?: boolean; limit?: number } = {},
): Promise<QuarantineItem[]> {
  const rows = (
    await pool.query<{
      id: number;
      merchant_id: number;
      register_id: string | null;
      seq: number | null;
      kind: string;
      ref: string;
      reason_code: string;
      reason: string;
      created_at: Date;
      resolved_at: Date | null;
      payload: string;
    }>(
      `SELECT id, merchant_id, register_id, seq, kind, ref, reason_code, reason, created_at, resolved_at, payload
       FROM quarantine
       WHERE ($1::bigint IS NULL OR merchant_id = $1::bigint) AND ($2 OR resolved_at IS NULL)
       ORDER BY id DESC LIMIT $3`,
      [options.merchantId ?? null, options.includeResolved ?? false, options.limit ?? 100],
    )
  ).rows;
  return rows.map((r) => ({
    id: r.id,
    merchantId: r.merchant_id,
    registerId: r.register_id,
    seq: r.seq,
    kind: r.kind,
    ref: r.ref,
    reason: r.reason_code,
    message: r.reason,
    createdAt: r.created_at.getTime(),
    resolvedAt: r.resolved_at?.getTime() ?? null,
    payload: JSON.parse(r.payload) as unknown,
  }));
}

/** Marks an entry as dealt with (a person fixed the catalogue and re-entered the sale, say). */
export async function resolveQuarantine(pool: Pool, id: number, now: number): Promise<boolean> {
  const result = await pool.query('UPDATE quarantine SET resolved_at = $2 WHERE id = $1 AND resolved_at IS NULL', [id, new Date(now)]);
  return (result.rowCount ?? 0) > 0;
}
