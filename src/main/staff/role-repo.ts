/** Roles and their permissions as stored: the role and role_permission tables. */
import type { Db } from '../db/open';
import { builtInRoles, isPermission, permissions, type BuiltInRole, type Permission } from '../../shared/permissions';
import { prepared } from '../db/prepared';
import { grantedByDefault } from './roles';

export interface RoleRecord {
  code: string;
  nameZh: string;
  nameEn: string;
  builtIn: boolean;
  discountLimitBasisPoints: number;
  permissions: Permission[];
  staffCount: number;
}

interface RoleRow {
  code: string;
  name_zh: string;
  name_en: string;
  built_in: number;
  discount_limit_bp: number;
  staff_count: number;
}

export function loadRoles(db: Db): RoleRecord[] {
  const grants = new Map<string, Permission[]>();
  for (const { role_code, permission } of prepared<[], { role_code: string; permission: string }>(
    db,
    'SELECT role_code, permission FROM role_permission ORDER BY permission',
  ).all()) {
    // A permission a newer version wrote and this one does not know means nothing here.
    if (!isPermission(permission)) continue;
    grants.set(role_code, [...(grants.get(role_code) ?? []), permission]);
  }
  const rows = prepared<[], RoleRow>(
    db,
    'SELECT r.*, (SELECT count(*) FROM staff s WHERE s.role = r.code AND s.active = 1) AS staff_count FROM role r ORDER BY r.sort, r.code',
  ).all();
  return rows.map((row) => ({
    code: row.code,
    nameZh: row.name_zh,
    nameEn: row.name_en,
    builtIn: row.built_in === 1,
    discountLimitBasisPoints: row.discount_limit_bp,
    permissions: permissions.filter((p) => grants.get(row.code)?.includes(p)),
    staffCount: row.staff_count,
  }));
}

export function insertRole(db: Db, role: Pick<RoleRecord, 'code' | 'nameZh' | 'nameEn' | 'discountLimitBasisPoints'>): void {
  prepared(
    db,
    'INSERT INTO role (code, name_zh, name_en, built_in, discount_limit_bp) VALUES (:code, :nameZh, :nameEn, 0, :discountLimitBasisPoints)',
  ).run(role);
}

export function updateRole(db: Db, role: Pick<RoleRecord, 'code' | 'nameZh' | 'nameEn' | 'discountLimitBasisPoints'>): void {
  prepared(
    db,
    'UPDATE role SET name_zh = :nameZh, name_en = :nameEn, discount_limit_bp = :discountLimitBasisPoints WHERE code = :code',
  ).run(role);
}

export function setRolePermissions(db: Db, code: string, granted: readonly Permission[]): void {
  prepared(db, 'DELETE FROM role_permission WHERE role_code = :code').run({ code });
  const insert = prepared(db, 'INSERT INTO role_permission (role_code, permission) VALUES (:code, :permission)');
  for (const permission of granted) insert.run({ code, permission });
}

export function deleteRole(db: Db, code: string): void {
  prepared(db, 'DELETE FROM role WHERE code = :code AND built_in = 0').run({ code });
}

/**
 * Grants each permission this version knows but the database has not seen yet to the built-in
 * roles that have it by default (src/main/staff/roles.ts), once. Returns what it granted.
 */
export function grantNewPermissionDefaults(db: Db): Permission[] {
  return db
    .transaction(() => {
      const seen = new Set(prepared<[], string>(db, 'SELECT permission FROM permission_seen').pluck().all());
      const fresh = permissions.filter((p) => !seen.has(p));
      const grant = prepared(
        db,
        'INSERT OR IGNORE INTO role_permission (role_code, permission) SELECT code, :permission FROM role WHERE code = :role AND built_in = 1',
      );
      const markSeen = prepared(db, 'INSERT INTO permission_seen (permission) VALUES (:permission)');
      for (const permission of fresh) {
        for (const role of builtInRoles as readonly BuiltInRole[]) if (grantedByDefault(role, permission)) grant.run({ permission, role });
        markSeen.run({ permission });
      }
      return fresh;
    })
    .immediate();
}
