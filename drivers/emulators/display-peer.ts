import type { DisplayCommandSet } from '../display/command-sets';
import { loadSerialPort } from '../transports/serialport-module';
import { createDisplayScreen } from './display-screen';

/**
 * The customer's side of an emulated pole display: opens the peer end of a socat pair with the
 * real serialport package, feeds everything that arrives into a DisplayScreen, and lets a test
 * (or the demo mode) read the current 2×20 text or wait for it to show something.
 */
export interface DisplayPeer {
  lines(): [string, string];
  /** Every byte received, for tests that count or inspect frames. */
  received(): Buffer;
  /**
   * Resolves when the screen satisfies `predicate` (checked on every byte that arrives); rejects
   * after `timeoutMs` (15 s) with what the screen shows then, so a test never hangs on it.
   */
  waitFor(predicate: (lines: [string, string]) => boolean, timeoutMs?: number): Promise<[string, string]>;
  close(): Promise<void>;
}

export async function openDisplayPeer(peerPath: string, commandSet: DisplayCommandSet): Promise<DisplayPeer> {
  const SerialPort = await loadSerialPort();
  const screen = createDisplayScreen(commandSet);
  const chunks: Buffer[] = [];
  const waiters: Array<{ predicate: (l: [string, string]) => boolean; resolve: (l: [string, string]) => void }> = [];
  const port = new SerialPort({ path: peerPath, baudRate: 9600, autoOpen: false });
  const check = (): void => {
    const lines = screen.lines();
    for (const w of [...waiters]) {
      if (w.predicate(lines)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(lines);
      }
    }
  };
  port.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    screen.feed(chunk);
    check();
  });
  port.on('error', () => undefined);
  return new Promise((resolve, reject) => {
    port.open((e) => {
      if (e) return reject(e);
      resolve({
        lines: () => screen.lines(),
        received: () => Buffer.concat(chunks),
        waitFor(predicate, timeoutMs = 15_000) {
          return new Promise((res, rej) => {
            const waiter = {
              predicate,
              resolve: (lines: [string, string]) => {
                clearTimeout(timer);
                res(lines);
              },
            };
            const timer = setTimeout(() => {
              waiters.splice(waiters.indexOf(waiter), 1);
              rej(
                new Error(`the display did not show what was awaited within ${timeoutMs} ms; it shows ${JSON.stringify(screen.lines())}`),
              );
            }, timeoutMs);
            waiters.push(waiter);
            check();
          });
        },
        close: () => new Promise<void>((res) => (port.isOpen ? port.close(() => res()) : res())),
      });
    });
  });
}
