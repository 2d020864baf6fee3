/** Schemas of the checkout: cart, discounts, tenders, receipts. Runtime-free: zod only. */
import * as z from './zod';
import { MemberView, ReceiptMember } from './member-schemas';
import { StoredValuePayment } from './stored-value';
import { GiftCardLine } from './gift-card';
import { thousandthsOf } from './money';
import { Cents, Pin } from './schemas';

/** Up to 3 decimals (kg for weighed items), never zero or negative, at most 10,000 units. */
export const Quantity = z
  .number()
  .finite()
  .positive('quantity must be more than 0')
  .max(10_000, 'at most 10,000 units on one line')
  .refine((q) => thousandthsOf(q) !== null, 'at most 3 decimals');

export const Discount = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('percent'), basisPoints: z.number().int().min(0).max(1_000_000) }),
  z.strictObject({ kind: z.literal('amount'), cents: Cents }),
]);
export type Discount = z.infer<typeof Discount>;

/** A manager's PIN entered in place, for an action over the cashier's limit. */
export const Approval = z.strictObject({
  staffId: z
    .number()
    .int()
    .positive()
    .max(2 ** 31),
  pin: Pin,
});
export type Approval = z.infer<typeof Approval>;

export const PaymentMethodCode = z.string().regex(/^[a-z][a-z0-9-]{1,31}$/, 'a payment method code');

export const PaymentMethod = z.object({
  code: PaymentMethodCode,
  nameZh: z.string(),
  nameEn: z.string(),
  /**
   * cash: change and rounding apply; card: approval code and last four digits; reference: wallets
   * and FPS; stored-value: a member's points or store credit (src/shared/stored-value.ts).
   */
  kind: z.enum(['cash', 'card', 'reference', 'stored-value']),
});
export type PaymentMethod = z.infer<typeof PaymentMethod>;

/** At most this many tenders pay one sale (the payment screen and main both refuse an eleventh). */
export const MAX_TENDERS = 10;
/** A card terminal's approval code: letters and digits, never a card number. */
export const APPROVAL_CODE_PATTERN = /^[A-Za-z0-9]{1,12}$/;
export const CARD_LAST4_PATTERN = /^\d{4}$/;
/** A wallet's or FPS's transaction reference: printable ASCII, 1 to 64 characters. */
export const REFERENCE_PATTERN = /^[\x20-\x7e]{1,64}$/;

export const TenderInput = z.strictObject({
  method: PaymentMethodCode,
  /** What this tender pays towards the sale (or refunds), in cents; positive. */
  amount: Cents.positive(),
  /** Cash only: what the customer handed over, when more than `amount`; the difference is change. */
  tendered: Cents.positive().optional(),
  /** Wallets and FPS: the transaction reference shown on the customer's phone or terminal. */
  reference: z.string().trim().regex(REFERENCE_PATTERN, 'printable ASCII, 1 to 64 characters').optional(),
  /** Card: the terminal's approval code. Never a card number. */
  approvalCode: z.string().regex(APPROVAL_CODE_PATTERN, 'up to 12 letters and digits').optional(),
  cardLast4: z.string().regex(CARD_LAST4_PATTERN, 'four digits').optional(),
});
export type TenderInput = z.infer<typeof TenderInput>;

export const PromotionApplied = z.object({ id: z.number().int(), nameZh: z.string(), nameEn: z.string(), amount: Cents });

export const CartLine = z.object({
  id: z.number().int().positive(),
  productId: z.number().int().positive(),
  sku: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  quantity: z.number(),
  /** The price the line is charged at (override or embedded barcode price included). */
  unitPrice: Cents,
  /** The catalogue price when the line was scanned. */
  listPrice: Cents,
  priceOverridden: z.boolean(),
  weighed: z.boolean(),
  gross: Cents,
  /** Usually none or one; several when different units fell into different promotions. */
  promotions: z.array(PromotionApplied),
  discount: Discount.nullable(),
  discountAmount: Cents,
  net: Cents,
  /** Set for a line being returned: negative quantity, linked to the sold line. */
  returnOf: z.object({ receiptNo: z.string(), saleLineId: z.number().int() }).nullable(),
  /** A gift card this line sells (issue 13): its last 4 only. */
  giftCard: z.object({ last4: z.string() }).optional(),
});
export type CartLine = z.infer<typeof CartLine>;

/**
 * Names one pricing of the cart as the core answered it: `<epoch>.<n>`, the epoch new each time a
 * register starts, n counting the carts it priced since. A window sends the one it holds so the
 * core can answer only what changed (src/shared/cart-patch.ts).
 */
export const CartRevision = z.string().min(1).max(40);

