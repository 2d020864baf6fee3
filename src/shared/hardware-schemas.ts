/**
 * The receipt printer and cash drawer's channel shapes (issue 4a): hardware screen configuration
 * and tests, the print queue the cashier sees, No Sale, and the receipt preview.
 */
import * as z from './zod';
import { Approval } from './checkout-schemas';

export const DrawerRule = z.enum(['cash', 'change-due', 'always', 'never']);
export type DrawerRule = z.infer<typeof DrawerRule>;

export const DeviceUriText = z.string().trim().min(1).max(300);
/** A built-in profile name or a path to a profile JSON file on the register PC. */
export const ProfileName = z.string().trim().min(1).max(300);

export const PrinterSetting = z.object({ uri: z.string(), profile: z.string() });

export const HardwareConfig = z.object({
  printer: PrinterSetting.nullable(),
  demoPrinter: z.string().nullable(),
  drawerRule: DrawerRule,
  profiles: z.array(z.string()),
  problem: z.string().nullable(),
});
export type HardwareConfig = z.infer<typeof HardwareConfig>;

/** Which printer an IT test talks to: the configured one unless given. */
export const DeviceTest = z.strictObject({ uri: DeviceUriText.optional(), profile: ProfileName.optional() });

export const PrinterStatusReport = z.object({
  supported: z.boolean(),
  online: z.boolean(),
  coverOpen: z.boolean(),
  paperNearEnd: z.boolean(),
  paperOut: z.boolean(),
  drawerOpen: z.boolean().nullable(),
  error: z.boolean(),
  raw: z.array(z.number().int()),
});
export type PrinterStatusReport = z.infer<typeof PrinterStatusReport>;

export const PrintJobView = z.object({
  id: z.number().int(),
  kind: z.enum(['receipt', 'receipt-copy', 'report', 'test']),
  ref: z.string(),
  state: z.enum(['queued', 'printing', 'printed', 'uncertain', 'failed', 'dismissed']),
  attempts: z.number().int(),
  error: z.string().nullable(),
  createdAt: z.number().int(),
  printedAt: z.number().int().nullable(),
});
export type PrintJobView = z.infer<typeof PrintJobView>;

export const PrintResolve = z.strictObject({
  jobId: z
    .number()
    .int()
    .positive()
    .max(2 ** 31),
  action: z.enum(['reprint', 'dismiss']),
});

export const NoSaleRequest = z.strictObject({ reason: z.text(200), approval: Approval.optional() });

/**
 * The receipt as the paper lays it out, measured by the printer driver (drivers/escpos/text-width.ts)
 * so the screen needs no rules of its own: a text line is runs of one-column text and each
 * two-column character on its own (`wide`, drawn in a two-column cell, marks included); an image
 * (the logo) is the very dots the printer gets, as a PNG, `columns` wide on the grid.
 */
export const PreviewSegment = z.object({ text: z.string(), wide: z.boolean() });
export type PreviewSegment = z.infer<typeof PreviewSegment>;
export const PreviewLine = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('text'), segments: z.array(PreviewSegment) }),
  z.object({
    kind: z.literal('image'),
    src: z.string().regex(/^data:image\/png;base64,[A-Za-z0-9+/]+=*$/),
    width: z.number().int().positive(),
    height: z.number().int().positive(),
    columns: z.number().positive(),
    align: z.enum(['left', 'center', 'right']),
  }),
]);
export type PreviewLine = z.infer<typeof PreviewLine>;
export const ReceiptPreview = z.object({ columns: z.number().int(), lines: z.array(PreviewLine) });
export type ReceiptPreview = z.infer<typeof ReceiptPreview>;
