import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openFileTransport } from './file-transport';
import { TransportOpenError, UnsupportedTransportError, type Transport } from './transport';

export interface UsbOptions {
  readonly platform?: NodeJS.Platform;
  /** Roots for tests that lay out a fake sysfs; default '/sys' and '/dev'. */
  readonly sysRoot?: string;
  readonly devRoot?: string;
}

/**
 * usb://vvvv:pppp on Linux: a USB printer-class device (interface class 7) is claimed by the
 * kernel's usblp driver and appears as /dev/usb/lpN. We find N through sysfs: the device
 * directory /sys/bus/usb/devices/<bus-port> holds idVendor/idProduct, and its printer interface
 * directory <bus-port>:<config>.<interface> holds usbmisc/lpN. Then it is a plain device file.
 *
 * Elsewhere there is no such node without a native USB library: Windows installs the printer as
 * a queue (use spooler://NAME), macOS through CUPS (spooler://). Vendor-class USB printers (no
 * usblp binding) need tcp://, serial:// (their virtual COM driver) or spooler:// too.
 */
export async function openUsbTransport(vendorId: number, productId: number, uri: string, options: UsbOptions = {}): Promise<Transport> {
  const platform = options.platform ?? process.platform;
  if (platform !== 'linux') {
    throw new UnsupportedTransportError(
      `${uri}: usb:// works on Linux only (usblp); on this system install the printer's driver and use spooler://QUEUE_NAME`,
    );
  }
  const node = await resolveUsbPrinterNode(vendorId, productId, options);
  return openFileTransport(node, uri);
}

export async function resolveUsbPrinterNode(vendorId: number, productId: number, options: UsbOptions = {}): Promise<string> {
  const sysRoot = options.sysRoot ?? '/sys';
  const devRoot = options.devRoot ?? '/dev';
  const hex = (n: number): string => n.toString(16).padStart(4, '0');
  const id = `${hex(vendorId)}:${hex(productId)}`;
  const devicesDir = join(sysRoot, 'bus', 'usb', 'devices');
  let entries: string[];
  try {
    entries = await readdir(devicesDir);
  } catch {
    throw new UnsupportedTransportError(`usb://${id}: ${devicesDir} is not readable (no USB support on this machine?)`);
  }
  const readId = async (dir: string, file: string): Promise<string | null> => {
    try {
      return (await readFile(join(devicesDir, dir, file), 'utf8')).trim().toLowerCase();
    } catch {
      return null;
    }
  };
  const devices: string[] = [];
  for (const entry of entries) {
    if (entry.includes(':')) continue; // interface directories
    if ((await readId(entry, 'idVendor')) === hex(vendorId) && (await readId(entry, 'idProduct')) === hex(productId)) devices.push(entry);
  }
  if (devices.length === 0)
    throw new TransportOpenError(`usb://${id}: no USB device ${id} is connected (check the cable and power)`, 'ENODEV');
  for (const device of devices.sort()) {
    for (const iface of entries.filter((e) => e.startsWith(`${device}:`)).sort()) {
      try {
        const lp = (await readdir(join(devicesDir, iface, 'usbmisc'))).find((n) => /^lp\d+$/.test(n));
        if (lp !== undefined) return join(devRoot, 'usb', lp);
      } catch {
        // not the printer interface
      }
    }
  }
  throw new UnsupportedTransportError(
    `usb://${id}: the device is connected but has no /dev/usb/lp node (it is not a USB printer-class device, or usblp is not loaded: modprobe usblp); use its serial or network interface`,
  );
}
