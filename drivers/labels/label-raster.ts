import { blit, createBitmap, fillRect, type Bitmap } from '../escpos/bitmap';
import { qrBitmap } from '../escpos/raster-codes';
import type { TextRasteriser } from '../escpos/text-rasteriser';
import { clusters } from '../escpos/text-width';
import { barWidths } from './barcode-bars';
import type { LabelDocument, LabelElement, LabelText } from './label-document';

/**
 * Draws a label dot for dot: the on-screen preview (as a PNG), the PDF sheet's images, and the
 * text a printer cannot print from its own font (ZPL without a Chinese font, TSPL outside its
 * code system). Text goes cluster by cluster on the layout's grid (half-width = height / 2 dots).
 */
export function rasteriseLabel(doc: LabelDocument, rasteriser: TextRasteriser): Bitmap {
  const out = createBitmap(doc.widthDots, doc.heightDots);
  for (const e of doc.elements) drawElement(out, e, rasteriser);
  return out;
}

function drawElement(out: Bitmap, e: LabelElement, rasteriser: TextRasteriser): void {
  switch (e.kind) {
    case 'text':
      blit(out, rasteriseText(e, rasteriser), e.x, e.y);
      return;
    case 'box':
      fillRect(out, e.x, e.y, e.width, e.height);
      return;
    case 'barcode': {
      let x = e.x;
      barWidths(e.symbology, e.data).forEach((w, i) => {
        if (i % 2 === 0) fillRect(out, x, e.y, w * e.module, e.height);
        x += w * e.module;
      });
      return;
    }
    case 'qr':
      blit(out, qrBitmap(e.data, e.module, 'M'), e.x, e.y);
      return;
  }
}

/** One text element as a bitmap `height` dots tall; a missing glyph is an outlined box. */
export function rasteriseText(e: Pick<LabelText, 'text' | 'height' | 'bold'>, rasteriser: TextRasteriser): Bitmap {
  const half = Math.max(1, Math.round(e.height / 2));
  const parts = clusters(e.text);
  const width = parts.reduce((sum, c) => sum + (c.width === 0 ? 0 : c.width) * half, 0) + (e.bold ? 1 : 0);
  const out = createBitmap(Math.max(1, width), e.height);
  let x = 0;
  for (const c of parts) {
    if (c.width === 0) continue;
    const columns = c.width as 1 | 2;
    const cell = { width: columns * half, height: e.height, columns };
    if (c.text !== ' ') {
      const glyph = rasteriser.renderCluster(c.text, cell);
      if (glyph) {
        blit(out, glyph, x, 0);
        if (e.bold) blit(out, glyph, x + 1, 0);
      } else {
        const m = Math.max(1, Math.round(e.height / 12));
        fillRect(out, x + m, m, cell.width - 2 * m, 1);
        fillRect(out, x + m, e.height - m - 1, cell.width - 2 * m, 1);
        fillRect(out, x + m, m, 1, e.height - 2 * m);
        fillRect(out, x + cell.width - m - 1, m, 1, e.height - 2 * m);
      }
    }
    x += cell.width;
  }
  return out;
}
