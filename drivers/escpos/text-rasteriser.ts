import type { Bitmap } from './bitmap';

/**
 * Draws text for the raster fallback: a line the printer's own font cannot print (a character
 * outside Big5-HKSCS, or any Chinese on a printer without a Chinese font) is rendered to a bitmap
 * and sent as a `GS v 0` image.
 *
 * The encoder lays the line out on the same column grid as native text and asks for one cluster
 * (a character plus any combining marks) at a time, so raster lines line up with printed ones.
 */
export interface TextRasteriser {
  /**
   * Renders `text` centred in a cell of `width` × `height` dots: `columns` × 12 by 24 (a
   * half-width character takes one column, a Chinese one two), multiplied by the character size.
   * Returns null when the font has no glyph for it; the caller then draws a visible
   * missing-glyph box.
   */
  renderCluster(text: string, cell: { readonly width: number; readonly height: number; readonly columns: 1 | 2 }): Bitmap | null;
}
