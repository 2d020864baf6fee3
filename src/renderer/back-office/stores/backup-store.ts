/**
 * 備份及還原: the backups there are, the schedule and retention, the passphrase, a backup now, and
 * a restore (the manager types 還原 to confirm; main checks the word too).
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ChannelRequest, ChannelResponse, PosApi } from '../../../shared/channels';
import { accepted, newestOnly, statusActions, statusLoader, type ErrorLineState, type SectionData } from './section-store';

type BackupStatus = ChannelResponse<'backup:status'>;
type RestoreResult = ChannelResponse<'backup:restore'>;

export interface BackupSectionState extends SectionData, ErrorLineState {
  status: BackupStatus | null;
  busy: boolean;
  restored: RestoreResult | null;
  backupNow(): Promise<boolean>;
  saveSettings(settings: ChannelRequest<'backup:save-settings'>): Promise<boolean>;
  setPassphrase(passphrase: string | null): Promise<boolean>;
  restore(request: ChannelRequest<'backup:restore'>): Promise<boolean>;
}

export function createBackupStore(api: PosApi): StoreApi<BackupSectionState> {
  const reads = newestOnly();
  return createStore<BackupSectionState>()((set) => {
    const run = statusActions<BackupStatus>(set, reads);
    return {
      status: null,
      busy: false,
      restored: null,
      error: null,
      load: statusLoader(set, reads, () => api['backup:status']({})),
      backupNow: () => run(() => api['backup:create']({})),
      saveSettings: (settings) => run(() => api['backup:save-settings'](settings)),
      setPassphrase: (passphrase) => run(() => api['backup:set-passphrase']({ passphrase })),
      async restore(request) {
        set({ busy: true, restored: null });
        try {
          const answer = await api['backup:restore'](request);
          if (!accepted(answer, set)) return false;
          set({ restored: answer.value });
          return true;
        } finally {
          set({ busy: false });
        }
      },
    };
  });
}
