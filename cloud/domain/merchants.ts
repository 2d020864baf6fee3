/** Merchants and their stores: created by the admin side, named by id, code or name. */
import { AdminError } from '../errors';
import type { Pool, Queryable } from '../db/pool';
import { withTransaction } from '../db/tx';

export interface Merchant {
  id: number;
  name: string;
}

export interface Store {
  id: number;
  merchantId: number;
  code: string;
  nameZh: string;
  nameEn: string;
  addressZh: string;
  addressEn: string;
  phone: string;
}

interface StoreRow {
  id: number;
  merchant_id: number;
  code: string;
  name_zh: string;
  name_en: string;
  address_zh: string;
  address_en: string;
  phone: string;
}

export const STORE_COLUMNS = 'id, merchant_id, code, name_zh, name_en, address_zh, address_en, phone';

export function storeOf(row: StoreRow): Store {
  return {
    id: row.id,
    merchantId: row.merchant_id,
    code: row.code,
    nameZh: row.name_zh,
    nameEn: row.name_en,
    addressZh: row.address_zh,
    addressEn: row.address_en,
    phone: row.phone,
  };
}

export async function createMerchant(pool: Pool, name: string): Promise<Merchant> {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > 100) throw new AdminError('INVALID', 'A merchant name is 1 to 100 characters');
  return withTransaction(pool, async (client) => {
    const existing = await client.query('SELECT 1 FROM merchant WHERE name = $1', [trimmed]);
    if (existing.rowCount) throw new AdminError('CONFLICT', `There is already a merchant named ${trimmed}`);
    const row = (await client.query<Merchant>('INSERT INTO merchant (name) VALUES ($1) RETURNING id, name', [trimmed])).rows[0] as Merchant;
    // The version allocator of its change log (see 0001-init.sql).
    await client.query('INSERT INTO change_counter (merchant_id) VALUES ($1)', [row.id]);
    return row;
  });
}

/**
 * A merchant by id or exact name; with no reference, the only merchant there is. With none at all
 * and `createDefault`, a merchant named "Default" is created (the short `create-store <name>`).
 */
export async function resolveMerchant(pool: Pool, ref: string | undefined, options: { createDefault?: boolean } = {}): Promise<Merchant> {
  if (ref !== undefined) {
    const rows = (
      await pool.query<Merchant>('SELECT id, name FROM merchant WHERE name = $1 OR ($2::bigint IS NOT NULL AND id = $2::bigint)', [
        ref,
        /^\d{1,15}$/.test(ref) ? ref : null,
      ])
    ).rows;
    if (rows.length === 0) throw new AdminError('NOT_FOUND', `No merchant ${ref}`);
    if (rows.length > 1)
      throw new AdminError('AMBIGUOUS', `${ref} names several merchants: use the id (${rows.map((r) => r.id).join(', ')})`);
    return rows[0] as Merchant;
  }
  const all = (await pool.query<Merchant>('SELECT id, name FROM merchant ORDER BY id LIMIT 2')).rows;
  if (all.length === 1) return all[0] as Merchant;
  if (all.length > 1) throw new AdminError('AMBIGUOUS', 'There are several merchants: name one with --merchant <id|name>');
  if (options.createDefault) return createMerchant(pool, 'Default');
  throw new AdminError('NOT_FOUND', 'There is no merchant yet: create one with create-merchant <name>');
}

export interface StoreInput {
  code: string;
  nameZh: string;
  nameEn: string;
  addressZh?: string;
  addressEn?: string;
  phone?: string;
}

export async function createStore(pool: Pool, merchantId: number, input: StoreInput): Promise<Store> {
  if (!/^[A-Z0-9]{1,16}$/.test(input.code))
    throw new AdminError('INVALID', `Store code ${input.code} must be 1 to 16 of A-Z and 0-9 (it is part of every receipt number)`);
  for (const [field, value] of [
    ['nameZh', input.nameZh],
    ['nameEn', input.nameEn],
  ] as const) {
    if (value.trim().length === 0 || value.length > 100) throw new AdminError('INVALID', `${field} is 1 to 100 characters`);
  }
  try {
    const row = (
      await pool.query<StoreRow>(
        `INSERT INTO store (merchant_id, code, name_zh, name_en, address_zh, address_en, phone) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${STORE_COLUMNS}`,
        [merchantId, input.code, input.nameZh.trim(), input.nameEn.trim(), input.addressZh ?? '', input.addressEn ?? '', input.phone ?? ''],
      )
    ).rows[0] as StoreRow;
    return storeOf(row);
  } catch (error) {
    if ((error as { code?: string }).code === '23505') throw new AdminError('CONFLICT', `This merchant already has a store ${input.code}`);
    throw error;
  }
}

/** A store code from a free-form name: its ASCII letters and digits, else S1, S2… */
export async function suggestStoreCode(db: Queryable, merchantId: number, name: string): Promise<string> {
  const taken = new Set(
    (await db.query<{ code: string }>('SELECT code FROM store WHERE merchant_id = $1', [merchantId])).rows.map((r) => r.code),
  );
  const base = name
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '')
    .slice(0, 12);
  if (base.length >= 2 && !taken.has(base)) return base;
  const stem = base.length >= 2 ? base : 'S';
  for (let n = 1; ; n += 1) {
    const candidate = `${stem}${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/** A store by id, code or exact name (zh or en), within a merchant or across all of them. */
export async function resolveStore(db: Queryable, ref: string, merchantId?: number): Promise<Store> {
  const rows = (
    await db.query<StoreRow>(
      `SELECT ${STORE_COLUMNS} FROM store
       WHERE ($2::bigint IS NULL OR merchant_id = $2::bigint)
         AND (code = $1 OR name_zh = $1 OR name_en = $1 OR ($3::bigint IS NOT NULL AND id = $3::bigint))
       ORDER BY id`,
      [ref, merchantId ?? null, /^\d{1,15}$/.test(ref) ? ref : null],
    )
  ).rows;
  if (rows.length === 0) throw new AdminError('NOT_FOUND', `No store ${ref}`);
  if (rows.length > 1)
    throw new AdminError('AMBIGUOUS', `${ref} names several stores (ids ${rows.map((r) => r.id).join(', ')}): use the id`);
  return storeOf(rows[0] as StoreRow);
}
