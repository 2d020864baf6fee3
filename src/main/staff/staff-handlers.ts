/** Channel handlers for logging in and out, staff, roles and clock in/out (issue 6a). */
import type { Handlers } from '../api/router';
import { PosError } from '../../shared/errors';
import type { StaffAdmin } from './staff-admin';
import type { StaffService } from './staff-service';

type StaffHandlers = Pick<
  Handlers,
  | 'staff:list-for-login'
  | 'staff:login'
  | 'staff:logout'
  | 'staff:clock'
  | 'staff:list'
  | 'staff:save'
  | 'staff:unlock'
  | 'staff:timesheet'
  | 'roles:list'
  | 'roles:save'
  | 'roles:delete'
>;

export function createStaffHandlers({ staff, staffAdmin }: { staff: StaffService; staffAdmin: StaffAdmin }): StaffHandlers {
  return {
    'staff:list-for-login': () => staff.listForLogin(),
    'staff:login': (req) => staff.login(req.staffId, req.pin),
    'staff:logout': () => {
      staff.logout();
      return null;
    },
    'staff:clock': (req) => staffAdmin.clock(req.staffId, req.pin, req.direction),
    'staff:list': () => staffAdmin.listStaff(),
    'staff:save': (req, ctx) => staffAdmin.saveStaff(ctx.staff, req),
    'staff:unlock': (req, ctx) => staffAdmin.unlock(ctx.staff, req.staffId),
    'staff:timesheet': (req) => {
      if (req.to <= req.from) throw new PosError('BAD_REQUEST', 'The range must end after it starts');
      return staffAdmin.timesheet(req);
    },
    'roles:list': () => staffAdmin.listRoles(),
    'roles:save': (req, ctx) => staffAdmin.saveRole(ctx.staff, req),
    'roles:delete': (req, ctx) => staffAdmin.removeRole(ctx.staff, req.code),
  };
}
