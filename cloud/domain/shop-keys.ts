/**
 * Shop keys: how the merchant's own systems (the online shop, a chat-order integration) call the
 * cloud, as `Authorization: Bearer spk_…`. Head office creates one per integration with the admin
 * CLI (`create-shop-key <label> --scopes orders`); it is printed once and only its sha256 is kept
 * (256 random bits: a fast hash is enough, as for register tokens, and a lookup stays one index
 * probe). A key carries scopes (`orders`, `members`): a route names the scope it needs. Revoking
 * is immediate. The route side is `cloud/routes/shop-auth.ts`.
 */
import { randomBytes } from 'node:crypto';
import { AdminError, CloudError } from '../errors';
import type { Pool } from '../db/pool';
import { sha256 } from './secrets';

export const shopKeyScopes = ['orders', 'members'] as const;
export type ShopKeyScope = (typeof shopKeyScopes)[number];

/** `spk_` + 43 characters of base64url (32 random bytes). */
export const SHOP_KEY_FORMAT = /^spk_[A-Za-z0-9_-]{43}$/;
const PREFIX_LENGTH = 'spk_'.length + 8;

export interface ShopKeyContext {
  keyId: number;
  merchantId: number;
  label: string;
  scopes: ShopKeyScope[];
}

export interface ShopKeyInfo {
  id: number;
  label: string;
  /** The key's first 12 characters, to tell keys apart; not enough to use it. */
  prefix: string;
  scopes: ShopKeyScope[];
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

interface ShopKeyRow {
  id: number;
  label: string;
  prefix: string;
  scopes: ShopKeyScope[];
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

const infoOf = (row: ShopKeyRow): ShopKeyInfo => ({
  id: Number(row.id),
  label: row.label,
  prefix: row.prefix,
  scopes: row.scopes,
  createdAt: row.created_at.getTime(),
  lastUsedAt: row.last_used_at?.getTime() ?? null,
  revokedAt: row.revoked_at?.getTime() ?? null,
});

export function parseScopes(text: string | undefined): ShopKeyScope[] {
  const scopes = (text ?? 'orders')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const unknown = scopes.filter((s) => !(shopKeyScopes as readonly string[]).includes(s));
  if (scopes.length === 0 || unknown.length > 0)
    throw new AdminError(
      'INVALID',
      `Scopes are a comma-separated list of ${shopKeyScopes.join(', ')}${unknown.length ? `; not ${unknown.join(', ')}` : ''}`,
    );
  return [...new Set(scopes)] as ShopKeyScope[];
}

/** A new key: the only time the key itself exists outside the caller's hands. */
export async function createShopKey(
  pool: Pool,
  merchantId: number,
  input: { label: string; scopes: ShopKeyScope[] },
  now: number,
): Promise<ShopKeyInfo & { key: string }> {
  const label = input.label.trim();
  if (label.length < 1 || label.length > 100) throw new AdminError('INVALID', 'A shop key label is 1 to 100 characters');
  const key = `spk_${randomBytes(32).toString('base64url')}`;
  const row = (
    await pool.query<ShopKeyRow>(
      `INSERT INTO shop_key (merchant_id, label, prefix, key_hash, scopes, created_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       RETURNING id, label, prefix, scopes, created_at, last_used_at, revoked_at`,
      [merchantId, label, key.slice(0, PREFIX_LENGTH), sha256(key), input.scopes, new Date(now)],
    )
  ).rows[0] as ShopKeyRow;
  return { ...infoOf(row), key };
}

export async function listShopKeys(pool: Pool, merchantId: number): Promise<ShopKeyInfo[]> {
  const rows = await pool.query<ShopKeyRow>(
    'SELECT id, label, prefix, scopes, created_at, last_used_at, revoked_at FROM shop_key WHERE merchant_id = $1 ORDER BY id',
    [merchantId],
  );
  return rows.rows.map(infoOf);
}

/** By id or prefix (`spk_AbCdEfGh`); revoking twice keeps the first time. */
export async function revokeShopKey(pool: Pool, merchantId: number, ref: string, now: number): Promise<ShopKeyInfo> {
  const byId = /^\d{1,15}$/.test(ref);
  const row = (
    await pool.query<ShopKeyRow>(
      `UPDATE shop_key SET revoked_at = coalesce(revoked_at, $3)
       WHERE merchant_id = $1 AND ${byId ? 'id = $2::bigint' : 'prefix = $2'}
       RETURNING id, label, prefix, scopes, created_at, last_used_at, revoked_at`,
      [merchantId, ref, new Date(now)],
    )
  ).rows[0];
  if (!row) throw new AdminError('NOT_FOUND', `No shop key ${ref} (give its id or its prefix, as list-shop-keys shows)`);
  return infoOf(row);
}

/** The merchant and scopes of a presented key; SHOP_KEY_INVALID / SHOP_KEY_REVOKED / FORBIDDEN otherwise. */
export async function authenticateShopKey(pool: Pool, key: string, scope: ShopKeyScope, now: number): Promise<ShopKeyContext> {
  if (!SHOP_KEY_FORMAT.test(key)) throw new CloudError('SHOP_KEY_INVALID', 'This is not a shop key (spk_…): ask head office for one');
  const row = (
    await pool.query<{ id: number; merchant_id: number; label: string; scopes: ShopKeyScope[]; revoked_at: Date | null }>(
      'SELECT id, merchant_id, label, scopes, revoked_at FROM shop_key WHERE key_hash = $1',
      [sha256(key)],
    )
  ).rows[0];
  if (!row) throw new CloudError('SHOP_KEY_INVALID', 'This shop key is not known: ask head office for a new one');
  if (row.revoked_at) throw new CloudError('SHOP_KEY_REVOKED', 'This shop key was revoked by head office');
  if (!row.scopes.includes(scope))
    throw new CloudError('FORBIDDEN', `This shop key may not use ${scope}; its scopes: ${row.scopes.join(', ')}`);
  // At most once a minute per key: a busy shop does not write a row per request.
  await pool.query(
    "UPDATE shop_key SET last_used_at = $2 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $2::timestamptz - interval '1 minute')",
    [row.id, new Date(now)],
  );
  return { keyId: Number(row.id), merchantId: Number(row.merchant_id), label: row.label, scopes: row.scopes };
}
