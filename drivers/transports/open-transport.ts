import { DeviceUriError, formatDeviceUri, parseDeviceUri, type DeviceUri } from './device-uri';
import { openFileTransport } from './file-transport';
import { openSerialTransport } from './serial-transport';
import { openSpoolerTransport, type SpoolerOptions } from './spooler-transport';
import { openTcpTransport } from './tcp-transport';
import type { Transport } from './transport';
import { openUsbTransport, type UsbOptions } from './usb-transport';

export interface OpenTransportOptions {
  /** tcp:// (the connection) and file:// (the open, which a FIFO nobody reads blocks); default 5 s. */
  readonly connectTimeoutMs?: number;
  readonly spooler?: SpoolerOptions;
  readonly usb?: UsbOptions;
}

/**
 * Opens a device URI (or an already parsed one). Rejects with DeviceUriError for a bad URI, and
 * with a TransportError (TransportOpenError, TransportTimeoutError, UnsupportedTransportError)
 * when the device cannot be reached.
 */
export async function openTransport(uri: string | DeviceUri, options: OpenTransportOptions = {}): Promise<Transport> {
  const d = typeof uri === 'string' ? parseDeviceUri(uri) : uri;
  const shown = typeof uri === 'string' ? uri.trim() : formatDeviceUri(d);
  switch (d.scheme) {
    case 'tcp':
      return openTcpTransport(d.host, d.port, { connectTimeoutMs: options.connectTimeoutMs });
    case 'serial':
      return openSerialTransport(d, shown);
    case 'file':
      return openFileTransport(d.path, shown, options.connectTimeoutMs);
    case 'spooler':
      return openSpoolerTransport(d.name, shown, options.spooler);
    case 'usb':
      return openUsbTransport(d.vendorId, d.productId, shown, options.usb);
    case 'hid':
      throw new DeviceUriError(
        shown,
        'hid:// is a scanner: open it with the scanner driver (createHidScanner), not as a printer or display transport',
      );
  }
}
