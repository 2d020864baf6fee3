/**
 * What enters the cloud, as zod schemas: the documents registers push, and what the admin side
 * upserts. Types are inferred from these, never written twice.
 *
 * Strings refuse NUL: PostgreSQL cannot store it in TEXT or JSONB, and a value that cannot be stored
 * must be refused at the door, not fail a transaction halfway.
 */
import { z } from 'zod';
import type { Issue } from '../errors';
import { DocumentMember, MemberCode } from '../../src/shared/member-schemas';
import { StoredValuePayment } from '../../src/shared/stored-value';
import { GiftCardLine } from '../../src/shared/gift-card';

export const Text = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => !s.includes('\u0000'), 'must not contain NUL characters');

/** Signed cents: a return's totals are negative. Bounded so sums stay exact in a double. */
export const Cents = z.number().int().min(-1e12).max(1e12);
export const NonNegativeCents = z.number().int().min(0).max(1e12);
export const Sku = Text(64).min(1);
export const StoreCode = z.string().regex(/^[A-Z0-9]{1,16}$/, 'a store code: 1 to 16 of A-Z and 0-9');
export const PaymentMethodCode = z.string().regex(/^[a-z][a-z0-9-]{1,31}$/, 'a payment method code');
/** ms since the epoch, from 2000 to 2200: anything else is a broken clock, not a date. */
export const EpochMs = z.number().int().min(946_684_800_000).max(7_258_118_400_000);

/** Units (or kg) with at most 3 decimals, as the register's Quantity; signed, never zero. */
export const SignedQuantity = z
  .number()
  .finite()
  .min(-10_000)
  .max(10_000)
  .refine((q) => q !== 0, 'quantity must not be 0')
  .refine((q) => Math.abs(Math.round(q * 1000) - q * 1000) < 1e-6, 'at most 3 decimals');

export function toMilli(quantity: number): number {
  return Math.round(quantity * 1000);
}

// Register documents (outbox kinds document.sale | document.return | document.exchange) -----------

/** A line of the register's Receipt (src/shared/checkout-schemas.ts), the fields the cloud keeps. */
export const DocumentLine = z.object({
  sku: Sku,
  nameZh: Text(200),
  nameEn: Text(200),
  quantity: SignedQuantity,
  unitPrice: Cents,
  gross: Cents,
  promotions: z.array(z.object({ id: z.number().int(), nameZh: Text(200), nameEn: Text(200), amount: Cents })).max(100),
  discountAmount: Cents,
  net: Cents,
  /** A gift card sold (activated) or returned (voided) on this line (issue 13). */
  giftCard: GiftCardLine.optional(),
});

export const DocumentPayment = z.object({
  method: PaymentMethodCode,
  amount: Cents,
  tendered: Cents,
  change: Cents,
  reference: Text(64).nullable(),
  approvalCode: Text(12).nullable(),
  cardLast4: z
    .string()
    .regex(/^\d{4}$/)
    .nullable(),
  /** Points or store credit (issue 13): the movement on the document's member's account, applied once by its key. */
  storedValue: StoredValuePayment.optional(),
});

export const ReceiptNo = z
  .string()
  .regex(/^[A-Z0-9]+-[A-Z0-9]+-\d+$/, 'a receipt number like MK01-01-000123')
  .max(40);

/**
 * The register's Receipt as its outbox carries it. Not strict: a newer register may add fields;
 * they are kept in the stored document.
 */
export const SaleDocument = z.object({
  saleId: z.number().int().positive(),
  receiptNo: ReceiptNo,
  kind: z.enum(['sale', 'return', 'exchange']),
  originalReceiptNo: ReceiptNo.nullable(),
  completedAt: EpochMs,
  store: z.object({ code: Text(16) }),
  registerName: Text(100).optional(),
  staff: z.object({ nameZh: Text(100), nameEn: Text(100) }),
  lines: z.array(DocumentLine).min(1).max(1_000),
  subtotal: Cents,
  promotionTotal: Cents,
  discountTotal: Cents,
  taxTotal: Cents,
  total: Cents,
  rounding: Cents,
  payments: z.array(DocumentPayment).max(50),
  change: Cents,
  /** The member on the sale (issue 13): the cloud gives or reverses the points itself. */
  member: DocumentMember.nullish(),
  /** The customer order the sale collected (issue 15): what its `deposit` payment took is that order's prepayment. */
  order: z.object({ orderNo: Text(40) }).nullish(),
});
export type SaleDocument = z.infer<typeof SaleDocument>;

