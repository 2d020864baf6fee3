/**
 * 審計紀錄: the audit log and the exceptions report over the filter (days, staff member, event),
 * reloaded as the filter changes; the staff and event lists to filter by; the hash chain check.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { PosApi } from '../../../shared/channels';
import type { StaffSummary } from '../../../shared/schemas';
import type { AuditEntryView, AuditVerification, ExceptionCounts } from '../../../shared/staff-schemas';
import { DEFAULT_STORE_TIME_ZONE } from '../../../shared/store-time';
import { dayRange, storeDayBefore } from '../staff/date-range';
import { accepted, newestOnly, type ErrorLineState, type SectionData } from './section-store';

/** The newest rows shown; older ones are a narrower filter away. */
export const AUDIT_ROWS = 500;

export interface AuditFilterInputs {
  /** `yyyy-mm-dd`, both days included. */
  from: string;
  to: string;
  /** A staff id, or '' for everyone. */
  staffId: string;
  /** An event kind, or '' for every kind. */
  kind: string;
}

export interface AuditState extends SectionData, ErrorLineState {
  filter: AuditFilterInputs;
  staff: StaffSummary[];
  kinds: string[];
  rows: AuditEntryView[];
  exceptions: ExceptionCounts[];
  verification: AuditVerification | null;
  /** Changes the filter and reloads the log and the exceptions for it. */
  setFilter(patch: Partial<AuditFilterInputs>): Promise<void>;
  verify(): Promise<void>;
}

export function createAuditStore(api: PosApi, options: { now?: () => number; timeZone?: string } = {}): StoreApi<AuditState> {
  const logLoads = newestOnly();
  const now = (options.now ?? Date.now)();
  // The store's days, not the browser's: ranges start at the store's midnight.
  const timeZone = options.timeZone ?? DEFAULT_STORE_TIME_ZONE;

  return createStore<AuditState>()((set, get) => {
    const loadLog = async () => {
      const current = logLoads.begin();
      const { from, to, staffId, kind } = get().filter;
      const range = dayRange(from, to, timeZone);
      const [list, report] = await Promise.all([
        api['audit:list']({
          ...range,
          ...(staffId ? { staffId: Number(staffId) } : {}),
          ...(kind ? { kinds: [kind] } : {}),
          limit: AUDIT_ROWS,
        }),
        api['audit:exceptions'](range),
      ]);
      if (!current()) return;
      if (list.ok) set({ rows: list.value });
      if (report.ok) set({ exceptions: report.value });
      set({ error: !list.ok ? list.error : !report.ok ? report.error : null });
    };

    return {
      filter: { from: storeDayBefore(now, 6, timeZone), to: storeDayBefore(now, 0, timeZone), staffId: '', kind: '' },
      staff: [],
      kinds: [],
      rows: [],
      exceptions: [],
      verification: null,
      error: null,

      async load() {
        const lists = Promise.all([api['staff:list-for-login']({}), api['audit:kinds']({})]).then(([staff, kinds]) => {
          if (staff.ok) set({ staff: staff.value });
          if (kinds.ok) set({ kinds: kinds.value });
        });
        await Promise.all([lists, loadLog()]);
      },

      async setFilter(patch) {
        set((s) => ({ filter: { ...s.filter, ...patch } }));
        await loadLog();
      },

      async verify() {
        const answer = await api['audit:verify']({});
        if (accepted(answer, set)) set({ verification: answer.value });
      },
    };
  });
}
