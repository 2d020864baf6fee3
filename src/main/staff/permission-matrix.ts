/**
 * The permission matrix as main uses it on every call: role → permissions and discount limit,
 * read from the database once and kept until a role is edited (`invalidate`), so an edit takes
 * effect on the very next call.
 */
import type { Db } from '../db/open';
import type { Permission, Role } from '../../shared/permissions';
import { loadRoles, type RoleRecord } from './role-repo';

export interface PermissionMatrix {
  role(code: Role): RoleRecord | undefined;
  roles(): RoleRecord[];
  allows(code: Role, permission: Permission): boolean;
  invalidate(): void;
}

export function createPermissionMatrix(db: Db): PermissionMatrix {
  let cache: Map<string, RoleRecord> | null = null;
  const load = () => {
    cache ??= new Map(loadRoles(db).map((role) => [role.code, role]));
    return cache;
  };
  return {
    role: (code) => load().get(code),
    roles: () => [...load().values()],
    allows: (code, permission) => load().get(code)?.permissions.includes(permission) ?? false,
    invalidate() {
      cache = null;
    },
  };
}
