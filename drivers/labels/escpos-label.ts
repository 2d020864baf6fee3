import type { ReceiptBlock, ReceiptDocument } from '../escpos/document';
import type { LabelDocument, LabelElement } from './label-document';

/**
 * A label on the receipt roll, for shops with no label printer: the label's elements top to
 * bottom as receipt blocks, so the ESC/POS encoder prints the names in the printer's own Chinese
 * font (Big5-HKSCS or GB18030, raster for the rest), the barcode and QR natively, and cuts after
 * each copy. Positions become order: a receipt printer has no x/y.
 */
export function labelAsReceipt(doc: LabelDocument, copies: number): ReceiptDocument {
  const ordered = [...doc.elements].sort((a, b) => a.y - b.y || a.x - b.x);
  const one: ReceiptBlock[] = ordered.flatMap((e) => blockFor(e));
  const blocks: ReceiptBlock[] = [];
  for (let k = 0; k < copies; k++) blocks.push(...one, { type: 'feed', lines: 1 }, { type: 'cut', mode: 'partial' });
  return { blocks };
}

function blockFor(e: LabelElement): ReceiptBlock[] {
  switch (e.kind) {
    case 'text':
      if (e.role === 'hri') return []; // the barcode prints its digits itself
      if (e.role === 'price') return [{ type: 'text', text: e.text, bold: true, width: 2, height: 2, align: 'center' }];
      if (e.role === 'name-zh') return [{ type: 'text', text: e.text, bold: true, height: 2, align: 'center' }];
      return [{ type: 'text', text: e.text, bold: e.bold ?? false, align: 'center' }];
    case 'barcode':
      return [
        {
          type: 'barcode',
          symbology: e.symbology,
          data: e.data,
          height: Math.min(255, Math.max(40, e.height)),
          moduleWidth: e.module >= 3 ? 3 : 2,
          hri: true,
          align: 'center',
        },
      ];
    case 'qr':
      return [{ type: 'qr', data: e.data, moduleSize: 4, align: 'center' }];
    case 'box':
      return e.width > e.height ? [{ type: 'rule', char: '-' }] : [];
  }
}
