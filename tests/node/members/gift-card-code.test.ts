/**
 * A gift card's code (issue 13): 19 digits with a Luhn check digit, read as scanned (`GC:` prefix)
 * or typed (spaces, dashes); a misread is refused, never another card; the hash is the same at the
 * register and the cloud and never contains the code; a card shows as its last 4.
 */
import { describe, expect, it } from 'vitest';
import { hashGiftCardDigits as cloudHash, newGiftCardDigits } from '../../../cloud/domain/gift-cards';
import { hashGiftCardDigits as registerHash } from '../../../src/main/members/gift-cards';
import { GIFT_CARD_HASH_PATTERN, formatGiftCardCode, isGiftCardScan, maskGiftCard, parseGiftCardCode } from '../../../src/shared/gift-card';
import { looksLikeCardNumber } from '../../../src/shared/card-number';

describe('gift card codes', () => {
  it('are 19 digits with a check digit, read scanned or typed; a wrong digit is refused', () => {
    const digits = newGiftCardDigits();
    expect(digits).toMatch(/^\d{19}$/);
    expect(parseGiftCardCode(digits)).toEqual({ ok: true, digits });
    expect(parseGiftCardCode(`GC:${digits}`)).toEqual({ ok: true, digits });
    expect(parseGiftCardCode(`gc:${digits}`)).toEqual({ ok: true, digits });
    expect(parseGiftCardCode(formatGiftCardCode(digits))).toEqual({ ok: true, digits });
    expect(parseGiftCardCode(digits.replace(/(\d{4})/g, '$1-'))).toEqual({ ok: true, digits });
    const wrong = digits.slice(0, -1) + String((Number(digits.at(-1)) + 1) % 10);
    expect(parseGiftCardCode(wrong)).toEqual({ ok: false, problem: 'CHECK_DIGIT' });
    // two neighbouring digits swapped (when they differ) is caught too
    const swapped = digits[0] === digits[1] ? null : digits[1]! + digits[0]! + digits.slice(2);
    if (swapped) expect(parseGiftCardCode(swapped).ok).toBe(false);
    expect(parseGiftCardCode(digits.slice(1))).toEqual({ ok: false, problem: 'FORMAT' });
    expect(parseGiftCardCode('MBR:M00000001')).toEqual({ ok: false, problem: 'FORMAT' });
    expect(isGiftCardScan(`GC:${digits}`)).toBe(true);
    expect(isGiftCardScan(digits)).toBe(false);
    expect(isGiftCardScan('4891234000012')).toBe(false);
  });

  it('hash the same at the register and the cloud, never holding the code, and fit a payment reference', () => {
    const digits = newGiftCardDigits();
    const hash = registerHash(digits);
    expect(cloudHash(digits)).toBe(hash);
    expect(hash).toMatch(GIFT_CARD_HASH_PATTERN);
    expect(hash.length).toBeLessThanOrEqual(64);
    expect(hash).not.toContain(digits.slice(-8));
    expect(looksLikeCardNumber(hash)).toBe(false);
    expect(registerHash(newGiftCardDigits())).not.toBe(hash);
  });

  it('show as their last 4 only', () => {
    expect(maskGiftCard('4567')).toBe('**** 4567');
    expect(formatGiftCardCode('9812345678901234563')).toBe('9812 3456 7890 1234 563');
  });
});
