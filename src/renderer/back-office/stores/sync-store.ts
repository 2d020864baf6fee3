/**
 * 雲端同步: what sync is doing (read again every two seconds while the section is open), and the
 * calls that enrol, sync now, acknowledge a quarantine and forget the enrolment.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { PosApi } from '../../../shared/channels';
import type { Result } from '../../../shared/errors';
import type { SyncStatus } from '../../../shared/sync-schemas';
import { accepted, newestOnly, type ErrorLineState, type SectionData } from './section-store';

export const SYNC_POLL_MS = 2_000;

export interface SyncSectionState extends SectionData, ErrorLineState {
  /** Null until the first read answers. */
  status: SyncStatus | null;
  /** An enrolment is on its way to the cloud. */
  enrolling: boolean;
  /** Reads the status every SYNC_POLL_MS until the returned stop is called. */
  watch(): () => void;
  enrol(cloudUrl: string, code: string): Promise<boolean>;
  syncNow(): Promise<boolean>;
  acknowledge(): Promise<boolean>;
  /** A manager dismisses a shared count the cloud refused. */
  dismissCount(documentId: number): Promise<boolean>;
  forget(): Promise<boolean>;
}

export interface SyncStoreOptions {
  /** For tests: the poll timer. */
  setInterval?: (callback: () => void, ms: number) => unknown;
  clearInterval?: (handle: unknown) => void;
}

export function createSyncStore(api: PosApi, options: SyncStoreOptions = {}): StoreApi<SyncSectionState> {
  const reads = newestOnly();
  const every = options.setInterval ?? ((callback: () => void, ms: number) => setInterval(callback, ms));
  const stop = options.clearInterval ?? ((handle: unknown) => clearInterval(handle as ReturnType<typeof setInterval>));

  return createStore<SyncSectionState>()((set, get) => {
    /** An answer to a call: the status it returns, or its refusal on the error line. */
    const take = (answer: Result<SyncStatus>): boolean => {
      if (!accepted(answer, set)) return false;
      reads.begin(); // a poll already under way would show the status from before this call
      set({ status: answer.value });
      return true;
    };
    return {
      status: null,
      enrolling: false,
      error: null,

      async load() {
        const current = reads.begin();
        const answer = await api['sync:status']({});
        if (current() && answer.ok) set({ status: answer.value });
      },

      watch() {
        const handle = every(() => void get().load(), SYNC_POLL_MS);
        return () => stop(handle);
      },

      async enrol(cloudUrl, code) {
        set({ enrolling: true });
        try {
          return take(await api['sync:enrol']({ cloudUrl: cloudUrl.trim(), code: code.trim() }));
        } finally {
          set({ enrolling: false });
        }
      },

      syncNow: async () => take(await api['sync:now']({})),
      acknowledge: async () => take(await api['sync:acknowledge']({})),
      dismissCount: async (documentId) => take(await api['sync:dismiss-count']({ documentId })),
      forget: async () => take(await api['sync:forget']({})),
    };
  });
}
