import { describe, expect, it } from 'vitest';
import {
  addDays,
  formatDate,
  formatDateTime,
  formatIsoDate,
  formatLongDate,
  formatTime,
  isTimeZone,
  parseDayFirstDate,
  startOfStoreDay,
  storeDate,
} from '../../../src/shared/store-time';

const HK = 'Asia/Hong_Kong';
// 2 December 2026, 15:30 UTC: already 23:30 in Hong Kong, still 10:30 in New York.
const AT = Date.UTC(2026, 11, 2, 15, 30);

describe('one clock, one date format (issue 10)', () => {
  it('shows the store’s time zone, not the machine’s', () => {
    expect(formatDateTime(AT, HK)).toBe('02/12/2026 23:30');
    expect(formatDateTime(AT, 'America/New_York')).toBe('02/12/2026 10:30');
    expect(formatDateTime(Date.UTC(2026, 11, 2, 16, 5), HK)).toBe('03/12/2026 00:05');
    expect(formatTime(Date.UTC(2026, 11, 2, 1, 7), HK)).toBe('09:07');
    expect(formatDate(AT, HK)).toBe('02/12/2026');
  });

  it('writes dates day first, or 2026年12月2日 in Chinese prose', () => {
    expect(formatIsoDate('2026-12-02')).toBe('02/12/2026');
    expect(formatLongDate('2026-12-02', 'zh-HK')).toBe('2026年12月2日');
    expect(formatLongDate('2026-12-02', 'en')).toBe('2 December 2026');
  });

  it('a store day starts at midnight in the store’s zone', () => {
    expect(storeDate(AT, HK)).toBe('2026-12-02');
    expect(storeDate(Date.UTC(2026, 11, 2, 16, 0), HK)).toBe('2026-12-03');
    expect(startOfStoreDay('2026-12-02', HK)).toBe(Date.UTC(2026, 11, 1, 16, 0));
    expect(startOfStoreDay('2026-12-02', 'UTC')).toBe(Date.UTC(2026, 11, 2));
    // New York changes to summer time at 02:00 on 8 March 2026; midnight is still on winter time (UTC-5).
    expect(startOfStoreDay('2026-03-08', 'America/New_York')).toBe(Date.UTC(2026, 2, 8, 5, 0));
    expect(startOfStoreDay('2026-03-09', 'America/New_York')).toBe(Date.UTC(2026, 2, 9, 4, 0));
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('reads what a person types day first, and refuses impossible dates', () => {
    expect(parseDayFirstDate('2/12/2026')).toBe('2026-12-02');
    expect(parseDayFirstDate(' 02-12-2026 ')).toBe('2026-12-02');
    expect(parseDayFirstDate('31/11/2026')).toBeNull();
    expect(parseDayFirstDate('11/26/2026')).toBeNull();
    expect(parseDayFirstDate('2026-12-02')).toBeNull();
    expect(parseDayFirstDate('02/12/26')).toBeNull();
  });

  it('tells a time zone from a typo', () => {
    expect(isTimeZone('Asia/Hong_Kong')).toBe(true);
    expect(isTimeZone('Hong Kong')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });
});
