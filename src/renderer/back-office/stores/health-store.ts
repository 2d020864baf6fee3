/**
 * 健康狀態 / Health: the register's health report, read again while the panel is visible, and the
 * diagnostics bundle made on demand (where main saved it, and its bytes for the browser).
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ChannelResponse, PosApi } from '../../../shared/channels';
import { accepted, newestOnly, type ErrorLineState, type SectionData } from './section-store';

type HealthReport = ChannelResponse<'health:status'>;
type DiagnosticsBundle = ChannelResponse<'diagnostics:bundle'>;

export interface HealthSectionState extends SectionData, ErrorLineState {
  report: HealthReport | null;
  bundle: DiagnosticsBundle | null;
  /** A bundle is being made (an integrity check and the log tail: seconds on a large database). */
  making: boolean;
  makeBundle(): Promise<boolean>;
}

export function createHealthStore(api: PosApi): StoreApi<HealthSectionState> {
  const reads = newestOnly();
  return createStore<HealthSectionState>()((set, get) => ({
    report: null,
    bundle: null,
    making: false,
    error: null,
    async load() {
      const current = reads.begin();
      const answer = await api['health:status']({});
      if (current() && accepted(answer, set)) set({ report: answer.value });
    },
    async makeBundle() {
      if (get().making) return false;
      set({ making: true, bundle: null });
      try {
        const answer = await api['diagnostics:bundle']({});
        if (!accepted(answer, set)) return false;
        set({ bundle: answer.value });
        return true;
      } finally {
        set({ making: false });
      }
    },
  }));
}
