import { bwipjs } from '../bwip';
import { DriverError } from '../driver-error';
import { createBitmap, fillRect, type Bitmap } from './bitmap';

/**
 * Barcodes and QR codes for printers that cannot draw them (or draw them badly): bwip-js encodes
 * the symbol and `raw()` gives us the module matrix (QR) or bar/space widths (CODE128), which we
 * draw dot for dot. No PNG round trip, no anti-aliasing: every module is a whole number of dots.
 */

export class EscPosContentError extends DriverError {
  readonly code = 'ESCPOS_INVALID_CONTENT';
}

/** CODE128 code set B carries printable ASCII (0x20..0x7E) only. */
export function assertCode128Data(data: string): void {
  if (data.length === 0 || data.length > 80) throw new EscPosContentError(`barcode data must be 1..80 characters, got ${data.length}`);
  if (!/^[\x20-\x7e]+$/.test(data))
    throw new EscPosContentError(`barcode data must be printable ASCII for CODE128: ${JSON.stringify(data)}`);
}

/** Quiet zones (ISO/IEC 15417: 10 modules for CODE128; ISO/IEC 18004: 4 modules for QR). */
const CODE128_QUIET_MODULES = 10;
const QR_QUIET_MODULES = 4;

export function code128Bitmap(data: string, moduleWidth: number, heightDots: number): Bitmap {
  assertCode128Data(data);
  const symbols = bwipjs().raw('code128', data, '');
  const first = symbols[0];
  if (first === undefined || !('sbs' in first)) throw new EscPosContentError('bwip-js returned no CODE128 bars');
  const modules = first.sbs.reduce((a, b) => a + b, 0) + 2 * CODE128_QUIET_MODULES;
  const b = createBitmap(modules * moduleWidth, heightDots);
  let x = CODE128_QUIET_MODULES * moduleWidth;
  first.sbs.forEach((w, i) => {
    // sbs alternates bar, space, bar… starting with a bar.
    if (i % 2 === 0) fillRect(b, x, 0, w * moduleWidth, heightDots);
    x += w * moduleWidth;
  });
  return b;
}

export function qrBitmap(data: string, moduleSize: number, ecc: 'L' | 'M' | 'Q' | 'H'): Bitmap {
  if (data.length === 0) throw new EscPosContentError('QR data is empty');
  // BWIPP reads the text as bytes; hand it UTF-8 bytes as a binary string so Chinese survives.
  const bytes = Buffer.from(data, 'utf8').toString('latin1');
  const first = (() => {
    try {
      return bwipjs().raw('qrcode', bytes, `eclevel=${ecc}`)[0];
    } catch (cause) {
      throw new EscPosContentError(`cannot encode QR code: ${String(cause)}`, { cause });
    }
  })();
  if (first === undefined || !('pixs' in first)) throw new EscPosContentError('bwip-js returned no QR matrix');
  const side = (first.pixx + 2 * QR_QUIET_MODULES) * moduleSize;
  const b = createBitmap(side, side);
  for (let my = 0; my < first.pixy; my++) {
    for (let mx = 0; mx < first.pixx; mx++) {
      if (first.pixs[my * first.pixx + mx]) {
        fillRect(b, (mx + QR_QUIET_MODULES) * moduleSize, (my + QR_QUIET_MODULES) * moduleSize, moduleSize, moduleSize);
      }
    }
  }
  return b;
}
