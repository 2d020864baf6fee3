/**
 * A ReceiptDocument as plain text lines on the printer's column grid: the on-screen preview
 * shows exactly the layout the paper gets (same wrapping, same pair layout, Chinese two columns),
 * with barcodes, QR codes and images named in brackets.
 */
import { fitWidth, layoutPair, wrapText, type ReceiptDocument } from '../../../drivers/escpos';

export function documentText(doc: ReceiptDocument, columns: number): string[] {
  const lines: string[] = [];
  for (const block of doc.blocks) {
    switch (block.type) {
      case 'text': {
        // Wrapped where the paper wraps it (double-width text fits half the columns), then placed on
        // the full line, so a centred double-width store name is centred on screen too.
        const cols = Math.floor(columns / (block.width ?? 1));
        for (const line of wrapText(block.text, cols)) lines.push(fitWidth(line, columns, block.align ?? 'left'));
        break;
      }
      case 'pair':
        lines.push(...layoutPair(block.left, block.right, Math.floor(columns / (block.width ?? 1))));
        break;
      case 'rule':
        lines.push((block.char ?? '-').repeat(columns));
        break;
      case 'feed':
        for (let i = 0; i < block.lines; i++) lines.push('');
        break;
      case 'barcode':
        lines.push(fitWidth(`[||| ${block.data} |||]`, columns, block.align ?? 'left'));
        break;
      case 'qr':
        lines.push(fitWidth(`[QR ${block.data}]`, columns, block.align ?? 'left'));
        break;
      case 'image':
        lines.push(fitWidth(`[圖像 image ${block.bitmap.width}×${block.bitmap.height}]`, columns, block.align ?? 'left'));
        break;
      case 'cut':
        lines.push(fitWidth('8< - - - - - - - -', columns, 'center'));
        break;
      case 'drawer':
        break;
    }
  }
  return lines.map((l) => l.trimEnd());
}
