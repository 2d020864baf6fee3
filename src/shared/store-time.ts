/**
 * One clock, one date format: every time the register shows or prints is in the store's time zone
 * (setting `store.timeZone`, default Asia/Hong_Kong), never the PC's or the browser's, and written
 * the Hong Kong way: `02/12/2026 14:32` (day first, 24-hour), or `2026年12月2日` in Chinese prose.
 * Used by the renderer (status bar, dialogs, back office) and by main (receipts, X/Z).
 */
import { z } from 'zod';

export const DEFAULT_STORE_TIME_ZONE = 'Asia/Hong_Kong';

export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: name });
    return name.length > 0;
  } catch {
    return false;
  }
}

export const TimeZone = z.string().min(1).max(64).refine(isTimeZone, 'an IANA time zone such as Asia/Hong_Kong');

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** The wall clock in `timeZone` at `epochMs`. */
export function wallClock(epochMs: number, timeZone: string): WallClock {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      hourCycle: 'h23',
    });
    formats.set(timeZone, format);
  }
  const parts: Record<string, number> = {};
  for (const part of format.formatToParts(epochMs)) if (part.type !== 'literal') parts[part.type] = Number(part.value);
  return {
    year: parts.year ?? 1970,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `14:32` */
export function formatTime(epochMs: number, timeZone: string): string {
  const w = wallClock(epochMs, timeZone);
  return `${pad(w.hour)}:${pad(w.minute)}`;
}

/** `02/12/2026` */
export function formatDate(epochMs: number, timeZone: string): string {
  const w = wallClock(epochMs, timeZone);
  return `${pad(w.day)}/${pad(w.month)}/${w.year}`;
}

/** `02/12/2026 14:32` */
export function formatDateTime(epochMs: number, timeZone: string): string {
  return `${formatDate(epochMs, timeZone)} ${formatTime(epochMs, timeZone)}`;
}

/** `2026年12月2日` in Chinese, `2 December 2026` in English: a date in a sentence or a heading. */
export function formatLongDate(isoDate: string, locale: string): string {
  const { year, month, day } = parseIsoDate(isoDate);
  if (locale.startsWith('zh')) return `${year}年${month}月${day}日`;
  const monthName = new Intl.DateTimeFormat('en-GB', { month: 'long', timeZone: 'UTC' }).format(Date.UTC(year, month - 1, 1));
  return `${day} ${monthName} ${year}`;
}

/** The store's calendar day at `epochMs`, as `2026-12-02` (the wire and storage form of a date). */
export function storeDate(epochMs: number, timeZone: string): string {
  const w = wallClock(epochMs, timeZone);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}`;
}

function parseIsoDate(isoDate: string): { year: number; month: number; day: number } {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!match) throw new RangeError(`Not a yyyy-mm-dd date: ${isoDate}`);
  return { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
}

/** `2026-12-02` as people write it: `02/12/2026`. */
export function formatIsoDate(isoDate: string): string {
  const { year, month, day } = parseIsoDate(isoDate);
  return `${pad(day)}/${pad(month)}/${year}`;
}

/**
 * What a person typed as a date, day first (`2/12/2026`, `02-12-2026`, `2.12.2026`), as `2026-12-02`;
 * null when it is not a real calendar date.
 */
export function parseDayFirstDate(text: string): string | null {
  const match = /^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$/.exec(text);
  if (!match) return null;
  const [day, month, year] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return null;
  return `${year}-${pad(month)}-${pad(day)}`;
}

/** The instant the store's day `2026-12-02` begins (midnight in `timeZone`), ms since the epoch. */
export function startOfStoreDay(isoDate: string, timeZone: string): number {
  const { year, month, day } = parseIsoDate(isoDate);
  const asUtc = Date.UTC(year, month - 1, day);
  // The zone's offset at that moment, found by reading the wall clock back; twice, so a day that
  // starts next to a daylight-saving change lands on the offset in force at midnight itself.
  let guess = asUtc;
  for (let i = 0; i < 2; i++) {
    const w = wallClock(guess, timeZone);
    const offset = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - guess;
    guess = asUtc - offset;
  }
  return guess;
}

/** `2026-12-02` moved by `days` (negative goes back). */
export function addDays(isoDate: string, days: number): string {
  const { year, month, day } = parseIsoDate(isoDate);
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}
