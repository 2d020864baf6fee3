/**
 * FPS (轉數快) payment QR codes, built offline: the HKMA / HKICL "Payee-presented QR Code
 * Specification for Faster Payment System" (v1.2, after the EMV QRCPS Merchant-Presented Mode and
 * the Common QR Code Specification for Retail Payments in Hong Kong). A payload is a run of
 * ID-length-value data objects (two-digit ID, two-digit length, the value), ending with a CRC:
 *
 *   00 payload format "01" · 01 initiation "11" static / "12" dynamic (one code per bill)
 *   26 FPS account: 00 GUID "hk.com.hkicl", 01 bank code (optional),
 *                   02 FPS ID | 03 mobile "+852-XXXXXXXX" | 04 email
 *   52 merchant category "0000" · 53 currency "344" (HKD) · 54 amount ("123", "10.50")
 *   58 country "HK" · 59 merchant name · 60 city · 62 additional data: 01 bill number
 *   63 CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF) over everything before it, "6304" included
 *
 * The decoder is the one the tests read the customer screen with, and it checks the CRC.
 * Runtime-free: zod only.
 */
import { fail, ok, type Result } from './errors';
import * as z from './zod';

export const FPS_GUID = 'hk.com.hkicl';
export const HKD_CURRENCY = '344';
/** The built-in payment method whose choice shows the FPS QR on the customer screen. */
export const FPS_METHOD_CODE = 'fps';

/** Where the money goes: the merchant's FPS proxy, as set on the hardware screen. */
export const FpsPayee = z
  .strictObject({
    proxyType: z.enum(['fps-id', 'mobile', 'email']),
    /** FPS ID (7–9 digits), HK mobile (8 digits, +852 optional) or email, as the bank registered it. */
    proxy: z.string().trim().min(1).max(64),
    /** The participant's 3-digit bank or SVF code; optional for an FPS ID. */
    bankCode: z
      .string()
      .trim()
      .regex(/^\d{3}$/, 'bank code: 3 digits (e.g. 004 HSBC, 024 Hang Seng)')
      .nullable()
      .default(null),
    /** Tag 59: printable ASCII, at most 25 (banking apps show it); "NA" when empty. */
    merchantName: z
      .string()
      .trim()
      .max(25)
      .regex(/^[\x20-\x7e]*$/, 'merchant name: English letters, digits and punctuation only (the banking app shows it)')
      .default(''),
  })
  .superRefine((payee, ctx) => {
    const problem = proxyProblem(payee.proxyType, payee.proxy);
    if (problem) ctx.addIssue({ code: 'custom', path: ['proxy'], message: problem });
  });
export type FpsPayee = z.infer<typeof FpsPayee>;
export type FpsPayeeInput = z.input<typeof FpsPayee>;

