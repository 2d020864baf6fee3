/**
 * Console users (merchant staff at head office, not register staff), their logins and sessions.
 *
 * Lockout that concurrent guesses cannot beat: an attempt is counted by one UPDATE before its
 * password is checked (the scrypt runs only after the count is committed), and the count is cleared
 * only by a successful login or an owner's unlock. At most MAX_FAILED_ATTEMPTS passwords are
 * checked per lockout period however requests interleave, across every instance of the cloud:
 * the attempt that reaches the limit sets the lock as it is counted, and every attempt counted
 * beyond it is refused LOCKED_OUT without a check, a right password included.
 */
import { createHash, randomBytes } from 'node:crypto';
import { CloudError } from '../errors';
import type { Pool, Queryable } from '../db/pool';
import { withTransaction } from '../db/tx';
import { recordAudit } from './audit';
import type { LoginBody, Role, SessionInfo, SessionUser, UserRow } from './contract';
import { permissions, roleMay, type Permission } from './contract';
import { dummyPasswordHash, hashPassword, verifyPassword } from './passwords';
import { matchTotp } from './totp';

export const MAX_FAILED_ATTEMPTS = 5;
export const LOCKOUT_MS = 15 * 60_000;
/** A session unused this long ends; however much it is used, it ends after SESSION_ABSOLUTE_MS. */
export const SESSION_IDLE_MS = 8 * 3_600_000;
export const SESSION_ABSOLUTE_MS = 7 * 24 * 3_600_000;
/** last_seen_at is written at most this often per session (reads must not all become writes). */
const TOUCH_EVERY_MS = 60_000;

export const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

interface UserDbRow {
  id: number;
  merchant_id: number;
  email: string;
  name: string;
  role: Role;
  password_hash: string;
  totp_secret: string | null;
  totp_enabled: boolean;
  totp_last_step: number;
  failed_attempts: number;
  locked_until: Date | null;
  active: boolean;
  /** bigint[]: pg reads array elements as strings, so they go through Number() below */
  store_ids: (number | string)[];
}

const USER_COLUMNS = `u.id, u.merchant_id, u.email, u.name, u.role, u.password_hash, u.totp_secret, u.totp_enabled, u.totp_last_step,
  u.failed_attempts, u.locked_until, u.active,
  array(SELECT us.store_id FROM hq_user_store us WHERE us.user_id = u.id ORDER BY us.store_id) AS store_ids`;

function userRowOf(r: UserDbRow): UserRow {
  return {
    id: r.id,
    email: r.email,
    name: r.name,
    role: r.role,
    storeIds: r.store_ids.map(Number),
    totpEnabled: r.totp_enabled,
    active: r.active,
    lockedUntil: r.locked_until?.getTime() ?? null,
    failedAttempts: r.failed_attempts,
  };
}

function sessionUserOf(r: UserDbRow): SessionUser {
  return {
    id: r.id,
    email: r.email,
    name: r.name,
    role: r.role,
    storeIds: r.role === 'store_manager' ? r.store_ids.map(Number) : null,
    totpEnabled: r.totp_enabled,
  };
}

export async function loadUser(db: Queryable, merchantId: number, userId: number): Promise<UserRow> {
  const row = (
    await db.query<UserDbRow>(`SELECT ${USER_COLUMNS} FROM hq_user u WHERE u.id = $1 AND u.merchant_id = $2`, [userId, merchantId])
  ).rows[0];
  if (!row) throw new CloudError('NOT_FOUND', `No console user ${userId}`);
  return userRowOf(row);
}

export async function listUsers(db: Queryable, merchantId: number): Promise<UserRow[]> {
  return (
    await db.query<UserDbRow>(`SELECT ${USER_COLUMNS} FROM hq_user u WHERE u.merchant_id = $1 ORDER BY u.email`, [merchantId])
  ).rows.map(userRowOf);
}

async function checkStores(db: Queryable, merchantId: number, storeIds: number[]): Promise<void> {
  if (storeIds.length === 0) return;
  const found = (
    await db.query<{ n: number }>('SELECT count(*)::int AS n FROM store WHERE merchant_id = $1 AND id = ANY($2::bigint[])', [
      merchantId,
      storeIds,
    ])
  ).rows[0]?.n;
  if (found !== new Set(storeIds).size) throw new CloudError('BAD_REQUEST', 'A store given is not one of this merchant’s stores');
}

