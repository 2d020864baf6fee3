/**
 * Which backups to delete: keep the newest `keepRecent` (48 hourly ones = two days), and the newest
 * of each of the last `keepDays` days in the store's time zone (14 = two weeks). Pure: the folder
 * listing goes in, the names to delete come out.
 */
export interface RetentionPolicy {
  keepRecent: number;
  keepDays: number;
  timeZone: string;
}

export interface RetainedEntry {
  name: string;
  createdAt: number;
}

export function backupsToDelete(entries: readonly RetainedEntry[], policy: RetentionPolicy): string[] {
  const newestFirst = [...entries].sort((a, b) => b.createdAt - a.createdAt || b.name.localeCompare(a.name));
  const keep = new Set(newestFirst.slice(0, policy.keepRecent).map((entry) => entry.name));
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: policy.timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const days = new Set<string>();
  for (const entry of newestFirst) {
    const date = day.format(entry.createdAt);
    if (days.has(date)) continue;
    if (days.size >= policy.keepDays) break;
    days.add(date);
    keep.add(entry.name);
  }
  return newestFirst.filter((entry) => !keep.has(entry.name)).map((entry) => entry.name);
}
