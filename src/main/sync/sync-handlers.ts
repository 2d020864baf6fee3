/** The sync channels (issue 5): status for any logged-in staff member; the rest need sync.manage. */
import { PosError } from '../../shared/errors';
import type { Handlers } from '../api/router';
import type { AuditLog } from '../audit/audit-log';
import type { Db } from '../db/open';
import { acknowledgeQuarantine, enrolRegister, forgetEnrolment } from './enrolment';
import type { SyncController } from './sync-controller';
import { dismissCountRefusal } from '../stock/count-refusals';

export interface SyncHandlerDeps {
  db: Db;
  audit: AuditLog;
  sync: SyncController;
}

type SyncChannels = 'sync:status' | 'sync:enrol' | 'sync:now' | 'sync:forget' | 'sync:acknowledge' | 'sync:dismiss-count';

export function createSyncHandlers({ db, audit, sync }: SyncHandlerDeps): Pick<Handlers, SyncChannels> {
  return {
    'sync:status': () => sync.status(),
    'sync:enrol': async (req, ctx) => {
      await enrolRegister({ db, vault: sync.vault, audit, clock: sync.clock, lock: sync.enrolmentLock }, ctx.staff, req);
      await sync.restart();
      sync.now();
      sync.changed();
      return sync.status();
    },
    'sync:now': () => {
      if (sync.status().enrolment === null) throw new PosError('NOT_FOUND', 'This register is not enrolled');
      sync.now();
      return sync.status();
    },
    'sync:forget': async (_req, ctx) => {
      forgetEnrolment({ db, vault: sync.vault, audit }, ctx.staff);
      await sync.restart();
      sync.changed();
      return sync.status();
    },
    'sync:acknowledge': () => {
      acknowledgeQuarantine(db, sync.clock.now());
      sync.changed();
      return sync.status();
    },
    'sync:dismiss-count': (req, ctx) => {
      const dismissed = dismissCountRefusal(db, req.documentId, ctx.staff.id, sync.clock.now());
      if (dismissed) {
        audit.append({
          kind: 'stock.count-refusal-dismissed',
          staffId: ctx.staff.id,
          subject: dismissed.docNo,
          detail: { code: dismissed.code },
        });
        sync.changed();
      }
      return sync.status();
    },
  };
}
