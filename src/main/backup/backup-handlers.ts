/** The backup channels (issue 17): managers see, make and schedule backups, and restore one. */
import { join } from 'node:path';
import { PosError } from '../../shared/errors';
import { RESTORE_CONFIRM_WORDS } from '../../shared/backup-schemas';
import type { ChannelResponse } from '../../shared/channels';
import type { Handlers } from '../api/router';
import type { AuditLog } from '../audit/audit-log';
import type { BackupService } from './backup-service';
import { listBackups, type BackupInfo } from './backup-files';
import type { RestoreSummary } from './restore';

type BackupChannels = 'backup:status' | 'backup:create' | 'backup:save-settings' | 'backup:set-passphrase' | 'backup:restore';

export interface RestoreHook {
  /** Closes the register, restores the file into its folder and starts it again (register.ts). */
  (request: { file: string; passphrase: string | null; staffId: number }): Promise<RestoreSummary>;
}

const view = (info: BackupInfo, where: 'local' | 'second') => ({
  name: info.name,
  where,
  createdAt: info.manifest.createdAt,
  kind: info.manifest.kind,
  bytes: info.bytes,
  encrypted: info.manifest.encryption !== null,
  appVersion: info.manifest.appVersion,
  schemaVersion: info.manifest.schemaVersion,
  lastReceiptNo: info.manifest.lastReceiptNo,
  unsynced: info.manifest.unsynced,
});

export function createBackupHandlers({
  backups,
  audit,
  restore,
}: {
  backups: BackupService;
  audit: AuditLog;
  restore: RestoreHook;
}): Pick<Handlers, BackupChannels> {
  async function status(): Promise<ChannelResponse<'backup:status'>> {
    const state = backups.state();
    const local = (await backups.list()).map((info) => view(info, 'local'));
    const second = state.settings.secondFolder ? (await listBackups(state.settings.secondFolder)).map((info) => view(info, 'second')) : [];
    return {
      running: state.running,
      lastBackupAt: state.lastBackup?.manifest.createdAt ?? null,
      lastError: state.lastError,
      keySet: state.keySet,
      folder: state.folder,
      settings: state.settings,
      backups: [...local, ...second].sort((a, b) => b.createdAt - a.createdAt),
    };
  }

  return {
    'backup:status': () => status(),
    'backup:create': async (_req, ctx) => {
      const run = await backups.backupNow('manual');
      audit.append({
        kind: 'backup.created',
        staffId: ctx.staff.id,
        subject: run.info.name,
        detail: { encrypted: run.info.manifest.encryption !== null, secondCopy: run.secondCopy },
      });
      return status();
    },
    'backup:save-settings': (req, ctx) => {
      const before = backups.settings();
      backups.saveSettings(req);
      audit.append({ kind: 'settings.changed', staffId: ctx.staff.id, subject: 'backup', detail: { before, after: req } });
      return status();
    },
    'backup:set-passphrase': async (req, ctx) => {
      await backups.setPassphrase(req.passphrase);
      // Never the passphrase itself: only that it was set or removed.
      audit.append({
        kind: 'settings.changed',
        staffId: ctx.staff.id,
        subject: 'backup-passphrase',
        detail: { action: req.passphrase === null ? 'removed' : 'set' },
      });
      return status();
    },
    'backup:restore': async (req, ctx) => {
      if (!(RESTORE_CONFIRM_WORDS as readonly string[]).includes(req.confirm.trim()))
        throw new PosError('RESTORE_REFUSED', `Type ${RESTORE_CONFIRM_WORDS.join(' or ')} to confirm the restore`);
      // Claimed before the first await: a backup asked for meanwhile (by hand or on schedule) would
      // write to the database the restore closes.
      const release = backups.claimForRestore();
      let summary: RestoreSummary;
      try {
        const state = backups.state();
        const folder = req.where === 'local' ? state.folder : state.settings.secondFolder;
        if (folder === null) throw new PosError('NOT_FOUND', 'No second backup folder is set');
        // Only a backup the list offers: the name is checked by the schema, the file must be listed.
        const listed = (req.where === 'local' ? await backups.list() : await listBackups(folder)).find((info) => info.name === req.name);
        if (!listed) throw new PosError('NOT_FOUND', `No backup named ${req.name}`);
        summary = await restore({ file: join(folder, listed.name), passphrase: req.passphrase ?? null, staffId: ctx.staff.id });
      } finally {
        release();
      }
      return {
        backup: summary.backup,
        backupCreatedAt: summary.backupCreatedAt,
        lastReceiptNo: summary.lastReceiptNo,
        receiptFloor: summary.floors.receiptSeq,
        outboxFloor: summary.floors.outboxAckedSeq,
        replacedUnsynced: summary.replacedUnsynced,
        safetyCopy: summary.safetyCopy,
      };
    },
  };
}
