import { DriverError } from '../driver-error';
import { alignOnCanvas, createBitmap, fillRect, packRows, type Bitmap } from './bitmap';
import { createNativeCharTest, encodeChinese } from './chinese-text';
import * as cmd from './commands';
import type { Align, BarcodeBlock, ImageBlock, QrBlock, ReceiptBlock, ReceiptDocument, TextStyle } from './document';
import type { PrinterProfile } from './profile';
import { assertCode128Data, code128Bitmap, EscPosContentError, qrBitmap } from './raster-codes';
import { renderTextLine } from './raster-text';
import { assertBarcodeData, barWidths } from '../labels/barcode-bars';
import type { TextRasteriser } from './text-rasteriser';
import { clusters, displayWidth, fitWidth, sanitizeText, wrapText } from './text-width';

export class RasteriserRequiredError extends DriverError {
  readonly code = 'TEXT_RASTERISER_REQUIRED';
}

export interface EncodeOptions {
  readonly profile: PrinterProfile;
  /** Needed only when a line must be printed as an image; without it such a line is an error. */
  readonly rasteriser?: TextRasteriser;
}

/** Raster images go out in bands: cheap printers have small receive buffers and some cap rows per image. */
const MAX_BAND_ROWS = 256;
const DEFAULT_BARCODE_HEIGHT = 80;
const DEFAULT_QR_MODULE = 6;

interface LaidOutLine {
  readonly text: string;
  readonly align: Align;
  readonly bold: boolean;
  readonly width: 1 | 2;
  readonly height: 1 | 2;
}

/**
 * Turns a receipt document into ESC/POS bytes for one printer profile.
 *
 * Each text line goes out natively when every character is in the printer's font (ASCII, or
 * two-byte Big5-HKSCS / GBK inside `FS &` … `FS .`), and as a raster image otherwise, so one
 * unprintable character never turns into '?' on a receipt.
 */
export function encodeReceipt(doc: ReceiptDocument, options: EncodeOptions): Uint8Array {
  const out = createSink(options);
  out.push(cmd.init());
  for (const block of doc.blocks) encodeBlock(block, out, options);
  return Uint8Array.from(out.bytes);
}

/** Bytes that open the drawer on their own (No Sale, the hardware screen's drawer button). */
export function drawerKickBytes(profile: PrinterProfile, o: { readonly pin?: 2 | 5; readonly realtime?: boolean } = {}): Uint8Array {
  const pin = o.pin ?? profile.drawer.pin;
  const realtime = o.realtime ?? profile.drawer.realtime;
  return Uint8Array.from(
    realtime ? cmd.drawerPulseRealtime(pin, profile.drawer.onMs) : cmd.drawerKick(pin, profile.drawer.onMs, profile.drawer.offMs),
  );
}

interface Sink {
  readonly bytes: number[];
  push(b: readonly number[] | Uint8Array): void;
  style(s: { align?: Align; bold?: boolean; width?: 1 | 2; height?: 1 | 2 }): void;
  isNative(cluster: string): boolean;
}

function createSink(options: EncodeOptions): Sink {
  const bytes: number[] = [];
  // The state ESC @ leaves; commands go out only on change, which keeps jobs small and transcripts readable.
  let align: Align = 'left';
  let bold = false;
  let width: 1 | 2 = 1;
  let height: 1 | 2 = 1;
  const native = createNativeCharTest(options.profile.codeSystem);
  const push = (b: readonly number[] | Uint8Array): void => {
    for (const x of b) bytes.push(x);
  };
  return {
    bytes,
    push,
    isNative: native,
    style(s) {
      if (s.align !== undefined && s.align !== align) push(cmd.align((align = s.align)));
      if (s.bold !== undefined && s.bold !== bold) push(cmd.bold((bold = s.bold)));
      const w = s.width ?? width;
      const h = s.height ?? height;
      if (w !== width || h !== height) {
        width = w;
        height = h;
        push(cmd.size(w, h));
      }
    },
  };
}

