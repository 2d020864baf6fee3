/**
 * Customer orders taken outside the till (issue 15): the online shop, Instagram / WhatsApp /
 * Facebook chats, the phone, or a cashier for a chat customer; collected (and, when not prepaid,
 * paid) at the counter. The cloud owns each order's state machine; these are the shapes the cloud
 * accepts and answers, shared with the register that pulls them. Runtime-free: zod only.
 *
 *   new → preparing → ready → collected        any open state → cancelled
 *
 * Prices are the cloud's: a caller names SKUs and quantities, never prices or totals it computed
 * (an `expectedTotal` is only compared, and a difference refused).
 */
import * as z from './zod';

export const orderStatuses = ['new', 'preparing', 'ready', 'collected', 'cancelled'] as const;
export const OrderStatus = z.enum(orderStatuses);
export type OrderStatus = z.infer<typeof OrderStatus>;

export const openOrderStatuses: readonly OrderStatus[] = ['new', 'preparing', 'ready'];
export const finalOrderStatuses: readonly OrderStatus[] = ['collected', 'cancelled'];

/** Where the customer ordered: the online shop, a chat, the phone, or at the counter itself. */
export const OrderChannel = z.enum(['online', 'instagram', 'whatsapp', 'facebook', 'phone', 'counter']);
export type OrderChannel = z.infer<typeof OrderChannel>;

/**
 * The moves each status may make. Collecting is allowed from any open state (a customer may come
 * before the shop marked the order ready); a final state moves nowhere.
 */
export const orderTransitions: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  new: ['preparing', 'ready', 'collected', 'cancelled'],
  preparing: ['ready', 'collected', 'cancelled'],
  ready: ['collected', 'cancelled'],
  collected: [],
  cancelled: [],
};

/** The states an order must be in for `to` to be allowed. */
export function statusesBefore(to: OrderStatus): OrderStatus[] {
  return orderStatuses.filter((from) => orderTransitions[from].includes(to));
}

/** The caller's own order id: the idempotency key of its creation. */
export const OrderNo = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,39}$/, 'an order number: 1 to 40 of letters, digits, . _ : -');

const Sku = z.text(64);
/** Up to 3 decimals (weighed items), more than 0. */
const Quantity = z
  .number()
  .positive()
  .max(100_000)
  .refine((q) => Math.abs(q * 1000 - Math.round(q * 1000)) < 1e-6, 'at most 3 decimals');

/** A Hong Kong phone as people type it (digits, spaces, +, -); kept as typed, shown masked. */
export const Phone = z
  .string()
  .trim()
  .regex(/^\+?[0-9 -]{8,20}$/, 'a phone number: 8 to 20 digits, spaces, + or -');

export const CreateOrder = z.strictObject({
  orderNo: OrderNo,
  /** The store the customer collects at (its code, e.g. MK01). */
  store: z.string().regex(/^[A-Z0-9]{1,16}$/, 'a store code: 1 to 16 of A-Z and 0-9'),
  channel: OrderChannel,
  customer: z.strictObject({ name: z.text(100), phone: Phone.nullable().default(null) }),
  lines: z
    .array(z.strictObject({ sku: Sku, quantity: Quantity }))
    .min(1)
    .max(200),
  /** Money already taken (the online shop's checkout, a deposit by bank transfer); 0 when paid at pickup. */
  paid: z
    .strictObject({
      amount: z.number().int().min(0).max(1e12),
      method: z.string().regex(/^[a-z][a-z0-9-]{1,31}$/, 'a payment method code'),
      reference: z.text(64).nullable().default(null),
    })
    .nullable()
    .default(null),
  /** What the caller's screen showed: refused (TOTAL_MISMATCH, with the cloud's total) when the cloud's prices differ. */
  expectedTotal: z.number().int().min(0).max(1e12).nullable().default(null),
  /** The day the customer will collect, YYYY-MM-DD. */
  pickupOn: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD')
    .nullable()
    .default(null),
  note: z.text(500, 0).default(''),
});
export type CreateOrder = z.infer<typeof CreateOrder>;
export type CreateOrderInput = z.input<typeof CreateOrder>;

