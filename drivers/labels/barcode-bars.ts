import { bwipjs } from '../bwip';
import { LabelContentError } from './label-errors';
import type { LabelSymbology } from './label-document';

/**
 * The GS1 mod-10 check digit of a body (the code without its last digit). The register has the
 * same rule in src/shared/barcode.ts; drivers cannot import src/, and the ZPL and TSPL decoders
 * need it to rebuild the full code from the 12 (EAN-13) or 11 (UPC-A) digits those languages take.
 */
export function gs1CheckDigit(body: string): number {
  let sum = 0;
  for (let i = body.length - 1, weight = 3; i >= 0; i--, weight = 4 - weight) sum += (body.charCodeAt(i) - 48) * weight;
  return (10 - (sum % 10)) % 10;
}

const LENGTH: Record<Exclude<LabelSymbology, 'code128'>, number> = { ean13: 13, upca: 12 };

/** Throws LabelContentError unless `data` is a whole, valid code of its symbology. */
export function assertBarcodeData(symbology: LabelSymbology, data: string): void {
  if (symbology === 'code128') {
    if (!/^[\x20-\x7e]{1,48}$/.test(data))
      throw new LabelContentError(`CODE128 data must be 1..48 printable ASCII characters: ${JSON.stringify(data)}`);
    return;
  }
  const length = LENGTH[symbology];
  if (!new RegExp(`^\\d{${length}}$`).test(data))
    throw new LabelContentError(`${symbology.toUpperCase()} needs ${length} digits: ${JSON.stringify(data)}`);
  if (gs1CheckDigit(data.slice(0, -1)) !== Number(data.slice(-1)))
    throw new LabelContentError(
      `${symbology.toUpperCase()} ${data}: wrong check digit (should end in ${gs1CheckDigit(data.slice(0, -1))})`,
    );
}

/** Bar and space widths in modules, starting with a bar (bwip-js encodes the symbol). */
export function barWidths(symbology: LabelSymbology, data: string): number[] {
  assertBarcodeData(symbology, data);
  const first = bwipjs().raw(symbology, data, '')[0];
  if (first === undefined || !('sbs' in first)) throw new LabelContentError(`bwip-js returned no ${symbology} bars`);
  return first.sbs;
}

/** Width in modules of the bars alone (no quiet zones): EAN-13 and UPC-A are 95. */
export function barcodeModules(symbology: LabelSymbology, data: string): number {
  return barWidths(symbology, data).reduce((a, b) => a + b, 0);
}

/** Modules across a QR code (error correction M) for `data`, without its quiet zone: the layout sizes its dots from it. */
export function qrModules(data: string): number {
  const bytes = Buffer.from(data, 'utf8').toString('latin1');
  const first = bwipjs().raw('qrcode', bytes, 'eclevel=M')[0];
  if (first === undefined || !('pixx' in first)) throw new LabelContentError('bwip-js returned no QR matrix');
  return first.pixx;
}