function encodeBlock(block: ReceiptBlock, out: Sink, o: EncodeOptions): void {
  const { profile } = o;
  switch (block.type) {
    case 'text': {
      const s = styleOf(block);
      const cols = columnsFor(profile, s.width);
      const lines = wrapText(sanitizeText(block.text), cols);
      for (const text of lines) emitLine({ text, align: block.align ?? 'left', ...s }, out, o);
      return;
    }
    case 'pair': {
      const s = styleOf(block);
      const cols = columnsFor(profile, s.width);
      for (const text of layoutPair(sanitizeText(block.left), sanitizeText(block.right), cols))
        emitLine({ text, align: 'left', ...s }, out, o);
      return;
    }
    case 'rule':
      emitLine({ text: (block.char ?? '-').repeat(profile.paper.columns), align: 'left', bold: false, width: 1, height: 1 }, out, o);
      return;
    case 'feed':
      out.push(cmd.feedLines(block.lines));
      return;
    case 'barcode':
      encodeBarcode(block, out, o);
      return;
    case 'qr':
      encodeQr(block, out, o);
      return;
    case 'image':
      encodeImage(block, out, o);
      return;
    case 'cut':
      out.push(cmd.feedLines(profile.cutFeedLines));
      out.push(cmd.cut(block.mode ?? profile.cut));
      return;
    case 'drawer':
      out.push(cmd.drawerKick(block.pin ?? profile.drawer.pin, profile.drawer.onMs, profile.drawer.offMs));
      return;
  }
}

function styleOf(s: TextStyle): { bold: boolean; width: 1 | 2; height: 1 | 2 } {
  return { bold: s.bold ?? false, width: s.width ?? 1, height: s.height ?? 1 };
}

function columnsFor(profile: PrinterProfile, widthMultiplier: 1 | 2): number {
  return Math.floor(profile.paper.columns / widthMultiplier);
}

/** Left text wraps in the room the right text leaves (one space between); the right text sits on the first line. */
export function layoutPair(left: string, right: string, cols: number): string[] {
  const rightWidth = displayWidth(right);
  if (rightWidth + 3 > cols) {
    // No room beside it: the right text gets its own right-aligned line(s).
    return [...wrapText(left, cols), ...wrapText(right, cols).map((r) => fitWidth(r, cols, 'right'))];
  }
  const leftLines = wrapText(left, cols - rightWidth - 1);
  const first = leftLines[0] ?? '';
  return [first + ' '.repeat(cols - displayWidth(first) - rightWidth) + right, ...leftLines.slice(1)];
}

function emitLine(line: LaidOutLine, out: Sink, o: EncodeOptions): void {
  const cs = clusters(line.text);
  if (cs.every((c) => out.isNative(c.text))) {
    out.style(line);
    emitNativeText(
      cs.map((c) => c.text),
      out,
      o.profile,
    );
    out.push([cmd.LF]);
    return;
  }
  if (o.rasteriser === undefined) {
    throw new RasteriserRequiredError(
      `"${line.text.trim()}" needs the raster fallback on profile ${o.profile.name}, and no text rasteriser was given`,
    );
  }
  const bitmap = renderTextLine(line.text, {
    canvasDots: o.profile.paper.dots,
    align: line.align,
    widthMultiplier: line.width,
    heightMultiplier: line.height,
    bold: line.bold,
    rasteriser: o.rasteriser,
  });
  emitRaster(bitmap, out);
}

function emitNativeText(cs: string[], out: Sink, profile: PrinterProfile): void {
  let run = '';
  const flush = (): void => {
    if (run === '' || profile.codeSystem === 'none') return;
    const bytes = encodeChinese(run, profile.codeSystem);
    if (profile.chineseMode === 'fs-ampersand') out.push([...cmd.chineseModeOn(), ...bytes, ...cmd.chineseModeOff()]);
    else out.push(bytes);
    run = '';
  };
  for (const c of cs) {
    if (c.length === 1 && c.charCodeAt(0) < 0x80) {
      flush();
      out.push([c.charCodeAt(0)]);
    } else {
      run += c;
    }
  }
  flush();
}

