import { iconv } from '../iconv';
import { packRows, unpackRows, type Bitmap } from '../escpos/bitmap';
import { createNativeCharTest } from '../escpos/chinese-text';
import type { TextRasteriser } from '../escpos/text-rasteriser';
import { sanitizeText } from '../escpos/text-width';
import { assertBarcodeData, gs1CheckDigit } from './barcode-bars';
import type { LabelBarcode, LabelDocument, LabelElement, LabelQr, LabelSymbology } from './label-document';
import { LabelContentError } from './label-errors';
import { rasteriseText } from './label-raster';

/**
 * TSPL / TSPL2 for TSC label printers and the Xprinter label models that speak it (TSC TSPL/TSPL2
 * Programming Manual). One label per `CLS … PRINT 1,copies`. Chinese text goes out in the
 * printer's own bitmap font: `TST24.BF2` (Traditional, Big5) on TSC Asian models, `TSS24.BF2`
 * (Simplified, GB2312/GBK) on Xprinter; a line with a character outside that code system is drawn
 * as a `BITMAP` (bits: 0 prints, 1 leaves paper white), so nothing turns into '?'.
 */
export interface TsplOptions {
  readonly copies: number;
  readonly codeSystem: 'big5hkscs' | 'gb18030';
  /** The printer's Chinese font, 24 × 24 dots at multiplier 1. */
  readonly font: string;
  readonly gapMm?: number;
  readonly rasteriser?: TextRasteriser;
}

/** TSPL code names for the symbologies, and the digits each takes (the printer adds the check digit). */
const TSPL_BARCODE: Record<LabelSymbology, { readonly name: string; readonly digits: number | null }> = {
  ean13: { name: 'EAN13', digits: 12 },
  upca: { name: 'UPCA', digits: 11 },
  code128: { name: '128', digits: null },
};

export function encodeTspl(doc: LabelDocument, o: TsplOptions): Uint8Array {
  if (!Number.isInteger(o.copies) || o.copies < 1 || o.copies > 99_999)
    throw new LabelContentError(`copies must be 1..99999, got ${o.copies}`);
  const out: Buffer[] = [];
  const line = (s: string) => out.push(Buffer.from(`${s}\r\n`, 'latin1'));
  line(`SIZE ${doc.widthMm} mm,${doc.heightMm} mm`);
  line(`GAP ${o.gapMm ?? 2} mm,0 mm`);
  line('DIRECTION 1');
  line('CLS');
  const native = createNativeCharTest(o.codeSystem);
  for (const e of doc.elements) encodeElement(e, o, out, native);
  line(`PRINT 1,${o.copies}`);
  return new Uint8Array(Buffer.concat(out));
}

/** A quoted TSPL string: `"` is written `\["]`, as the manual says. */
function quoted(bytes: Buffer): Buffer {
  const parts: Buffer[] = [Buffer.from('"')];
  for (const b of bytes) parts.push(b === 0x22 ? Buffer.from('\\["]') : Buffer.from([b]));
  parts.push(Buffer.from('"'));
  return Buffer.concat(parts);
}

function encodeElement(e: LabelElement, o: TsplOptions, out: Buffer[], native: (ch: string) => boolean): void {
  const ascii = (s: string) => out.push(Buffer.from(s, 'latin1'));
  switch (e.kind) {
    case 'box':
      ascii(`BAR ${e.x},${e.y},${e.width},${e.height}\r\n`);
      return;
    case 'barcode': {
      assertBarcodeData(e.symbology, e.data);
      const b = TSPL_BARCODE[e.symbology];
      const data = b.digits === null ? e.data : e.data.slice(0, b.digits);
      ascii(`BARCODE ${e.x},${e.y},"${b.name}",${e.height},0,0,${e.module},${e.module * 2},`);
      out.push(quoted(Buffer.from(data, 'latin1')), Buffer.from('\r\n'));
      return;
    }
    case 'qr':
      ascii(`QRCODE ${e.x},${e.y},M,${Math.min(10, Math.max(1, e.module))},A,0,`);
      out.push(quoted(Buffer.from(e.data, 'utf8')), Buffer.from('\r\n'));
      return;
    case 'text': {
      const text = sanitizeText(e.text).replace(/\n/g, ' ');
      const multiplier = Math.max(1, Math.min(10, Math.round(e.height / 24)));
      if ([...text].every((ch) => native(ch))) {
        // The BF2 font prints ASCII half-width and Chinese full-width, 24 dots high per multiplier.
        ascii(`TEXT ${e.x},${e.y},"${o.font}",0,${multiplier},${multiplier},`);
        out.push(quoted(iconv().encode(text, o.codeSystem)), Buffer.from('\r\n'));
        return;
      }
      if (!o.rasteriser)
        throw new LabelContentError(`"${text}" has characters outside ${o.codeSystem}; a rasteriser is needed to draw them`);
      const bitmap = rasteriseText({ ...e, text }, o.rasteriser);
      const packed = packRows(bitmap);
      ascii(`BITMAP ${e.x},${e.y},${packed.bytesPerRow},${bitmap.height},0,`);
      out.push(Buffer.from(packed.data.map((b) => ~b & 0xff)), Buffer.from('\r\n'));
      return;
    }
  }
}

// The decoder ---------------------------------------------------------------------------------

