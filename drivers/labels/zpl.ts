import { packRows, unpackRows, type Bitmap } from '../escpos/bitmap';
import type { TextRasteriser } from '../escpos/text-rasteriser';
import { sanitizeText } from '../escpos/text-width';
import { assertBarcodeData, gs1CheckDigit } from './barcode-bars';
import type { LabelBarcode, LabelBox, LabelDocument, LabelElement, LabelQr, LabelSymbology } from './label-document';
import { LabelContentError } from './label-errors';
import { rasteriseText } from './label-raster';

/**
 * ZPL II for Zebra label printers (ZPL II Programming Guide, Zebra P1012728). One `^XA … ^XZ`
 * format per label, printed `copies` times with `^PQ`. Field data goes through `^FH_` so a product
 * name can never carry a `^` or `~` command. ASCII text uses the scalable font 0; Chinese either a
 * TrueType font loaded on the printer (`^CI28` UTF-8, `^A@`) or, by default (any Zebra can print
 * it), a `^GFA` graphic of the very dots the preview shows.
 */
export interface ZplOptions {
  readonly copies: number;
  /** Needed for Chinese without a printer font. */
  readonly rasteriser?: TextRasteriser;
  /** A font file on the printer that has Chinese (e.g. `E:NOTOHK.TTF`); null draws Chinese as graphics. */
  readonly cjkFont?: string | null;
}

const ASCII = /^[\x20-\x7e]*$/;

export function encodeZpl(doc: LabelDocument, o: ZplOptions): Uint8Array {
  if (!Number.isInteger(o.copies) || o.copies < 1 || o.copies > 99_999)
    throw new LabelContentError(`copies must be 1..99999, got ${o.copies}`);
  const parts: string[] = ['^XA', '^CI28', `^PW${doc.widthDots}`, `^LL${doc.heightDots}`, '^LH0,0'];
  for (const e of doc.elements) parts.push(encodeElement(e, o));
  parts.push(`^PQ${o.copies},0,1,Y`, '^XZ', '');
  return new Uint8Array(Buffer.from(parts.join('\n'), 'utf8'));
}

