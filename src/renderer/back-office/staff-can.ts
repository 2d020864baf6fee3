/**
 * What the UI shows follows what main allows: the logged-in staff member's permissions come from
 * main's permission matrix (and refresh with every status event). Main still checks every call.
 */
import type { Permission } from '../../shared/permissions';
import type { StaffSummary } from '../../shared/schemas';

export function staffCan(staff: StaffSummary | null, permission: Permission): boolean {
  return staff?.permissions.includes(permission) ?? false;
}
