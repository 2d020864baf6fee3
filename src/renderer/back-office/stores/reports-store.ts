/**
 * 報表: the sales report for the filter last run (the last seven days at first). The filter being
 * edited stays in the form until it is run.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { PosApi } from '../../../shared/channels';
import type { SalesReport, SalesReportRequest } from '../../../shared/shift-schemas';
import { DEFAULT_STORE_TIME_ZONE } from '../../../shared/store-time';
import { storeDayBefore } from '../staff/date-range';
import { accepted, newestOnly, type ErrorLineState, type SectionData } from './section-store';

/** The last seven days, today included (the store's dates; report days are Hong Kong days in main). */
export function lastSevenDays(now: number, timeZone = DEFAULT_STORE_TIME_ZONE): SalesReportRequest {
  return { from: storeDayBefore(now, 6, timeZone), to: storeDayBefore(now, 0, timeZone) };
}

export interface ReportsState extends SectionData, ErrorLineState {
  /** The filter of the report asked for last. */
  asked: SalesReportRequest;
  report: SalesReport | null;
  /** Runs the report for `filter`. */
  run(filter: SalesReportRequest): Promise<void>;
}

export function createReportsStore(api: PosApi, options: { now?: () => number } = {}): StoreApi<ReportsState> {
  const runs = newestOnly();
  return createStore<ReportsState>()((set, get) => ({
    asked: lastSevenDays((options.now ?? Date.now)()),
    report: null,
    error: null,

    load: () => get().run(get().asked),

    async run(filter) {
      const current = runs.begin();
      set({ asked: { ...filter } });
      const answer = await api['report:sales'](filter);
      if (current() && accepted(answer, set)) set({ report: answer.value });
    },
  }));
}
