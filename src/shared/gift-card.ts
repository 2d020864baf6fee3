/**
 * Gift cards and vouchers (issue 13): the ONE owner of what a card's code is, how a scan is
 * recognised, how a code becomes the hash the register and the cloud look it up by, and how a card
 * is shown (its last 4 only). Runtime-free: the hash takes the scrypt of its caller (main's and the
 * cloud's `node:crypto`).
 *
 * - A code is 19 digits: 18 random digits and a Luhn check digit (a mistyped digit is caught before
 *   any lookup). Printed in groups of four; the card's barcode or QR holds `GC:` + the digits, which
 *   the till tells from a product or member scan by that prefix.
 * - Only the hash of a code is stored (cloud and register) and sent (the document, the pull, the
 *   cloud's redemption); never the code itself, which is printed once when a batch is issued. The
 *   hash is scrypt over the digits with one fixed salt (a lookup must find it), costly enough that
 *   trying the 10^18 codes against a stolen hash list is out of reach.
 * - A card is `issued` (printed, worth nothing, waiting to be sold), `active` (sold or issued with a
 *   value: its balance is the sum of its ledger) or `void` (refunded or voided: refused everywhere).
 */
import * as z from './zod';

export const GIFT_CARD_SCAN_PREFIX = 'GC:';
export const GIFT_CARD_CODE_DIGITS = 19;
/** The catalogue product a sold card is a line of (the cloud creates it with the first batch). */
export const GIFT_CARD_SKU = 'GIFT-CARD';
/** The payment method a card pays with (a row of payment_method, switched off like any method). */
export const GIFT_CARD_METHOD = 'gift-card';
/** What one card may be loaded with at the till: HK$1 to HK$10,000. */
export const GIFT_CARD_MAX_VALUE = 1_000_000;
/** The till's quick values (cents). */
export const GIFT_CARD_QUICK_VALUES = [10_000, 20_000, 50_000] as const;

export const GIFT_CARD_STATUSES = ['issued', 'active', 'void'] as const;
export type GiftCardStatus = (typeof GIFT_CARD_STATUSES)[number];

/** The hash as it is stored and sent: `gc1:` and 60 hex digits (64 characters: it fits a payment reference). */
export const GIFT_CARD_HASH_PATTERN = /^gc1:[0-9a-f]{60}$/;
export const GiftCardHash = z.string().regex(GIFT_CARD_HASH_PATTERN, 'a gift card hash');

function luhnSum(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum;
}

/** The check digit that makes `body` + it pass Luhn. */
export function giftCardCheckDigit(body: string): string {
  return String((10 - (luhnSum(`${body}0`) % 10)) % 10);
}

export type GiftCardCodeProblem = 'FORMAT' | 'CHECK_DIGIT';

/**
 * The digits of a code as scanned (`GC:…`) or typed (spaces and dashes allowed), or why it is not
 * one: not 19 digits, or a wrong check digit (a misread or a typo, never another card).
 */
export function parseGiftCardCode(text: string): { ok: true; digits: string } | { ok: false; problem: GiftCardCodeProblem } {
  let t = text.trim();
  if (t.toUpperCase().startsWith(GIFT_CARD_SCAN_PREFIX)) t = t.slice(GIFT_CARD_SCAN_PREFIX.length);
  const digits = t.replace(/[\s-]/g, '');
  if (!new RegExp(`^\\d{${GIFT_CARD_CODE_DIGITS}}$`).test(digits)) return { ok: false, problem: 'FORMAT' };
  if (luhnSum(digits) % 10 !== 0) return { ok: false, problem: 'CHECK_DIGIT' };
  return { ok: true, digits };
}

/** Whether a scan is a gift card's (its prefix): the till routes it to the card, never to the catalogue. */
export function isGiftCardScan(code: string): boolean {
  return code.trim().toUpperCase().startsWith(GIFT_CARD_SCAN_PREFIX);
}

/** `9812 3456 7890 1234 567`: how a batch prints a code. */
export function formatGiftCardCode(digits: string): string {
  return digits.replace(/(\d{4})(?=\d)/g, '$1 ');
}

/** The card as every screen and receipt shows it: `**** 4567` (as a payment card's last 4 print). Never more. */
export function maskGiftCard(last4: string): string {
  return `**** ${last4}`;
}

/** The scrypt cost of the hash (16 MiB, ~30 ms): one lookup per scan, out of reach for 10^18 tries. */
export const GIFT_CARD_HASH_PARAMS = { N: 16_384, r: 8, p: 1, keylen: 30, salt: 'suanpan-gift-card-v1' } as const;

export type Scrypt = (password: string, salt: string, keylen: number, options: { N: number; r: number; p: number }) => Uint8Array;

/** The hash a card is stored and looked up by, from its digits (parseGiftCardCode). */
export function giftCardHash(digits: string, scrypt: Scrypt): string {
  const { N, r, p, keylen, salt } = GIFT_CARD_HASH_PARAMS;
  const bytes = scrypt(digits, salt, keylen, { N, r, p });
  return `gc1:${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** A card as the till shows it (gift:find): never the code nor the hash's use beyond its id. */
export const GiftCardView = z.object({
  /** The card's hash: how the till names it to main afterwards (the tender's reference). */
  id: GiftCardHash,
  last4: z.string().regex(/^\d{4}$/),
  status: z.enum(GIFT_CARD_STATUSES),
  /** cents: the pulled balance and this register's own movements the cloud has not settled yet */
  balance: z.number().int(),
  /** cents this register may take from it now offline (the offline bound); online the cloud decides */
  availableOffline: z.number().int().min(0),
});
export type GiftCardView = z.infer<typeof GiftCardView>;

/** What a sold or returned gift card line carries on the document. */
export const GiftCardLine = z.object({
  hash: GiftCardHash,
  last4: z.string().regex(/^\d{4}$/),
  /** cents loaded on the card by this sale; on a returned line, the load the return takes back */
  value: z.number().int().min(1).max(GIFT_CARD_MAX_VALUE),
  /** the card's balance after this document, as the register knew it (the receipt prints it) */
  balanceAfter: z.number().int(),
});
export type GiftCardLine = z.infer<typeof GiftCardLine>;
