/**
 * The label printers the register drives (shared/label-schemas.ts names them): which language,
 * resolution and Chinese font each profile means. One table, used by printing and the hardware screen.
 */
import type { LabelPrinterProfile } from '../../shared/label-schemas';

export type LabelPrinterSpec =
  | { readonly language: 'zpl'; readonly dotsPerMm: number; readonly cjkFont: string | null }
  | { readonly language: 'tspl'; readonly dotsPerMm: number; readonly codeSystem: 'big5hkscs' | 'gb18030'; readonly font: string }
  | { readonly language: 'escpos'; readonly dotsPerMm: number }
  | { readonly language: 'pdf'; readonly dotsPerMm: number };

export const LABEL_PRINTERS: Record<LabelPrinterProfile, LabelPrinterSpec> = {
  // Chinese as ^GFA dots: every Zebra prints it without a font download.
  'zebra-203dpi': { language: 'zpl', dotsPerMm: 8, cjkFont: null },
  'zebra-300dpi': { language: 'zpl', dotsPerMm: 12, cjkFont: null },
  'tsc-203dpi': { language: 'tspl', dotsPerMm: 8, codeSystem: 'big5hkscs', font: 'TST24.BF2' },
  'xprinter-203dpi': { language: 'tspl', dotsPerMm: 8, codeSystem: 'gb18030', font: 'TSS24.BF2' },
  'receipt-printer': { language: 'escpos', dotsPerMm: 8 },
  // 12 dots/mm (≈ 300 dpi) images: sharp on an office laser printer.
  'a4-sheet': { language: 'pdf', dotsPerMm: 12 },
};
