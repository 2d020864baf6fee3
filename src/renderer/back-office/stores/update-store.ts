/**
 * 更新 / Updates: the version running, the one the feed offers, where the update is, and the
 * settings IT chooses. Read again every few seconds while the section is open (a download moves).
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ChannelRequest, ChannelResponse, PosApi } from '../../../shared/channels';
import { newestOnly, statusActions, statusLoader, type ErrorLineState, type SectionData } from './section-store';

type UpdateStatus = ChannelResponse<'update:status'>;

export interface UpdateSectionState extends SectionData, ErrorLineState {
  status: UpdateStatus | null;
  busy: boolean;
  checkNow(): Promise<boolean>;
  installWhenSafe(): Promise<boolean>;
  saveSettings(settings: ChannelRequest<'update:save-settings'>): Promise<boolean>;
}

export function createUpdateStore(api: PosApi): StoreApi<UpdateSectionState> {
  const reads = newestOnly();
  return createStore<UpdateSectionState>()((set) => {
    const run = statusActions<UpdateStatus>(set, reads);
    return {
      status: null,
      busy: false,
      error: null,
      load: statusLoader(set, reads, () => api['update:status']({})),
      checkNow: () => run(() => api['update:check']({})),
      installWhenSafe: () => run(() => api['update:install-when-safe']({})),
      saveSettings: (settings) => run(() => api['update:save-settings'](settings)),
    };
  });
}