export const Cart = z.object({
  id: z.number().int().positive(),
  revision: CartRevision,
  status: z.enum(['open', 'suspended']),
  label: z.string().nullable(),
  lines: z.array(CartLine),
  discount: Discount.nullable(),
  /**
   * What the cart discount takes now, when there is one: less than an amount `discount` asked when
   * the cart shrank under it (lines removed, fewer units) — the till shows both figures.
   */
  cartDiscountAmount: Cents.optional(),
  /**
   * True when a discount is now more than whoever gave or approved it may give (a scan started a
   * promotion that shrank what it is taken from, a role's limit was lowered): the sale would be
   * refused, so the till has it approved before payment (cart:approve-discounts). Absent otherwise.
   */
  discountsToApprove: z.literal(true).optional(),
  subtotal: Cents,
  promotionTotal: Cents,
  discountTotal: Cents,
  taxTotal: Cents,
  /** Negative when the cart refunds more than it sells (a return, or an exchange for less). */
  total: Cents,
  /** The line just added or changed, for the highlight. */
  lastLineId: z.number().int().nullable(),
  /** The member on the sale (F8): member prices apply, points are earned. */
  member: MemberView.nullable(),
  /**
   * The customer order this cart collects (issue 15): its lines and prices are the order's and
   * cannot change; `paid` was taken before pickup, so only total − paid is tendered.
   */
  order: z
    .object({
      orderNo: z.string(),
      channel: z.string(),
      paid: Cents,
      /** A pickup of part of the order, or a swap (order-pickup.ts): `paid` is the prepayment it uses. */
      partial: z.boolean().optional(),
    })
    .nullable()
    .optional(),
});
export type Cart = z.infer<typeof Cart>;

export const SuspendedCart = z.object({
  id: z.number().int().positive(),
  label: z.string(),
  lineCount: z.number().int(),
  total: Cents,
  suspendedAt: z.number().int(),
  staffNameZh: z.string(),
  staffNameEn: z.string(),
});

export const ReceiptLine = z.object({
  id: z.number().int(),
  sku: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  quantity: z.number(),
  unitPrice: Cents,
  gross: Cents,
  promotions: z.array(PromotionApplied),
  discountAmount: Cents,
  net: Cents,
  /** Sold lines only: how much can still be returned. */
  returnableQuantity: z.number(),
  /** A gift card the line sold (activated) or took back (voided): its hash, last 4, load and balance after. */
  giftCard: GiftCardLine.optional(),
});

export const ReceiptPayment = z.object({
  method: PaymentMethodCode,
  nameZh: z.string(),
  nameEn: z.string(),
  amount: Cents,
  tendered: Cents,
  change: Cents,
  reference: z.string().nullable(),
  approvalCode: z.string().nullable(),
  cardLast4: z.string().nullable(),
  /** Points or store credit: the movement this payment made on the member's account. */
  storedValue: StoredValuePayment.optional(),
});

export const Receipt = z.object({
  saleId: z.number().int().positive(),
  receiptNo: z.string(),
  kind: z.enum(['sale', 'return', 'exchange']),
  originalReceiptNo: z.string().nullable(),
  completedAt: z.number().int(),
  store: z.object({
    code: z.string(),
    nameZh: z.string(),
    nameEn: z.string(),
    addressZh: z.string(),
    addressEn: z.string(),
    phone: z.string(),
  }),
  registerName: z.string(),
  staff: z.object({ nameZh: z.string(), nameEn: z.string() }),
  lines: z.array(ReceiptLine),
  subtotal: Cents,
  promotionTotal: Cents,
  discountTotal: Cents,
  taxTotal: Cents,
  total: Cents,
  /** Cash rounding (e.g. -4 when HK$56.54 is paid as HK$56.50 in cash). */
  rounding: Cents,
  payments: z.array(ReceiptPayment),
  change: Cents,
  /** True when this is a reprint: the paper says 副本 COPY. */
  copy: z.boolean(),
  reprintCount: z.number().int(),
  /** The member on the document, when there was one: points earned and the balance after. */
  member: ReceiptMember.optional(),
  /** The customer order this document collected and paid (issue 15), and its channel. */
  order: z.object({ orderNo: z.string(), channel: z.enum(['online', 'social']) }).optional(),
  /** A 練習模式 training document (TRN-… series): printed 練習 TRAINING — NOT A RECEIPT, counted nowhere. */
  training: z.literal(true).optional(),
});
export type Receipt = z.infer<typeof Receipt>;

export const ReturnLineInput = z.strictObject({
  saleLineId: z
    .number()
    .int()
    .positive()
    .max(2 ** 31),
  quantity: Quantity,
});

/** 練習模式: a training document's number is `TRN-{store}-{register}-{seq}`, a series of its own that never takes a real receipt number. */
export const TRAINING_RECEIPT_PREFIX = 'TRN-';

export const ReceiptNo = z
  .string()
  .trim()
  .min(3)
  .max(40)
  .regex(/^(?:TRN-)?[A-Z0-9]+-[A-Z0-9]+-\d+$/, 'a receipt number like MK01-01-000123 (training: TRN-MK01-01-000001)');

export const CheckoutSettings = z.object({
  /** Cash rounding step in cents: 0 (none), 10 (HK$0.10, the default) or 100 (HK$1). */
  cashRoundingStep: z.union([z.literal(0), z.literal(10), z.literal(50), z.literal(100)]),
  /** Note values for the quick-cash buttons, in cents. */
  quickCash: z.array(Cents.positive()),
  /** The logged-in staff member's manual discount limit; over it needs a manager's approval. */
  discountLimitBasisPoints: z.number().int().min(0).max(10_000),
  scanner: z.object({
    /** A burst whose keys all came faster than this is a scanner, not a person. */
    maxInterKeyMs: z.number().int().positive(),
    minLength: z.number().int().positive(),
    suffix: z.enum(['Enter', 'Tab']),
    /** Whether the same code again within repeatWindowMs adds a unit (else it is ignored as a double read). */
    repeatAddsUnit: z.boolean(),
    repeatWindowMs: z.number().int().min(0),
  }),
});
export type CheckoutSettings = z.infer<typeof CheckoutSettings>;
