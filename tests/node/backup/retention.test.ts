import { describe, expect, it } from 'vitest';
import { backupsToDelete } from '../../../src/main/backup/retention';

const HOUR = 3_600_000;
// 2026-12-03 00:30 Hong Kong time
const start = Date.UTC(2026, 11, 2, 16, 30);

describe('backup retention', () => {
  it('keeps the newest 48 and the newest of each of the last 14 days (Hong Kong days), deletes the rest', () => {
    // Hourly backups for 30 days, newest last.
    const entries = Array.from({ length: 30 * 24 }, (_, i) => ({ name: `b${String(i).padStart(4, '0')}`, createdAt: start + i * HOUR }));
    const doomed = new Set(backupsToDelete(entries, { keepRecent: 48, keepDays: 14, timeZone: 'Asia/Hong_Kong' }));
    const kept = entries.filter((e) => !doomed.has(e.name));
    // 48 recent (two days) + one per day for the 12 days before them.
    expect(kept).toHaveLength(48 + 12);
    expect(kept.slice(-48).map((e) => e.name)).toEqual(entries.slice(-48).map((e) => e.name));
    // Each older day keeps its newest backup: 23:30 Hong Kong time.
    for (const entry of kept.slice(0, -48))
      expect(new Date(entry.createdAt).toLocaleTimeString('en-GB', { timeZone: 'Asia/Hong_Kong' })).toBe('23:30:00');
  });

  it('keeps everything while there are fewer than the limits', () => {
    const entries = [
      { name: 'a', createdAt: start },
      { name: 'b', createdAt: start + HOUR },
    ];
    expect(backupsToDelete(entries, { keepRecent: 48, keepDays: 14, timeZone: 'Asia/Hong_Kong' })).toEqual([]);
    expect(backupsToDelete(entries, { keepRecent: 1, keepDays: 0, timeZone: 'Asia/Hong_Kong' })).toEqual(['a']);
  });
});
