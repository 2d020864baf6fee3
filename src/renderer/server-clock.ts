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
