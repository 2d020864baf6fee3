/**
 * Stored value as tenders (issue 13): a member's points and store credit pay part of a sale, and a
 * return pays them back to the same account. Shared by the register, the payment screen and the
 * cloud, so both sides convert points the same way and read the same document field.
 *
 * - Two payment methods carry stored value: `member-points` (積分) and `member-credit` (儲值額). Their tender amount
 *   is, like every tender, the HK$ value (cents) it pays; the account's own unit travels beside it.
 * - Points pay at the merchant's rate (`pointsPerDollar`, 100 points = HK$1 by default): a value
 *   takes the points it is worth, rounded up (never a cent paid by a fraction of a point).
 * - A redemption is decided by the cloud under the account's lock when the register can ask it
 *   (`cloud`), else by the register's offline bound (`register`, src/main/members/offline-redemption.ts);
 *   either way the document carries it and the cloud's ledger applies it once, by its key.
 */
import * as z from './zod';
import { GIFT_CARD_METHOD, GiftCardHash } from './gift-card';

export const STORED_VALUE_KINDS = ['points', 'credit'] as const;
export type StoredValueKind = (typeof STORED_VALUE_KINDS)[number];

/**
 * The payment method code of each kind (rows of `payment_method`, never deleted, switched off like
 * any method). Prefixed, so a store's own method named `credit` before this existed stays its own.
 */
export const STORED_VALUE_METHOD: Readonly<Record<StoredValueKind, string>> = { points: 'member-points', credit: 'member-credit' };

/** The stored-value kind a payment method code carries, or null for every other method. */
export function storedValueKindOf(methodCode: string): StoredValueKind | null {
  return methodCode === STORED_VALUE_METHOD.points ? 'points' : methodCode === STORED_VALUE_METHOD.credit ? 'credit' : null;
}

/**
 * Every kind a payment's movement may be: a member's points or credit, or a gift card (issue 13;
 * src/shared/gift-card.ts), which needs no member: the card is the account.
 */
export const STORED_VALUE_PAYMENT_KINDS = ['points', 'credit', 'gift'] as const;
export type StoredValuePaymentKind = (typeof STORED_VALUE_PAYMENT_KINDS)[number];

/** The movement kind a payment method carries (a member's account or a gift card), or null. */
export function paymentStoredValueKindOf(methodCode: string): StoredValuePaymentKind | null {
  return methodCode === GIFT_CARD_METHOD ? 'gift' : storedValueKindOf(methodCode);
}

/** Points needed to pay `cents` of value (rounded up). */
export function pointsForValue(cents: number, pointsPerDollar: number): number {
  return Math.ceil((Math.max(0, cents) * pointsPerDollar) / 100);
}

/** What `points` are worth, in cents (rounded down). */
export function valueOfPoints(points: number, pointsPerDollar: number): number {
  return Math.floor((Math.max(0, points) * 100) / pointsPerDollar);
}

/** The account's units a tender of `cents` moves: points at the rate, or cents of credit. */
export function unitsForValue(kind: StoredValueKind, cents: number, pointsPerDollar: number): number {
  return kind === 'points' ? pointsForValue(cents, pointsPerDollar) : Math.max(0, cents);
}

/** The value (cents) of `units` of the account: what the payment screen may take from it. */
export function valueOfUnits(kind: StoredValueKind, units: number, pointsPerDollar: number): number {
  return kind === 'points' ? valueOfPoints(units, pointsPerDollar) : Math.max(0, units);
}

/** The key of one movement: a random one per cart, the kind and the units (a changed amount is another movement). */
export const STORED_VALUE_KEY_PATTERN = /^sv-[A-Za-z0-9-]{8,60}$/;

/** What a document's stored-value payment says of its movement (ReceiptPayment.storedValue). */
export const StoredValuePayment = z.object({
  kind: z.enum(STORED_VALUE_PAYMENT_KINDS),
  /** Points or cents moved: negative when spent, positive when a return pays them back. */
  units: z
    .number()
    .int()
    .min(-1e12)
    .max(1e12)
    .refine((n) => n !== 0, 'units must not be 0'),
  /** The ledger's key for this movement; the cloud prefixes the register (as POST /v1/members/redeem does). */
  key: z.string().regex(STORED_VALUE_KEY_PATTERN, 'a stored-value key'),
  /** cloud: taken online under the account's lock; register: the offline bound (or a refund) decided it here. */
  decidedBy: z.enum(['cloud', 'register']),
  /** The account's balance after this movement as the register knew it, for the receipt. */
  balanceAfter: z.number().int().min(-1e12).max(1e12),
  /** A gift card's movement: the card (its hash and last 4; never its code). */
  card: z.object({ hash: GiftCardHash, last4: z.string().regex(/^\d{4}$/) }).optional(),
});
export type StoredValuePayment = z.infer<typeof StoredValuePayment>;

/**
 * An online redemption the register releases (outbox `stored-value.released`, ref = key): the cloud
 * took it (or may have: the answer was lost) and no sale will carry it. The cloud gives back exactly
 * what its redeem entry under `register:<id>:<key>` took, once; a key it never took is closed so a
 * late request under it takes nothing.
 */
export const RedemptionRelease = z.strictObject({
  key: z.string().regex(STORED_VALUE_KEY_PATTERN, 'a stored-value key'),
  kind: z.enum(STORED_VALUE_PAYMENT_KINDS),
  /** the member's code (points, credit), or null for a gift card */
  memberCode: z.string().min(1).max(32).nullable(),
  /** the gift card's hash, or null for a member's account */
  cardHash: GiftCardHash.nullable(),
  /** cents of value the register asked for (what it believes was taken) */
  value: z.number().int().min(1).max(1e12),
  /** why no sale carries it: `completion-failed`, `not-on-sale`, `cart-voided` */
  reason: z.enum(['completion-failed', 'not-on-sale', 'cart-voided']),
});
export type RedemptionRelease = z.infer<typeof RedemptionRelease>;
