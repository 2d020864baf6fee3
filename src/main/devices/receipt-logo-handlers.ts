/** Channels for the receipt logo on the hardware screen; a change is audited with the write. */
import type { Handlers } from '../api/router';
import type { AuditLog } from '../audit/audit-log';
import type { Db } from '../db/open';
import { receiptLogoInfo, saveReceiptLogo } from './receipt-logo';

export function createReceiptLogoHandlers({
  db,
  audit,
}: {
  db: Db;
  audit: AuditLog;
}): Pick<Handlers, 'hardware:logo' | 'hardware:set-logo'> {
  return {
    'hardware:logo': () => receiptLogoInfo(db),
    'hardware:set-logo': (req, ctx) => {
      const staffId = ctx.staff.id;
      return db.transaction(() => {
        const before = receiptLogoInfo(db);
        const after = saveReceiptLogo(db, req.pbm);
        audit.append({ kind: 'hardware.changed', staffId, subject: 'receipt-logo', detail: { before, after } });
        return after;
      })();
    },
  };
}
