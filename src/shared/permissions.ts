/**
 * What a channel may require. `public` needs nobody logged in (the login screen uses these),
 * `session` needs any logged-in staff member, anything else is a named permission that main maps
 * from the staff member's role (src/main/staff/roles.ts).
 */
export const permissions = [
  'sale.checkout',
  'settings.edit',
  // staff, roles and audit (issue 6a)
  'price.override',
  'refund.with-receipt',
  'refund.without-receipt',
  'catalog.quick-add',
  'staff.manage',
  'roles.manage',
  'audit.view',
  // sync with the cloud (issue 5)
  'sync.manage',
  // receipt printer, cash drawer, hardware screen (issue 4)
  'hardware.setup',
  'drawer.no-sale',
  // shifts, end of day and reports (issue 6b)
  'shift.manage',
  'reports.view',
  'day.close',
  // backups, restore, logs and diagnostics (issue 17)
  'backup.manage',
  // stock at the counter (issue 14)
  'stock.view',
  'stock.receive',
  'stock.count',
  'stock.count-post',
  'stock.adjust',
  'stock.transfer',
  // labels (issue 14)
  'labels.print',
  // training mode (issue 17)
  'training.manage',
] as const;
export type Permission = (typeof permissions)[number];
export type ChannelAccess = 'public' | 'session' | Permission;

export function isPermission(name: string): name is Permission {
  return (permissions as readonly string[]).includes(name);
}

/**
 * Roles are rows in the register's database (a manager can add custom ones); these four are built
 * in and cannot be deleted. Their default grants live in src/main/staff/roles.ts.
 */
export const builtInRoles = ['cashier', 'supervisor', 'manager', 'admin'] as const;
export type BuiltInRole = (typeof builtInRoles)[number];
/** A role's code: a built-in one or a custom one (lower-case letters, digits and dashes). */
export type Role = string;
export const ROLE_CODE_PATTERN = /^[a-z][a-z0-9-]{1,31}$/;
