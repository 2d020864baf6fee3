import { createHidPosAssembler, type Scan } from './hid-pos-report';
import { createKeyboardReportDecoder } from './keyboard-report';

/**
 * What the scanner driver needs from an open HID device; node-hid's HIDAsync fits it, and tests
 * feed recorded report streams through a stand-in (virtual HID devices cannot be created here).
 */
export interface HidDeviceLike {
  on(event: 'data', listener: (report: Buffer) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  close(): unknown;
}

export type HidScannerState = 'connecting' | 'connected' | 'disconnected' | 'closed';

export interface HidScannerOptions {
  /** Opens the device; called again after an unplug until it succeeds. */
  readonly open: () => Promise<HidDeviceLike>;
  readonly mode: 'hid-pos' | 'keyboard';
  readonly onScan: (scan: Scan) => void;
  readonly onStateChange?: (state: HidScannerState, detail?: Error) => void;
  /** A report that does not parse; the scanner keeps running. */
  readonly onReportError?: (error: Error) => void;
  readonly backoff?: { readonly initialMs?: number; readonly maxMs?: number };
  /** hid-pos: the scanned-data report id (default 0x02; null when reports are unnumbered). */
  readonly reportId?: number | null;
  readonly keyboardTerminator?: 'enter' | 'tab';
}

export interface HidScanner {
  state(): HidScannerState;
  close(): Promise<void>;
}

/**
 * Reads scans from a USB scanner in HID POS or keyboard mode. node-hid reports an unplug as an
 * 'error' event on the device; we close it, drop any half-assembled scan, and reopen with
 * doubling delays until the scanner is back.
 */
export function createHidScanner(options: HidScannerOptions): HidScanner {
  const initialMs = options.backoff?.initialMs ?? 250;
  const maxMs = options.backoff?.maxMs ?? 5000;
  let state: HidScannerState = 'connecting';
  let device: HidDeviceLike | null = null;
  let timer: NodeJS.Timeout | null = null;
  let wake: (() => void) | null = null;
  let generation = 0;

  const isClosed = (): boolean => state === 'closed';
  const setState = (s: HidScannerState, detail?: Error): void => {
    if (state === s || isClosed()) return;
    state = s;
    options.onStateChange?.(s, detail);
  };
  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      wake = resolve;
      timer = setTimeout(resolve, ms);
    });
  const closeQuietly = async (d: HidDeviceLike): Promise<void> => {
    try {
      await d.close();
    } catch {
      // already gone
    }
  };

  const attach = (d: HidDeviceLike): void => {
    const mine = ++generation;
    const decoder =
      options.mode === 'hid-pos'
        ? createHidPosAssembler(options.reportId === undefined ? 0x02 : options.reportId)
        : createKeyboardReportDecoder({ terminator: options.keyboardTerminator });
    d.on('data', (report) => {
      if (mine !== generation) return;
      try {
        const scan = decoder.push(report);
        if (scan !== null) options.onScan(scan);
      } catch (e) {
        decoder.reset();
        options.onReportError?.(e as Error);
      }
    });
    d.on('error', (e) => {
      if (mine !== generation || isClosed()) return;
      generation++;
      device = null;
      void closeQuietly(d);
      setState('disconnected', e);
      void connectLoop();
    });
  };

  const connectLoop = async (): Promise<void> => {
    let delay = initialMs;
    for (let first = true; !isClosed(); first = false) {
      if (!first || state === 'disconnected') {
        await sleep(delay);
        delay = Math.min(delay * 2, maxMs);
        if (isClosed()) return;
      }
      try {
        const d = await options.open();
        if (isClosed()) {
          await closeQuietly(d);
          return;
        }
        device = d;
        attach(d);
        setState('connected');
        return;
      } catch (e) {
        setState('disconnected', e as Error);
      }
    }
  };

  void connectLoop();

  return {
    state: () => state,
    async close() {
      if (isClosed()) return;
      state = 'closed';
      options.onStateChange?.('closed');
      generation++;
      if (timer !== null) clearTimeout(timer);
      wake?.();
      const d = device;
      device = null;
      if (d !== null) await closeQuietly(d);
    },
  };
}
