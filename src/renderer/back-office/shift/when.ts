/** Dates and times as the counter writes them: 27/11/2026 14:05, Hong Kong time, 24-hour. */
const formatter = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Hong_Kong', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false });

export function hkDateTime(ms: number): string {
  return formatter.format(new Date(ms)).replace(',', '');
}

/** Today's date in Hong Kong as YYYY-MM-DD. */
export function hkToday(now: number): string {
  return new Date(now + 8 * 3_600_000).toISOString().slice(0, 10);
}
