/**
 * The customer pole display as the register sees it: opened from the `hardware.display` setting,
 * reopened when IT changes it, fed two lines at a time. The driver coalesces bursts and reconnects
 * after an unplug; this keeps the live state for the hardware screen. Nothing here is awaited by
 * checkout.
 */
import {
  createPoleDisplay,
  fitDisplayLine,
  type PoleDisplay,
  type PoleDisplayOptions,
  type PoleDisplayState,
} from '../../../drivers/display';
import { parseDeviceUri } from '../../../drivers/transports';
import type { DeviceLinkState, DisplayConfig, DisplayStatus } from '../../shared/customer-display-schemas';
import type { Logger } from '../log';
import type { PoleLines } from './customer-view';

export interface PoleDisplayFeed {
  /** Closes the open display (if any) and opens the configured one; the current lines carry over. */
  configure(config: DisplayConfig): Promise<void>;
  show(lines: PoleLines): void;
  status(): DisplayStatus;
  close(): Promise<void>;
}

export interface PoleDisplayFeedOptions {
  log: Logger;
  /** Reconnect delays; the driver's default (250 ms → 5 s) when not given. */
  backoff?: PoleDisplayOptions['backoff'];
}

export const DEFAULT_DISPLAY_CONFIG: DisplayConfig = { uri: null, profile: 'epson', idleMessage: 'WELCOME' };

export function createPoleDisplayFeed(options: PoleDisplayFeedOptions): PoleDisplayFeed {
  const { log } = options;
  let config: DisplayConfig = DEFAULT_DISPLAY_CONFIG;
  let display: PoleDisplay | null = null;
  let state: DeviceLinkState = 'not-configured';
  let lastError: string | null = null;
  let lines: PoleLines = [fitDisplayLine(''), fitDisplayLine('')];

  const open = (next: DisplayConfig): void => {
    config = next;
    lastError = null;
    if (next.uri === null) {
      state = 'not-configured';
      return;
    }
    state = 'connecting';
    const uri = next.uri;
    const opened: PoleDisplay = createPoleDisplay({
      commandSet: next.profile,
      uri,
      ...(options.backoff ? { backoff: options.backoff } : {}),
      onStateChange: (driverState: PoleDisplayState, detail?: Error) => {
        if (display !== opened || driverState === 'closed') return;
        if (driverState !== state) log.info('pole display', { uri, state: driverState, ...(detail ? { error: detail.message } : {}) });
        state = driverState;
        lastError = driverState === 'disconnected' ? (detail?.message ?? null) : null;
      },
    });
    display = opened;
    void opened.show(lines[0], lines[1]);
  };

  return {
    async configure(next) {
      // A bad URI is IT's typing mistake: refuse it now (DEVICE_URI_INVALID) rather than retry forever.
      if (next.uri !== null) parseDeviceUri(next.uri);
      const previous = display;
      display = null;
      await previous?.close();
      open(next);
    },
    show(next) {
      lines = [fitDisplayLine(next[0]), fitDisplayLine(next[1])];
      void display?.show(lines[0], lines[1]);
    },
    status: () => ({ config, state, lines: [lines[0], lines[1]], error: lastError }),
    async close() {
      const previous = display;
      display = null;
      await previous?.close();
    },
  };
}
