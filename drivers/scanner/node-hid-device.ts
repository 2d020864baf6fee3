import { DriverError } from '../driver-error';
import type { HidDeviceLike } from './hid-scanner';

export class HidDeviceError extends DriverError {
  readonly code = 'HID_DEVICE_UNAVAILABLE';
}

export interface HidDeviceInfo {
  readonly uri: string;
  readonly vendorId: number;
  readonly productId: number;
  readonly path?: string;
  readonly product?: string;
  readonly manufacturer?: string;
  readonly usagePage?: number;
  readonly usage?: number;
}

/** HID POS barcode scanner usage page (HID Point of Sale Usage Tables 1.02). */
export const USAGE_PAGE_BARCODE_SCANNER = 0x8c;
const USAGE_PAGE_GENERIC_DESKTOP = 0x01;
const USAGE_KEYBOARD = 0x06;

// node-hid is loaded on first use: it is a native module, and most of the register never needs it.
const loadNodeHid = async () => (await import('node-hid')).default;

/** HID devices for `devices list`, as hid:// URIs. */
export async function listHidDevices(): Promise<HidDeviceInfo[]> {
  const hid = await loadNodeHid();
  const devices = await hid.devicesAsync();
  const hex = (n: number): string => n.toString(16).padStart(4, '0');
  return devices.map((d) => ({
    uri: `hid://${hex(d.vendorId)}:${hex(d.productId)}`,
    vendorId: d.vendorId,
    productId: d.productId,
    ...(d.path !== undefined ? { path: d.path } : {}),
    ...(d.product !== undefined ? { product: d.product } : {}),
    ...(d.manufacturer !== undefined ? { manufacturer: d.manufacturer } : {}),
    ...(d.usagePage !== undefined ? { usagePage: d.usagePage } : {}),
    ...(d.usage !== undefined ? { usage: d.usage } : {}),
  }));
}

/**
 * Opens the scanner's interface for a mode: the HID POS interface (usage page 0x8C) or its
 * keyboard interface. A scanner exposes the ones its configuration barcode enabled; the error
 * says which are there. Use as `createHidScanner({ open: () => openNodeHidDevice(vid, pid, 'hid-pos'), … })`.
 */
export async function openNodeHidDevice(vendorId: number, productId: number, mode: 'hid-pos' | 'keyboard'): Promise<HidDeviceLike> {
  const hid = await loadNodeHid();
  const candidates = await hid.devicesAsync(vendorId, productId);
  const hex = (n: number): string => n.toString(16).padStart(4, '0');
  const id = `hid://${hex(vendorId)}:${hex(productId)}`;
  if (candidates.length === 0) throw new HidDeviceError(`${id}: no such HID device is connected`);
  const wanted = candidates.find((d) =>
    mode === 'hid-pos'
      ? d.usagePage === USAGE_PAGE_BARCODE_SCANNER
      : d.usagePage === USAGE_PAGE_GENERIC_DESKTOP && d.usage === USAGE_KEYBOARD,
  );
  if (wanted?.path === undefined) {
    const pages = candidates.map((d) => `0x${(d.usagePage ?? 0).toString(16)}`).join(', ');
    throw new HidDeviceError(
      `${id}: no ${mode === 'hid-pos' ? 'HID POS (usage page 0x8C)' : 'keyboard'} interface; the device offers usage pages ${pages} (scan the scanner's "USB HID POS" configuration barcode?)`,
    );
  }
  return hid.HIDAsync.open(wanted.path);
}
