import { describe, expect, it } from 'vitest';
import { serverNow, syncClock } from '../../../src/renderer/server-clock';
import { formatTime } from '../../../src/shared/store-time';

const HK = 'Asia/Hong_Kong';

describe('status bar clock', () => {
  it("shows main's time even when this machine's clock is minutes off", () => {
    const mainTime = Date.UTC(2026, 10, 27, 6, 32, 10);
    // The renderer received the status 5 s into its own monotonic timeline...
    const sync = syncClock(mainTime, 5_000);
    // ...and 50 s later the bar shows main's time plus 50 s, whatever Date.now() says.
    expect(serverNow(sync, 55_000)).toBe(mainTime + 50_000);
    expect(formatTime(serverNow(sync, 55_000), HK)).toBe('14:33');
  });

  it('uses 24-hour HH:mm with leading zeros', () => {
    expect(formatTime(Date.UTC(2026, 10, 27, 16, 5), HK)).toBe('00:05');
    expect(formatTime(Date.UTC(2026, 10, 27, 1, 7), HK)).toBe('09:07');
    expect(formatTime(Date.UTC(2026, 10, 27, 15, 59, 59), HK)).toBe('23:59');
  });

  it('a fresh status replaces the earlier reference', () => {
    const first = syncClock(1_000_000, 0);
    const second = syncClock(2_000_000, 10);
    expect(serverNow(second, 20)).toBe(2_000_010);
    expect(serverNow(first, 20)).toBe(1_000_020);
  });
});
