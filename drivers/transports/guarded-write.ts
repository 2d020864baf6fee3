import type { TransportError } from './transport';

export type Settle = (error?: TransportError) => void;

/**
 * One write that settles exactly once: when the device takes the bytes (`start` calls `settle()`),
 * when it fails (`settle(error)`), when the transport closes under it (through `pendingWrites`), or
 * when `timeoutMs` passes, in which case `onTimeout` gives the error and tears the transport down.
 */
export function guardedWrite(
  pendingWrites: Set<(error: TransportError) => void>,
  timeoutMs: number,
  onTimeout: () => TransportError,
  afterTimeout: (error: TransportError) => void,
  start: (settle: Settle) => void,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const settle: Settle = (error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      pendingWrites.delete(fail);
      if (error) reject(error);
      else resolve();
    };
    const fail = (error: TransportError): void => settle(error);
    pendingWrites.add(fail);
    const timer = setTimeout(() => {
      const error = onTimeout();
      settle(error);
      afterTimeout(error);
    }, timeoutMs);
    start(settle);
  });
}
