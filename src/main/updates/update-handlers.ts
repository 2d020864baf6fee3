/** The update channels (issue 17): the back office's 更新 panel. */
import type { Handlers } from '../api/router';
import type { AuditLog } from '../audit/audit-log';
import type { UpdateService } from './update-service';

type UpdateChannels = 'update:status' | 'update:check' | 'update:install-when-safe' | 'update:save-settings';

export function createUpdateHandlers({ updates, audit }: { updates: UpdateService; audit: AuditLog }): Pick<Handlers, UpdateChannels> {
  return {
    'update:status': () => updates.status(),
    // Waits for the feed (bounded by its timeout); a download goes on in the background.
    'update:check': async () => {
      await updates.checkNow();
      return updates.status();
    },
    'update:install-when-safe': (_req, ctx) => {
      updates.requestInstall();
      audit.append({ kind: 'update.requested', staffId: ctx.staff.id, subject: updates.status().availableVersion });
      return updates.status();
    },
    'update:save-settings': (req, ctx) => {
      const before = updates.settings();
      updates.saveSettings(req);
      audit.append({ kind: 'settings.changed', staffId: ctx.staff.id, subject: 'updates', detail: { before, after: req } });
      return updates.status();
    },
  };
}
