/**
 * Staged rollout of register updates (issue 17): the newest app version the registers of a store
 * may install. The store's setting wins over the merchant's; with neither, any version the feed
 * offers. Registers ask with `GET /v1/registers/:id/update-policy`; head office sets it with
 * `npm run cloud:admin -- update-rollout`.
 */
import type { Queryable } from '../db/pool';
import { AdminError } from '../errors';

const VERSION = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?$/;

export interface UpdatePolicy {
  allowedVersion: string | null;
  /** Whose setting decided: the store's, the merchant's, or nobody's. */
  source: 'store' | 'merchant' | 'none';
}

export async function updatePolicy(db: Queryable, storeId: number): Promise<UpdatePolicy> {
  const row = (
    await db.query<{ store_version: string | null; merchant_version: string | null }>(
      `SELECT s.update_version AS store_version, m.update_version AS merchant_version
       FROM store s JOIN merchant m ON m.id = s.merchant_id WHERE s.id = $1`,
      [storeId],
    )
  ).rows[0];
  if (!row) return { allowedVersion: null, source: 'none' };
  if (row.store_version !== null) return { allowedVersion: row.store_version, source: 'store' };
  if (row.merchant_version !== null) return { allowedVersion: row.merchant_version, source: 'merchant' };
  return { allowedVersion: null, source: 'none' };
}

/** `version` null: no limit (merchant) or follow the merchant (store). */
export async function setUpdateVersion(
  db: Queryable,
  target: { merchantId: number; storeId?: number },
  version: string | null,
): Promise<void> {
  if (version !== null && !VERSION.test(version)) throw new AdminError('INVALID', `${version} is not a version like 1.4.0`);
  if (target.storeId === undefined) {
    await db.query('UPDATE merchant SET update_version = $2 WHERE id = $1', [target.merchantId, version]);
  } else {
    await db.query('UPDATE store SET update_version = $3 WHERE id = $1 AND merchant_id = $2', [target.storeId, target.merchantId, version]);
  }
}

export async function listUpdateRollout(
  db: Queryable,
  merchantId: number,
): Promise<{ merchant: string | null; stores: { code: string; setting: string | null; allowedVersion: string | null }[] }> {
  const merchant = (await db.query<{ update_version: string | null }>('SELECT update_version FROM merchant WHERE id = $1', [merchantId]))
    .rows[0];
  const stores = (
    await db.query<{ code: string; update_version: string | null }>(
      'SELECT code, update_version FROM store WHERE merchant_id = $1 ORDER BY code',
      [merchantId],
    )
  ).rows;
  const fallback = merchant?.update_version ?? null;
  return {
    merchant: fallback,
    stores: stores.map((s) => ({ code: s.code, setting: s.update_version, allowedVersion: s.update_version ?? fallback })),
  };
}
