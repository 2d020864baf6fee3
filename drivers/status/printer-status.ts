import type { DriverError } from '../driver-error';
import { statusRequest } from '../escpos/commands';
import type { Transport } from '../transports/transport';
import { TransportError } from '../transports/transport';

/**
 * Real-time printer status from DLE EOT n (Epson ESC/POS reference, dle_eot.html).
 *
 * Each reply is one byte whose bits 0 and 7 are 0 and bits 1 and 4 are 1 (so a healthy printer
 * answers 0x12 to every n). A byte that breaks that pattern did not come from an ESC/POS status
 * reply (a printer in another emulation, a line full of noise), and we say so instead of reading
 * meaning into it.
 *
 *   n=1 printer:       bit 2 drawer kick connector pin 3 high, bit 3 offline,
 *                      bit 5 waiting for online recovery, bit 6 feed button pressed
 *   n=2 offline cause: bit 2 cover open, bit 3 paper fed by the feed button,
 *                      bit 5 printing stopped by paper end, bit 6 error
 *   n=3 error cause:   bit 2 mechanical (recoverable) error, bit 3 autocutter error,
 *                      bit 5 unrecoverable error, bit 6 automatically recoverable error (head hot)
 *   n=4 paper sensors: bits 2+3 roll near end, bits 5+6 roll end
 */
export interface PrinterStatus {
  readonly online: boolean;
  readonly coverOpen: boolean;
  readonly paperNearEnd: boolean;
  readonly paperOut: boolean;
  /** null when the profile says no drawer sensor is wired. */
  readonly drawerOpen: boolean | null;
  readonly error: boolean;
  readonly detail: {
    readonly drawerPin3High: boolean;
    readonly waitingForRecovery: boolean;
    readonly feedButton: boolean;
    readonly mechanicalError: boolean;
    readonly cutterError: boolean;
    readonly unrecoverableError: boolean;
    readonly autoRecoverableError: boolean;
  };
  /** The four reply bytes, for logs and support. */
  readonly raw: readonly [number, number, number, number];
}

export type DrawerSensor = 'open-when-high' | 'open-when-low' | 'none';

export interface StatusGarbled {
  readonly kind: 'garbled';
  readonly code: 'PRINTER_STATUS_GARBLED';
  readonly message: string;
  readonly bytes: readonly number[];
}

export type StatusParse = { readonly kind: 'status'; readonly status: PrinterStatus } | StatusGarbled;

const bit = (b: number, n: number): boolean => (b & (1 << n)) !== 0;
const hex = (b: number): string => `0x${b.toString(16).padStart(2, '0')}`;

/** Parses the replies to DLE EOT 1, 2, 3 and 4, in that order. Never throws. */
export function parseStatusReplies(bytes: readonly number[], drawerSensor: DrawerSensor = 'open-when-high'): StatusParse {
  const garbled = (message: string): StatusGarbled => ({ kind: 'garbled', code: 'PRINTER_STATUS_GARBLED', message, bytes: [...bytes] });
  if (bytes.length !== 4) return garbled(`expected 4 status bytes (DLE EOT 1..4), got ${bytes.length}`);
  for (let k = 0; k < 4; k++) {
    const b = bytes[k]!;
    if (!Number.isInteger(b) || b < 0 || b > 255 || (b & 0x93) !== 0x12) {
      return garbled(
        `reply to DLE EOT ${k + 1} was ${Number.isInteger(b) ? hex(b) : String(b)}, not an ESC/POS status byte (printer in another emulation, or line noise)`,
      );
    }
  }
  const [n1, n2, n3, n4] = bytes as [number, number, number, number];
  const paperOut = (bit(n4, 5) && bit(n4, 6)) || bit(n2, 5);
  const mechanicalError = bit(n3, 2);
  const cutterError = bit(n3, 3);
  const unrecoverableError = bit(n3, 5);
  const autoRecoverableError = bit(n3, 6);
  const drawerPin3High = bit(n1, 2);
  return {
    kind: 'status',
    status: {
      online: !bit(n1, 3),
      coverOpen: bit(n2, 2),
      paperNearEnd: bit(n4, 2) && bit(n4, 3),
      paperOut,
      drawerOpen: drawerSensor === 'none' ? null : drawerSensor === 'open-when-high' ? drawerPin3High : !drawerPin3High,
      error: bit(n2, 6) || mechanicalError || cutterError || unrecoverableError || autoRecoverableError,
      detail: {
        drawerPin3High,
        waitingForRecovery: bit(n1, 5),
        feedButton: bit(n1, 6),
        mechanicalError,
        cutterError,
        unrecoverableError,
        autoRecoverableError,
      },
      raw: [n1, n2, n3, n4],
    },
  };
}

export type StatusResult =
  | { readonly kind: 'status'; readonly status: PrinterStatus }
  | StatusGarbled
  | { readonly kind: 'no-reply'; readonly message: string }
  | { readonly kind: 'unsupported'; readonly message: string }
  | { readonly kind: 'failed'; readonly error: DriverError };

/**
 * Asks DLE EOT 1..4 one at a time (each reply before the next request, as Epson advises) and
 * parses the answers. Never throws: the hardware screen and the print queue get a result to show.
 */
export async function queryPrinterStatus(
  transport: Transport,
  o: { readonly timeoutMs?: number; readonly drawerSensor?: DrawerSensor } = {},
): Promise<StatusResult> {
  if (transport.read === undefined)
    return { kind: 'unsupported', message: `${transport.uri}: this connection cannot read replies; status needs tcp:// or serial://` };
  const timeoutMs = o.timeoutMs ?? 1500;
  transport.discardInput?.();
  const replies: number[] = [];
  try {
    for (const n of [1, 2, 3, 4] as const) {
      await transport.write(Uint8Array.from(statusRequest(n)), { timeoutMs });
      const reply = await transport.read(1, timeoutMs);
      replies.push(reply[0]!);
      // A garbled first byte means the rest is noise too; do not wait for three more timeouts.
      if ((reply[0]! & 0x93) !== 0x12) break;
    }
  } catch (e) {
    if (e instanceof TransportError) {
      if (e.code === 'TRANSPORT_TIMEOUT' && replies.length === 0)
        return {
          kind: 'no-reply',
          message: `${transport.uri}: no reply to DLE EOT within ${timeoutMs} ms (status not supported, or printer hung)`,
        };
      if (e.code === 'TRANSPORT_TIMEOUT') return parseStatusReplies(replies, o.drawerSensor) as StatusGarbled;
      return { kind: 'failed', error: e };
    }
    throw e;
  }
  return parseStatusReplies(replies, o.drawerSensor);
}