function checkScope(role: Role, storeIds: number[]): void {
  if (role === 'store_manager' && storeIds.length === 0) throw new CloudError('BAD_REQUEST', 'A store manager needs at least one store');
}

export async function createUser(
  pool: Pool,
  merchantId: number,
  input: { email: string; name: string; role: Role; storeIds: number[]; password: string },
  now: number,
): Promise<UserRow> {
  checkScope(input.role, input.storeIds);
  const passwordHash = await hashPassword(input.password);
  return withTransaction(pool, async (client) => {
    await checkStores(client, merchantId, input.storeIds);
    let id: number;
    try {
      id = (
        await client.query<{ id: number }>(
          `INSERT INTO hq_user (merchant_id, email, name, role, password_hash, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id`,
          [merchantId, input.email, input.name, input.role, passwordHash, new Date(now)],
        )
      ).rows[0]!.id;
    } catch (error) {
      if ((error as { code?: string }).code === '23505') throw new CloudError('CONFLICT', `There is already a console user ${input.email}`);
      throw error;
    }
    await client.query('INSERT INTO hq_user_store (user_id, store_id) SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING', [
      id,
      input.role === 'store_manager' ? input.storeIds : [],
    ]);
    return loadUser(client, merchantId, id);
  });
}

/**
 * Before an owner changes another user: both rows locked (in id order, so two owners acting on each
 * other take turns instead of deadlocking), then the acting user read afresh. Their session was
 * checked before this transaction; an owner demoted or deactivated since (by another owner's edit
 * that committed while this request waited) is refused here, so owners demoting or deactivating each
 * other at the same moment always leave one: the last one to act finds they are no longer an owner.
 */
export async function lockActingOwner(db: Queryable, merchantId: number, actorId: number, targetId: number): Promise<void> {
  const rows = (
    await db.query<{ id: number; role: Role; active: boolean }>(
      'SELECT id, role, active FROM hq_user WHERE merchant_id = $1 AND id = ANY($2::bigint[]) ORDER BY id FOR UPDATE',
      [merchantId, [actorId, targetId]],
    )
  ).rows;
  const actor = rows.find((r) => Number(r.id) === actorId);
  if (!actor?.active || !roleMay(actor.role, 'users.manage'))
    throw new CloudError('PERMISSION_DENIED', 'You are no longer an active owner: another owner changed your role a moment ago');
}

export async function updateUser(
  db: Queryable,
  merchantId: number,
  userId: number,
  input: { name: string; role: Role; storeIds: number[]; active: boolean },
  now: number,
): Promise<UserRow> {
  checkScope(input.role, input.storeIds);
  await checkStores(db, merchantId, input.storeIds);
  const updated = await db.query(
    'UPDATE hq_user SET name = $3, role = $4, active = $5, updated_at = $6 WHERE id = $1 AND merchant_id = $2',
    [userId, merchantId, input.name, input.role, input.active, new Date(now)],
  );
  if (!updated.rowCount) throw new CloudError('NOT_FOUND', `No console user ${userId}`);
  await db.query('DELETE FROM hq_user_store WHERE user_id = $1', [userId]);
  await db.query('INSERT INTO hq_user_store (user_id, store_id) SELECT $1, unnest($2::bigint[])', [
    userId,
    input.role === 'store_manager' ? input.storeIds : [],
  ]);
  // A changed role or store list, or a deactivation, counts from the next request: sessions read
  // the user afresh every time. A deactivated user's sessions end now.
  if (!input.active) await revokeSessions(db, userId, now);
  return loadUser(db, merchantId, userId);
}

/** An owner sets a new password: the lock and every session of the user end. */
export async function resetPassword(db: Queryable, merchantId: number, userId: number, password: string, now: number): Promise<void> {
  const passwordHash = await hashPassword(password);
  const updated = await db.query(
    'UPDATE hq_user SET password_hash = $3, failed_attempts = 0, locked_until = NULL, updated_at = $4 WHERE id = $1 AND merchant_id = $2',
    [userId, merchantId, passwordHash, new Date(now)],
  );
  if (!updated.rowCount) throw new CloudError('NOT_FOUND', `No console user ${userId}`);
  await revokeSessions(db, userId, now);
}