/** A field read back; barcodes and QR codes as the label document has them (`data` with the printer's check digit). */
export type TsplField =
  | {
      readonly kind: 'text';
      readonly x: number;
      readonly y: number;
      readonly font: string;
      readonly multiplier: number;
      readonly text: string;
    }
  | LabelBarcode
  | LabelQr
  | { readonly kind: 'bitmap'; readonly x: number; readonly y: number; readonly bitmap: Bitmap }
  | { readonly kind: 'bar'; readonly x: number; readonly y: number; readonly width: number; readonly height: number };

export interface TsplLabel {
  readonly widthMm: number | null;
  readonly heightMm: number | null;
  readonly copies: number;
  readonly fields: readonly TsplField[];
}

const SYMBOLOGY_BY_NAME: Record<string, LabelSymbology> = { EAN13: 'ean13', UPCA: 'upca', '128': 'code128', '128M': 'code128' };

/**
 * Reads TSPL back: SIZE, CLS, TEXT, BARCODE, QRCODE, BITMAP (binary data skipped by its declared
 * size), BAR, PRINT. Text is decoded from the code system; a command it does not know is an error.
 */
export function decodeTspl(bytes: Uint8Array, codeSystem: 'big5hkscs' | 'gb18030'): TsplLabel[] {
  const buf = Buffer.from(bytes);
  const labels: TsplLabel[] = [];
  let size: { w: number | null; h: number | null } = { w: null, h: null };
  let fields: TsplField[] = [];
  let i = 0;
  const readToken = (): string => {
    const start = i;
    while (i < buf.length && buf[i] !== 0x2c && buf[i] !== 0x0d && buf[i] !== 0x0a) i++;
    return buf.toString('latin1', start, i).trim();
  };
  const readQuoted = (): Buffer => {
    if (buf[i] !== 0x22) throw new LabelContentError(`TSPL: expected a quoted string at byte ${i}`);
    i++;
    const parts: number[] = [];
    while (i < buf.length && buf[i] !== 0x22) {
      if (buf[i] === 0x5c && buf.toString('latin1', i, i + 4) === '\\["]') {
        parts.push(0x22);
        i += 4;
      } else parts.push(buf[i++]!);
    }
    i++;
    return Buffer.from(parts);
  };
  const comma = () => {
    if (buf[i] === 0x2c) i++;
  };
  const endLine = () => {
    while (i < buf.length && (buf[i] === 0x0d || buf[i] === 0x0a)) i++;
  };
  while (i < buf.length) {
    endLine();
    if (i >= buf.length) break;
    const start = i;
    while (i < buf.length && buf[i] !== 0x20 && buf[i] !== 0x0d && buf[i] !== 0x0a) i++;
    const command = buf.toString('latin1', start, i);
    if (buf[i] === 0x20) i++;
    const args = (n: number): number[] => {
      const out: number[] = [];
      for (let k = 0; k < n; k++) {
        out.push(Number(readToken()));
        comma();
      }
      return out;
    };
    switch (command) {
      case 'SIZE': {
        const [w, h] = buf
          .toString('latin1', i, buf.indexOf(0x0d, i))
          .split(',')
          .map((s) => parseFloat(s));
        size = { w: w ?? null, h: h ?? null };
        i = buf.indexOf(0x0d, i);
        break;
      }
      case 'GAP':
      case 'DIRECTION':
      case 'CODEPAGE':
      case 'DENSITY':
      case 'SPEED':
        i = buf.indexOf(0x0d, i);
        break;
      case 'CLS':
        fields = [];
        break;
      case 'TEXT': {
        const [x, y] = args(2);
        const font = readQuoted().toString('latin1');
        comma();
        const [, multiplier] = args(3);
        const text = iconv().decode(readQuoted(), codeSystem);
        fields.push({ kind: 'text', x: x!, y: y!, font, multiplier: multiplier!, text });
        break;
      }
      case 'BARCODE': {
        const [x, y] = args(2);
        const name = readQuoted().toString('latin1');
        comma();
        const [height, , , module] = args(5);
        const sent = readQuoted().toString('latin1');
        const symbology = SYMBOLOGY_BY_NAME[name];
        if (symbology === undefined) throw new LabelContentError(`TSPL: unknown barcode type ${name}`);
        const data = symbology === 'code128' ? sent : sent + String(gs1CheckDigit(sent));
        fields.push({ kind: 'barcode', x: x!, y: y!, symbology, data, height: height!, module: module! });
        break;
      }
      case 'QRCODE': {
        const [x, y] = args(2);
        readToken(); // ECC level
        comma();
        const [module] = args(1);
        readToken(); // mode
        comma();
        args(1); // rotation
        const data = readQuoted().toString('utf8');
        fields.push({ kind: 'qr', x: x!, y: y!, data, module: module! });
        break;
      }
      case 'BITMAP': {
        const [x, y, bytesPerRow, height] = args(5);
        const length = bytesPerRow! * height!;
        const data = Uint8Array.from(buf.subarray(i, i + length), (b) => ~b & 0xff);
        i += length;
        fields.push({ kind: 'bitmap', x: x!, y: y!, bitmap: unpackRows(data, bytesPerRow!, height!) });
        break;
      }
      case 'BAR': {
        const [x, y, width, height] = args(4);
        fields.push({ kind: 'bar', x: x!, y: y!, width: width!, height: height! });
        break;
      }
      case 'PRINT': {
        const [, copies] = args(2);
        labels.push({ widthMm: size.w, heightMm: size.h, copies: Number.isNaN(copies) ? 1 : copies!, fields });
        fields = [];
        break;
      }
      default:
        throw new LabelContentError(`TSPL: unknown command ${JSON.stringify(command.slice(0, 20))}`);
    }
    if (i < 0) break;
  }
  return labels;
}
