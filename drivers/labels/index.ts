export type {
  LabelBarcode,
  LabelBox,
  LabelDocument,
  LabelElement,
  LabelQr,
  LabelSymbology,
  LabelText,
  LabelTextRole,
} from './label-document';
export { LabelContentError } from './label-errors';
export { assertBarcodeData, barcodeModules, gs1CheckDigit, qrModules } from './barcode-bars';
export { rasteriseLabel, rasteriseText } from './label-raster';
export { decodeZpl, encodeZpl, type ZplField, type ZplLabel, type ZplOptions } from './zpl';
export { decodeTspl, encodeTspl, type TsplField, type TsplLabel, type TsplOptions } from './tspl';
export { labelAsReceipt } from './escpos-label';
export { A4_3X8, readLabelSheetPdf, writeLabelSheetPdf, type PdfSheetReading, type SheetFormat, type SheetLabel } from './pdf-sheet';
export { sendLabelJob, type LabelJobResult } from './send-label-job';
