/**
 * The time on the status bar is the register core's time, not the renderer's: on a kiosk thin
 * client the browser's clock can be minutes off, and receipts are stamped by main. Each status
 * carries `serverTime`; we pin it to the renderer's monotonic clock when it arrives and count
 * forward from there, so a wall-clock jump on this machine cannot move the displayed time.
 *
 * The request's transit time (a local socket, well under a second) is ignored: the bar shows minutes.
 */
export interface ClockSync {
  /** Main's clock, ms since the epoch, as last reported. */
  serverTime: number;
  /** The renderer's monotonic clock (performance.now()) when that report arrived. */
  receivedAt: number;
}

export function syncClock(serverTime: number, monotonicNow: number): ClockSync {
  return { serverTime, receivedAt: monotonicNow };
}

export function serverNow(sync: ClockSync, monotonicNow: number): number {
  return sync.serverTime + (monotonicNow - sync.receivedAt);
}

const clockFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * 24-hour `HH:mm`, as Hong Kong counters show it. The time zone defaults to the machine's, which
 * IT sets to the store's; tests pass one explicitly.
 */
export function formatClock(epochMs: number, timeZone?: string): string {
  const cacheKey = timeZone ?? '';
  let format = clockFormats.get(cacheKey);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone });
    clockFormats.set(cacheKey, format);
  }
  return format.format(epochMs);
}

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

/** `27/11/2026 14:32`: day first and 24-hour, as Hong Kong receipts print it. */
export function formatDateTime(epochMs: number, timeZone?: string): string {
  const cacheKey = timeZone ?? '';
  let format = dateTimeFormats.get(cacheKey);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone });
    dateTimeFormats.set(cacheKey, format);
  }
  const parts = Object.fromEntries(format.formatToParts(epochMs).map((p) => [p.type, p.value]));
  return `${parts.day}/${parts.month}/${parts.year} ${parts.hour}:${parts.minute}`;
}