export async function unlockUser(db: Queryable, merchantId: number, userId: number, now: number): Promise<void> {
  const updated = await db.query(
    'UPDATE hq_user SET failed_attempts = 0, locked_until = NULL, updated_at = $3 WHERE id = $1 AND merchant_id = $2',
    [userId, merchantId, new Date(now)],
  );
  if (!updated.rowCount) throw new CloudError('NOT_FOUND', `No console user ${userId}`);
}

export async function revokeSessions(db: Queryable, userId: number, now: number): Promise<void> {
  await db.query('UPDATE hq_session SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL', [userId, new Date(now)]);
}

export interface LoginResult {
  token: string;
  csrfToken: string;
  user: SessionUser;
  merchantId: number;
}

const loginFailed = () => new CloudError('LOGIN_FAILED', 'Wrong email or password');
const lockedOut = (until: number) =>
  new CloudError('LOCKED_OUT', 'Too many wrong attempts: this account is locked for a while, or until an owner unlocks it', {
    lockedUntil: until,
  });

export async function login(pool: Pool, input: LoginBody, now: number, address: string): Promise<LoginResult> {
  // 1. the attempt is counted (and the lock set by the attempt that reaches the limit) in one
  //    statement, before any password is checked; an expired lock starts a fresh count
  const counted = (
    await pool.query<UserDbRow>(
      `UPDATE hq_user u SET
         failed_attempts = CASE WHEN u.locked_until IS NOT NULL AND u.locked_until <= $2 THEN 1 ELSE u.failed_attempts + 1 END,
         locked_until = CASE
           WHEN u.locked_until IS NOT NULL AND u.locked_until <= $2 THEN NULL
           WHEN u.locked_until IS NULL AND u.failed_attempts + 1 >= $3 THEN $4
           ELSE u.locked_until END
       WHERE u.email = $1 AND u.active
       RETURNING ${USER_COLUMNS}`,
      [input.email, new Date(now), MAX_FAILED_ATTEMPTS, new Date(now + LOCKOUT_MS)],
    )
  ).rows[0];
  if (!counted) {
    await verifyPassword(input.password, await dummyPasswordHash());
    throw loginFailed();
  }
  const audit = (action: string, after?: unknown) =>
    recordAudit(pool, { merchantId: counted.merchant_id, userId: counted.id, userEmail: counted.email, action, after, address }, now);
  if (counted.failed_attempts > MAX_FAILED_ATTEMPTS) {
    throw lockedOut(counted.locked_until?.getTime() ?? now + LOCKOUT_MS);
  }
  // 2. the password (this attempt is one of at most MAX_FAILED_ATTEMPTS checked)
  if (!(await verifyPassword(input.password, counted.password_hash))) {
    if (counted.failed_attempts >= MAX_FAILED_ATTEMPTS) {
      await audit('login.locked', { attempts: counted.failed_attempts });
      throw lockedOut(counted.locked_until?.getTime() ?? now + LOCKOUT_MS);
    }
    await audit('login.failed', { attempts: counted.failed_attempts });
    throw loginFailed();
  }
  // 3. the second factor; a right password alone is not a failure, so it gives its count back
  let step: number | null = null;
  if (counted.totp_enabled) {
    if (input.totp === undefined) {
      await pool.query(
        'UPDATE hq_user SET failed_attempts = greatest(failed_attempts - 1, 0), locked_until = CASE WHEN failed_attempts - 1 < $2 THEN NULL ELSE locked_until END WHERE id = $1',
        [counted.id, MAX_FAILED_ATTEMPTS],
      );
      throw new CloudError('TOTP_REQUIRED', 'Type the six-digit code from your authenticator app');
    }
    step = matchTotp(counted.totp_secret as string, input.totp, now, counted.totp_last_step);
    if (step === null) {
      await audit('login.totp-failed', { attempts: counted.failed_attempts });
      throw new CloudError('TOTP_INVALID', 'That code is wrong or already used: type the current code');
    }
  }
  // 4. success: the count cleared, the code's step spent (once: a replay in between loses), a session
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  await withTransaction(pool, async (client) => {
    const cleared = await client.query(
      `UPDATE hq_user SET failed_attempts = 0, locked_until = NULL, totp_last_step = greatest(totp_last_step, $2)
       WHERE id = $1 AND ($3::bigint IS NULL OR totp_last_step < $3)`,
      [counted.id, step ?? 0, step],
    );
    if (!cleared.rowCount) throw new CloudError('TOTP_INVALID', 'That code is wrong or already used: type the current code');
    await client.query(
      'INSERT INTO hq_session (token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $4, $5)',
      [sha256(token), counted.id, csrfToken, new Date(now), new Date(now + SESSION_IDLE_MS)],
    );
    await recordAudit(
      client,
      { merchantId: counted.merchant_id, userId: counted.id, userEmail: counted.email, action: 'login', address },
      now,
    );
  });
  return { token, csrfToken, user: sessionUserOf(counted), merchantId: counted.merchant_id };
}

