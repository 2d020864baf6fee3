/**
 * What each built-in role may do on a new register (or when a permission first appears in a newer
 * version). After that the matrix lives in the database (role_permission) and a manager edits it in
 * the back office; src/main/staff/permission-matrix.ts reads it. Admin always starts with every
 * permission. To add a permission: name it in src/shared/permissions.ts and give it one line here.
 */
import type { BuiltInRole, Permission } from '../../shared/permissions';

type GrantedTo = readonly Exclude<BuiltInRole, 'admin'>[];

const everyone: GrantedTo = ['cashier', 'supervisor', 'manager'];
const supervisorUp: GrantedTo = ['supervisor', 'manager'];
const managerUp: GrantedTo = ['manager'];

export const defaultGrants: Record<Permission, GrantedTo> = {
  'sale.checkout': everyone,
  'refund.with-receipt': everyone,
  'price.override': supervisorUp,
  'refund.without-receipt': managerUp,
  'catalog.quick-add': managerUp,
  'settings.edit': managerUp,
  'staff.manage': managerUp,
  'roles.manage': managerUp,
  'audit.view': managerUp,
  'sync.manage': managerUp,
  'hardware.setup': managerUp,
  'drawer.no-sale': everyone,
  'shift.manage': everyone,
  'reports.view': supervisorUp,
  'day.close': managerUp,
  'backup.manage': managerUp,
  'stock.view': everyone,
  'stock.receive': supervisorUp,
  'stock.count': everyone,
  'stock.count-post': managerUp,
  'stock.adjust': supervisorUp,
  'stock.transfer': supervisorUp,
  'labels.print': everyone,
  'training.manage': managerUp,
};

export function grantedByDefault(role: BuiltInRole, permission: Permission): boolean {
  return role === 'admin' || defaultGrants[permission].includes(role);
}