/** `^FH_` escapes: the three characters that would start a command or an escape. */
function fieldData(text: string): string {
  return text.replace(/[_^~]/g, (c) => `_${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

function encodeElement(e: LabelElement, o: ZplOptions): string {
  const at = `^FO${e.x},${e.y}`;
  switch (e.kind) {
    case 'box': {
      const thickness = Math.min(e.width, e.height);
      return `${at}^GB${e.width},${e.height},${thickness}^FS`;
    }
    case 'barcode': {
      assertBarcodeData(e.symbology, e.data);
      const by = `^BY${e.module},2,${e.height}`;
      // ^BE takes 12 digits and ^BU 11: the printer adds the check digit we verified.
      if (e.symbology === 'ean13') return `${at}${by}^BEN,${e.height},N,N^FD${e.data.slice(0, 12)}^FS`;
      if (e.symbology === 'upca') return `${at}${by}^BUN,${e.height},N,N,N^FD${e.data.slice(0, 11)}^FS`;
      return `${at}${by}^BCN,${e.height},N,N,N,A^FH_^FD${fieldData(e.data)}^FS`;
    }
    case 'qr':
      // Model 2, magnification = module; "MA," = error correction M, automatic data mode.
      return `${at}^BQN,2,${Math.min(10, Math.max(1, e.module))}^FH_^FDMA,${fieldData(e.data)}^FS`;
    case 'text': {
      const text = sanitizeText(e.text).replace(/\n/g, ' ');
      const font = e.bold ? `^A0N,${e.height},${Math.round(e.height * 0.6)}` : `^A0N,${e.height},${Math.round(e.height / 2)}`;
      if (ASCII.test(text)) return `${at}${font}^FB${e.maxWidth},1,0,L^FH_^FD${fieldData(text)}^FS`;
      if (o.cjkFont) return `${at}^A@N,${e.height},${e.height},${o.cjkFont}^FB${e.maxWidth},1,0,L^FH_^FD${fieldData(text)}^FS`;
      if (!o.rasteriser) throw new LabelContentError(`"${text}" needs a Chinese font on the printer or a rasteriser to draw it`);
      return `${at}${graphicField(rasteriseText({ ...e, text }, o.rasteriser))}^FS`;
    }
  }
}

/** `^GFA,total,total,bytesPerRow,hex`: an uncompressed 1-bit graphic, rows MSB first, 1 = black. */
function graphicField(bitmap: Bitmap): string {
  const packed = packRows(bitmap);
  const total = packed.data.length;
  return `^GFA,${total},${total},${packed.bytesPerRow},${Buffer.from(packed.data).toString('hex').toUpperCase()}`;
}

// The decoder (tests, the emulator, support reading a captured job) ----------------------------

/** A field read back; barcodes, QR codes and boxes as the label document has them (`data` with the printer's check digit). */
export type ZplField =
  | { readonly kind: 'text'; readonly x: number; readonly y: number; readonly height: number; readonly font: string; readonly text: string }
  | LabelBarcode
  | LabelQr
  | { readonly kind: 'graphic'; readonly x: number; readonly y: number; readonly bitmap: Bitmap }
  | LabelBox;

export interface ZplLabel {
  readonly widthDots: number | null;
  readonly heightDots: number | null;
  readonly copies: number;
  readonly fields: readonly ZplField[];
}

/**
 * Reads ZPL back into labels and fields with their positions: `^FO`, `^A0`/`^A@`, `^FD`/`^FH`,
 * `^BE`/`^BU`/`^BC`/`^BQ` with `^BY`, `^GFA`, `^GB`, `^PW`/`^LL`, `^PQ`. Anything else is ignored;
 * data outside `^XA … ^XZ` is an error, as a printer would print garbage for it.
 */
export function decodeZpl(bytes: Uint8Array): ZplLabel[] {
  const source = Buffer.from(bytes).toString('utf8');
  const labels: ZplLabel[] = [];
  let current: { widthDots: number | null; heightDots: number | null; copies: number; fields: ZplField[] } | null = null;
  let origin = { x: 0, y: 0 };
  let font = { name: '0', height: 0 };
  let pending: { kind: 'text' } | { kind: 'barcode'; symbology: LabelSymbology; height: number } | { kind: 'qr'; module: number } | null =
    null;
  let by = { module: 2, height: 10 };
  let hexEscape: string | null = null;
  const commands = source.split(/(?=[\^~])/);
  for (const raw of commands) {
    const trimmed = raw.replace(/[\r\n]+$/, '');
    if (trimmed.trim() === '') continue;
    if (trimmed[0] !== '^' && trimmed[0] !== '~')
      throw new LabelContentError(`ZPL: data outside a command: ${JSON.stringify(trimmed.slice(0, 20))}`);
    const name = trimmed.slice(1, 3).toUpperCase();
    const args = trimmed.slice(3);
    const nums = args.split(',').map((s) => Number(s));
    if (name === 'XA') {
      current = { widthDots: null, heightDots: null, copies: 1, fields: [] };
      origin = { x: 0, y: 0 };
      continue;
    }
    if (current === null) throw new LabelContentError(`ZPL: ^${name} outside ^XA … ^XZ`);
    switch (name) {
      case 'XZ':
        labels.push(current);
        current = null;
        break;
      case 'PW':
        current.widthDots = nums[0]!;
        break;
      case 'LL':
        current.heightDots = nums[0]!;
        break;
      case 'PQ':
        current.copies = nums[0]!;
        break;
      case 'FO':
        origin = { x: nums[0]!, y: nums[1]! };
        break;
      case 'BY':
        by = { module: nums[0]!, height: nums[2] ?? by.height };
        break;
      case 'FH':
        hexEscape = args === '' ? '_' : args[0]!;
        break;
      case 'BE':
        pending = { kind: 'barcode', symbology: 'ean13', height: nums[1] || by.height };
        break;
      case 'BU':
        pending = { kind: 'barcode', symbology: 'upca', height: nums[1] || by.height };
        break;
      case 'BC':
        pending = { kind: 'barcode', symbology: 'code128', height: nums[1] || by.height };
        break;
      case 'BQ':
        pending = { kind: 'qr', module: nums[2] ?? 2 };
        break;
      case 'GB':
        current.fields.push({ kind: 'box', x: origin.x, y: origin.y, width: nums[0]!, height: nums[1]! });
        break;
      case 'GF': {
        const [, , , perRow, hex] = args.split(',');
        const bytesPerRow = Number(perRow);
        const data = Buffer.from((hex ?? '').trim(), 'hex');
        current.fields.push({
          kind: 'graphic',
          x: origin.x,
          y: origin.y,
          bitmap: unpackRows(data, bytesPerRow, data.length / bytesPerRow),
        });
        break;
      }
      default:
        if (name[0] === 'A' && (name[1] === '0' || name[1] === '@')) {
          const [, height, , file] = (name[1] + args).split(',');
          font = { name: name[1] === '@' ? (file ?? '@') : '0', height: Number(height) };
          pending ??= { kind: 'text' };
        } else if (name === 'FD') {
          const text =
            hexEscape === null
              ? args
              : args.replace(new RegExp(`\\${hexEscape}([0-9A-Fa-f]{2})`, 'g'), (_, h: string) => String.fromCharCode(parseInt(h, 16)));
          const p = pending ?? { kind: 'text' as const };
          if (p.kind === 'text')
            current.fields.push({ kind: 'text', x: origin.x, y: origin.y, height: font.height, font: font.name, text });
          else if (p.kind === 'qr')
            current.fields.push({ kind: 'qr', x: origin.x, y: origin.y, module: p.module, data: text.replace(/^[LMQH][AM]?,/, '') });
          else {
            const data = p.symbology === 'code128' ? text : text + String(gs1CheckDigit(text));
            current.fields.push({
              kind: 'barcode',
              x: origin.x,
              y: origin.y,
              symbology: p.symbology,
              data,
              height: p.height,
              module: by.module,
            });
          }
        } else if (name === 'FS') {
          pending = null;
          hexEscape = null;
        }
    }
  }
  if (current !== null) throw new LabelContentError('ZPL: a label has no ^XZ');
  return labels;
}
