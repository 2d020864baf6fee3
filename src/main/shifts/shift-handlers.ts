/** Channel handlers for shifts, the X and Z reports and the reports screen (issue 6b). */
import type { Handlers, HandlerContext } from '../api/router';
import type { Db } from '../db/open';
import { PosError } from '../../shared/errors';
import type { StaffSummary } from '../../shared/schemas';
import type { ShiftService } from './shift-service';
import type { DayService } from './day-service';
import { salesReport } from '../reports/sales-report';

type ShiftChannel =
  | 'shift:state'
  | 'shift:open'
  | 'shift:cash-movement'
  | 'shift:count'
  | 'shift:counted'
  | 'shift:close'
  | 'report:x'
  | 'report:print-x'
  | 'report:sales'
  | 'day:status'
  | 'day:close'
  | 'day:list-z'
  | 'day:z'
  | 'day:reprint-z';

function actor(ctx: HandlerContext): StaffSummary {
  if (!ctx.staff) throw new PosError('NOT_LOGGED_IN', 'Log in first');
  return ctx.staff;
}

export function createShiftHandlers({ db, shifts, days }: { db: Db; shifts: ShiftService; days: DayService }): Pick<Handlers, ShiftChannel> {
  return {
    'shift:state': () => shifts.state(),
    'shift:open': (req, ctx) => shifts.open(actor(ctx), req.float),
    'shift:cash-movement': (req, ctx) => shifts.moveCash(actor(ctx), req.kind, req.amount, req.reason),
    'shift:count': (req, ctx) => shifts.count(actor(ctx), req.counted),
    'shift:counted': () => shifts.counted(),
    'shift:close': (req, ctx) => shifts.close(actor(ctx), req.reason, req.approval),
    'report:x': () => days.x(),
    'report:print-x': () => ({ jobId: days.printX() }),
    'report:sales': (req) => salesReport(db, req),
    'day:status': () => days.status(),
    'day:close': (_req, ctx) => days.close(actor(ctx)),
    'day:list-z': () => days.list(),
    'day:z': (req) => days.get(req.zNo),
    'day:reprint-z': (req) => days.reprint(req.zNo),
  };
}
