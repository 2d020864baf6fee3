/** The back office's date ranges: whole days in the store's time zone, not the browser's. */
import { addDays, startOfStoreDay, storeDate } from '../../../shared/store-time';

/** The store's day `daysAgo` days before the one containing `now`, as `2026-12-02`. */
export function storeDayBefore(now: number, daysAgo: number, timeZone: string): string {
  return addDays(storeDate(now, timeZone), -daysAgo);
}

/** [start of `from`, start of the day after `to`) in ms, for a channel's `{ from, to }`. */
export function dayRange(from: string, to: string, timeZone: string): { from: number; to: number } {
  return { from: startOfStoreDay(from, timeZone), to: startOfStoreDay(addDays(to, 1), timeZone) };
}
