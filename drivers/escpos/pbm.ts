/**
 * Netpbm bitmaps (`P4` binary, `P1` text): the receipt logo's file format. Any image tool makes one
 * (`magick logo.png -resize 384x -monochrome logo.pbm`), it is already 1 bit per dot, and it needs
 * no image library to read. `fitToWidth` shrinks a logo made for 80 mm paper onto 58 mm.
 */
import { createBitmap, type Bitmap } from './bitmap';
import { DriverError } from '../driver-error';

export class PbmError extends DriverError {
  readonly code = 'PBM_INVALID';
}

/** The largest logo taken: wider than any receipt paper, and well under a second of printing. */
const MAX_DOTS = 1024;

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d || byte === 0x0b || byte === 0x0c;
}

/** Reads the header's whitespace-separated tokens (comments skipped); returns them and where the data starts. */
function readTokens(bytes: Uint8Array, count: number): { tokens: string[]; offset: number } {
  const tokens: string[] = [];
  let i = 0;
  while (tokens.length < count) {
    while (i < bytes.length && (isSpace(bytes[i]!) || bytes[i] === 0x23)) {
      if (bytes[i] === 0x23) while (i < bytes.length && bytes[i] !== 0x0a) i++;
      else i++;
    }
    if (i >= bytes.length) throw new PbmError('The file ends inside its header: not a PBM image');
    let token = '';
    while (i < bytes.length && !isSpace(bytes[i]!) && bytes[i] !== 0x23) token += String.fromCharCode(bytes[i++]!);
    tokens.push(token);
  }
  return { tokens, offset: i + 1 }; // one whitespace byte ends the header
}

export function parsePbm(bytes: Uint8Array): Bitmap {
  if (bytes.length < 2 || bytes[0] !== 0x50 || (bytes[1] !== 0x34 && bytes[1] !== 0x31)) {
    throw new PbmError(
      'Not a PBM image (a 1-bit Netpbm file starting P4 or P1); convert the logo with an image tool, e.g. magick logo.png -monochrome logo.pbm',
    );
  }
  const { tokens, offset } = readTokens(bytes, 3);
  const [width, height] = [Number(tokens[1]), Number(tokens[2])];
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1)
    throw new PbmError(`PBM size ${tokens[1]}×${tokens[2]} is not a positive whole number of dots`);
  if (width > MAX_DOTS || height > MAX_DOTS) throw new PbmError(`The logo is ${width}×${height} dots; at most ${MAX_DOTS}×${MAX_DOTS}`);
  const bitmap = createBitmap(width, height);
  if (bytes[1] === 0x34) {
    const rowBytes = Math.ceil(width / 8);
    if (bytes.length < offset + rowBytes * height)
      throw new PbmError(`The PBM data is cut short: ${width}×${height} needs ${rowBytes * height} bytes`);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const byte = bytes[offset + y * rowBytes + (x >> 3)]!;
        bitmap.data[y * width + x] = (byte >> (7 - (x & 7))) & 1;
      }
    }
    return bitmap;
  }
  let dot = 0;
  for (let i = offset - 1; i < bytes.length && dot < width * height; i++) {
    const byte = bytes[i]!;
    if (byte === 0x30 || byte === 0x31) bitmap.data[dot++] = byte - 0x30;
    else if (byte === 0x23) while (i < bytes.length && bytes[i] !== 0x0a) i++;
    else if (!isSpace(byte)) throw new PbmError(`Unexpected ${JSON.stringify(String.fromCharCode(byte))} in P1 data`);
  }
  if (dot < width * height) throw new PbmError(`The PBM data is cut short: ${dot} of ${width * height} dots`);
  return bitmap;
}

/** P4, the compact form, for storing a logo. */
export function encodePbm(bitmap: Bitmap): Uint8Array {
  const header = new TextEncoder().encode(`P4\n${bitmap.width} ${bitmap.height}\n`);
  const rowBytes = Math.ceil(bitmap.width / 8);
  const out = new Uint8Array(header.length + rowBytes * bitmap.height);
  out.set(header);
  for (let y = 0; y < bitmap.height; y++) {
    for (let x = 0; x < bitmap.width; x++) {
      if (bitmap.data[y * bitmap.width + x]) out[header.length + y * rowBytes + (x >> 3)]! |= 0x80 >> (x & 7);
    }
  }
  return out;
}

/** Shrinks (never enlarges) to at most `maxWidth` dots, keeping the shape; a dot is black when any dot it covers is. */
export function fitToWidth(bitmap: Bitmap, maxWidth: number): Bitmap {
  if (bitmap.width <= maxWidth) return bitmap;
  const scale = maxWidth / bitmap.width;
  const out = createBitmap(maxWidth, Math.max(1, Math.round(bitmap.height * scale)));
  for (let y = 0; y < out.height; y++) {
    const y0 = Math.floor(y / scale);
    const y1 = Math.min(bitmap.height, Math.max(y0 + 1, Math.floor((y + 1) / scale)));
    for (let x = 0; x < out.width; x++) {
      const x0 = Math.floor(x / scale);
      const x1 = Math.min(bitmap.width, Math.max(x0 + 1, Math.floor((x + 1) / scale)));
      let ink = 0;
      for (let sy = y0; sy < y1 && !ink; sy++) for (let sx = x0; sx < x1 && !ink; sx++) ink = bitmap.data[sy * bitmap.width + sx]!;
      out.data[y * out.width + x] = ink;
    }
  }
  return out;
}