/** Outbox kind stock.movement: goods received, a count or an adjustment made at the register. */
export const StockMovementPayload = z.strictObject({
  reason: z.enum(['receive', 'adjust', 'count', 'transfer']),
  lines: z
    .array(
      z.strictObject({
        sku: Sku,
        quantityMilli: z
          .number()
          .int()
          .min(-1e10)
          .max(1e10)
          .refine((q) => q !== 0, 'quantityMilli must not be 0'),
      }),
    )
    .min(1)
    .max(1_000),
  note: Text(200).optional(),
});
export type StockMovementPayload = z.infer<typeof StockMovementPayload>;

// Admin inputs -------------------------------------------------------------------------------------

export const ProductInput = z.strictObject({
  sku: Sku,
  nameZh: Text(200).trim().min(1),
  nameEn: Text(200).trim().min(1),
  categoryCode: Text(64).min(1).nullable().default(null),
  taxClass: Text(32).min(1).default('none'),
  active: z.boolean().default(true),
  /** The complete set of the product's barcodes; omitted keeps the current ones. */
  barcodes: z.array(Text(64).min(1)).max(100).optional(),
  /** Sets the price from now on (cents); omitted keeps the current one. */
  price: NonNegativeCents.optional(),
  /** The product this one is a variant of (a size or a colour); null: none; omitted keeps it. */
  parentSku: Sku.nullable().optional(),
  /** A variant's option label (尺碼 M / Size M); omitted keeps it. */
  optionZh: Text(100).trim().optional(),
  optionEn: Text(100).trim().optional(),
});
export type ProductInput = z.infer<typeof ProductInput>;

export const MemberInput = z.strictObject({
  code: Text(32).trim().min(1),
  name: Text(100).trim().min(1),
  phone: Text(32).nullable().default(null),
  tier: Text(32).min(1).default('standard'),
  active: z.boolean().default(true),
});
export type MemberInput = z.infer<typeof MemberInput>;

/** An order from the online shop, fulfilled from (and taking stock at) one store. */
export const OnlineOrderInput = z
  .strictObject({
    orderNo: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/, 'an order number: letters, digits, . _ -'),
    store: StoreCode,
    kind: z.enum(['sale', 'return']).default('sale'),
    completedAt: EpochMs.optional(),
    lines: z
      .array(
        z.strictObject({
          sku: Sku,
          quantity: SignedQuantity,
          unitPrice: NonNegativeCents,
          discountAmount: NonNegativeCents.default(0),
          nameZh: Text(200).optional(),
          nameEn: Text(200).optional(),
        }),
      )
      .min(1)
      .max(1_000),
    /**
     * The member the order was for (issue 13): it is listed in the member's history (the till's
     * member panel). Points are the shop's to earn (POST /v1/shop/members/earn), never given here.
     */
    member: z.strictObject({ code: MemberCode }).optional(),
    /** Omitted: one payment of the total by `online`. */
    payments: z
      .array(z.strictObject({ method: PaymentMethodCode, amount: Cents, reference: Text(64).optional() }))
      .max(20)
      .optional(),
  })
  .refine(
    (o) => o.lines.every((l) => (o.kind === 'sale' ? l.quantity > 0 : l.quantity < 0)),
    'a sale has positive quantities, a return negative ones',
  );
export type OnlineOrderInput = z.infer<typeof OnlineOrderInput>;

/** zod issues as `path: message`, for error bodies and quarantine reasons. */
export function issuesOf(error: z.ZodError): Issue[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.') || '(root)', message: issue.message }));
}

export function describeIssues(error: z.ZodError, max = 5): string {
  const issues = issuesOf(error);
  const shown = issues.slice(0, max).map((i) => `${i.path}: ${i.message}`);
  return issues.length > max ? `${shown.join('; ')}; and ${issues.length - max} more` : shown.join('; ');
}
