/**
 * 日結 / Z 報表: the business day's status (with what is not yet synced), the past Zs, the Z shown
 * (just taken, or opened or reprinted from the list), and the calls that close the day and reprint.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { PosApi } from '../../../shared/channels';
import type { DayStatus, ZReport, ZSummary } from '../../../shared/shift-schemas';
import { accepted, newestOnly, type ErrorLineState, type SectionData } from './section-store';

/** What the section says after a success (translated by the section). */
export type DayCloseNotice = { kind: 'closed'; zNo: number } | { kind: 'printed' };

export interface DayCloseState extends SectionData, ErrorLineState {
  /** Null until the first load answers. */
  status: DayStatus | null;
  /** Sales the cloud has not acknowledged yet (the outbox count when sync cannot say). */
  unsynced: number;
  past: ZSummary[];
  shown: ZReport | null;
  notice: DayCloseNotice | null;
  closeDay(): Promise<void>;
  /** Shows a past Z, or prints it again as a copy (`reprint`). */
  openZ(zNo: number, reprint: boolean): Promise<void>;
}

export function createDayCloseStore(api: PosApi): StoreApi<DayCloseState> {
  const loads = newestOnly();
  return createStore<DayCloseState>()((set, get) => ({
    status: null,
    unsynced: 0,
    past: [],
    shown: null,
    notice: null,
    error: null,

    async load() {
      const current = loads.begin();
      const [status, list, sync] = await Promise.all([api['day:status']({}), api['day:list-z']({}), api['sync:status']({})]);
      if (!current()) return;
      // sync:status knows what the cloud has acknowledged; the outbox count stands in without it
      if (status.ok) set({ status: status.value, unsynced: sync.ok ? sync.value.pendingSales : status.value.unsyncedSales });
      else set({ error: status.error });
      if (list.ok) set({ past: list.value });
    },

    async closeDay() {
      const answer = await api['day:close']({});
      if (accepted(answer, set)) set({ shown: answer.value, notice: { kind: 'closed', zNo: answer.value.totals.zNo ?? 0 } });
      await get().load();
    },

    async openZ(zNo, reprint) {
      const answer = reprint ? await api['day:reprint-z']({ zNo }) : await api['day:z']({ zNo });
      if (accepted(answer, set)) set({ shown: answer.value, ...(reprint ? { notice: { kind: 'printed' as const } } : {}) });
      if (reprint) await get().load();
    },
  }));
}
