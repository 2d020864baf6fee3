import type { Db } from '../db/open';
import { DEFAULT_STORE_TIME_ZONE, TimeZone } from '../../shared/store-time';
import { readSetting, writeSetting } from './settings-repo';

/** Setting `store.timeZone`: the IANA zone every shown or printed time uses (`--time-zone` on the hosts). */
export const STORE_TIME_ZONE_KEY = 'store.timeZone';

export function readStoreTimeZone(db: Db): string {
  return readSetting(db, STORE_TIME_ZONE_KEY, TimeZone, DEFAULT_STORE_TIME_ZONE);
}

/** Throws a plain message naming the zone when it is not one Intl knows. */
export function writeStoreTimeZone(db: Db, timeZone: string): void {
  if (!TimeZone.safeParse(timeZone).success)
    throw new Error(`--time-zone must be an IANA time zone such as Asia/Hong_Kong, not "${timeZone}"`);
  writeSetting(db, STORE_TIME_ZONE_KEY, timeZone);
}