export interface Session extends SessionInfo {
  tokenHash: Buffer;
}

/** The session a cookie names, with its user read afresh (role, stores, active); null when none. */
export async function findSession(pool: Pool, token: string, now: number): Promise<Session | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const tokenHash = sha256(token);
  const row = (
    await pool.query<UserDbRow & { csrf_token: string; last_seen_at: Date; created_at_s: Date; merchant_name: string; time_zone: string }>(
      `SELECT ${USER_COLUMNS}, s.csrf_token, s.last_seen_at, s.created_at AS created_at_s, m.name AS merchant_name, m.time_zone
       FROM hq_session s JOIN hq_user u ON u.id = s.user_id JOIN merchant m ON m.id = u.merchant_id
       WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $2 AND u.active`,
      [tokenHash, new Date(now)],
    )
  ).rows[0];
  if (!row) return null;
  if (now - row.last_seen_at.getTime() > TOUCH_EVERY_MS) {
    const expires = Math.min(now + SESSION_IDLE_MS, row.created_at_s.getTime() + SESSION_ABSOLUTE_MS);
    await pool.query('UPDATE hq_session SET last_seen_at = $2, expires_at = $3 WHERE token_hash = $1', [
      tokenHash,
      new Date(now),
      new Date(expires),
    ]);
  }
  return {
    tokenHash,
    user: sessionUserOf(row),
    merchant: { id: row.merchant_id, name: row.merchant_name, timeZone: row.time_zone },
    csrfToken: row.csrf_token,
    permissions: (Object.keys(permissions) as Permission[]).filter((p) => roleMay(row.role, p)),
  };
}

export async function endSession(pool: Pool, tokenHash: Buffer, now: number): Promise<void> {
  await pool.query('UPDATE hq_session SET revoked_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL', [tokenHash, new Date(now)]);
}

/** A fresh TOTP secret for the user, not yet in force: the next confirmTotp with a right code enables it. */
export async function startTotp(db: Queryable, userId: number, secret: string): Promise<void> {
  await db.query('UPDATE hq_user SET totp_secret = $2 WHERE id = $1 AND NOT totp_enabled', [userId, secret]);
}

export async function confirmTotp(db: Queryable, userId: number, code: string, now: number): Promise<boolean> {
  const row = (
    await db.query<{ totp_secret: string | null; totp_enabled: boolean; totp_last_step: number }>(
      'SELECT totp_secret, totp_enabled, totp_last_step FROM hq_user WHERE id = $1',
      [userId],
    )
  ).rows[0];
  if (!row?.totp_secret || row.totp_enabled) return false;
  const step = matchTotp(row.totp_secret, code, now, row.totp_last_step);
  if (step === null) return false;
  const updated = await db.query(
    'UPDATE hq_user SET totp_enabled = true, totp_last_step = $2 WHERE id = $1 AND NOT totp_enabled AND totp_last_step < $2',
    [userId, step],
  );
  return (updated.rowCount ?? 0) > 0;
}

export async function disableTotp(db: Queryable, merchantId: number, userId: number): Promise<void> {
  const updated = await db.query('UPDATE hq_user SET totp_enabled = false, totp_secret = NULL WHERE id = $1 AND merchant_id = $2', [
    userId,
    merchantId,
  ]);
  if (!updated.rowCount) throw new CloudError('NOT_FOUND', `No console user ${userId}`);
}
