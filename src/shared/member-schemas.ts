/**
 * Members across the till and the cloud (issue 13): the one phone rule, the member codes a card or
 * QR carries, and the enrolment a register queues in its outbox (kind `member.enrolled`), read by
 * the cloud with the same schema.
 */
import * as z from './zod';

/**
 * A Hong Kong mobile or fixed number as the till keys it: 8 digits, first digit 2–9. "+852 9123
 * 4567", "852-9123-4567" and "9123 4567" are the same number; anything else is null.
 */
export function normaliseHkPhone(input: string): string | null {
  const digits = input.replace(/[\s()+-]/g, '');
  if (!/^\d+$/.test(digits)) return null;
  const local = digits.length === 11 && digits.startsWith('852') ? digits.slice(3) : digits;
  return /^[2-9]\d{7}$/.test(local) ? local : null;
}

/** "9123 4567" → "9xxx 4567": what the cart and the receipt show of a member's phone. */
export function maskPhone(phone: string | null): string {
  if (phone === null) return '';
  const digits = phone.replace(/\D/g, '');
  const local = digits.length >= 8 ? digits.slice(-8) : digits;
  if (local.length < 5) return 'xxxx';
  return `${local.slice(0, 1)}xxx ${local.slice(-4)}`;
}

/** Member codes: letters, digits and "-" (head office's own, or a provisional one from a till). */
export const MEMBER_CODE_PATTERN = /^[A-Z0-9][A-Z0-9-]{0,31}$/;
export const MemberCode = z.string().regex(MEMBER_CODE_PATTERN, 'a member code: A-Z, 0-9 and -, at most 32');

/**
 * What a member card's barcode or QR holds: this prefix, then the member code (`MBR:M00000123`).
 * A scan starting with it is a member, whatever has focus, never a product.
 */
export const MEMBER_SCAN_PREFIX = 'MBR:';

export function memberCodeFromScan(scan: string): string | null {
  if (!scan.toUpperCase().startsWith(MEMBER_SCAN_PREFIX)) return null;
  const code = scan.slice(MEMBER_SCAN_PREFIX.length).trim().toUpperCase();
  return MEMBER_CODE_PATTERN.test(code) ? code : null;
}

/** The wording of the direct-marketing consent question the till shows (PDPO); its version is recorded with the answer. */
export const CONSENT_WORDING_VERSION = 'dm-2026-01';

const NoNul = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => !s.includes('\u0000') && !/\p{Cc}/u.test(s), 'no control characters');

/** Outbox kind member.enrolled: a member enrolled at a till, online or offline. Never an HKID. */
export const MemberEnrolment = z.strictObject({
  /** The till's provisional code (`T` + store + register + number), until the cloud answers with the member's code. */
  provisionalCode: MemberCode,
  name: NoNul(100).min(1),
  phone: z.string().regex(/^[2-9]\d{7}$/, 'an 8-digit Hong Kong phone number'),
  email: z.email().max(254).nullable(),
  birthMonth: z.number().int().min(1).max(12).nullable(),
  marketingConsent: z.strictObject({
    given: z.boolean(),
    wordingVersion: NoNul(32).min(1),
    at: z.number().int().min(946_684_800_000).max(7_258_118_400_000),
  }),
  enrolledAt: z.number().int().min(946_684_800_000).max(7_258_118_400_000),
});
export type MemberEnrolment = z.infer<typeof MemberEnrolment>;

/** What a sale document says of its member (Receipt.member). The cloud computes the points itself. */
export const DocumentMember = z.object({
  code: MemberCode,
  /** The till's own figure, for the receipt; the cloud's ledger is the truth. */
  pointsEarned: z.number().int(),
});
export type DocumentMember = z.infer<typeof DocumentMember>;

