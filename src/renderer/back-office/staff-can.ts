import type { Permission } from '../../shared/permissions';
import type { StaffSummary } from '../../shared/schemas';

/** What the UI shows follows what main allows; main still checks every call itself. */
export function staffCan(staff: StaffSummary | null, permission: Permission): boolean {
  if (!staff) return false;
  return staff.role === 'manager' || permission === 'sale.checkout';
}
