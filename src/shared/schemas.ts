/** Value schemas shared by channels and events. Runtime-free: zod only. */
import { z } from 'zod';
import { roles } from './permissions';

/** HKD cents. Bounded so sums of many lines stay exact in a double. */
export const Cents = z.number().int().min(-1e12).max(1e12);

export const Locale = z.enum(['zh-HK', 'en']);
export type Locale = z.infer<typeof Locale>;

export const Role = z.enum(roles);

export const StaffSummary = z.object({
  id: z.number().int().positive(),
  code: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  role: Role,
});
export type StaffSummary = z.infer<typeof StaffSummary>;

export const Product = z.object({
  id: z.number().int().positive(),
  sku: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  price: Cents,
  categoryCode: z.string().nullable(),
  barcodes: z.array(z.string()),
  /** Set on a variant (a size or a colour): the product it belongs to. */
  parentSku: z.string().nullable(),
});
export type Product = z.infer<typeof Product>;

export const SyncState = z.enum(['not-enrolled', 'online', 'offline', 'attention']);
export const PrinterState = z.enum(['not-configured', 'ready', 'offline', 'paper-out', 'cover-open']);

export const RegisterStatus = z.object({
  store: z.object({ code: z.string(), nameZh: z.string(), nameEn: z.string() }),
  register: z.object({ code: z.string(), name: z.string() }),
  staff: StaffSummary.nullable(),
  appVersion: z.string(),
  /** ms since the epoch, main's clock: the renderer shows time from this, corrected for its own drift. */
  serverTime: z.number().int(),
  sync: z.object({ state: SyncState, pending: z.number().int().min(0) }),
  printer: z.object({ state: PrinterState }),
  /** quick_check runs in the background after start; `damaged` means restore from a backup. */
  database: z.enum(['checking', 'ok', 'damaged']),
});
export type RegisterStatus = z.infer<typeof RegisterStatus>;

/** A code as a scanner or a person types it: printable, no control characters. */
export const ScanCode = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[\x21-\x7e]+$/, 'only printable ASCII without spaces');

export const Pin = z.string().regex(/^\d{4,8}$/, '4 to 8 digits');