/** The till's enrolment form. Never an HKID: the schema is strict and has no field for one. */
export const MemberEnrolInput = z.strictObject({
  name: NoNul(100)
    .transform((s) => s.normalize('NFC').trim())
    .pipe(z.string().min(1, 'a name is required')),
  phone: z.string().max(32),
  email: z
    .string()
    .trim()
    .max(254)
    .transform((s) => (s === '' ? null : s))
    .pipe(z.email('an email address like chan@example.com').nullable())
    .nullable(),
  birthMonth: z.number().int().min(1).max(12).nullable(),
  /** Direct marketing: an explicit yes or no; no answer is no enrolment. */
  marketingConsent: z.boolean(),
});
export type MemberEnrolInput = z.input<typeof MemberEnrolInput>;

/** A member as the till shows it: never the full phone number. */
export const MemberView = z.object({
  code: z.string(),
  name: z.string(),
  /** "9xxx 5678", or '' when the member has no phone. */
  maskedPhone: z.string(),
  tier: z.string(),
  /** The cloud's settled balance plus this till's points not yet pushed. */
  points: z.number().int(),
  /** cents */
  storeCredit: z.number().int(),
  /** How many points pay HK$1 at this register (the payment screen shows what the points are worth). */
  pointsPerDollar: z.number().int().min(1),
  /** Enrolled here and not yet confirmed by the cloud: the code is provisional. */
  provisional: z.boolean(),
});
export type MemberView = z.infer<typeof MemberView>;

/** What the member panel's search found: where it looked says why nothing was found. */
export const MemberFindResult = z.object({
  member: MemberView.nullable(),
  /** local: the pulled list or this till's enrolments; cloud: a lookup just now (enrolled elsewhere). */
  source: z.enum(['local', 'cloud']).nullable(),
  /** Not found locally and the cloud could not be asked (offline, not enrolled, or it did not answer in time). */
  offline: z.boolean(),
});
export type MemberFindResult = z.infer<typeof MemberFindResult>;

/** The member line of a receipt: points earned on this document (negative on a return) and the balance after. */
export const ReceiptMember = z.object({
  code: z.string(),
  name: z.string(),
  maskedPhone: z.string(),
  tier: z.string(),
  pointsEarned: z.number().int(),
  pointsBalance: z.number().int(),
  /** Points paid with on this document (negative: paid back by a return); absent when none. */
  pointsRedeemed: z.number().int().optional(),
  /** Store credit (cents) used on this document (negative: paid back), and the credit left after it. */
  storeCreditUsed: z.number().int().optional(),
  storeCreditBalance: z.number().int().optional(),
});
export type ReceiptMember = z.infer<typeof ReceiptMember>;

/**
 * One purchase in a member's history: a till's document (`register`) or an online shop order
 * (`online`: its order number, the store it is collected at or sent from, and a `return` row of its
 * own when it came back), from any store. An online order collected at a till is listed once, as
 * the online order, naming the till receipts it was handed over on (`collectedOn`); those receipts
 * are not listed again as till sales.
 */
export const MemberPurchase = z.object({
  receiptNo: z.string(),
  kind: z.enum(['sale', 'return', 'exchange']),
  channel: z.enum(['register', 'online']),
  /** The store's code (MK01); '' when unknown. */
  storeCode: z.string(),
  completedAt: z.number().int(),
  /**
   * cents; negative for a return. An online order the cloud has no record of (only its points):
   * the cents the shop said earn points; none either (paid with points or credit only): 0, and
   * `totalUnknown`.
   */
  total: z.number().int(),
  totalUnknown: z.literal(true).optional(),
  /** An online order: the till receipts (or hand-over slips) it was collected on, oldest first. */
  collectedOn: z.array(z.string()).optional(),
});
export type MemberPurchase = z.infer<typeof MemberPurchase>;

/** The member panel's history: every store's from the cloud, or (offline) this register's own sales only. */
export const MemberHistory = z.object({
  purchases: z.array(MemberPurchase),
  source: z.enum(['cloud', 'local']),
});
export type MemberHistory = z.infer<typeof MemberHistory>;

/** How many purchases the history shows (newest first). */
export const MEMBER_HISTORY_LIMIT = 20;
