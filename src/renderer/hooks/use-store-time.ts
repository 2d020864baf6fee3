import { useMemo } from 'react';
import { DEFAULT_STORE_TIME_ZONE, formatDate, formatDateTime, formatTime } from '../../shared/store-time';
import { useRegister } from '../stores/stores-context';

export interface StoreTime {
  timeZone: string;
  /** `14:32` */
  time(epochMs: number): string;
  /** `02/12/2026` */
  date(epochMs: number): string;
  /** `02/12/2026 14:32` */
  dateTime(epochMs: number): string;
}

/** Times as the store reads them: in its time zone (from the register's status), never the browser's. */
export function useStoreTime(): StoreTime {
  const timeZone = useRegister((s) => s.status?.timeZone ?? DEFAULT_STORE_TIME_ZONE);
  return useMemo(
    () => ({
      timeZone,
      time: (ms: number) => formatTime(ms, timeZone),
      date: (ms: number) => formatDate(ms, timeZone),
      dateTime: (ms: number) => formatDateTime(ms, timeZone),
    }),
    [timeZone],
  );
}
