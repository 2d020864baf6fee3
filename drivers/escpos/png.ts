/**
 * A 1-bit bitmap as a PNG file (greyscale, bit depth 1: black ink, white paper), so a screen can
 * show exactly the dots the printer gets (the receipt preview's logo). PNG: https://www.w3.org/TR/png/
 */
import { deflateSync } from 'node:zlib';
import type { Bitmap } from './bitmap';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

export function encodePng(bitmap: Bitmap): Uint8Array {
  if (bitmap.width === 0 || bitmap.height === 0) throw new RangeError('a PNG needs at least one dot');
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, bitmap.width);
  view.setUint32(4, bitmap.height);
  header.set([1, 0, 0, 0, 0], 8); // bit depth 1, greyscale, deflate, adaptive filtering, no interlace
  // Each row: filter byte 0, then 8 dots per byte, most significant bit first; 1 is white in PNG.
  const rowBytes = Math.ceil(bitmap.width / 8);
  const raw = new Uint8Array((rowBytes + 1) * bitmap.height);
  for (let y = 0; y < bitmap.height; y++) {
    const row = y * (rowBytes + 1);
    for (let x = 0; x < bitmap.width; x++) {
      if (bitmap.data[y * bitmap.width + x] !== 0) continue;
      const at = row + 1 + (x >> 3);
      raw[at] = raw[at]! | (0x80 >> (x & 7));
    }
  }
  const parts = [Uint8Array.from(SIGNATURE), chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array(0))];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
