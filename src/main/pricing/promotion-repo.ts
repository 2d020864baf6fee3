/**
 * Promotion definitions in SQLite (migrations/0003-promotions.sql). Reading never fails checkout:
 * a row that does not parse (a kind this register does not know, params of the wrong shape) is
 * left out and reported in `problems`, for the log and the health panel.
 */
import { PosError } from '../../shared/errors';
import type { Db } from '../db/open';
import { Promotion } from './promotion-schema';
import { prepared } from '../db/prepared';

interface PromotionRow {
  id: number;
  code: string;
  name_zh: string;
  name_en: string;
  kind: string;
  params: string;
  priority: number;
  starts_at: number | null;
  ends_at: number | null;
  active: number;
}

export interface PromotionProblem {
  id: number;
  code: string;
  message: string;
}

export interface LoadedPromotions {
  promotions: Promotion[];
  problems: PromotionProblem[];
}

function parseRow(row: PromotionRow): { ok: true; promotion: Promotion } | { ok: false; message: string } {
  let params: unknown;
  try {
    params = JSON.parse(row.params);
  } catch (error) {
    return { ok: false, message: `params are not JSON: ${String(error)}` };
  }
  const parsed = Promotion.safeParse({
    id: row.id,
    code: row.code,
    nameZh: row.name_zh,
    nameEn: row.name_en,
    kind: row.kind,
    params,
    priority: row.priority,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    active: row.active === 1,
  });
  if (parsed.success) return { ok: true, promotion: parsed.data };
  const issues = parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.') || '(row)'}: ${issue.message}`);
  return { ok: false, message: issues.join('; ') };
}

/** Promotions switched on (`active`), whatever their window, in id order; rows that do not parse go to `problems`. */
export function loadEnabledPromotions(db: Db): LoadedPromotions {
  const rows = prepared<[], PromotionRow>(
    db,
    `SELECT id, code, name_zh, name_en, kind, params, priority, starts_at, ends_at, active
       FROM promotion WHERE active = 1 ORDER BY id`,
  ).all();
  const result: LoadedPromotions = { promotions: [], problems: [] };
  for (const row of rows) {
    const parsed = parseRow(row);
    if (parsed.ok) result.promotions.push(parsed.promotion);
    else result.problems.push({ id: row.id, code: row.code, message: parsed.message });
  }
  return result;
}

/** Of the enabled promotions, those whose window contains `now` (ms). */
export function activeAt(enabled: LoadedPromotions, now: number): LoadedPromotions {
  return {
    promotions: enabled.promotions.filter((p) => (p.startsAt === null || p.startsAt <= now) && (p.endsAt === null || p.endsAt > now)),
    problems: enabled.problems,
  };
}

/** Active promotions whose window contains `now` (ms), in id order. */
export function loadActivePromotions(db: Db, now: number): LoadedPromotions {
  return activeAt(loadEnabledPromotions(db), now);
}

/** Inserts or replaces the promotion with this id. Throws PosError BAD_REQUEST on a malformed one. */
export function upsertPromotion(db: Db, promotion: Promotion): void {
  const parsed = Promotion.safeParse(promotion);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 10)
      .map((issue) => ({ path: issue.path.join('.') || '(promotion)', message: issue.message }));
    throw new PosError(
      'BAD_REQUEST',
      `Promotion ${String(promotion.code)} is not valid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
      issues,
    );
  }
  const p = parsed.data;
  prepared(
    db,
    `INSERT INTO promotion (id, code, name_zh, name_en, kind, params, priority, starts_at, ends_at, active)
     VALUES (:id, :code, :nameZh, :nameEn, :kind, :params, :priority, :startsAt, :endsAt, :active)
     ON CONFLICT (id) DO UPDATE SET
       code = excluded.code, name_zh = excluded.name_zh, name_en = excluded.name_en, kind = excluded.kind,
       params = excluded.params, priority = excluded.priority, starts_at = excluded.starts_at,
       ends_at = excluded.ends_at, active = excluded.active`,
  ).run({
    id: p.id,
    code: p.code,
    nameZh: p.nameZh,
    nameEn: p.nameEn,
    kind: p.kind,
    params: JSON.stringify(p.params),
    priority: p.priority,
    startsAt: p.startsAt,
    endsAt: p.endsAt,
    active: p.active ? 1 : 0,
  });
}
