/**
 * The IT checks the hardware screen and `npm run devices` share: print the bilingual test page,
 * open the drawer, read DLE EOT status. Each talks to the device once and turns any failure
 * into a typed PosError whose message names the device and what went wrong.
 */
import {
  createFontRasteriser,
  createTestPage,
  encodeReceipt,
  formatDeviceUri,
  kickDrawer,
  parseDeviceUri,
  printJob,
  RasteriserRequiredError,
  readPrinterStatus,
  resolveProfile,
  type FontRasteriser,
  type DeviceUri,
  type PrinterProfile,
  type PrinterStatus,
  type ReceiptDocument,
  type StatusResult,
} from '../../../drivers';
import { PosError } from '../../shared/errors';
import type { PrinterStatusReport } from '../../shared/hardware-schemas';
import { deviceError, printResultOrError, statusOrError } from './device-errors';
import { namesProfileFile, profileFileInDataDir } from './profile-path';
import { DEFAULT_STORE_TIME_ZONE, formatDateTime } from '../../shared/store-time';

export interface PrinterTarget {
  readonly uri: string;
  readonly profile: PrinterProfile;
}

/**
 * A built-in profile name or a JSON file, loaded and checked; a bad one is PRINTER_PROFILE_INVALID.
 * `from`: the register's data folder, where its profile files must be (profile-path.ts), or
 * 'any-file' for IT's own command line (`npm run devices`), which reads with IT's own rights.
 */
export async function loadPrinterProfile(nameOrPath: string, from: { dataDir: string } | 'any-file'): Promise<PrinterProfile> {
  const wanted = nameOrPath.trim();
  const source = from !== 'any-file' && namesProfileFile(wanted) ? profileFileInDataDir(wanted, from.dataDir) : wanted;
  try {
    return await resolveProfile(source);
  } catch (error) {
    throw deviceError(error);
  }
}

/** The URI in the form stored in settings; a bad one is DEVICE_URI_INVALID. */
export function canonicalUri(uri: string): string {
  let parsed: DeviceUri;
  try {
    parsed = parseDeviceUri(uri.trim());
  } catch (error) {
    throw deviceError(error);
  }
  if (parsed.scheme === 'hid')
    throw new PosError(
      'DEVICE_URI_INVALID',
      `${uri}: hid:// is for barcode scanners; a receipt printer is tcp://, serial://, usb://, spooler:// or file://`,
    );
  return formatDeviceUri(parsed);
}

export type Encoder = (doc: ReceiptDocument, profile: PrinterProfile) => Uint8Array;

/** Encodes natively; loads the 20 MB CJK font only the first time a line needs the raster fallback. */
export function createEncoder(): Encoder {
  let rasteriser: FontRasteriser | null = null;
  return (doc, profile) => {
    try {
      return encodeReceipt(doc, { profile, ...(rasteriser ? { rasteriser } : {}) });
    } catch (error) {
      if (!(error instanceof RasteriserRequiredError) || rasteriser) throw deviceError(error);
      try {
        rasteriser = createFontRasteriser();
        return encodeReceipt(doc, { profile, rasteriser });
      } catch (inner) {
        throw deviceError(inner);
      }
    }
  };
}

export async function printTestPage(
  t: PrinterTarget,
  encode: Encoder,
  now: number,
  timeZone = DEFAULT_STORE_TIME_ZONE,
): Promise<{ uri: string; confirmed: boolean }> {
  if (t.profile.status === 'dle-eot') statusOrError(t.uri, await readPrinterStatus({ uri: t.uri, profile: t.profile, timeoutMs: 1500 }));
  const bytes = encode(createTestPage(t.profile, formatDateTime(now, timeZone)), t.profile);
  const result = await printJob({ uri: t.uri, profile: t.profile, bytes });
  printResultOrError(t.uri, result);
  return { uri: t.uri, confirmed: result.kind === 'printed' && result.confirmed };
}

export async function openDrawerOnce(t: PrinterTarget): Promise<{ uri: string }> {
  const result = await kickDrawer({ uri: t.uri, profile: t.profile });
  if (result.kind === 'failed') throw deviceError(result.error);
  return { uri: t.uri };
}

export function readStatus(t: PrinterTarget): Promise<StatusResult> {
  return readPrinterStatus({ uri: t.uri, profile: t.profile, timeoutMs: 1500 });
}

/** A status answer as the hardware screen shows it; anything but a status is a typed error. */
export function statusReport(uri: string, raw: StatusResult): PrinterStatusReport {
  const result = statusOrError(uri, raw);
  if (result.kind === 'unsupported')
    return {
      supported: false,
      online: true,
      coverOpen: false,
      paperNearEnd: false,
      paperOut: false,
      drawerOpen: null,
      error: false,
      raw: [],
    };
  const s: PrinterStatus = result.status;
  return {
    supported: true,
    online: s.online,
    coverOpen: s.coverOpen,
    paperNearEnd: s.paperNearEnd,
    paperOut: s.paperOut,
    drawerOpen: s.drawerOpen,
    error: s.error,
    raw: [...s.raw],
  };
}