function emitRaster(bitmap: Bitmap, out: Sink): void {
  out.style({ align: 'left' });
  for (let top = 0; top < bitmap.height; top += MAX_BAND_ROWS) {
    const rows = Math.min(MAX_BAND_ROWS, bitmap.height - top);
    const band: Bitmap = { width: bitmap.width, height: rows, data: bitmap.data.subarray(top * bitmap.width, (top + rows) * bitmap.width) };
    const packed = packRows(band);
    out.push(cmd.rasterImage(packed.bytesPerRow, rows, packed.data));
  }
}

function encodeBarcode(block: BarcodeBlock, out: Sink, o: EncodeOptions): void {
  const symbology = block.symbology ?? 'code128';
  if (symbology === 'code128') assertCode128Data(block.data);
  else {
    try {
      assertBarcodeData(symbology, block.data);
    } catch (cause) {
      throw new EscPosContentError((cause as Error).message, { cause });
    }
  }
  const height = block.height ?? DEFAULT_BARCODE_HEIGHT;
  const moduleWidth = block.moduleWidth ?? 2;
  const hri = block.hri ?? true;
  const align = block.align ?? 'center';
  if (o.profile.barcode === 'native') {
    out.style({ align });
    out.push([
      ...cmd.barcodeHri(hri),
      ...cmd.barcodeHeight(height),
      ...cmd.barcodeModuleWidth(moduleWidth),
      ...(symbology === 'code128' ? cmd.code128(block.data) : cmd.eanUpc(symbology, block.data)),
    ]);
    return;
  }
  const bars =
    symbology === 'code128' ? code128Bitmap(block.data, moduleWidth, height) : linearBitmap(symbology, block.data, moduleWidth, height);
  if (bars.width > o.profile.paper.dots)
    throw new EscPosContentError(`barcode "${block.data}" is ${bars.width} dots wide; the paper has ${o.profile.paper.dots}`);
  emitRaster(alignOnCanvas(bars, o.profile.paper.dots, align), out);
  if (hri) emitLine({ text: block.data, align, bold: false, width: 1, height: 1 }, out, o);
}

function encodeQr(block: QrBlock, out: Sink, o: EncodeOptions): void {
  const moduleSize = block.moduleSize ?? DEFAULT_QR_MODULE;
  const ecc = block.ecc ?? 'M';
  const align = block.align ?? 'center';
  if (o.profile.qr === 'native') {
    const data = Buffer.from(block.data, 'utf8');
    if (data.length === 0) throw new EscPosContentError('QR data is empty');
    out.style({ align });
    out.push(cmd.qrCode(data, moduleSize, ecc));
    return;
  }
  const qr = qrBitmap(block.data, moduleSize, ecc);
  if (qr.width > o.profile.paper.dots)
    throw new EscPosContentError(`QR code is ${qr.width} dots wide; the paper has ${o.profile.paper.dots} (use a smaller moduleSize)`);
  emitRaster(alignOnCanvas(qr, o.profile.paper.dots, align), out);
}

function encodeImage(block: ImageBlock, out: Sink, o: EncodeOptions): void {
  const { bitmap } = block;
  if (bitmap.width > o.profile.paper.dots)
    throw new EscPosContentError(`image is ${bitmap.width} dots wide; the paper has ${o.profile.paper.dots}`);
  if (bitmap.height === 0) return;
  emitRaster(alignOnCanvas(bitmap, o.profile.paper.dots, block.align ?? 'center'), out);
}

/** EAN-13 / UPC-A bars with 9-module quiet zones, for printers without native barcodes. */
function linearBitmap(symbology: 'ean13' | 'upca', data: string, moduleWidth: number, height: number): Bitmap {
  const widths = barWidths(symbology, data);
  const quiet = 9 * moduleWidth;
  const b = createBitmap(widths.reduce((a, w) => a + w, 0) * moduleWidth + 2 * quiet, height);
  let x = quiet;
  widths.forEach((w, i) => {
    if (i % 2 === 0) fillRect(b, x, 0, w * moduleWidth, height);
    x += w * moduleWidth;
  });
  return b;
}
