/**
 * 員工 and 工時: the staff list with the roles to choose from, saving and unlocking a staff member,
 * and the timesheet over a date range (reloaded with the list, so a clock change shows at once).
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { PosApi } from '../../../shared/channels';
import type { RoleInfo, StaffInput, StaffRecord, Timesheet } from '../../../shared/staff-schemas';
import { DEFAULT_STORE_TIME_ZONE } from '../../../shared/store-time';
import { dayRange, storeDayBefore } from '../staff/date-range';
import { accepted, newestOnly, type ErrorLineState, type SectionData } from './section-store';

/** A timesheet range as the date inputs hold it: `yyyy-mm-dd`, both days included. */
export interface DayInputs {
  from: string;
  to: string;
}

export interface StaffSectionState extends SectionData, ErrorLineState {
  staff: StaffRecord[];
  roles: RoleInfo[];
  /** The last save went through (the section says 已儲存). */
  saved: boolean;
  sheetDays: DayInputs;
  sheets: Timesheet[];
  save(input: StaffInput): Promise<boolean>;
  unlock(staffId: number): Promise<void>;
  showTimesheet(days: DayInputs): Promise<void>;
}

export function createStaffStore(api: PosApi, options: { now?: () => number; timeZone?: string } = {}): StoreApi<StaffSectionState> {
  const loads = newestOnly();
  const sheetLoads = newestOnly();
  const now = (options.now ?? Date.now)();
  // The store's days, not the browser's: ranges start at the store's midnight.
  const timeZone = options.timeZone ?? DEFAULT_STORE_TIME_ZONE;
  return createStore<StaffSectionState>()((set, get) => ({
    staff: [],
    roles: [],
    saved: false,
    sheetDays: { from: storeDayBefore(now, 6, timeZone), to: storeDayBefore(now, 0, timeZone) },
    sheets: [],
    error: null,

    async load() {
      const current = loads.begin();
      const timesheet = get().showTimesheet(get().sheetDays);
      const [list, roles] = await Promise.all([api['staff:list']({}), api['roles:list']({})]);
      if (current()) {
        if (list.ok) set({ staff: list.value });
        else set({ error: list.error });
        if (roles.ok) set({ roles: roles.value });
      }
      await timesheet;
    },

    async save(input) {
      const done = accepted(await api['staff:save'](input), set);
      set({ saved: done });
      if (done) await get().load();
      return done;
    },

    async unlock(staffId) {
      if (accepted(await api['staff:unlock']({ staffId }), set)) await get().load();
    },

    async showTimesheet(days) {
      const current = sheetLoads.begin();
      set({ sheetDays: days });
      const answer = await api['staff:timesheet'](dayRange(days.from, days.to, timeZone));
      if (current() && answer.ok) set({ sheets: answer.value });
    },
  }));
}
