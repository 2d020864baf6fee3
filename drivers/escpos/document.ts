import type { Bitmap } from './bitmap';

/**
 * The receipt document model: what the register wants printed, without printer bytes. The main
 * process builds one from a sale (or an X/Z report, or a test page) and `encodeReceipt` turns it
 * into ESC/POS for a profile. Widths are in printer columns and measured by display width, so a
 * Chinese character counts two.
 */
export type Align = 'left' | 'center' | 'right';

export interface TextStyle {
  readonly bold?: boolean;
  /** Character width multiplier (GS !). Double width halves the columns available. */
  readonly width?: 1 | 2;
  /** Character height multiplier (GS !). */
  readonly height?: 1 | 2;
}

/** A paragraph, wrapped by display width. '\n' forces a break. */
export interface TextBlock extends TextStyle {
  readonly type: 'text';
  readonly text: string;
  readonly align?: Align;
}

/**
 * A left text and a right text on one line (item and price, label and amount). The left text
 * wraps within the room the right text leaves; the right text sits on the first line.
 */
export interface PairBlock extends TextStyle {
  readonly type: 'pair';
  readonly left: string;
  readonly right: string;
}

/** A full-width separator line of one repeated ASCII character. */
export interface RuleBlock {
  readonly type: 'rule';
  readonly char?: '-' | '=' | '*' | '.';
}

export interface FeedBlock {
  readonly type: 'feed';
  readonly lines: number;
}

/**
 * A linear barcode: CODE128 code set B (printable ASCII: receipt numbers, SKUs) by default, or a
 * product's EAN-13 (13 digits) / UPC-A (12 digits), check digit included and verified.
 */
export interface BarcodeBlock {
  readonly type: 'barcode';
  readonly data: string;
  readonly symbology?: 'code128' | 'ean13' | 'upca';
  /** Bar height in dots; default 80 (10 mm at 203 dpi). */
  readonly height?: number;
  /** Narrow bar width in dots, 2..4; default 2. */
  readonly moduleWidth?: 2 | 3 | 4;
  /** Print the data as text under the bars; default true. */
  readonly hri?: boolean;
  readonly align?: Align;
}

export interface QrBlock {
  readonly type: 'qr';
  /** UTF-8 encoded into the symbol. */
  readonly data: string;
  /** Module size in dots, 1..16; default 6. */
  readonly moduleSize?: number;
  readonly ecc?: 'L' | 'M' | 'Q' | 'H';
  readonly align?: Align;
}

/** A 1-bit image (a logo), printed as a raster image. */
export interface ImageBlock {
  readonly type: 'image';
  readonly bitmap: Bitmap;
  readonly align?: Align;
}

/** Feed to the cutter (profile.cutFeedLines) and cut; the profile's cut mode unless given. */
export interface CutBlock {
  readonly type: 'cut';
  readonly mode?: 'full' | 'partial';
}

/** Kick the drawer with ESC p, in the stream (after what precedes it has printed). */
export interface DrawerBlock {
  readonly type: 'drawer';
  readonly pin?: 2 | 5;
}

export type ReceiptBlock = TextBlock | PairBlock | RuleBlock | FeedBlock | BarcodeBlock | QrBlock | ImageBlock | CutBlock | DrawerBlock;

export interface ReceiptDocument {
  readonly blocks: readonly ReceiptBlock[];
}
