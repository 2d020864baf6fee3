/** Channels of labels (issue 14): the queue and printing, and the label printer on the hardware screen (audited). */
import type { Handlers } from '../api/router';
import type { AuditLog } from '../audit/audit-log';
import type { Db } from '../db/open';
import type { LabelService } from './label-service';

type LabelChannels = `labels:${string}` | 'hardware:label-printer' | 'hardware:set-label-printer' | 'hardware:test-label';

export function createLabelHandlers({
  db,
  audit,
  labels,
}: {
  db: Db;
  audit: AuditLog;
  labels: LabelService;
}): Pick<Handlers, Extract<keyof Handlers, LabelChannels>> {
  return {
    'labels:queue': () => labels.queue(),
    'labels:add': (req) => labels.add(req.code, req.kind, req.quantity),
    'labels:set-quantity': (req) => labels.setQuantity(req.id, req.quantity),
    'labels:remove': (req) => labels.remove(req.ids),
    'labels:preview': (req) => labels.preview(req.productId, req.kind),
    'labels:print': (req) => labels.print(req.ids),
    'hardware:label-printer': () => labels.setup(),
    'hardware:set-label-printer': (req, ctx) => {
      const after = labels.validate(req.printer);
      const before = labels.setup().printer;
      db.transaction(() => {
        labels.savePrinter(after);
        audit.append({ kind: 'hardware.changed', staffId: ctx.staff.id, subject: 'label-printer', detail: { before, after } });
      })();
      return labels.setup();
    },
    'hardware:test-label': () => labels.testPrint(),
  };
}
