/**
 * What the customer sees, from the cart or the completed sale: the customer window's view and the
 * pole display's two 20-column ASCII lines. Pure functions, so the wording is tested without a
 * display.
 */
import { formatDisplayLine, formatHkd } from '../../../drivers/display';
import type { Cart, Receipt } from '../../shared/checkout-schemas';
import type { CustomerView } from '../../shared/customer-display-schemas';

export type PoleLines = readonly [string, string];

interface ViewBase {
  store: CustomerView['store'];
  paymentQr: string | null;
}

export function idleView(base: ViewBase): CustomerView {
  return { phase: 'idle', ...base, lines: [], total: 0, change: 0, fpsQr: null };
}

/** An empty cart is the idle screen; `payment` when the cashier has opened the payment screen. */
export function viewOfCart(cart: Cart, base: ViewBase, paying = false): CustomerView {
  if (cart.lines.length === 0) return idleView(base);
  return {
    phase: paying ? 'payment' : 'cart',
    ...base,
    lines: cart.lines.map((line) => ({
      id: line.id,
      nameZh: line.nameZh,
      nameEn: line.nameEn,
      quantity: line.quantity,
      unitPrice: line.unitPrice,
      amount: line.net,
    })),
    total: cart.total,
    change: 0,
    fpsQr: null,
  };
}

export function viewOfReceipt(receipt: Receipt, base: ViewBase): CustomerView {
  return {
    phase: 'done',
    ...base,
    lines: receipt.lines.map((line) => ({
      id: line.id,
      nameZh: line.nameZh,
      nameEn: line.nameEn,
      quantity: line.quantity,
      unitPrice: line.unitPrice,
      amount: line.net,
    })),
    total: receipt.total,
    change: receipt.change,
    fpsQr: null,
  };
}

/** 2 → "2", 0.5 → "0.5", 1.25 → "1.25" (weighed items, up to 3 decimals). */
function formatQuantity(quantity: number): string {
  return String(Math.round(quantity * 1000) / 1000);
}

/**
 * While scanning: the item just added or changed on line 1 (its English name: the display has no
 * Chinese), and its quantity and price flush right on line 2. With no such line (a removal, a
 * cart discount) the item count and the total.
 */
export function poleLinesForCart(cart: Cart): PoleLines {
  const line = cart.lines.find((l) => l.id === cart.lastLineId);
  if (line)
    return [formatDisplayLine(line.nameEn), formatDisplayLine('', `${formatQuantity(line.quantity)} x ${formatHkd(line.unitPrice)}`)];
  return [formatDisplayLine(`${cart.lines.length} ITEMS`), formatDisplayLine('TOTAL', formatHkd(cart.total))];
}

/** The payment screen: what to pay. */
export function poleLinesForTotal(total: number): PoleLines {
  return [formatDisplayLine('TOTAL', formatHkd(total)), formatDisplayLine('')];
}

/** FPS chosen on the payment screen: the customer scans the QR on the second screen. */
export function poleLinesForFps(amount: number): PoleLines {
  return [formatDisplayLine('SCAN FPS QR'), formatDisplayLine('PAY', formatHkd(amount))];
}

/** After the sale: the total stays up, with the change under it (or a thank-you when none). */
export function poleLinesForReceipt(receipt: Receipt): PoleLines {
  return [
    formatDisplayLine('TOTAL', formatHkd(receipt.total)),
    receipt.change > 0 ? formatDisplayLine('CHANGE', formatHkd(receipt.change)) : formatDisplayLine('THANK YOU'),
  ];
}

export function poleLinesForIdle(idleMessage: string): PoleLines {
  return [formatDisplayLine(idleMessage), formatDisplayLine('')];
}
