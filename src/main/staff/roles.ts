import type { ChannelAccess, Permission, Role } from '../../shared/permissions';

/** The simple role model: cashiers sell, managers also change settings and approve overrides. */
const rolePermissions: Record<Role, ReadonlySet<Permission>> = {
  cashier: new Set(['sale.checkout']),
  manager: new Set(['sale.checkout', 'settings.edit']),
};

export function roleAllows(role: Role, access: ChannelAccess): boolean {
  if (access === 'public' || access === 'session') return true;
  return rolePermissions[role].has(access);
}
