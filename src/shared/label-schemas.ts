/**
 * Labels (issue 14): product and shelf-edge labels, the label queue, the label printer. Runtime-free:
 * zod only. The layout itself is main's (src/main/labels/label-layout.ts); the screen gets the
 * label as the printer draws it (a PNG of its dots) and the texts on it.
 */
import * as z from './zod';
import { Cents, ScanCode } from './schemas';
import { DeviceUriText } from './hardware-schemas';

export const labelTemplateIds = ['product-40x30', 'product-50x25', 'shelf-70x38'] as const;
export const LabelTemplateId = z.enum(labelTemplateIds);
export type LabelTemplateId = z.infer<typeof LabelTemplateId>;

export const LabelKind = z.enum(['product', 'shelf']);
export type LabelKind = z.infer<typeof LabelKind>;

/**
 * The label printers the register drives: Zebra (ZPL, 203 or 300 dpi), TSC (TSPL, Traditional
 * Chinese font TST24.BF2), Xprinter label models (TSPL, Simplified font TSS24.BF2), the receipt
 * printer (ESC/POS, a label on the roll) and an A4 sheet (PDF) for an office printer.
 */
export const labelPrinterProfiles = [
  'zebra-203dpi',
  'zebra-300dpi',
  'tsc-203dpi',
  'xprinter-203dpi',
  'receipt-printer',
  'a4-sheet',
] as const;
export const LabelPrinterProfile = z.enum(labelPrinterProfiles);
export type LabelPrinterProfile = z.infer<typeof LabelPrinterProfile>;

export const LabelPrinterConfig = z.strictObject({
  profile: LabelPrinterProfile,
  /** tcp://host:9100, serial://…, usb://…, spooler://…, file://…; null: the receipt printer's (receipt-printer) or none (a4-sheet). */
  uri: DeviceUriText.nullable(),
  productTemplate: LabelTemplateId,
  shelfTemplate: LabelTemplateId,
  /**
   * A QR code on shelf labels: a web address with `{sku}` where the product's SKU goes (e.g. the
   * online shop's product page, https://shop.example.hk/p/{sku}); null for none.
   */
  shelfQr: z
    .string()
    .trim()
    .max(200)
    .regex(/^https?:\/\/\S+$/, 'a web address like https://shop.example.hk/p/{sku}')
    .nullable()
    .default(null),
});
export type LabelPrinterConfig = z.infer<typeof LabelPrinterConfig>;

export const LabelQueueItem = z.object({
  id: z.number().int(),
  productId: z.number().int(),
  sku: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  price: Cents,
  kind: LabelKind,
  quantity: z.number().int(),
  /** What queued it: a document number (GRN-000001), `price` (a price change) or `manual`. */
  source: z.string(),
  createdAt: z.number().int(),
});
export type LabelQueueItem = z.infer<typeof LabelQueueItem>;

export const LabelQueueView = z.object({
  items: z.array(LabelQueueItem),
  labels: z.number().int(),
  printer: LabelPrinterConfig.nullable(),
});
export type LabelQueueView = z.infer<typeof LabelQueueView>;

export const MAX_LABEL_QUANTITY = 999;
export const LabelQuantity = z.number().int().min(1).max(MAX_LABEL_QUANTITY);

export const AddLabels = z.strictObject({ code: ScanCode, kind: LabelKind, quantity: LabelQuantity });

const ItemId = z
  .number()
  .int()
  .positive()
  .max(2 ** 31);
export const LabelIds = z.strictObject({ ids: z.array(ItemId).min(1).max(2000) });

export const LabelPreviewRequest = z.strictObject({ productId: ItemId, kind: LabelKind });

export const LabelPreview = z.object({
  template: LabelTemplateId,
  widthMm: z.number(),
  heightMm: z.number(),
  /** The label's dots as the printer gets them (8 dots/mm). */
  png: z.string().regex(/^data:image\/png;base64,[A-Za-z0-9+/]+=*$/),
  texts: z.array(z.object({ role: z.string(), text: z.string() })),
  barcode: z.object({ symbology: z.enum(['ean13', 'upca', 'code128']), data: z.string() }),
});
export type LabelPreview = z.infer<typeof LabelPreview>;

export const LabelPrintResult = z.object({
  labels: z.number().int(),
  uri: z.string().nullable(),
  /** a4-sheet: the PDF to save or print, base64; otherwise null. */
  pdf: z.string().nullable(),
  queue: LabelQueueView,
});
export type LabelPrintResult = z.infer<typeof LabelPrintResult>;

export const LabelPrinterSetup = z.object({
  printer: LabelPrinterConfig.nullable(),
  profiles: z.array(LabelPrinterProfile),
  templates: z.array(LabelTemplateId),
});
export type LabelPrinterSetup = z.infer<typeof LabelPrinterSetup>;
