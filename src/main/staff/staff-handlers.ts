/** Channel handlers for staff, roles and clock in/out (issue 6a). */
import type { HandlerContext, Handlers } from '../api/router';
import { PosError } from '../../shared/errors';
import type { StaffSummary } from '../../shared/schemas';
import type { StaffAdmin } from './staff-admin';

type StaffHandlers = Pick<Handlers, 'staff:clock' | 'staff:list' | 'staff:save' | 'staff:unlock' | 'staff:timesheet' | 'roles:list' | 'roles:save' | 'roles:delete'>;

function actor(ctx: HandlerContext): StaffSummary {
  if (!ctx.staff) throw new PosError('NOT_LOGGED_IN', 'Log in first');
  return ctx.staff;
}

export function createStaffHandlers({ staffAdmin }: { staffAdmin: StaffAdmin }): StaffHandlers {
  return {
    'staff:clock': (req) => staffAdmin.clock(req.staffId, req.pin, req.direction),
    'staff:list': () => staffAdmin.listStaff(),
    'staff:save': (req, ctx) => staffAdmin.saveStaff(actor(ctx), req),
    'staff:unlock': (req, ctx) => staffAdmin.unlock(actor(ctx), req.staffId),
    'staff:timesheet': (req) => {
      if (req.to <= req.from) throw new PosError('BAD_REQUEST', 'The range must end after it starts');
      return staffAdmin.timesheet(req);
    },
    'roles:list': () => staffAdmin.listRoles(),
    'roles:save': (req, ctx) => staffAdmin.saveRole(actor(ctx), req),
    'roles:delete': (req, ctx) => staffAdmin.removeRole(actor(ctx), req.code),
  };
}
