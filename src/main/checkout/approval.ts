/**
 * Manager override: an action over the staff member's limit needs a manager's PIN, entered in
 * place. A manager at the till approves their own actions. Returns who approved, for the document.
 */
import { PosError } from '../../shared/errors';
import type { Approval } from '../../shared/checkout-schemas';
import type { StaffSummary } from '../../shared/schemas';
import type { StaffService } from '../staff/staff-service';

export async function approverFor(
  staff: StaffService,
  actor: StaffSummary,
  approval: Approval | undefined,
  needed: boolean,
  reason: string,
): Promise<number | null> {
  if (!needed) return null;
  if (actor.role === 'manager') return actor.id;
  if (!approval) throw new PosError('APPROVAL_REQUIRED', `${reason}: a manager must approve`);
  const manager = await staff.verifyManager(approval.staffId, approval.pin);
  return manager.id;
}
