import { alignOnCanvas, blit, createBitmap, type Bitmap } from './bitmap';
import type { Align } from './document';
import { FONT_A_DOTS } from './profile';
import type { TextRasteriser } from './text-rasteriser';
import { clusters } from './text-width';

/** Font A cell height; a raster text line adds the printer's default 6-dot gap below it (30-dot line feed). */
export const CELL_HEIGHT_DOTS = 24;
const LINE_GAP_DOTS = 6;

export interface RasterLineOptions {
  readonly canvasDots: number;
  readonly align: Align;
  readonly widthMultiplier: 1 | 2;
  readonly heightMultiplier: 1 | 2;
  readonly bold: boolean;
  readonly rasteriser: TextRasteriser;
}

/**
 * Renders one laid-out line on the printer's column grid: a cluster of display width w occupies
 * w × 12 dots (× the width multiplier), exactly where the printer would put it.
 */
export function renderTextLine(line: string, o: RasterLineOptions): Bitmap {
  const cs = clusters(line);
  const colDots = FONT_A_DOTS * o.widthMultiplier;
  const cellHeight = CELL_HEIGHT_DOTS * o.heightMultiplier;
  const textDots = cs.reduce((w, c) => w + c.width * colDots, 0);
  const text = createBitmap(Math.min(textDots, o.canvasDots), cellHeight + LINE_GAP_DOTS);
  let x = 0;
  for (const c of cs) {
    const width = c.width * colDots;
    if (width > 0 && c.text !== ' ') {
      const glyph =
        o.rasteriser.renderCluster(c.text, { width, height: cellHeight, columns: c.width as 1 | 2 }) ?? missingGlyphBox(width, cellHeight);
      blit(text, o.bold ? embolden(glyph) : glyph, x, 0);
    }
    x += width;
  }
  return alignOnCanvas(text, o.canvasDots, o.align);
}

/** What a font renderer shows for a character it lacks: an outlined box, never a blank. */
function missingGlyphBox(width: number, height: number): Bitmap {
  const b = createBitmap(width, height);
  const x0 = 2;
  const x1 = width - 3;
  const y0 = 3;
  const y1 = height - 4;
  for (let x = x0; x <= x1; x++) {
    b.data[y0 * width + x] = 1;
    b.data[y1 * width + x] = 1;
  }
  for (let y = y0; y <= y1; y++) {
    b.data[y * width + x0] = 1;
    b.data[y * width + x1] = 1;
  }
  return b;
}

/** Bold the way printers do it: each dot is also printed one dot to the right. */
function embolden(src: Bitmap): Bitmap {
  const out = createBitmap(src.width, src.height);
  for (let y = 0; y < src.height; y++) {
    for (let x = 0; x < src.width; x++) {
      if (src.data[y * src.width + x] || (x > 0 && src.data[y * src.width + x - 1])) out.data[y * src.width + x] = 1;
    }
  }
  return out;
}
