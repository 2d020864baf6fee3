/**
 * Enrolment: head office issues a one-time code for a store; IT types it on the register, which
 * trades it for a register id and a bearer token. Codes are single-use, expire, and only their
 * hash is stored; attempts are rate-limited per client address across all instances.
 */
import { CloudError } from '../errors';
import type { Pool } from '../db/pool';
import { withTransaction } from '../db/tx';
import { STORE_COLUMNS, storeOf, type Store } from './merchants';
import { newEnrolmentCode, newToken, normaliseEnrolmentCode, sha256 } from './secrets';

export async function issueEnrolmentCode(pool: Pool, storeId: number, options: { ttlMinutes: number; now: number }): Promise<{ code: string; expiresAt: number }> {
  const code = newEnrolmentCode();
  const expiresAt = options.now + options.ttlMinutes * 60_000;
  await pool.query('INSERT INTO enrolment_code (store_id, code_hash, created_at, expires_at) VALUES ($1, $2, $3, $4)', [
    storeId,
    sha256(normaliseEnrolmentCode(code)),
    new Date(options.now),
    new Date(expiresAt),
  ]);
  return { code, expiresAt };
}

export interface Enrolment {
  registerId: string;
  registerCode: string;
  name: string;
  /** Shown once, here; the server keeps only its hash. */
  token: string;
  merchant: { id: number; name: string };
  store: Omit<Store, 'merchantId'>;
}

interface CodeRow {
  code_id: number;
  expires_at: Date;
  used_at: Date | null;
  merchant_name: string;
}

export async function enrol(pool: Pool, input: { code: string; name?: string | undefined }, now: number): Promise<Enrolment> {
  const codeHash = sha256(normaliseEnrolmentCode(input.code));
  return withTransaction(pool, async (client) => {
    // 1. the code, locked: two registers racing with one code get one enrolment and one 409
    const found = (
      await client.query<CodeRow & Parameters<typeof storeOf>[0]>(
        `SELECT ec.id AS code_id, ec.expires_at, ec.used_at, m.name AS merchant_name, ${STORE_COLUMNS.split(', ').map((c) => `s.${c}`).join(', ')}
         FROM enrolment_code ec JOIN store s ON s.id = ec.store_id JOIN merchant m ON m.id = s.merchant_id
         WHERE ec.code_hash = $1 FOR UPDATE OF ec`,
        [codeHash],
      )
    ).rows[0];
    if (!found) throw new CloudError('ENROLMENT_CODE_INVALID', 'This enrolment code is not valid: check it, or ask head office for a new one');
    if (found.used_at) throw new CloudError('ENROLMENT_CODE_USED', 'This enrolment code has already been used: ask head office for a new one');
    if (found.expires_at.getTime() <= now) throw new CloudError('ENROLMENT_CODE_EXPIRED', 'This enrolment code has expired: ask head office for a new one');
    const store = storeOf(found);
    // 2. the register's code in its store, from the store's own counter (row-locked by the UPDATE)
    const n = (await client.query<{ n: number }>('UPDATE store SET registers_enrolled = registers_enrolled + 1 WHERE id = $1 RETURNING registers_enrolled AS n', [store.id])).rows[0]?.n ?? 1;
    const registerCode = String(n).padStart(2, '0');
    const name = input.name ?? `Register ${registerCode}`;
    // 3. the register, with its token's hash; 4. the code is spent
    const token = newToken();
    const registerId = (
      await client.query<{ id: string }>(
        'INSERT INTO register (merchant_id, store_id, code, name, token_hash, enrolled_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id',
        [store.merchantId, store.id, registerCode, name, sha256(token), new Date(now)],
      )
    ).rows[0]?.id as string;
    await client.query('UPDATE enrolment_code SET used_at = $2, register_id = $3 WHERE id = $1', [found.code_id, new Date(now), registerId]);
    const { merchantId, ...storeFields } = store;
    return { registerId, registerCode, name, token, merchant: { id: merchantId, name: found.merchant_name }, store: storeFields };
  });
}

export const ENROL_WINDOW_MS = 60_000;

/**
 * Counts an enrolment attempt from `client` in the current one-minute window (shared by every
 * instance through the database) and throws RATE_LIMITED beyond `limit`. Every attempt counts,
 * failed ones most of all: they are what a brute force looks like.
 */
export async function countEnrolAttempt(pool: Pool, client: string, limit: number, now: number): Promise<void> {
  const windowStart = Math.floor(now / ENROL_WINDOW_MS) * ENROL_WINDOW_MS;
  const attempts =
    (
      await pool.query<{ attempts: number }>(
        `INSERT INTO enrol_attempt AS a (client, window_start, attempts) VALUES ($1, $2, 1)
         ON CONFLICT (client, window_start) DO UPDATE SET attempts = a.attempts + 1
         RETURNING attempts`,
        [client, new Date(windowStart)],
      )
    ).rows[0]?.attempts ?? 1;
  if (attempts === 1) {
    // A new window: forget windows older than an hour, so the table stays small.
    await pool.query('DELETE FROM enrol_attempt WHERE window_start < $1', [new Date(now - 3_600_000)]);
  }
  if (attempts > limit) {
    const retryAfterSeconds = Math.max(1, Math.ceil((windowStart + ENROL_WINDOW_MS - now) / 1000));
    throw new CloudError('RATE_LIMITED', `Too many enrolment attempts from this address: try again in ${retryAfterSeconds} s`, { retryAfterSeconds });
  }
}