export const OrderLine = z.object({
  line: z.number().int(),
  sku: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  quantityMilli: z.number().int(),
  unitPrice: z.number().int(),
  amount: z.number().int(),
  /** Handed over so far by partial pickups (thousandths); the rest stays reserved. */
  collectedMilli: z.number().int().min(0).default(0),
  /** Swapped out at a pickup (the customer took another item instead): no longer reserved, never handed over. */
  releasedMilli: z.number().int().min(0).default(0),
});
export type OrderLine = z.infer<typeof OrderLine>;

/** A pickup of part of an order (or its last part), as the cloud recorded it. */
export const OrderPickupRecord = z.object({
  /** The hand-over slip (`MK01-01-P000003`) or the receipt of the sale that paid it. */
  receiptNo: z.string(),
  /** `MK01-02`: the register that recorded it. */
  by: z.string(),
  at: z.number().int(),
  /** This pickup left nothing to collect: the order closed with it. */
  final: z.boolean(),
});
export type OrderPickupRecord = z.infer<typeof OrderPickupRecord>;

/** Who moved an order last, for "collected at MK01-02" answers. */
export const OrderActor = z.object({
  kind: z.enum(['shop-key', 'register', 'console']),
  /** The shop key's label, `{store}-{register}` (e.g. MK01-02), or `HQ <name>` (the head office console). */
  name: z.string(),
});
export type OrderActor = z.infer<typeof OrderActor>;

