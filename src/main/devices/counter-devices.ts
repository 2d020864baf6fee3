/**
 * What the rest of the register asks of the counter's devices. Nothing here waits for a device:
 * a print job is saved in the durable queue (inside the caller's transaction when there is one)
 * and printed by the device manager in the background; a drawer kick is queued the same way.
 */
import type { ReceiptDocument } from '../../../drivers/escpos';

export type DrawerReason = 'sale' | 'no-sale' | 'pay-in' | 'pay-out' | 'safe-drop' | 'float' | 'count';

export type PrintKind = 'receipt' | 'receipt-copy' | 'report' | 'test';

export interface CounterDevices {
  /** Queue a drawer kick through the receipt printer; returns at once. */
  openDrawer(reason: DrawerReason): void;
  /** Save a print job for the receipt printer and wake the printer worker; returns the job id. */
  enqueuePrint(doc: ReceiptDocument, meta: { kind: PrintKind; ref: string }): number;
}
