export { type Bitmap, createBitmap, packRows, unpackRows, inkCount } from './bitmap';
export { type CodeSystem, createNativeCharTest } from './chinese-text';
export { decodeEscPos, type DecodeOptions } from './decoder';
export type { Align, ReceiptBlock, ReceiptDocument, TextStyle } from './document';
export { drawerKickBytes, encodeReceipt, layoutPair, RasteriserRequiredError, type EncodeOptions } from './encoder';
export {
  createFontRasteriser,
  findCjkFont,
  FontUnavailableError,
  type FontRasteriser,
  type FontRasteriserOptions,
} from './font-rasteriser';
export {
  builtInProfileNames,
  FONT_A_DOTS,
  getProfile,
  loadProfileFile,
  parseProfile,
  ProfileError,
  resolveProfile,
  UnknownProfileError,
  type PrinterProfile,
} from './profile';
export { EscPosContentError } from './raster-codes';
export { encodePbm, fitToWidth, parsePbm, PbmError } from './pbm';
export { encodePng } from './png';
export { createTestPage } from './test-page';
export type { TextRasteriser } from './text-rasteriser';
export { charWidth, clusters, displayWidth, fitWidth, sanitizeText, wrapText } from './text-width';
