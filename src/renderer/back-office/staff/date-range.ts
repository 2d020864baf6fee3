/** Date inputs for the back office's ranges: whole days in the machine's time zone (the store's). */
export const DAY_MS = 86_400_000;

/** `yyyy-mm-dd` for a date input. */
export function dateInput(epochMs: number): string {
  const d = new Date(epochMs);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Local midnight at the start of a `yyyy-mm-dd` day. */
export function startOfDay(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(y ?? 1970, (m ?? 1) - 1, d ?? 1).getTime();
}

/** [start of `from`, end of `to`) in ms, for a channel's `{ from, to }`. */
export function dayRange(from: string, to: string): { from: number; to: number } {
  return { from: startOfDay(from), to: startOfDay(to) + DAY_MS };
}
