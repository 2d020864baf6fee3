/**
 * A label as the printer draws it: elements at positions in printer dots, top-left origin. The
 * register's label layout (src/main/labels/label-layout.ts) builds one from a product and a
 * template; the encoders here turn it into ZPL, TSPL, ESC/POS or a PDF sheet, and the preview on
 * screen is the same document rasterised (label-raster.ts).
 */
export type LabelSymbology = 'ean13' | 'upca' | 'code128';

/** What a text element shows; the ESC/POS flow layout and the decoders' tests read it. */
export type LabelTextRole = 'name-zh' | 'name-en' | 'price' | 'unit-price' | 'hri' | 'sku' | 'note';

/**
 * One line of text, `height` dots tall; a half-width character is `height / 2` dots wide and a
 * Chinese character `height` (the layout fits the text to `maxWidth` by that rule).
 */
export interface LabelText {
  readonly kind: 'text';
  readonly role: LabelTextRole;
  readonly x: number;
  readonly y: number;
  readonly height: number;
  readonly maxWidth: number;
  readonly text: string;
  readonly bold?: boolean;
}

/**
 * A linear barcode, bars only (the digits are a `hri` text element under it). `data` is the full
 * code: EAN-13 13 digits and UPC-A 12 digits with their check digit; CODE128 printable ASCII.
 */
export interface LabelBarcode {
  readonly kind: 'barcode';
  readonly x: number;
  readonly y: number;
  readonly symbology: LabelSymbology;
  readonly data: string;
  readonly height: number;
  /** Narrow bar width in dots. */
  readonly module: number;
}

export interface LabelQr {
  readonly kind: 'qr';
  readonly x: number;
  readonly y: number;
  /** UTF-8 text; the symbol carries a 4-module quiet zone inside its box. */
  readonly data: string;
  readonly module: number;
}

/** A filled rectangle: rules and borders. */
export interface LabelBox {
  readonly kind: 'box';
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export type LabelElement = LabelText | LabelBarcode | LabelQr | LabelBox;

export interface LabelDocument {
  readonly widthMm: number;
  readonly heightMm: number;
  /** Printer dots per millimetre: 8 for 203 dpi, 12 for 300 dpi. */
  readonly dotsPerMm: number;
  readonly widthDots: number;
  readonly heightDots: number;
  readonly elements: readonly LabelElement[];
}
