/**
 * The HID POS scanner in main: opens `hid://vid:pid` from the `hardware.scanner` setting through
 * node-hid, reopens it after an unplug (the driver's backoff), and hands every scan to the windows
 * as a `scanner:scan` event, where the till's scan router takes it like a wedge scan.
 */
import {
  createHidScanner,
  openNodeHidDevice,
  type HidDeviceLike,
  type HidScanner,
  type HidScannerOptions,
  type HidScannerState,
} from '../../../drivers/scanner';
import type { DeviceLinkState, ScannerConfig, ScannerScan, ScannerStatus } from '../../shared/customer-display-schemas';
import type { Clock } from '../clock';
import type { Logger } from '../log';

export type OpenHidDevice = (vendorId: number, productId: number) => Promise<HidDeviceLike>;

export interface ScannerFeed {
  configure(config: ScannerConfig): Promise<void>;
  status(): ScannerStatus;
  close(): Promise<void>;
}

export interface ScannerFeedOptions {
  onScan(scan: ScannerScan): void;
  log: Logger;
  clock: Clock;
  /** Default: node-hid's HID POS interface (usage page 0x8C). Tests inject recorded report streams. */
  openHid?: OpenHidDevice;
  backoff?: HidScannerOptions['backoff'];
}

export const DEFAULT_SCANNER_CONFIG: ScannerConfig = { uri: null };

/** "hid://05e0:1200" → [0x05e0, 0x1200]; the schema has already checked the shape. */
export function parseHidUri(uri: string): [number, number] {
  const match = /^hid:\/\/([0-9a-f]{4}):([0-9a-f]{4})$/i.exec(uri);
  if (!match) throw new RangeError(`not a hid://vid:pid URI: ${uri}`);
  return [Number.parseInt(match[1]!, 16), Number.parseInt(match[2]!, 16)];
}

export function createScannerFeed(options: ScannerFeedOptions): ScannerFeed {
  const { log, clock } = options;
  const openHid = options.openHid ?? ((vendorId, productId) => openNodeHidDevice(vendorId, productId, 'hid-pos'));
  let config: ScannerConfig = DEFAULT_SCANNER_CONFIG;
  let scanner: HidScanner | null = null;
  let state: DeviceLinkState = 'not-configured';
  let lastError: string | null = null;
  let lastScan: ScannerStatus['lastScan'] = null;

  const open = (next: ScannerConfig): void => {
    config = next;
    lastError = null;
    if (next.uri === null) {
      state = 'not-configured';
      return;
    }
    const uri = next.uri;
    const [vendorId, productId] = parseHidUri(uri);
    state = 'connecting';
    const opened: HidScanner = createHidScanner({
      mode: 'hid-pos',
      open: () => openHid(vendorId, productId),
      ...(options.backoff ? { backoff: options.backoff } : {}),
      onScan: (scan) => {
        if (scanner !== opened) return;
        const payload: ScannerScan = { code: scan.text, symbology: scan.symbology };
        lastScan = { ...payload, at: clock.now() };
        options.onScan(payload);
      },
      onStateChange: (driverState: HidScannerState, detail?: Error) => {
        if (scanner !== opened || driverState === 'closed') return;
        if (driverState !== state) log.info('hid scanner', { uri, state: driverState, ...(detail ? { error: detail.message } : {}) });
        state = driverState;
        lastError = driverState === 'disconnected' ? (detail?.message ?? null) : null;
      },
      onReportError: (error) => log.warn('hid scanner: a report did not parse', { uri, error: error.message }),
    });
    scanner = opened;
  };

  return {
    async configure(next) {
      const previous = scanner;
      scanner = null;
      await previous?.close();
      open(next);
    },
    status: () => ({ config, state, lastScan, error: lastError }),
    async close() {
      const previous = scanner;
      scanner = null;
      await previous?.close();
    },
  };
}
