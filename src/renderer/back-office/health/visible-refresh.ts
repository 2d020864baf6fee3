/**
 * Refreshes a panel on a bounded interval while the page is visible, and not at all while it is
 * hidden (another window on top of the kiosk, a minimised app): a panel nobody sees costs the
 * register nothing. Coming back into view refreshes at once. A tick while the previous refresh is
 * still running is skipped, so a slow answer never piles requests up.
 */

/** What it needs of `document`; a fake in node tests. */
export interface VisibilitySource {
  readonly visibilityState: string;
  addEventListener(type: 'visibilitychange', listener: () => void): void;
  removeEventListener(type: 'visibilitychange', listener: () => void): void;
}

/** Starts refreshing; the answer stops it (the panel closed). */
export function startVisibleRefresh(source: VisibilitySource, everyMs: number, refresh: () => Promise<unknown>): () => void {
  let timer: ReturnType<typeof setInterval> | null = null;
  let running = false;

  const tick = () => {
    if (running) return;
    running = true;
    void refresh()
      .catch(() => undefined)
      .finally(() => {
        running = false;
      });
  };
  const stop = () => {
    if (timer !== null) clearInterval(timer);
    timer = null;
  };
  const follow = () => {
    if (source.visibilityState === 'hidden') {
      stop();
    } else if (timer === null) {
      tick();
      timer = setInterval(tick, everyMs);
    }
  };

  if (source.visibilityState !== 'hidden') timer = setInterval(tick, everyMs);
  source.addEventListener('visibilitychange', follow);
  return () => {
    stop();
    source.removeEventListener('visibilitychange', follow);
  };
}
