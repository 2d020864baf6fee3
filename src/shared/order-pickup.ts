/**
 * Partial pickup and exchange against a customer order (issue 15): the customer takes some of the
 * order's lines now (the rest stays reserved), or swaps a line for another item (the swapped-out
 * line is released, the new item is sold at the store's price). One rule, run by the register that
 * records the pickup and again by the cloud on its own copy of the order (it never takes the
 * register's figures): which quantities are still open, what the pickup settles, and how much of
 * the money paid before pickup it uses.
 *
 * Money: what was paid before (`paid`) is the customer's credit on the order. A pickup settles the
 * order lines it collects or swaps out, at the order's prices; it uses the credit up to that value
 * (`applied`). The goods handed over now (collected lines at the order's prices, new items at the
 * store's) less `applied` is what the counter takes, or pays back when negative (a cheaper size).
 * Because `applied` never exceeds what the pickup settles, the credit left is never more than what
 * is left to collect: a prepaid order's last pickup uses exactly the rest, nothing is paid twice
 * and nothing goes free.
 */
import { lineAmount } from './money';
import { ClaimFields } from './order-schemas';
import * as z from './zod';

const Part = z.strictObject({ line: z.number().int().min(1), quantityMilli: z.number().int().min(1).max(100_000_000) });
export type PickupPart = z.infer<typeof Part>;

/** The outbox row `order.pickup` and POST /v1/registers/:id/orders/:orderNo/pickups. */
export const OrderPickupPayload = z.strictObject({
  orderNo: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,39}$/, 'an order number'),
  /** The hand-over slip (`{store}-{register}-P{seq}`) or the sale's receipt that paid it. */
  receiptNo: z.string().regex(/^[A-Za-z0-9-]{1,40}$/, 'a receipt number'),
  /** Order lines handed over now. */
  collect: z.array(Part).max(200),
  /** Order lines swapped out now (released, never handed over). */
  release: z.array(Part).max(200),
  /** Of the money paid before, what this pickup uses: checked against the cloud's own figure. */
  applied: z.number().int().min(0).max(1e12),
});
export type OrderPickupPayload = z.infer<typeof OrderPickupPayload>;

/** POST /v1/registers/:id/orders/:orderNo/pickups: the pickup, and the claim the cart made for it (before a sale) with those it supersedes. */
export const RegisterPickupRequest = OrderPickupPayload.extend(ClaimFields);
export type RegisterPickupRequest = z.infer<typeof RegisterPickupRequest>;

export interface PickupOrderState {
  lines: readonly {
    line: number;
    sku: string;
    quantityMilli: number;
    unitPrice: number;
    amount: number;
    collectedMilli: number;
    releasedMilli: number;
  }[];
  paid: number;
  appliedPaid: number;
}

export interface PickupPlan {
  /** The order lines' value this pickup settles (collected or swapped out), at the order's prices. */
  settled: number;
  /** Of the money paid before, what this pickup uses: min(credit, settled). */
  applied: number;
  /** Nothing is left to collect after it: the order closes. */
  final: boolean;
  /** The order's lines after it. */
  lines: { line: number; collectedMilli: number; releasedMilli: number }[];
}

export type PickupCheck = { ok: true; plan: PickupPlan } | { ok: false; message: string };

export const remainingMilli = (l: { quantityMilli: number; collectedMilli: number; releasedMilli: number }): number =>
  l.quantityMilli - l.collectedMilli - l.releasedMilli;

/** An order line's value for its first `milli` thousandths; the whole line is exactly its amount. */
function valueUpTo(l: { quantityMilli: number; unitPrice: number; amount: number }, milli: number): number {
  if (milli <= 0) return 0;
  return milli >= l.quantityMilli ? l.amount : lineAmount(l.unitPrice, milli / 1000);
}

/**
 * Checks a pickup against the order as it stands and answers its plan. Refused: an unknown line,
 * a line named twice in a list, more than is left of a line, a weighed line split (it goes whole),
 * or a pickup that takes nothing.
 */
export function planPickup(
  order: PickupOrderState,
  pickup: { collect: readonly PickupPart[]; release: readonly PickupPart[] },
): PickupCheck {
  if (pickup.collect.length + pickup.release.length === 0)
    return { ok: false, message: 'A pickup collects or swaps out at least one line' };
  const byLine = new Map(order.lines.map((l) => [l.line, { ...l }]));
  let settled = 0;
  for (const [list, field] of [
    [pickup.collect, 'collectedMilli'],
    [pickup.release, 'releasedMilli'],
  ] as const) {
    const seen = new Set<number>();
    for (const part of list) {
      const line = byLine.get(part.line);
      if (!line) return { ok: false, message: `The order has no line ${part.line}` };
      if (seen.has(part.line)) return { ok: false, message: `Line ${part.line} is named twice` };
      seen.add(part.line);
      const left = remainingMilli(line);
      if (part.quantityMilli > left)
        return { ok: false, message: `Line ${part.line} (${line.sku}) has ${left / 1000} left, not ${part.quantityMilli / 1000}` };
      if (line.quantityMilli % 1000 !== 0 && part.quantityMilli !== left)
        return { ok: false, message: `Line ${part.line} (${line.sku}) is weighed: it is collected or swapped whole` };
      const before = line.collectedMilli + line.releasedMilli;
      settled += valueUpTo(line, before + part.quantityMilli) - valueUpTo(line, before);
      line[field] += part.quantityMilli;
    }
  }
  const after = [...byLine.values()];
  const credit = Math.max(0, order.paid - order.appliedPaid);
  return {
    ok: true,
    plan: {
      settled,
      applied: Math.min(credit, settled),
      final: after.every((l) => remainingMilli(l) === 0),
      lines: after.map((l) => ({ line: l.line, collectedMilli: l.collectedMilli, releasedMilli: l.releasedMilli })),
    },
  };
}

/** Has anything of the order been collected or swapped out (it is 部分取貨 partly collected while open)? */
export function partlyCollected(order: { lines: readonly { collectedMilli: number; releasedMilli: number }[] }): boolean {
  return order.lines.some((l) => l.collectedMilli + l.releasedMilli > 0);
}

/** What is left of an open order: its lines' remaining value less the customer's credit on it. */
export function remainingDue(order: PickupOrderState): number {
  const left = order.lines.reduce((sum, l) => sum + l.amount - valueUpTo(l, l.collectedMilli + l.releasedMilli), 0);
  return left - Math.max(0, order.paid - order.appliedPaid);
}

/**
 * An order's `due`, as the till, the cloud's answers and the head office console all show it: while
 * the order is open, what is still to pay for what is still to collect (remainingDue: a partly
 * collected order counts what its pickups collected and paid); once it is final, what was not paid
 * before pickup (total − paid).
 */
export function orderDue(order: PickupOrderState & { total: number; open: boolean }): number {
  return order.open ? remainingDue(order) : order.total - order.paid;
}
