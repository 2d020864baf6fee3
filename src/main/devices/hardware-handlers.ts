/**
 * Channel handlers for the receipt printer and cash drawer (issue 4a): the hardware screen
 * (configuration, test print, drawer, live status), the cashier's print queue and No Sale, and the
 * receipt preview. Configuration changes and No Sale are audited in the same transaction.
 */
import type { Handlers } from '../api/router';
import type { AuditLog } from '../audit/audit-log';
import type { Db } from '../db/open';
import type { StaffService } from '../staff/staff-service';
import { PosError } from '../../shared/errors';
import { approverFor } from '../checkout/approval';
import type { DeviceManager } from './device-manager';

export interface HardwareHandlerDeps {
  db: Db;
  audit: AuditLog;
  staff: StaffService;
  devices: DeviceManager;
  /** Counts a reprint on the sale (the copy's 副本 mark and reprint count). */
  countReprint: (receiptNo: string) => void;
}

type HardwareChannels =
  | 'hardware:config'
  | 'hardware:set-printer'
  | 'hardware:set-drawer-rule'
  | 'hardware:status'
  | 'hardware:test-print'
  | 'hardware:open-drawer'
  | 'print:jobs'
  | 'print:resolve'
  | 'print:preview'
  | 'drawer:no-sale';

export function createHardwareHandlers({ db, audit, staff, devices, countReprint }: HardwareHandlerDeps): Pick<Handlers, HardwareChannels> {
  return {
    'hardware:config': () => devices.config(),
    'hardware:set-printer': async (req, ctx) => {
      const who = ctx.staff;
      const printer = req.printer ? await devices.validatePrinter(req.printer) : null;
      const before = devices.config().printer;
      db.transaction(() => {
        devices.savePrinter(printer);
        audit.append({ kind: 'hardware.changed', staffId: who.id, subject: 'receipt-printer', detail: { before, after: printer } });
      })();
      await devices.reload();
      return devices.config();
    },
    'hardware:set-drawer-rule': (req, ctx) => {
      const who = ctx.staff;
      const before = devices.config().drawerRule;
      db.transaction(() => {
        devices.saveDrawerRule(req.rule);
        audit.append({ kind: 'hardware.changed', staffId: who.id, subject: 'drawer-rule', detail: { before, after: req.rule } });
      })();
      return devices.config();
    },
    'hardware:status': (req) => devices.readStatus(req),
    'hardware:test-print': (req) => devices.testPrint(req),
    'hardware:open-drawer': (req) => devices.openDrawerNow(req),
    'print:jobs': () => devices.jobs(),
    'print:resolve': (req) => {
      devices.resolveJob(req.jobId, req.action, countReprint);
      return devices.jobs();
    },
    'print:preview': (req) => devices.preview(req.receiptNo),
    'drawer:no-sale': async (req, ctx) => {
      const who = ctx.staff;
      if (devices.printerState().state === 'not-configured')
        throw new PosError(
          'DEVICE_FAILED',
          'No receipt printer is configured, so the drawer cannot be opened: set one up on the hardware screen',
        );
      const approverId = await approverFor(staff, who, req.approval, { permission: 'drawer.no-sale' }, 'Opening the drawer without a sale');
      db.transaction(() => {
        audit.append({
          kind: 'drawer.no-sale',
          staffId: who.id,
          approverId: approverId === who.id ? null : approverId,
          detail: { reason: req.reason },
        });
      })();
      devices.counterDevices.openDrawer('no-sale');
      return null;
    },
  };
}
