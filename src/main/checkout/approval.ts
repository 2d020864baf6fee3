/**
 * Manager override: an action the staff member's role may not do needs the PIN of someone whose
 * role may, entered in place. A staff member whose role allows the action approves it themselves.
 * Returns who approved, for the document and the audit row (which the caller writes in the same
 * transaction as the action, with both people).
 */
import { PosError } from '../../shared/errors';
import type { Approval } from '../../shared/checkout-schemas';
import type { Permission } from '../../shared/permissions';
import type { StaffSummary } from '../../shared/schemas';
import type { StaffService } from '../staff/staff-service';

/** What the action needs: a permission, or a manual discount of this many basis points. */
export type ApprovalNeed = { permission: Permission } | { discountBasisPoints: number };

function allows(staff: StaffService, who: StaffSummary, need: ApprovalNeed): boolean {
  return 'permission' in need ? staff.can(who, need.permission) : who.discountLimitBasisPoints >= need.discountBasisPoints;
}

export async function approverFor(
  staff: StaffService,
  actor: StaffSummary,
  approval: Approval | undefined,
  need: ApprovalNeed | null,
  reason: string,
): Promise<number | null> {
  if (!need) return null;
  if (allows(staff, actor, need)) return actor.id;
  if (!approval) throw new PosError('APPROVAL_REQUIRED', `${reason}: a manager must approve`);
  const approver = await staff.verifyApprover(
    actor,
    approval.staffId,
    approval.pin,
    (who) => allows(staff, who, need),
    reason.toLowerCase(),
  );
  return approver.id;
}
