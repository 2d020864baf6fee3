import type { Db } from '../db/open';
import { prepared } from '../db/prepared';

export interface RegisterIdentity {
  store: { code: string; nameZh: string; nameEn: string };
  register: { code: string; name: string };
}

interface IdentityRow {
  store_code: string;
  name_zh: string;
  name_en: string;
  register_code: string;
  register_name: string;
}

export function readIdentity(db: Db): RegisterIdentity | null {
  const row = prepared<[], IdentityRow>(
    db,
    `SELECT s.code AS store_code, s.name_zh, s.name_en, r.code AS register_code, r.name AS register_name
       FROM this_register r JOIN store s ON s.id = r.store_id WHERE r.id = 1`,
  ).get();
  if (!row) return null;
  return {
    store: { code: row.store_code, nameZh: row.name_zh, nameEn: row.name_en },
    register: { code: row.register_code, name: row.register_name },
  };
}
