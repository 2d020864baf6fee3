/**
 * ESC/POS command bytes, one builder per command.
 *
 * Reference: Epson ESC/POS Command Reference for TM printers,
 * https://download4.epson.biz/sec_pubs/pos/reference_en/escpos/ (page names in each comment).
 * Every builder validates its range, so a bad argument is a RangeError here rather than a
 * printer silently eating the following bytes as parameters.
 */

export const ESC = 0x1b;
export const GS = 0x1d;
export const FS = 0x1c;
export const DLE = 0x10;
export const LF = 0x0a;

function byteRange(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer in ${min}..${max}, got ${value}`);
  }
  return value;
}

/** ESC @ (esc_atsign.html): clears the buffer and resets print modes. */
export const init = (): number[] => [ESC, 0x40];

/** ESC a n (esc_la.html): justification of the following lines. */
export function align(a: 'left' | 'center' | 'right'): number[] {
  return [ESC, 0x61, a === 'left' ? 0 : a === 'center' ? 1 : 2];
}

/** ESC E n (esc_ce.html): emphasized (bold). Applies to Chinese characters too. */
export const bold = (on: boolean): number[] => [ESC, 0x45, on ? 1 : 0];

/**
 * GS ! n (gs_exclamation.html): character size. High nibble = width multiplier - 1, low nibble =
 * height multiplier - 1. Unlike ESC !, it also scales Chinese (Kanji mode) characters.
 */
export function size(width: number, height: number): number[] {
  byteRange('width multiplier', width, 1, 8);
  byteRange('height multiplier', height, 1, 8);
  return [GS, 0x21, ((width - 1) << 4) | (height - 1)];
}

/** ESC d n (esc_ld.html): print and feed n lines. */
export const feedLines = (n: number): number[] => [ESC, 0x64, byteRange('feed lines', n, 0, 255)];

/** GS V m (gs_cv.html), function A: m = 0 full cut, 1 partial cut (one point left uncut). */
export const cut = (mode: 'full' | 'partial'): number[] => [GS, 0x56, mode === 'full' ? 0 : 1];

/**
 * ESC p m t1 t2 (esc_lp.html): drawer kick pulse. m = 0 → connector pin 2, m = 1 → pin 5.
 * The pulse is on for t1 × 2 ms and off for t2 × 2 ms. The timing bytes are not optional:
 * libraries that send `ESC p 0` alone leave the printer waiting for two more bytes and then eat
 * the start of the next job as timing.
 */
export function drawerKick(pin: 2 | 5, onMs: number, offMs: number): number[] {
  return [
    ESC,
    0x70,
    pin === 2 ? 0 : 1,
    byteRange('drawer on time (2 ms units)', Math.ceil(onMs / 2), 1, 255),
    byteRange('drawer off time (2 ms units)', Math.ceil(offMs / 2), 1, 255),
  ];
}

/**
 * DLE DC4 n m t with n = 1 (dle_dc4.html): real-time drawer pulse, on for t × 100 ms and off for
 * t × 100 ms, t in 1..8. Real-time commands run on receipt, even when the printer is offline with
 * paper out or the cover open, which is what "No Sale" needs.
 */
export function drawerPulseRealtime(pin: 2 | 5, onMs: number): number[] {
  const t = Math.min(8, Math.max(1, Math.ceil(onMs / 100)));
  return [DLE, 0x14, 0x01, pin === 2 ? 0 : 1, t];
}

/** DLE EOT n (dle_eot.html): transmit real-time status; n = 1 printer, 2 offline cause, 3 error cause, 4 roll paper sensor. */
export const statusRequest = (n: 1 | 2 | 3 | 4): number[] => [DLE, 0x04, n];

/** FS & (fs_ampersand.html): enter Kanji (Chinese) mode; following bytes >= 0x80 are read as two-byte characters. */
export const chineseModeOn = (): number[] => [FS, 0x26];

/** FS . (fs_period.html): leave Kanji (Chinese) mode. */
export const chineseModeOff = (): number[] => [FS, 0x2e];

/** GS H n (gs_ch.html): barcode human-readable text; 0 none, 2 below. */
export const barcodeHri = (below: boolean): number[] => [GS, 0x48, below ? 2 : 0];

/** GS h n (gs_lh.html): barcode height in dots. */
export const barcodeHeight = (dots: number): number[] => [GS, 0x68, byteRange('barcode height', dots, 1, 255)];

/** GS w n (gs_lw.html): barcode module width in dots. */
export const barcodeModuleWidth = (dots: number): number[] => [GS, 0x77, byteRange('barcode module width', dots, 2, 6)];

/**
 * GS k m=73 n d1..dn (gs_lk.html): CODE128. The data starts with a code set selector; `{B` selects
 * code set B (ASCII 32..127). A literal '{' must be sent as '{{'.
 */
export function code128(data: string): number[] {
  const body = '{B' + data.replace(/\{/g, '{{');
  const bytes = Array.from(body, (c) => c.charCodeAt(0));
  byteRange('CODE128 data length', bytes.length, 2, 255);
  return [GS, 0x6b, 73, bytes.length, ...bytes];
}

/** GS k m=67 (EAN-13 / JAN-13) and m=65 (UPC-A) with the digits before the check digit, which the printer adds. */
export function eanUpc(symbology: 'ean13' | 'upca', digits: string): number[] {
  const body = symbology === 'ean13' ? digits.slice(0, 12) : digits.slice(0, 11);
  return [GS, 0x6b, symbology === 'ean13' ? 67 : 65, body.length, ...Array.from(body, (c) => c.charCodeAt(0))];
}

function gsParenK(fn: number, params: number[]): number[] {
  const len = params.length + 2;
  return [GS, 0x28, 0x6b, len & 0xff, len >> 8, 49, fn, ...params];
}

/** GS ( k, cn = 49 (gs_lparen_lk_fn165.html and siblings): QR Code, model 2. */
export function qrCode(data: Uint8Array, moduleSize: number, ecc: 'L' | 'M' | 'Q' | 'H'): number[] {
  byteRange('QR module size', moduleSize, 1, 16);
  byteRange('QR data length', data.length, 1, 7089);
  const eccByte = { L: 48, M: 49, Q: 50, H: 51 }[ecc];
  return [
    ...gsParenK(65, [50, 0]), // fn 165: model 2
    ...gsParenK(67, [moduleSize]), // fn 167: module size in dots
    ...gsParenK(69, [eccByte]), // fn 169: error correction level
    ...gsParenK(80, [48, ...data]), // fn 180: store the data in the symbol storage area
    ...gsParenK(81, [48]), // fn 181: print the stored symbol
  ];
}

/**
 * GS v 0 m xL xH yL yH d1..dk (gs_lv_0.html): raster bit image, normal density. x is bytes per
 * row, y is rows. Data bytes are sanitised by `breakRealtimeSequences` first (see there).
 */
export function rasterImage(bytesPerRow: number, rows: number, data: Uint8Array): number[] {
  byteRange('raster bytes per row', bytesPerRow, 1, 0xffff);
  byteRange('raster rows', rows, 1, 0xffff);
  if (data.length !== bytesPerRow * rows) throw new RangeError(`raster data is ${data.length} bytes, expected ${bytesPerRow * rows}`);
  const out = [GS, 0x76, 0x30, 0, bytesPerRow & 0xff, bytesPerRow >> 8, rows & 0xff, rows >> 8];
  const safe = breakRealtimeSequences(data);
  for (const b of safe) out.push(b);
  return out;
}

/**
 * Printers act on real-time commands (DLE EOT, DLE ENQ, DLE DC4) wherever the bytes appear,
 * including inside image data (dle_dc4.html, "Notes"). An image whose bytes happened to read
 * 10 14 01 00 01 would pulse the drawer; 10 05 02 would clear the buffer mid-receipt. Any DLE
 * (0x10) followed by EOT, ENQ or DC4 becomes 0x11: one extra black dot at the end of an 8-dot
 * run, invisible on paper, and no command.
 */
export function breakRealtimeSequences(data: Uint8Array): Uint8Array {
  let out: Uint8Array | null = null;
  for (let i = 0; i + 1 < data.length; i++) {
    if (data[i] !== DLE) continue;
    const next = data[i + 1];
    if (next === 0x04 || next === 0x05 || next === 0x14) {
      out ??= Uint8Array.from(data);
      out[i] = 0x11;
    }
  }
  return out ?? data;
}
