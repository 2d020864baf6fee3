import { existsSync, readFileSync } from 'node:fs';
import { bwipjs } from '../bwip';
import { DriverError } from '../driver-error';
import { createBitmap } from './bitmap';
import { CELL_HEIGHT_DOTS } from './raster-text';
import type { TextRasteriser } from './text-rasteriser';

/**
 * A TextRasteriser that draws real glyphs from an installed CJK font, in pure JavaScript.
 *
 * bwip-js (already a dependency, for barcodes) carries a JavaScript port of stb_truetype, with
 * CFF/CID-keyed outline support, behind `bwipjs().FontLib`; it scan-converts a glyph to an 8-bit
 * coverage bitmap, which we threshold to printer dots. Noto Sans CJK ships as a TrueType
 * Collection (.ttc) and stb_truetype's loader only reads the font at offset 0, so we copy the
 * chosen face's table directory to the front of the file (table offsets in a collection are
 * absolute, so the tables stay valid).
 */
export class FontUnavailableError extends DriverError {
  readonly code = 'TEXT_FONT_UNAVAILABLE';
}

/** Where Linux distributions, Windows and macOS keep a Chinese font we can read. */
export const DEFAULT_FONT_CANDIDATES: readonly string[] = [
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', // Debian/Ubuntu fonts-noto-cjk
  '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc', // Arch, Fedora
  '/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc',
  'C:\\Windows\\Fonts\\msjh.ttc', // Microsoft JhengHei (Traditional Chinese)
  '/System/Library/Fonts/PingFang.ttc',
];

/**
 * Faces tried in order inside a collection. The monospaced Hong Kong face first: its Latin glyphs
 * are exactly half the ideograph width, like the printer's own font, and it draws HK glyph forms.
 */
export const DEFAULT_FACE_PREFERENCE: readonly string[] = [
  'Noto Sans Mono CJK HK',
  'Noto Sans Mono CJK TC',
  'Noto Sans CJK HK',
  'Noto Sans CJK TC',
  'Microsoft JhengHei',
];

export interface FontRasteriserOptions {
  /** A .ttf/.otf/.ttc path; default: the first of DEFAULT_FONT_CANDIDATES that exists. */
  readonly fontPath?: string;
  readonly facePreference?: readonly string[];
}

export interface FontRasteriser extends TextRasteriser {
  readonly fontPath: string;
  readonly faceName: string;
}

interface Face {
  readonly offset: number;
  readonly family: string;
  readonly tables: Map<string, { offset: number; length: number }>;
}

export function findCjkFont(candidates: readonly string[] = DEFAULT_FONT_CANDIDATES): string | null {
  return candidates.find((p) => existsSync(p)) ?? null;
}

export function createFontRasteriser(options: FontRasteriserOptions = {}): FontRasteriser {
  const fontPath = options.fontPath ?? findCjkFont();
  if (fontPath === null) {
    throw new FontUnavailableError(
      `no CJK font found for raster text; install fonts-noto-cjk (apt) or pass fontPath. Looked in: ${DEFAULT_FONT_CANDIDATES.join(', ')}`,
    );
  }
  let file: Buffer;
  try {
    file = readFileSync(fontPath);
  } catch (cause) {
    throw new FontUnavailableError(`cannot read font ${fontPath}: ${(cause as Error).message}`, { cause });
  }
  const faces = readFaces(file, fontPath);
  const preference = options.facePreference ?? DEFAULT_FACE_PREFERENCE;
  const face = preference.map((name) => faces.find((f) => f.family === name)).find((f) => f !== undefined) ?? faces[0]!;
  const metrics = readMetrics(file, face, fontPath);
  const fontName = `SUANPAN:${fontPath}#${face.family}`;
  bwipjs().FontLib.loadFont(fontName, 100, standaloneFace(file, face, fontPath));
  const fontId = bwipjs().FontLib.lookup(fontName);

  return {
    fontPath,
    faceName: face.family,
    renderCluster(text, cell) {
      const cps = Array.from(text, (ch) => ch.codePointAt(0)!);
      const out = createBitmap(cell.width, cell.height);
      // The em square is 22 dots per 24-dot cell (a 1-dot margin each side, like the printer's
      // 24 x 24 font), scaled by the character size. CJK fonts put the ideographic em box from
      // -120 to 880 per 1000 units (Adobe's CJK convention), so the baseline sits 88% down it.
      const scaleX = cell.width / (12 * cell.columns);
      const scaleY = cell.height / CELL_HEIGHT_DOTS;
      const emX = 22 * scaleX;
      const emY = 22 * scaleY;
      const baseline = Math.round(scaleY + emY * 0.88);
      let drew = false;
      for (const cp of cps) {
        // FontLib sizes glyphs by the font's ascent (hhea); convert from the em size we want.
        const sx = Math.max(8, (emX * metrics.ascent) / metrics.unitsPerEm);
        const sy = Math.max(8, (emY * metrics.ascent) / metrics.unitsPerEm);
        const g = bwipjs().FontLib.getglyph(fontId, cp, sx, sy);
        if (g.glyph === 0) {
          if (cp === cps[0]) return null;
          continue;
        }
        drew = true;
        if (g.width === 0 || g.height === 0) continue;
        const left = Math.round((cell.width - g.advance) / 2) + g.left;
        const top = baseline - g.top;
        for (let y = 0; y < g.height; y++) {
          for (let x = 0; x < g.width; x++) {
            if (g.pixels[y * g.width + x]! >= 128) {
              const dx = left + x;
              const dy = top + y;
              if (dx >= 0 && dy >= 0 && dx < cell.width && dy < cell.height) out.data[dy * cell.width + dx] = 1;
            }
          }
        }
      }
      return drew ? out : null;
    },
  };
}