export const Order = z.object({
  orderNo: z.string(),
  storeCode: z.string(),
  channel: OrderChannel,
  customerName: z.string(),
  /** Masked (`****5678`) for registers; the full number stays with the shop. */
  customerPhone: z.string().nullable(),
  status: OrderStatus,
  lines: z.array(OrderLine),
  total: z.number().int(),
  paid: z.number().int(),
  /** What the counter takes at pickup: total − paid, less what partial pickups settled (orderDue, order-pickup.ts). */
  due: z.number().int(),
  pickupOn: z.string().nullable(),
  note: z.string(),
  /** The final move: who collected or cancelled it, when, and the receipt it was collected on. */
  finalBy: OrderActor.nullable(),
  finalAt: z.number().int().nullable(),
  receiptNo: z.string().nullable(),
  cancelReason: z.string().nullable(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
  /** The pull cursor: registers ask for orders with a version above the last they saw. */
  version: z.number().int(),
  /** Of `paid`, what earlier pickups already used (the rest is the customer's credit on the order). */
  appliedPaid: z.number().int().min(0).default(0),
  /** Partial pickups (and the last one), oldest first. */
  pickups: z.array(OrderPickupRecord).default([]),
});
export type Order = z.infer<typeof Order>;

/** A status change asked by the shop or a register. */
export const OrderTransition = z.strictObject({
  to: z.enum(['preparing', 'ready', 'collected', 'cancelled']),
  /** For `collected`: the receipt the order was handed over on (or paid by, at pickup). */
  receiptNo: z
    .string()
    .regex(/^[A-Za-z0-9-]{1,40}$/, 'a receipt number')
    .nullable()
    .default(null),
  /** For `cancelled`: why. */
  reason: z.text(200).nullable().default(null),
});
export type OrderTransition = z.infer<typeof OrderTransition>;

/**
 * A claim's id: a register asking the cloud to collect an order (or take a pickup of it) before a
 * sale names the claim its cart made (16 random bytes, hex; src/main/orders/order-claims.ts), and
 * its release names it too, so the cloud undoes that claim only and refuses it when it arrives late
 * (cloud/domain/order-claims.ts).
 */
export const ClaimId = z.string().regex(/^[0-9a-f]{32}$/, 'a claim id');

/**
 * A claim a new one supersedes: the register released it (its `order.claim-released` row, same
 * fields) but its outbox has not delivered that release yet. The new claim names it, and the cloud
 * applies that release first, on the same row lock (cloud/domain/order-claims.ts): the new claim
 * never meets its register's own released claim still standing, and the release arriving later
 * changes nothing.
 */
export const SupersededClaim = z.strictObject({ receiptNo: z.string().min(1).max(40), claimId: ClaimId });
export type SupersededClaim = z.infer<typeof SupersededClaim>;

/** The most a claim names (more undelivered releases than this: the register asks nothing, its outbox carries all). */
export const MAX_SUPERSEDED_CLAIMS = 20;

/** What a register's question before a sale adds to the move or pickup it asks for: its cart's claim, and the claims that one supersedes. */
export const ClaimFields = {
  claimId: ClaimId.optional(),
  supersedes: z.array(SupersededClaim).max(MAX_SUPERSEDED_CLAIMS).optional(),
};

/** POST /v1/registers/:id/orders/:orderNo/status: a register's move; collecting before a sale names the cart's claim. */
export const RegisterOrderTransition = OrderTransition.extend(ClaimFields);
export type RegisterOrderTransition = z.infer<typeof RegisterOrderTransition>;

/** `91234567` → `****4567`: enough for the counter to ask "the one ending 4567?". */
export function maskPhone(phone: string | null): string | null {
  if (phone === null) return null;
  const digits = phone.replace(/\D/g, '');
  return digits.length < 4 ? '****' : `****${digits.slice(-4)}`;
}

/** The `order.transition` outbox row: a register's move of an order, applied by the cloud exactly once. */
export const OrderTransitionPayload = OrderTransition.extend({ orderNo: OrderNo });
export type OrderTransitionPayload = z.infer<typeof OrderTransitionPayload>;

/**
 * `order.claim-released` (ref `{orderNo}`): the register asked the cloud to collect the order (or
 * take a pickup of it) on `receiptNo` before a sale, and that sale was never written (the cart was
 * voided, or another sale took the number). The cloud undoes that claim when it is still this
 * register's on that number and no sale of that number names the order; else it changes nothing.
 */
export const OrderClaimRelease = z.strictObject({
  orderNo: OrderNo,
  receiptNo: z.string().min(1).max(40),
  /** The claim released (absent from a register of the version before claim ids: the cloud then undoes whatever claim stands). */
  claimId: ClaimId.optional(),
});
export type OrderClaimRelease = z.infer<typeof OrderClaimRelease>;

// ---------------------------------------------------------------------------------------------
// At the till (issue 15): the queue as the register shows it, and what a cashier may ask.

/** What the till shows of an order: the cloud's status, or this register's move until the cloud has it. */
export const TillOrder = z.object({
  orderNo: z.string(),
  channel: OrderChannel,
  customerName: z.string(),
  /** Masked by the cloud (`****5678`). */
  customerPhone: z.string().nullable(),
  status: OrderStatus,
  /** A move made here that the cloud has not confirmed yet (it travels through the outbox). */
  pending: z.boolean(),
  lines: z.array(OrderLine),
  total: z.number().int(),
  paid: z.number().int(),
  /** What is left to pay for what is left to collect (what was paid before, less what pickups used). */
  due: z.number().int(),
  /** Of `paid`, what pickups used so far (this register's pending ones included). */
  appliedPaid: z.number().int(),
  /** Open, with part of it handed over or swapped already (部分取貨). */
  partlyCollected: z.boolean(),
  /** Its pickups, oldest first; `by` is empty for this register's own until the cloud lists them. */
  pickups: z.array(OrderPickupRecord),
  pickupOn: z.string().nullable(),
  note: z.string(),
  /** Who collected or cancelled it (`MK01-02`, or the shop key's label). */
  finalBy: z.string().nullable(),
  receiptNo: z.string().nullable(),
  cancelReason: z.string().nullable(),
  createdAt: z.number().int(),
  /**
   * Another register (or the shop) reached a final state first, found after this register moved it;
   * `refused`: this register's slips and receipts that lost (their goods went out here too: to follow
   * up). Until the cashier acknowledges it, nothing more of the order is handed over here.
   */
  conflict: z
    .object({
      status: OrderStatus,
      by: z.string(),
      at: z.number().int().nullable(),
      receiptNo: z.string().nullable(),
      refused: z.array(z.string()),
    })
    .nullable(),
});
export type TillOrder = z.infer<typeof TillOrder>;

export const OrderFilter = z.enum(['open', 'new', 'preparing', 'ready', 'collected', 'cancelled', 'all']);
export type OrderFilter = z.infer<typeof OrderFilter>;

export const TillOrderList = z.object({
  orders: z.array(TillOrder),
  /** How many orders are in each status (as the till shows them). */
  counts: z.record(OrderStatus, z.number().int()),
  /** Orders with a conflict nobody has acknowledged. */
  conflicts: z.number().int(),
  /** When the cloud last answered an order pull (null: never). */
  pulledAt: z.number().int().nullable(),
});
export type TillOrderList = z.infer<typeof TillOrderList>;

/** What the QR / barcode on the customer's order confirmation holds: `ORD:` + the order number. */
export const ORDER_SCAN_PREFIX = 'ORD:';

/** The order number in a scanned code (`ORD:W1001`) or a typed one (`W1001`), or null. */
export function orderNoFromCode(code: string): string | null {
  const text = code.trim();
  const body = text.toUpperCase().startsWith(ORDER_SCAN_PREFIX) ? text.slice(ORDER_SCAN_PREFIX.length) : text;
  return OrderNo.safeParse(body).success ? body : null;
}

/** The channels a person takes an order from by hand (at the till or in the head office console). */
export const socialOrderChannels = ['instagram', 'whatsapp', 'facebook', 'phone'] as const;
/** How a chat customer pays before pickup (a transfer they made). */
export const socialPaidMethods = ['fps', 'payme', 'bank', 'alipayhk', 'wechatpay'] as const;

/** A chat or phone order a cashier takes at the till (the cloud prices it; paid = already transferred). */
export const SocialOrderInput = z.strictObject({
  channel: z.enum(socialOrderChannels),
  customerName: z.text(100),
  customerPhone: Phone.nullable(),
  lines: z
    .array(z.strictObject({ sku: Sku, quantity: Quantity }))
    .min(1)
    .max(200),
  /** Paid before pickup (a deposit or the whole amount, by a transfer the customer made), with how. */
  paid: z
    .strictObject({
      amount: z.number().int().min(1).max(1e12),
      method: z.enum(socialPaidMethods),
      reference: z.text(64).nullable(),
    })
    .nullable(),
  pickupOn: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD')
    .nullable(),
  note: z.text(500, 0),
});
export type SocialOrderInput = z.infer<typeof SocialOrderInput>;

/**
 * A pickup asked at the till (`order:pickup`): how much of each order line the customer takes now
 * (`collectMilli`) or swaps out (`swapMilli`), and the items taken instead (a barcode or SKU, with
 * a quantity), sold at the store's price. Lines not named stay reserved for a later pickup.
 */
export const TillPickupRequest = z.strictObject({
  orderNo: OrderNo,
  lines: z
    .array(
      z.strictObject({
        line: z.number().int().min(1),
        collectMilli: z.number().int().min(0).max(100_000_000),
        swapMilli: z.number().int().min(0).max(100_000_000),
      }),
    )
    .min(1)
    .max(200),
  add: z.array(z.strictObject({ code: z.string().trim().min(1).max(64), quantity: z.number().int().min(1).max(10_000) })).max(50),
});
export type TillPickupRequest = z.infer<typeof TillPickupRequest>;

/** What collecting answered: handed over (prepaid), or open in the cart to be paid. */
export const CollectResult = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('handed-over'), order: TillOrder, handoverNo: z.string() }),
  z.object({ kind: z.literal('in-cart'), order: TillOrder, cartId: z.number().int() }),
]);
export type CollectResult = z.infer<typeof CollectResult>;

/** A page of GET /v1/registers/:id/orders: the store's orders changed after `since`, and what open orders reserve. */
export const OrderPullPage = z.object({
  orders: z.array(Order),
  next: z.number().int().min(0),
  more: z.boolean(),
  reserved: z.array(z.object({ sku: z.string(), quantityMilli: z.number().int() })),
});
export type OrderPullPage = z.infer<typeof OrderPullPage>;
