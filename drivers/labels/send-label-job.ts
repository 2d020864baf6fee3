import type { DriverError } from '../driver-error';
import type { DeviceUri } from '../transports/device-uri';
import { openTransport, type OpenTransportOptions } from '../transports/open-transport';
import { TransportError, type Transport } from '../transports/transport';

/**
 * Sends one label job (ZPL, TSPL or ESC/POS bytes) over any printer transport: `tcp://host:9100`
 * raw socket, `serial://`, `usb://`, `spooler://`, `file://`. Label printers are written to, not
 * asked for status. Never throws; `mayHavePrinted` says whether a failed job could have printed.
 */
export type LabelJobResult =
  | { readonly kind: 'sent' }
  | { readonly kind: 'failed'; readonly error: DriverError; readonly mayHavePrinted: boolean };

export async function sendLabelJob(o: {
  readonly uri: string | DeviceUri;
  readonly bytes: Uint8Array;
  readonly open?: (uri: string | DeviceUri, options?: OpenTransportOptions) => Promise<Transport>;
  readonly writeTimeoutMs?: number;
}): Promise<LabelJobResult> {
  let transport: Transport;
  try {
    transport = await (o.open ?? openTransport)(o.uri, { connectTimeoutMs: 5000 });
  } catch (e) {
    if (e instanceof Error && 'code' in e) return { kind: 'failed', error: e as DriverError, mayHavePrinted: false };
    throw e;
  }
  try {
    await transport.write(o.bytes, { timeoutMs: o.writeTimeoutMs ?? 15_000 });
    return { kind: 'sent' };
  } catch (e) {
    if (e instanceof TransportError) return { kind: 'failed', error: e, mayHavePrinted: e.mayHavePrinted };
    throw e;
  } finally {
    await transport.close();
  }
}
