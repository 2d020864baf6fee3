/**
 * Register staff kept by head office (issue 16): names, role and which stores, pulled by registers
 * through the change log (entity `staff`). A register matches a person by code, applies name, role
 * and active, and leaves the PIN alone: a new person gets theirs from a manager at each register.
 * Taking a store away from someone deactivates them at that store's registers.
 */
import type { FeedStaff } from '../../src/shared/change-feed';
import { AdminError } from '../errors';
import type { Pool, Queryable } from '../db/pool';
import { withTransaction } from '../db/tx';
import { appendChanges } from './change-log';

export interface RegisterStaffInput {
  code: string;
  nameZh: string;
  nameEn: string;
  role: FeedStaff['role'];
  active: boolean;
  /** null: every store, now and later */
  storeIds: number[] | null;
}

export interface RegisterStaffItem extends RegisterStaffInput {
  id: number;
  storeCodes: string[] | null;
  updatedAt: number;
}

interface StaffRowDb {
  id: number;
  code: string;
  name_zh: string;
  name_en: string;
  role: FeedStaff['role'];
  active: boolean;
  all_stores: boolean;
  store_ids: number[] | null;
  store_codes: string[] | null;
  updated_at: Date;
}

const SELECT = `SELECT s.id, s.code, s.name_zh, s.name_en, s.role, s.active, s.all_stores, s.updated_at,
    (SELECT array_agg(ss.store_id ORDER BY st.code) FROM register_staff_store ss JOIN store st ON st.id = ss.store_id WHERE ss.staff_id = s.id) AS store_ids,
    (SELECT array_agg(st.code ORDER BY st.code) FROM register_staff_store ss JOIN store st ON st.id = ss.store_id WHERE ss.staff_id = s.id) AS store_codes
  FROM register_staff s`;

function toItem(r: StaffRowDb): RegisterStaffItem {
  return {
    id: r.id,
    code: r.code,
    nameZh: r.name_zh,
    nameEn: r.name_en,
    role: r.role,
    active: r.active,
    storeIds: r.all_stores ? null : (r.store_ids ?? []),
    storeCodes: r.all_stores ? null : (r.store_codes ?? []),
    updatedAt: r.updated_at.getTime(),
  };
}

export function feedStaff(item: RegisterStaffItem): FeedStaff {
  return { code: item.code, nameZh: item.nameZh, nameEn: item.nameEn, role: item.role, active: item.active, storeCodes: item.storeCodes };
}

/** Everyone, or (a store manager) those who may work at one of `storeIds` (the all-stores people included). */
export async function listRegisterStaff(db: Queryable, merchantId: number, storeIds: number[] | null = null): Promise<RegisterStaffItem[]> {
  const rows = (
    await db.query<StaffRowDb>(
      `${SELECT} WHERE s.merchant_id = $1 AND ($2::bigint[] IS NULL OR s.all_stores
         OR EXISTS (SELECT 1 FROM register_staff_store ss WHERE ss.staff_id = s.id AND ss.store_id = ANY($2::bigint[])))
       ORDER BY s.code`,
      [merchantId, storeIds],
    )
  ).rows;
  return rows.map(toItem);
}

export async function findRegisterStaff(db: Queryable, merchantId: number, code: string): Promise<RegisterStaffItem | null> {
  const row = (await db.query<StaffRowDb>(`${SELECT} WHERE s.merchant_id = $1 AND s.code = $2`, [merchantId, code])).rows[0];
  return row ? toItem(row) : null;
}

/**
 * Creates or updates one person by code, and appends the change registers pull, in one transaction.
 * Answers before and after (before null for a new person); unchanged input appends nothing.
 */
export async function saveRegisterStaff(
  pool: Pool,
  merchantId: number,
  input: RegisterStaffInput,
  now: number,
): Promise<{ before: RegisterStaffItem | null; after: RegisterStaffItem; changed: boolean }> {
  return withTransaction(pool, async (client) => {
    // 1. the stores must be the merchant's
    if (input.storeIds !== null && input.storeIds.length > 0) {
      const found = await client.query('SELECT id FROM store WHERE merchant_id = $1 AND id = ANY($2::bigint[])', [
        merchantId,
        input.storeIds,
      ]);
      if (found.rowCount !== new Set(input.storeIds).size) throw new AdminError('NOT_FOUND', 'One of the stores is not this merchant’s');
    }
    // 2. the row, locked, then written
    const before = (
      await client.query<StaffRowDb>(`${SELECT} WHERE s.merchant_id = $1 AND s.code = $2 FOR UPDATE OF s`, [merchantId, input.code])
    ).rows[0];
    const id = (
      await client.query<{ id: number }>(
        `INSERT INTO register_staff (merchant_id, code, name_zh, name_en, role, all_stores, active, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (merchant_id, code) DO UPDATE SET name_zh = EXCLUDED.name_zh, name_en = EXCLUDED.name_en, role = EXCLUDED.role,
           all_stores = EXCLUDED.all_stores, active = EXCLUDED.active, updated_at = EXCLUDED.updated_at
         RETURNING id`,
        [merchantId, input.code, input.nameZh, input.nameEn, input.role, input.storeIds === null, input.active, new Date(now)],
      )
    ).rows[0]!.id;
    await client.query('DELETE FROM register_staff_store WHERE staff_id = $1', [id]);
    if (input.storeIds !== null && input.storeIds.length > 0)
      await client.query('INSERT INTO register_staff_store (staff_id, store_id) SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING', [
        id,
        input.storeIds,
      ]);
    const after = toItem((await client.query<StaffRowDb>(`${SELECT} WHERE s.id = $1`, [id])).rows[0]!);
    const previous = before ? toItem(before) : null;
    const changed = previous === null || JSON.stringify(feedStaff(previous)) !== JSON.stringify(feedStaff(after));
    // 3. the change log, last
    if (changed) await appendChanges(client, merchantId, [{ entity: 'staff', op: 'upsert', data: feedStaff(after) }], now);
    return { before: previous, after, changed };
  });
}
