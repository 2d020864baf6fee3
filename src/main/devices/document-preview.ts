/**
 * A ReceiptDocument as the on-screen preview shows it: the layout the paper gets (same wrapping,
 * same pair layout) on the printer's column grid, measured by the driver's own text widths so the
 * screen has no copy of those rules, and the logo as the very dots the printer gets (a PNG).
 * Barcodes and QR codes are named in brackets.
 */
import { clusters, encodePng, fitWidth, FONT_A_DOTS, layoutPair, wrapText, type ReceiptDocument } from '../../../drivers/escpos';
import type { PreviewLine, PreviewSegment } from '../../shared/hardware-schemas';

/** Runs of one-column text, and each two-column character (with its marks) on its own. */
export function measuredSegments(line: string): PreviewSegment[] {
  const segments: PreviewSegment[] = [];
  for (const cluster of clusters(line)) {
    const last = segments[segments.length - 1];
    if (cluster.width === 2) segments.push({ text: cluster.text, wide: true });
    else if (last && !last.wide) last.text += cluster.text;
    else segments.push({ text: cluster.text, wide: false });
  }
  return segments;
}

export function documentPreview(doc: ReceiptDocument, columns: number): PreviewLine[] {
  const lines: PreviewLine[] = [];
  const text = (line: string) => lines.push({ kind: 'text', segments: measuredSegments(line.trimEnd()) });
  for (const block of doc.blocks) {
    switch (block.type) {
      case 'text': {
        // Wrapped where the paper wraps it (double-width text fits half the columns), then placed on
        // the full line, so a centred double-width store name is centred on screen too.
        const cols = Math.floor(columns / (block.width ?? 1));
        for (const line of wrapText(block.text, cols)) text(fitWidth(line, columns, block.align ?? 'left'));
        break;
      }
      case 'pair':
        for (const line of layoutPair(block.left, block.right, Math.floor(columns / (block.width ?? 1)))) text(line);
        break;
      case 'rule':
        text((block.char ?? '-').repeat(columns));
        break;
      case 'feed':
        for (let i = 0; i < block.lines; i++) text('');
        break;
      case 'barcode':
        text(fitWidth(`[||| ${block.data} |||]`, columns, block.align ?? 'left'));
        break;
      case 'qr':
        text(fitWidth(`[QR ${block.data}]`, columns, block.align ?? 'left'));
        break;
      case 'image': {
        const { bitmap } = block;
        if (bitmap.width === 0 || bitmap.height === 0) break;
        lines.push({
          kind: 'image',
          src: `data:image/png;base64,${Buffer.from(encodePng(bitmap)).toString('base64')}`,
          width: bitmap.width,
          height: bitmap.height,
          columns: bitmap.width / FONT_A_DOTS,
          align: block.align ?? 'left',
        });
        break;
      }
      case 'cut':
        text(fitWidth('8< - - - - - - - -', columns, 'center'));
        break;
      case 'drawer':
        break;
    }
  }
  return lines;
}

/** A text line of the preview as plain text (tests, logs); an image as `[image W×H]`. */
export function previewLineText(line: PreviewLine): string {
  return line.kind === 'text' ? line.segments.map((s) => s.text).join('') : `[image ${line.width}×${line.height}]`;
}
