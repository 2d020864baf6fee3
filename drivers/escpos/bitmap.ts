/**
 * A 1-bit image as the printer sees it: one byte per dot (0 white, 1 black), row-major.
 * Unpacked on purpose: composing text cells, barcodes and scaling stay simple; packing to the
 * printer's 8-dots-per-byte format happens once, in `packRows`.
 */
export interface Bitmap {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

export function createBitmap(width: number, height: number): Bitmap {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 0 || height < 0) {
    throw new RangeError(`bitmap size must be non-negative integers, got ${width}x${height}`);
  }
  return { width, height, data: new Uint8Array(width * height) };
}

export function getDot(b: Bitmap, x: number, y: number): number {
  if (x < 0 || y < 0 || x >= b.width || y >= b.height) return 0;
  return b.data[y * b.width + x]!;
}

export function setDot(b: Bitmap, x: number, y: number): void {
  if (x < 0 || y < 0 || x >= b.width || y >= b.height) return;
  b.data[y * b.width + x] = 1;
}

export function fillRect(b: Bitmap, x: number, y: number, w: number, h: number): void {
  for (let yy = Math.max(0, y); yy < Math.min(b.height, y + h); yy++) {
    for (let xx = Math.max(0, x); xx < Math.min(b.width, x + w); xx++) b.data[yy * b.width + xx] = 1;
  }
}

/** ORs `src` onto `dst` with its top-left corner at (x, y); what falls outside is clipped. */
export function blit(dst: Bitmap, src: Bitmap, x: number, y: number): void {
  for (let sy = 0; sy < src.height; sy++) {
    const dy = y + sy;
    if (dy < 0 || dy >= dst.height) continue;
    for (let sx = 0; sx < src.width; sx++) {
      const dx = x + sx;
      if (dx < 0 || dx >= dst.width) continue;
      if (src.data[sy * src.width + sx]) dst.data[dy * dst.width + dx] = 1;
    }
  }
}

export function scaleBitmap(src: Bitmap, sx: number, sy: number): Bitmap {
  const out = createBitmap(src.width * sx, src.height * sy);
  for (let y = 0; y < out.height; y++) {
    for (let x = 0; x < out.width; x++) {
      out.data[y * out.width + x] = src.data[Math.floor(y / sy) * src.width + Math.floor(x / sx)]!;
    }
  }
  return out;
}

/** Places `src` on a canvas `width` dots wide, aligned as asked. Wider sources are clipped on the right. */
export function alignOnCanvas(src: Bitmap, width: number, align: 'left' | 'center' | 'right'): Bitmap {
  const out = createBitmap(width, src.height);
  const free = Math.max(0, width - src.width);
  const x = align === 'left' ? 0 : align === 'right' ? free : free >> 1;
  blit(out, src, x, 0);
  return out;
}

/**
 * Packs rows MSB-first, 8 dots per byte, rows padded to whole bytes: the layout of
 * `GS v 0` (https://download4.epson.biz/sec_pubs/pos/reference_en/escpos/gs_lv_0.html).
 */
export function packRows(b: Bitmap): { bytesPerRow: number; data: Uint8Array } {
  const bytesPerRow = Math.ceil(b.width / 8);
  const data = new Uint8Array(bytesPerRow * b.height);
  for (let y = 0; y < b.height; y++) {
    for (let x = 0; x < b.width; x++) {
      if (!b.data[y * b.width + x]) continue;
      const k = y * bytesPerRow + (x >> 3);
      data[k] = data[k]! | (0x80 >> (x & 7));
    }
  }
  return { bytesPerRow, data };
}

/** Inverse of `packRows`, used by the decoder and emulators to look at what was printed. */
export function unpackRows(data: Uint8Array, bytesPerRow: number, height: number): Bitmap {
  const b = createBitmap(bytesPerRow * 8, height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < bytesPerRow * 8; x++) {
      if ((data[y * bytesPerRow + (x >> 3)]! & (0x80 >> (x & 7))) !== 0) b.data[y * b.width + x] = 1;
    }
  }
  return b;
}

/** Counts black dots: a quick way for tests to tell an empty image from a drawn one. */
export function inkCount(b: Bitmap): number {
  let n = 0;
  for (const v of b.data) n += v;
  return n;
}
