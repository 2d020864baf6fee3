/** A register's identity on every request: its bearer token, rotation and revocation. */
import { AdminError, CloudError } from '../errors';
import type { Pool } from '../db/pool';
import { withTransaction } from '../db/tx';
import type { RegisterReport } from '../../src/shared/register-report';
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
    await pool.query<RegisterRow>({
      name: 'register-by-token',
      text: `SELECT r.id, r.code, r.merchant_id, r.store_id, s.code AS store_code, r.revoked_at,
              r.token_hash <> $1 AS via_previous, r.previous_token_hash IS NOT NULL AS rotation_pending
       FROM register r JOIN store s ON s.id = r.store_id
       WHERE r.token_hash = $1 OR r.previous_token_hash = $1`,
      values: [hash],
    })
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
  lastPullAt: number | null;
  enrolledAt: number;
  revokedAt: number | null;
  /** What the register last reported (null: never, or an older release that does not say), as of reportedAt. */
  appVersion: string | null;
  queueDepth: number | null;
  quarantined: number | null;
  /** Since when the reported queue has not been empty (null: empty at the last report). */
  queueSince: number | null;
  reportedAt: number | null;
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
      last_pull_at: Date | null;
      enrolled_at: Date;
      revoked_at: Date | null;
      app_version: string | null;
      queue_depth: number | null;
      quarantined_count: number | null;
      queue_since: Date | null;
      reported_at: Date | null;
    }>(
      `SELECT r.id, r.code, r.name, s.id AS store_id, s.code AS store_code, s.name_zh, s.name_en, r.last_applied_seq, r.last_push_at,
              r.last_pull_at, r.enrolled_at, r.revoked_at, r.app_version, r.queue_depth, r.quarantined_count, r.queue_since, r.reported_at
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
    lastPullAt: r.last_pull_at?.getTime() ?? null,
    enrolledAt: r.enrolled_at.getTime(),
    revokedAt: r.revoked_at?.getTime() ?? null,
    appVersion: r.app_version,
    queueDepth: r.queue_depth,
    quarantined: r.quarantined_count,
    queueSince: r.queue_since?.getTime() ?? null,
    reportedAt: r.reported_at?.getTime() ?? null,
  }));
}

/** A pull or report within this of the last one, saying the same, is not written again (registers pull often). */
export const CONTACT_RECORD_GAP_MS = 10_000;

/**
 * A push or pull the cloud answered, with what the register reported in it: the time of its last
 * pull, and its version and queue as of now (last_push_at is the mutation applier's). Fields the
 * register did not send, or sent unusable, keep their last value. Nothing is written for a report
 * or pull like the last one within CONTACT_RECORD_GAP_MS: a replayed push writes nothing.
 */
export async function recordRegisterContact(
  pool: Pool,
  registerId: string,
  contact: { via: 'push' | 'pull'; report: RegisterReport; now: number },
): Promise<void> {
  const { report } = contact;
  const reported = report.appVersion !== null || report.queueDepth !== null || report.quarantined !== null;
  if (!reported && contact.via === 'push') return;
  await pool.query(
    `UPDATE register SET
       last_pull_at = CASE WHEN $2 THEN $3 ELSE last_pull_at END,
       app_version = coalesce($4, app_version),
       queue_depth = coalesce($5, queue_depth),
       quarantined_count = coalesce($6, quarantined_count),
       queue_since = CASE WHEN $5::int IS NULL THEN queue_since WHEN $5::int > 0 THEN coalesce(queue_since, $3) END,
       reported_at = CASE WHEN $7 THEN $3 ELSE reported_at END
     WHERE id = $1 AND (
       ($2 AND (last_pull_at IS NULL OR last_pull_at < $8))
       OR ($7 AND (reported_at IS NULL OR reported_at < $8 OR app_version IS DISTINCT FROM coalesce($4, app_version)
         OR queue_depth IS DISTINCT FROM coalesce($5, queue_depth) OR quarantined_count IS DISTINCT FROM coalesce($6, quarantined_count))))`,
    [
      registerId,
      contact.via === 'pull',
      new Date(contact.now),
      report.appVersion,
      report.queueDepth,
      report.quarantined,
      reported,
      new Date(contact.now - CONTACT_RECORD_GAP_MS),
    ],
  );
}

export async function registerStatus(pool: Pool, registerId: string): Promise<RegisterStatus> {
  const found = (await listRegisters(pool, { registerId }))[0];
  if (!found) throw new CloudError('NOT_FOUND', `No register ${registerId}`);
  return found;
}
