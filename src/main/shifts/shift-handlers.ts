/** Channel handlers for shifts, the X and Z reports and the reports screen (issue 6b). */
import type { Handlers } from '../api/router';
import type { Db } from '../db/open';
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

export function createShiftHandlers({
  db,
  shifts,
  days,
}: {
  db: Db;
  shifts: ShiftService;
  days: DayService;
}): Pick<Handlers, ShiftChannel> {
  return {
    'shift:state': () => shifts.state(),
    'shift:open': (req, ctx) => shifts.open(ctx.staff, req.float),
    'shift:cash-movement': (req, ctx) => shifts.moveCash(ctx.staff, req.kind, req.amount, req.reason),
    'shift:count': (req, ctx) => shifts.count(ctx.staff, req.counted),
    'shift:counted': () => shifts.counted(),
    'shift:close': (req, ctx) => shifts.close(ctx.staff, req.reason, req.approval),
    'report:x': () => days.x(),
    'report:print-x': () => ({ jobId: days.printX() }),
    'report:sales': (req) => salesReport(db, req),
    'day:status': () => days.status(),
    'day:close': (_req, ctx) => days.close(ctx.staff),
    'day:list-z': () => days.list(),
    'day:z': (req) => days.get(req.zNo),
    'day:reprint-z': (req) => days.reprint(req.zNo),
  };
}
