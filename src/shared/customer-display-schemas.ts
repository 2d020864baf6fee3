/**
 * Schemas of the customer-facing devices (issue 4b): the pole display and HID scanner settings and
 * live state, the HID scan event, and the customer window's view of the cart. Runtime-free: zod only.
 */
import * as z from './zod';
import { Cents } from './schemas';
import { FpsPayee } from './fps-qr';

export const DisplayCommandSetName = z.enum(['epson', 'cd5220', 'logic-controls']);
export type DisplayCommandSetName = z.infer<typeof DisplayCommandSetName>;

/** Text a 2×20 display can show: printable ASCII only (these displays have no Chinese font). */
const DisplayText = z
  .string()
  .max(40)
  .regex(/^[\x20-\x7e]*$/, 'printable ASCII only: a pole display has no Chinese font');

/** A device URI as IT types it; main parses it with the drivers' parser and explains what is wrong. */
const UriText = z.string().trim().min(1).max(300);

/** Setting `hardware.display`. */
export const DisplayConfig = z.strictObject({
  uri: UriText.nullable(),
  profile: DisplayCommandSetName,
  idleMessage: DisplayText,
});
export type DisplayConfig = z.infer<typeof DisplayConfig>;

/** Setting `hardware.scanner`: a `hid://vid:pid` scanner in HID POS mode. */
export const ScannerConfig = z.strictObject({
  uri: z
    .string()
    .trim()
    .regex(/^hid:\/\/[0-9a-fA-F]{4}:[0-9a-fA-F]{4}$/, 'hid://vid:pid, four hex digits each (e.g. hid://05e0:1200)')
    .nullable(),
});
export type ScannerConfig = z.infer<typeof ScannerConfig>;

/** Setting `hardware.customerDisplay`: what the customer window shows besides the cart. */
export const CustomerDisplayConfig = z.strictObject({
  /** A static payment QR (e.g. an FPS payload) shown with the total; null shows none. */
  paymentQr: z.string().trim().min(1).max(512).nullable(),
  /**
   * The merchant's FPS proxy: with it, choosing 轉數快 FPS on the payment screen shows a dynamic FPS
   * QR for the exact amount, the next receipt number as its bill number (src/shared/fps-qr.ts).
   */
  fps: FpsPayee.nullable().default(null),
});
export type CustomerDisplayConfig = z.infer<typeof CustomerDisplayConfig>;

export const DeviceLinkState = z.enum(['not-configured', 'connecting', 'connected', 'disconnected']);
export type DeviceLinkState = z.infer<typeof DeviceLinkState>;

export const DisplayStatus = z.object({
  config: DisplayConfig,
  state: DeviceLinkState,
  /** What the display is meant to show now (20 columns each). */
  lines: z.tuple([z.string(), z.string()]),
  /** Why it is disconnected, when the driver said. */
  error: z.string().nullable(),
});
export type DisplayStatus = z.infer<typeof DisplayStatus>;

export const ScannerScan = z.object({
  code: z.string().min(1).max(8192),
  /** e.g. 'EAN-13', from the scan's AIM identifier; null when the scanner sent none. */
  symbology: z.string().nullable(),
});
export type ScannerScan = z.infer<typeof ScannerScan>;

export const ScannerStatus = z.object({
  config: ScannerConfig,
  state: DeviceLinkState,
  lastScan: ScannerScan.extend({ at: z.number().int() }).nullable(),
  error: z.string().nullable(),
});
export type ScannerStatus = z.infer<typeof ScannerStatus>;

export const CustomerViewLine = z.object({
  id: z.number().int(),
  nameZh: z.string(),
  nameEn: z.string(),
  quantity: z.number(),
  unitPrice: Cents,
  /** What the line costs after its promotions and discount. */
  amount: Cents,
});

/** A dynamic FPS QR on the customer screen. */
export const FpsQrView = z.object({
  payload: z.string(),
  amount: Cents,
  /** The receipt number the sale will take (the QR's bill number). */
  billNumber: z.string(),
});
export type FpsQrView = z.infer<typeof FpsQrView>;

/**
 * What the customer sees: the idle screen, the cart as it grows, the total while paying, the
 * change after a cash sale. No staff, no cart ids, nothing the customer should not read.
 */
export const CustomerView = z.object({
  phase: z.enum(['idle', 'cart', 'payment', 'done']),
  store: z.object({ nameZh: z.string(), nameEn: z.string() }),
  lines: z.array(CustomerViewLine),
  total: Cents,
  /** After the sale: cash handed back (0 when none). */
  change: Cents,
  paymentQr: z.string().nullable(),
  /** While the cashier has 轉數快 FPS chosen: the dynamic QR for that tender's amount. */
  fpsQr: FpsQrView.nullable(),
});
export type CustomerView = z.infer<typeof CustomerView>;
