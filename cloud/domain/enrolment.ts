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

export async function issueEnrolmentCode(
  pool: Pool,
  storeId: number,
  options: { ttlMinutes: number; now: number },
): Promise<{ code: string; expiresAt: number }> {
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
        `SELECT ec.id AS code_id, ec.expires_at, ec.used_at, m.name AS merchant_name, ${STORE_COLUMNS.split(', ')
          .map((c) => `s.${c}`)
          .join(', ')}
         FROM enrolment_code ec JOIN store s ON s.id = ec.store_id JOIN merchant m ON m.id = s.merchant_id
         WHERE ec.code_hash = $1 FOR UPDATE OF ec`,
        [codeHash],
      )
    ).rows[0];
    if (!found)
      throw new CloudError('ENROLMENT_CODE_INVALID', 'This enrolment code is not valid: check it, or ask head office for a new one');
    if (found.used_at)
      throw new CloudError('ENROLMENT_CODE_USED', 'This enrolment code has already been used: ask head office for a new one');
    if (found.expires_at.getTime() <= now)
      throw new CloudError('ENROLMENT_CODE_EXPIRED', 'This enrolment code has expired: ask head office for a new one');
    const store = storeOf(found);
    // 2. the register's code in its store, from the store's own counter (row-locked by the UPDATE)
    const n =
      (
        await client.query<{ n: number }>(
          'UPDATE store SET registers_enrolled = registers_enrolled + 1 WHERE id = $1 RETURNING registers_enrolled AS n',
          [store.id],
        )
      ).rows[0]?.n ?? 1;
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
    await client.query('UPDATE enrolment_code SET used_at = $2, register_id = $3 WHERE id = $1', [
      found.code_id,
      new Date(now),
      registerId,
    ]);
    const { merchantId, ...storeFields } = store;
    return { registerId, registerCode, name, token, merchant: { id: merchantId, name: found.merchant_name }, store: storeFields };
  });
}

/** The bucket refills at `limit` attempts per this period, and holds at most `limit`. */
export const ENROL_PERIOD_MS = 60_000;
/** A bucket untouched this long is full again: its row can go. */
const BUCKET_FORGET_MS = 3_600_000;

/**
 * Counts an enrolment attempt from `client` against its token bucket (shared by every instance
 * through the database, one atomic statement) and throws RATE_LIMITED when the bucket is empty:
 * `limit` attempts at once, then one every ENROL_PERIOD_MS / limit, whatever the clock's minute.
 * Every attempt counts, failed ones most of all: they are what a brute force looks like; a
 * refused attempt takes no token, so a patient client is let in again on time. The console's logins
 * use the same buckets under `hq-login:<address>`.
 */
export async function countEnrolAttempt(
  pool: Pool,
  client: string,
  limit: number,
  now: number,
  what = 'enrolment',
  /** other buckets (gift card guesses): their own refill period, and who the refusal names */
  options: { periodMs?: number; from?: string } = {},
): Promise<void> {
  const perMs = limit / (options.periodMs ?? ENROL_PERIOD_MS);
  const row = (
    await pool.query<{ tokens: number; admitted: boolean; fresh: boolean }>(
      `WITH attempt AS (SELECT $2::float8 AS capacity, $3::bigint AS now_ms, $4::float8 AS per_ms)
       INSERT INTO enrol_bucket AS b (client, tokens, admitted, updated_ms)
       SELECT $1, capacity - 1, true, now_ms FROM attempt
       ON CONFLICT (client) DO UPDATE SET
         tokens = (SELECT CASE WHEN r.refilled >= 1 THEN r.refilled - 1 ELSE r.refilled END
                   FROM (SELECT least(a.capacity, b.tokens + greatest(0, a.now_ms - b.updated_ms) * a.per_ms) AS refilled FROM attempt a) r),
         admitted = (SELECT least(a.capacity, b.tokens + greatest(0, a.now_ms - b.updated_ms) * a.per_ms) >= 1 FROM attempt a),
         updated_ms = greatest(b.updated_ms, EXCLUDED.updated_ms)
       RETURNING tokens, admitted, (xmax = 0) AS fresh`,
      [client, limit, now, perMs],
    )
  ).rows[0];
  if (row?.fresh) {
    // A new bucket: forget the ones that have been full for a while, so the table stays small.
    await pool.query('DELETE FROM enrol_bucket WHERE updated_ms < $1', [now - BUCKET_FORGET_MS]);
  }
  if (row && !row.admitted) {
    const retryAfterSeconds = Math.max(1, Math.ceil((1 - row.tokens) / perMs / 1000));
    throw new CloudError(
      'RATE_LIMITED',
      `Too many ${what} attempts from ${options.from ?? 'this address'}: try again in ${retryAfterSeconds} s`,
      {
        retryAfterSeconds,
      },
    );
  }
}

/**
 * Gives back the token an attempt took (an attempt that turned out to be no guess: a gift card
 * code that exists). Never above the bucket's capacity.
 */
export async function returnEnrolAttempt(pool: Pool, client: string, limit: number): Promise<void> {
  await pool.query('UPDATE enrol_bucket SET tokens = least($2::float8, tokens + 1) WHERE client = $1', [client, limit]);
}
