/** A register's identity on every request: its bearer token, rotation and revocation. */
import { AdminError, CloudError } from '../errors';
import type { Pool } from '../db/pool';
import { withTransaction } from '../db/tx';
import { newToken, sha256 } from './secrets';

export interface RegisterContext {
  registerId: string;
  registerCode: string;
  merchantId: number;
  storeId: number;
  storeCode: string;
  /** True when the request came with the token a rotation replaced: only the rotation may be retried. */
  viaPreviousToken: boolean;
}

interface RegisterRow {
  id: string;
  code: string;
  merchant_id: number;
  store_id: number;
  store_code: string;
  revoked_at: Date | null;
  via_previous: boolean;
  rotation_pending: boolean;
}

/**
 * The register a bearer token belongs to. The first request with a rotated-in token forgets the
 * token it replaced: from then on the old one is dead for everything.
 */
export async function authenticate(pool: Pool, token: string): Promise<RegisterContext> {
  const hash = sha256(token);
  const row = (
    await pool.query<RegisterRow>(
      `SELECT r.id, r.code, r.merchant_id, r.store_id, s.code AS store_code, r.revoked_at,
              r.token_hash <> $1 AS via_previous, r.previous_token_hash IS NOT NULL AS rotation_pending
       FROM register r JOIN store s ON s.id = r.store_id
       WHERE r.token_hash = $1 OR r.previous_token_hash = $1`,
      [hash],
    )
  ).rows[0];
  if (!row) throw new CloudError('TOKEN_INVALID', 'This token is not valid: enrol the register again');
  if (row.revoked_at)
    throw new CloudError('TOKEN_REVOKED', 'This register has been revoked by head office: enrol it again with a new code');
  if (!row.via_previous && row.rotation_pending) {
    await pool.query('UPDATE register SET previous_token_hash = NULL WHERE id = $1 AND token_hash = $2', [row.id, hash]);
  }
  return {
    registerId: row.id,
    registerCode: row.code,
    merchantId: row.merchant_id,
    storeId: row.store_id,
    storeCode: row.store_code,
    viaPreviousToken: row.via_previous,
  };
}

/**
 * A new token; the one presented stops working. If the answer is lost, the register still holds
 * the old token and may retry the rotation with it, until the new token is first used.
 */
export async function rotateToken(pool: Pool, register: RegisterContext, presentedToken: string): Promise<{ token: string }> {
  const presented = sha256(presentedToken);
  return withTransaction(pool, async (client) => {
    // 1. the register, locked, still holding the presented token (a concurrent rotation may not have)
    const row = (
      await client.query<{ revoked_at: Date | null; is_current: boolean; is_previous: boolean }>(
        `SELECT revoked_at, token_hash = $2 AS is_current, coalesce(previous_token_hash = $2, false) AS is_previous
         FROM register WHERE id = $1 FOR UPDATE`,
        [register.registerId, presented],
      )
    ).rows[0];
    if (!row || !(row.is_current || row.is_previous))
      throw new CloudError('TOKEN_INVALID', 'This token is not valid any more: it was rotated');
    if (row.revoked_at)
      throw new CloudError('TOKEN_REVOKED', 'This register has been revoked by head office: enrol it again with a new code');
    // 2. the new token; the presented one is kept (as previous) only for a retry of this rotation
    const token = newToken();
    await client.query('UPDATE register SET token_hash = $2, previous_token_hash = $3 WHERE id = $1', [
      register.registerId,
      sha256(token),
      presented,
    ]);
    return { token };
  });
}

export async function revokeRegister(pool: Pool, registerId: string, now: number): Promise<{ registerId: string; revokedAt: number }> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(registerId))
    throw new AdminError('INVALID', `${registerId} is not a register id (a UUID)`);
  const row = (
    await pool.query<{ revoked_at: Date }>('UPDATE register SET revoked_at = coalesce(revoked_at, $2) WHERE id = $1 RETURNING revoked_at', [
      registerId,
      new Date(now),
    ])
  ).rows[0];
  if (!row) throw new AdminError('NOT_FOUND', `No register ${registerId}`);
  return { registerId, revokedAt: row.revoked_at.getTime() };
}

export interface RegisterStatus {
  registerId: string;
  registerCode: string;
  name: string;
  store: { id: number; code: string; nameZh: string; nameEn: string };
  lastAppliedSeq: number;
  lastPushAt: number | null;
  enrolledAt: number;
  revokedAt: number | null;
}

export async function listRegisters(pool: Pool, filter: { merchantId?: number; registerId?: string } = {}): Promise<RegisterStatus[]> {
  const rows = (
    await pool.query<{
      id: string;
      code: string;
      name: string;
      store_id: number;
      store_code: string;
      name_zh: string;
      name_en: string;
      last_applied_seq: number;
      last_push_at: Date | null;
      enrolled_at: Date;
      revoked_at: Date | null;
    }>(
      `SELECT r.id, r.code, r.name, s.id AS store_id, s.code AS store_code, s.name_zh, s.name_en, r.last_applied_seq, r.last_push_at, r.enrolled_at, r.revoked_at
       FROM register r JOIN store s ON s.id = r.store_id
       WHERE ($1::bigint IS NULL OR r.merchant_id = $1::bigint) AND ($2::uuid IS NULL OR r.id = $2::uuid)
       ORDER BY s.code, r.code`,
      [filter.merchantId ?? null, filter.registerId ?? null],
    )
  ).rows;
  return rows.map((r) => ({
    registerId: r.id,
    registerCode: r.code,
    name: r.name,
    store: { id: r.store_id, code: r.store_code, nameZh: r.name_zh, nameEn: r.name_en },
    lastAppliedSeq: r.last_applied_seq,
    lastPushAt: r.last_push_at?.getTime() ?? null,
    enrolledAt: r.enrolled_at.getTime(),
    revokedAt: r.revoked_at?.getTime() ?? null,
  }));
}

export async function registerStatus(pool: Pool, registerId: string): Promise<RegisterStatus> {
  const found = (await listRegisters(pool, { registerId }))[0];
  if (!found) throw new CloudError('NOT_FOUND', `No register ${registerId}`);
  return found;
}
