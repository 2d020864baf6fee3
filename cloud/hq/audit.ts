/** The console's audit trail: who did what, to what, with the state before and after. Append-only. */
import type { Queryable } from '../db/pool';
import type { AuditRow } from './contract';

export interface AuditEntry {
  merchantId: number;
  userId: number | null;
  userEmail: string;
  action: string;
  target?: string;
  before?: unknown;
  after?: unknown;
  address?: string;
}

/** Passwords, hashes and secrets never reach the trail, whatever a caller hands in. */
const SECRET_KEYS = new Set(['password', 'passwordHash', 'password_hash', 'totpSecret', 'totp_secret', 'token', 'csrfToken']);

function scrub(value: unknown): unknown {
  if (value === undefined) return null;
  if (Array.isArray(value)) return value.map(scrub);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_KEYS.has(k) ? '[redacted]' : scrub(v)]));
  }
  return value;
}

export async function recordAudit(db: Queryable, entry: AuditEntry, now: number): Promise<void> {
  await db.query(
    `INSERT INTO hq_audit (merchant_id, user_id, user_email, action, target, before, after, address, at)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8, $9)`,
    [
      entry.merchantId,
      entry.userId,
      entry.userEmail,
      entry.action,
      entry.target ?? '',
      entry.before === undefined ? null : JSON.stringify(scrub(entry.before)),
      entry.after === undefined ? null : JSON.stringify(scrub(entry.after)),
      entry.address ?? '',
      new Date(now),
    ],
  );
}

export async function listAudit(
  db: Queryable,
  merchantId: number,
  options: { beforeId?: number; limit?: number } = {},
): Promise<AuditRow[]> {
  const rows = (
    await db.query<{
      id: number;
      user_email: string;
      action: string;
      target: string;
      before: unknown;
      after: unknown;
      address: string;
      at: Date;
    }>(
      `SELECT id, user_email, action, target, before, after, address, at FROM hq_audit
       WHERE merchant_id = $1 AND ($2::bigint IS NULL OR id < $2) ORDER BY id DESC LIMIT $3`,
      [merchantId, options.beforeId ?? null, options.limit ?? 100],
    )
  ).rows;
  return rows.map((r) => ({
    id: r.id,
    userEmail: r.user_email,
    action: r.action,
    target: r.target,
    before: r.before,
    after: r.after,
    address: r.address,
    at: r.at.getTime(),
  }));
}