function fail(path: string, why: string): never {
  throw new FontUnavailableError(`font ${path} is not usable: ${why}`);
}

function readFaces(file: Buffer, path: string): Face[] {
  if (file.length < 12) fail(path, 'file too short');
  const tag = file.toString('latin1', 0, 4);
  const offsets: number[] = [];
  if (tag === 'ttcf') {
    const count = file.readUInt32BE(8);
    for (let k = 0; k < count; k++) offsets.push(file.readUInt32BE(12 + 4 * k));
  } else if (tag === 'OTTO' || tag === 'true' || file.readUInt32BE(0) === 0x00010000) {
    offsets.push(0);
  } else {
    fail(path, 'not an OpenType/TrueType font or collection');
  }
  return offsets.map((offset) => {
    const numTables = file.readUInt16BE(offset + 4);
    const tables = new Map<string, { offset: number; length: number }>();
    for (let t = 0; t < numTables; t++) {
      const r = offset + 12 + 16 * t;
      tables.set(file.toString('latin1', r, r + 4), { offset: file.readUInt32BE(r + 8), length: file.readUInt32BE(r + 12) });
    }
    return { offset, tables, family: readFamilyName(file, tables) };
  });
}

/** The 'name' table's family name (name ID 1), Windows platform, preferring US English. */
function readFamilyName(file: Buffer, tables: Face['tables']): string {
  const name = tables.get('name');
  if (name === undefined) return '';
  const count = file.readUInt16BE(name.offset + 2);
  const strings = name.offset + file.readUInt16BE(name.offset + 4);
  let found = '';
  for (let k = 0; k < count; k++) {
    const r = name.offset + 6 + 12 * k;
    const platform = file.readUInt16BE(r);
    const language = file.readUInt16BE(r + 4);
    const nameId = file.readUInt16BE(r + 6);
    if (platform !== 3 || nameId !== 1) continue;
    const length = file.readUInt16BE(r + 8);
    const start = strings + file.readUInt16BE(r + 10);
    const value = Buffer.from(file.subarray(start, start + length))
      .swap16()
      .toString('utf16le');
    if (language === 0x0409) return value;
    found ||= value;
  }
  return found;
}

function readMetrics(file: Buffer, face: Face, path: string): { ascent: number; unitsPerEm: number } {
  const head = face.tables.get('head') ?? fail(path, 'no head table');
  const hhea = face.tables.get('hhea') ?? fail(path, 'no hhea table');
  return { unitsPerEm: file.readUInt16BE(head.offset + 18), ascent: file.readInt16BE(hhea.offset + 4) };
}

function standaloneFace(file: Buffer, face: Face, path: string): Uint8Array {
  if (face.offset === 0) return file;
  const directoryLength = 12 + 16 * face.tables.size;
  const firstTable = Math.min(...Array.from(face.tables.values(), (t) => t.offset));
  if (firstTable < directoryLength) fail(path, 'collection layout leaves no room to move the table directory');
  const copy = Buffer.from(file);
  file.copy(copy, 0, face.offset, face.offset + directoryLength);
  return copy;
}
