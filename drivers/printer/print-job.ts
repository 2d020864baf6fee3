import { DriverError } from '../driver-error';
import { statusRequest } from '../escpos/commands';
import { drawerKickBytes } from '../escpos/encoder';
import type { PrinterProfile } from '../escpos/profile';
import { queryPrinterStatus, type PrinterStatus, type StatusResult } from '../status/printer-status';
import type { DeviceUri } from '../transports/device-uri';
import { openTransport, type OpenTransportOptions } from '../transports/open-transport';
import { TransportError, TransportTimeoutError, type Transport } from '../transports/transport';

export interface DeviceTarget {
  readonly uri: string | DeviceUri;
  readonly profile: PrinterProfile;
  /** Default: openTransport. Tests and the emulator-backed demo mode can pass their own. */
  readonly open?: (uri: string | DeviceUri, options?: OpenTransportOptions) => Promise<Transport>;
  readonly openOptions?: OpenTransportOptions;
}

export interface PrintJobOptions extends DeviceTarget {
  readonly bytes: Uint8Array;
  /** Write timeout, and the wait for each status reply. Default 10 s / 1.5 s. */
  readonly writeTimeoutMs?: number;
  readonly statusTimeoutMs?: number;
}

/**
 * What the durable print queue needs to decide the job's fate:
 * - printed: the bytes were sent; `confirmed` when the printer answered a status request sent
 *   after them, which proves it read the whole job (real-time commands are read in stream order).
 * - not-ready: the printer reported cover open, paper out, offline or an error before anything was
 *   sent; keep the job and retry when the status clears. Nothing was printed.
 * - failed: the device could not be reached, did not answer status, or the link failed;
 *   `mayHavePrinted` says whether any byte of the job could have reached it (retry silently only
 *   when false; otherwise flag the job for the cashier to reprint).
 */
export type PrintJobResult =
  | { readonly kind: 'printed'; readonly confirmed: boolean; readonly status: StatusResult | null }
  | { readonly kind: 'not-ready'; readonly status: PrinterStatus; readonly mayHavePrinted: false }
  | { readonly kind: 'failed'; readonly error: DriverError; readonly mayHavePrinted: boolean };

/** Sends one job on its own connection; never throws; the connection is closed exactly once. */
export async function printJob(o: PrintJobOptions): Promise<PrintJobResult> {
  const opened = await openTarget(o);
  if ('kind' in opened) return opened;
  const transport = opened.transport;
  try {
    const statusTimeoutMs = o.statusTimeoutMs ?? 1500;
    const canAsk = o.profile.status === 'dle-eot' && transport.read !== undefined;
    let status: StatusResult | null = null;
    if (canAsk) {
      status = await queryPrinterStatus(transport, { timeoutMs: statusTimeoutMs, drawerSensor: o.profile.drawer.sensor });
      if (status.kind === 'status' && notReady(status.status)) return { kind: 'not-ready', status: status.status, mayHavePrinted: false };
      if (status.kind === 'failed') return { kind: 'failed', error: status.error, mayHavePrinted: false };
      // The profile says this printer answers status; silence means it is hung or busy with
      // another host. Nothing of the job has been sent, so the queue can retry it safely.
      if (status.kind === 'no-reply')
        return { kind: 'failed', error: new TransportTimeoutError('read', false, status.message), mayHavePrinted: false };
    }
    await transport.write(o.bytes, { timeoutMs: o.writeTimeoutMs });
    // Confirm only when the printer answered status before: a printer that answers garbage or
    // nothing would turn every job into a timeout.
    if (canAsk && status?.kind === 'status') {
      transport.discardInput?.();
      await transport.write(Uint8Array.from(statusRequest(1)), { timeoutMs: statusTimeoutMs });
      // The reply comes once the printer has read everything before it; even a slow printer
      // takes in 10 KB/s (it prints 100+ mm of raster a second), so allow that.
      try {
        await transport.read!(1, Math.max(statusTimeoutMs, 5000, Math.ceil(o.bytes.length / 10)));
      } catch (e) {
        if (e instanceof TransportTimeoutError) {
          throw new TransportTimeoutError(
            'confirm',
            true,
            `${transport.uri}: the printer stopped answering after the job was sent; it may have printed part of it`,
          );
        }
        throw e;
      }
      return { kind: 'printed', confirmed: true, status };
    }
    return { kind: 'printed', confirmed: false, status };
  } catch (e) {
    if (e instanceof TransportError) return { kind: 'failed', error: e, mayHavePrinted: e.mayHavePrinted };
    throw e;
  } finally {
    await transport.close();
  }
}

/** Opens the drawer (No Sale, tender rules, the hardware screen). Uses DLE DC4 where the profile allows it, so it works with paper out. */
export async function kickDrawer(
  o: DeviceTarget & { readonly pin?: 2 | 5 },
): Promise<{ readonly kind: 'sent' } | { readonly kind: 'failed'; readonly error: DriverError }> {
  const opened = await openTarget(o);
  if ('kind' in opened) return { kind: 'failed', error: opened.error };
  try {
    await opened.transport.write(drawerKickBytes(o.profile, { pin: o.pin }), { timeoutMs: 5000 });
    return { kind: 'sent' };
  } catch (e) {
    if (e instanceof TransportError) return { kind: 'failed', error: e };
    throw e;
  } finally {
    await opened.transport.close();
  }
}

/** Opens, asks DLE EOT 1..4, closes: the hardware screen's live status. Never throws. */
export async function readPrinterStatus(o: DeviceTarget & { readonly timeoutMs?: number }): Promise<StatusResult> {
  if (o.profile.status === 'none') return { kind: 'unsupported', message: `profile ${o.profile.name} has no status support` };
  const opened = await openTarget(o);
  if ('kind' in opened) return { kind: 'failed', error: opened.error };
  try {
    return await queryPrinterStatus(opened.transport, { timeoutMs: o.timeoutMs, drawerSensor: o.profile.drawer.sensor });
  } finally {
    await opened.transport.close();
  }
}

function notReady(s: PrinterStatus): boolean {
  return !s.online || s.coverOpen || s.paperOut || s.error;
}

async function openTarget(
  o: DeviceTarget,
): Promise<{ transport: Transport } | { kind: 'failed'; error: DriverError; mayHavePrinted: false }> {
  try {
    return { transport: await (o.open ?? openTransport)(o.uri, o.openOptions) };
  } catch (e) {
    // A bad URI (DeviceUriError) or an unreachable device: nothing was sent.
    if (e instanceof DriverError) return { kind: 'failed', error: e, mayHavePrinted: false };
    throw e;
  }
}