const EMAIL = /^[^\s@"<>()[\]\\,;:]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;

function proxyProblem(type: FpsPayee['proxyType'], proxy: string): string | null {
  if (type === 'fps-id') return /^\d{7,9}$/.test(proxy) ? null : 'FPS ID: 7 to 9 digits';
  if (type === 'mobile') return normaliseMobile(proxy) ? null : 'mobile: a Hong Kong number of 8 digits (e.g. 91234567 or +852-91234567)';
  return EMAIL.test(proxy) && proxy.length <= 64 ? null : 'email: an address such as shop@example.com';
}

/** 91234567, +85291234567, +852-91234567, 852 9123 4567 → "+852-91234567" (the spec's form); else null. */
export function normaliseMobile(text: string): string | null {
  const digits = text.replace(/[\s-]/g, '');
  const match = /^(?:\+?852)?([4-9]\d{7})$/.exec(digits);
  return match ? `+852-${match[1]}` : null;
}

/** Cents as tag 54 writes them: whole dollars without decimals ("123"), else two ("10.50"). */
export function fpsAmount(cents: number): string {
  if (!Number.isSafeInteger(cents) || cents <= 0) throw new RangeError(`an FPS amount is a positive number of cents, not ${cents}`);
  const dollars = Math.floor(cents / 100);
  const rest = cents % 100;
  const text = rest === 0 ? String(dollars) : `${dollars}.${String(rest).padStart(2, '0')}`;
  if (text.length > 13) throw new RangeError(`an FPS amount has at most 13 characters: ${text}`);
  return text;
}

/** CRC-16/CCITT-FALSE over the UTF-8 bytes, as 4 upper-case hex digits. */
export function crc16Ccitt(text: string): string {
  let crc = 0xffff;
  for (const byte of new TextEncoder().encode(text)) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc.toString(16).toUpperCase().padStart(4, '0');
}

function dataObject(id: string, value: string): string {
  if (value.length > 99) throw new RangeError(`data object ${id} is over 99 characters`);
  return `${id}${String(value.length).padStart(2, '0')}${value}`;
}

/** A receipt number or order number as a bill number: at most 25 printable ASCII characters. */
const BILL_NUMBER = /^[\x20-\x7e]{1,25}$/;

export interface FpsBill {
  /** Cents; null for a static code (the payer types the amount). */
  amount: number | null;
  /** Tag 62/01, e.g. the receipt number; null for none. */
  billNumber: string | null;
}

/**
 * The payload for one bill: dynamic ("12") with an amount, static ("11") without. The payee must
 * have passed `FpsPayee` (the setting is parsed with it); a bad amount or bill number is a bug in
 * the caller and throws RangeError.
 */
export function buildFpsQr(payee: FpsPayee, bill: FpsBill): string {
  const proxy =
    payee.proxyType === 'fps-id'
      ? dataObject('02', payee.proxy)
      : payee.proxyType === 'mobile'
        ? dataObject('03', normaliseMobile(payee.proxy) ?? payee.proxy)
        : dataObject('04', payee.proxy);
  if (bill.billNumber !== null && !BILL_NUMBER.test(bill.billNumber))
    throw new RangeError(`an FPS bill number is 1–25 printable ASCII characters: ${bill.billNumber}`);
  const body = [
    dataObject('00', '01'),
    dataObject('01', bill.amount === null ? '11' : '12'),
    dataObject('26', dataObject('00', FPS_GUID) + (payee.bankCode ? dataObject('01', payee.bankCode) : '') + proxy),
    dataObject('52', '0000'),
    dataObject('53', HKD_CURRENCY),
    bill.amount === null ? '' : dataObject('54', fpsAmount(bill.amount)),
    dataObject('58', 'HK'),
    dataObject('59', payee.merchantName === '' ? 'NA' : payee.merchantName),
    dataObject('60', 'HK'),
    bill.billNumber === null ? '' : dataObject('62', dataObject('01', bill.billNumber)),
  ].join('');
  const withCrcId = `${body}6304`;
  return withCrcId + crc16Ccitt(withCrcId);
}

/** What a scanned FPS payload says. */
export interface DecodedFpsQr {
  dynamic: boolean;
  bankCode: string | null;
  fpsId: string | null;
  mobile: string | null;
  email: string | null;
  currency: string;
  /** Cents; null when the code carries none. */
  amount: number | null;
  merchantName: string | null;
  billNumber: string | null;
  /** Tag 62/05, which some banks' codes use for the reference. */
  referenceLabel: string | null;
  /** Every top-level object, for tests that look further. */
  objects: ReadonlyMap<string, string>;
}

/** Splits ID-length-value objects; null when the text does not split exactly. */
export function splitDataObjects(text: string): Map<string, string> | null {
  const objects = new Map<string, string>();
  let at = 0;
  while (at < text.length) {
    const id = text.slice(at, at + 2);
    const lengthText = text.slice(at + 2, at + 4);
    if (!/^\d{2}$/.test(id) || !/^\d{2}$/.test(lengthText)) return null;
    const length = Number(lengthText);
    const value = text.slice(at + 4, at + 4 + length);
    if (value.length !== length || objects.has(id)) return null;
    objects.set(id, value);
    at += 4 + length;
  }
  return objects;
}

function parseAmount(text: string): number | null {
  const match = /^(\d{1,10})(?:\.(\d{1,2}))?$/.exec(text);
  if (!match) return null;
  return Number(match[1]) * 100 + Number((match[2] ?? '0').padEnd(2, '0'));
}

/** Reads an FPS payload, checking its structure, GUID and CRC; BAD_REQUEST says what is wrong. */
export function decodeFpsQr(payload: string): Result<DecodedFpsQr> {
  const bad = (why: string) => fail('BAD_REQUEST', `not an FPS QR payload: ${why}`);
  if (/\p{Cc}/u.test(payload)) return bad('control characters');
  const crcAt = payload.length - 8;
  if (crcAt < 0 || payload.slice(crcAt, crcAt + 4) !== '6304') return bad('it does not end with a CRC (6304….)');
  const expected = crc16Ccitt(payload.slice(0, crcAt + 4));
  if (payload.slice(crcAt + 4).toUpperCase() !== expected) return bad(`CRC ${payload.slice(crcAt + 4)} is not ${expected}`);
  const objects = splitDataObjects(payload.slice(0, crcAt));
  if (!objects) return bad('the data objects do not add up to the payload');
  if (objects.get('00') !== '01') return bad('payload format indicator is not 01');
  const initiation = objects.get('01') ?? '11';
  if (initiation !== '11' && initiation !== '12') return bad(`point of initiation ${initiation}`);
  const account = objects.get('26');
  const fps = account === undefined ? null : splitDataObjects(account);
  if (!fps || fps.get('00')?.toLowerCase() !== FPS_GUID) return bad(`no FPS account (template 26 with GUID ${FPS_GUID})`);
  const amountText = objects.get('54');
  const amount = amountText === undefined ? null : parseAmount(amountText);
  if (amountText !== undefined && amount === null) return bad(`amount ${amountText}`);
  const extra = objects.has('62') ? splitDataObjects(objects.get('62') ?? '') : new Map<string, string>();
  if (!extra) return bad('the additional data template does not split');
  return ok({
    dynamic: initiation === '12',
    bankCode: fps.get('01') ?? null,
    fpsId: fps.get('02') ?? null,
    mobile: fps.get('03') ?? null,
    email: fps.get('04') ?? null,
    currency: objects.get('53') ?? '',
    amount,
    merchantName: objects.get('59') ?? null,
    billNumber: extra.get('01') ?? null,
    referenceLabel: extra.get('05') ?? null,
    objects,
  });
}
