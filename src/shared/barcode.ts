/**
 * What a scanned or typed code means, before any database is asked. Pure and runtime-free: main's
 * lookup and the renderer's scanner both use it.
 *
 * Decisions (issue 3):
 * - Every GTIN is keyed by its 13-digit form (`gtin13`), the GTIN-14 field without its leading zero:
 *   EAN-13 as is; UPC-A gets a leading '0' (UPC-A 012345678905 = EAN-13 0012345678905); UPC-E is
 *   expanded to UPC-A and then prefixed; EAN-8 is zero-padded ('00000' + 8 digits), which is how GS1
 *   places a GTIN-8 in a GTIN-14 field. GS1 keeps 13-digit numbers starting 00000 unused so a
 *   padded GTIN-8 never collides with a GTIN-12/13 (GS1 General Specifications §1.4.4, GS1 prefix
 *   list: "0000001–0000009, 000001–000009: unused to avoid collision with GTIN-8").
 * - 8 digits are ambiguous: EAN-8 and UPC-E (number system 0 or 1) share the length. We read them as
 *   UPC-E when the first digit is 0 or 1 and the UPC-E check digit holds (EAN-8s starting 0 are
 *   company-internal RCN-8s, rare on goods), else as EAN-8. When both check digits hold, the EAN-8
 *   reading is returned as `alternative` and lookup tries it second.
 * - 6- or 7-digit UPC-E bodies (scanners set to drop the number system or the check digit) are NOT
 *   expanded: without the check digit nothing proves the read, and 6 digits collide with PLUs and
 *   internal codes. Set the scanner to send the full 8 digits (or to expand UPC-E to UPC-A).
 * - A numeric code of a GTIN length (8, 12, 13, 14) with a wrong check digit is `invalid`: it must
 *   never find a product ("misread, scan again"). Other numeric lengths are internal codes.
 * - GTIN-14 with indicator 1–9 identifies an outer case or a variable-measure trade unit, not the
 *   consumer unit: it is its own kind, keyed by all 14 digits.
 */

export type GtinFormat = 'ean-13' | 'upc-a' | 'upc-e' | 'ean-8' | 'gtin-14';
export type InvalidReason = 'check-digit' | 'length' | 'characters';
export type EmbeddedValueKind = 'price' | 'weight';

export type NormalisedCode =
  | { kind: 'gtin'; format: GtinFormat; gtin13: string; alternative?: string }
  | { kind: 'trade-unit'; gtin14: string }
  | {
      kind: 'embedded';
      /** The scanned code as a 13-digit EAN-13. */
      gtin13: string;
      prefix: string;
      itemCode: string;
      /** HKD cents for a price, grams for a weight. */
      value: number;
      valueKind: EmbeddedValueKind;
    }
  | { kind: 'internal'; code: string }
  | { kind: 'invalid'; reason: InvalidReason };

/**
 * How a shop's scales print variable-measure EAN-13s (GS1 "restricted circulation numbers", prefix
 * 02 and 20–29, whose layout each market or retailer defines). Digits after the 2-digit prefix:
 * `itemDigits` of item code, then any unused digits (e.g. a price check digit, not verified here),
 * then `valueDigits` of value, then the EAN-13 check digit; so itemDigits + valueDigits ≤ 10.
 */
export interface EmbeddedLayout {
  /** Two-digit prefix ('02', '20'…'29') → what its value field holds. Prefixes not listed are plain GTINs. */
  readonly prefixes: Readonly<Record<string, EmbeddedValueKind>>;
  readonly itemDigits: number;
  readonly valueDigits: number;
  /** Decimals printed in a price: 2 → value is cents; 1 → tenths of a dollar; 0 → whole dollars. */
  readonly priceDecimals: number;
  /** Decimals of kilograms in a weight: 3 → value is grams; 2 → tens of grams. */
  readonly weightDecimals: number;
}

/** HK-style default: 2-digit prefix, 5-digit item code (PLU), 5-digit value, check digit. */
export const DEFAULT_EMBEDDED_LAYOUT: EmbeddedLayout = {
  prefixes: {
    '02': 'price',
    '20': 'price',
    '21': 'price',
    '22': 'price',
    '23': 'price',
    '24': 'price',
    '25': 'weight',
    '26': 'weight',
    '27': 'weight',
    '28': 'weight',
    '29': 'weight',
  },
  itemDigits: 5,
  valueDigits: 5,
  priceDecimals: 2,
  weightDecimals: 3,
};

export const MAX_CODE_LENGTH = 64;
const EMBEDDED_PREFIX = /^(02|2\d)$/;
const DIGITS = /^\d+$/;
const PRINTABLE = /^[\x21-\x7e]+$/;

/** Problems with a layout, as sentences; empty when it is usable. Settings validate with this. */
export function layoutProblems(layout: EmbeddedLayout): string[] {
  const problems: string[] = [];
  for (const prefix of Object.keys(layout.prefixes)) {
    if (!EMBEDDED_PREFIX.test(prefix)) problems.push(`prefix ${prefix} is not 02 or 20–29`);
  }
  const { itemDigits, valueDigits, priceDecimals, weightDecimals } = layout;
  if (!Number.isInteger(itemDigits) || itemDigits < 1) problems.push('itemDigits must be a positive integer');
  if (!Number.isInteger(valueDigits) || valueDigits < 1) problems.push('valueDigits must be a positive integer');
  if (itemDigits + valueDigits > 10) problems.push('itemDigits + valueDigits must be at most 10 (13 digits less prefix and check digit)');
  if (!Number.isInteger(priceDecimals) || priceDecimals < 0 || priceDecimals > 2)
    problems.push('priceDecimals must be 0, 1 or 2 (cents are the smallest unit)');
  if (!Number.isInteger(weightDecimals) || weightDecimals < 0 || weightDecimals > 3)
    problems.push('weightDecimals must be 0 to 3 (grams are the smallest unit)');
  return problems;
}

/**
 * The GS1 check digit of a body of any length (the code without its last digit): weights 3 and 1
 * alternate from the rightmost body digit, which weighs 3 (GS1 General Specifications §7.9.1).
 */
export function gtinCheckDigit(body: string): number {
  let sum = 0;
  for (let i = body.length - 1, weight = 3; i >= 0; i--, weight = 4 - weight) sum += (body.charCodeAt(i) - 48) * weight;
  return (10 - (sum % 10)) % 10;
}

/** True when a string of digits ends in its GS1 check digit. */
export function hasValidCheckDigit(code: string): boolean {
  return code.length >= 2 && DIGITS.test(code) && gtinCheckDigit(code.slice(0, -1)) === code.charCodeAt(code.length - 1) - 48;
}

/** `body` followed by its check digit. */
export function withCheckDigit(body: string): string {
  return body + String(gtinCheckDigit(body));
}

/**
 * UPC-E (8 digits: number system 0/1, six data digits, check digit) → UPC-A (12 digits), by the
 * zero-suppression rules keyed on the sixth data digit (GS1 General Specifications §5.2.2.4.2, UPC-E
 * zero suppression; same table in ISO/IEC 15420):
 *   d6 0–2: NS d1 d2 d6 0 0 0 0 d3 d4 d5 C     d6 3: NS d1 d2 d3 0 0 0 0 0 d4 d5 C
 *   d6 4:   NS d1 d2 d3 d4 0 0 0 0 0 d5 C      d6 5–9: NS d1 d2 d3 d4 d5 0 0 0 0 d6 C
 * The check digit is the UPC-A's and is carried over unchanged (callers verify it on the result).
 */
export function expandUpcE(upcE: string): string {
  if (upcE.length !== 8 || !DIGITS.test(upcE)) throw new RangeError('UPC-E is 8 digits');
  const ns = upcE[0] as string;
  const d = upcE.slice(1, 7);
  const check = upcE[7] as string;
  const last = d[5] as string;
  let body: string;
  if (last <= '2') body = `${d.slice(0, 2)}${last}0000${d.slice(2, 5)}`;
  else if (last === '3') body = `${d.slice(0, 3)}00000${d.slice(3, 5)}`;
  else if (last === '4') body = `${d.slice(0, 4)}00000${d.slice(4, 5)}`;
  else body = `${d.slice(0, 5)}0000${last}`;
  return ns + body + check;
}

/** The inverse of expandUpcE: the UPC-E form of a UPC-A, or null when its zeros cannot be suppressed. */
export function compressUpcA(upcA: string): string | null {
  if (upcA.length !== 12 || !DIGITS.test(upcA) || (upcA[0] !== '0' && upcA[0] !== '1')) return null;
  const ns = upcA[0] as string;
  const m = upcA.slice(1, 6); // manufacturer
  const p = upcA.slice(6, 11); // product
  const check = upcA[11] as string;
  let data: string | null = null;
  if (m[2]! <= '2' && m.slice(3) === '00' && p.startsWith('00')) data = `${m.slice(0, 2)}${p.slice(2)}${m[2]}`;
  else if (m.slice(3) === '00' && p.startsWith('000')) data = `${m.slice(0, 3)}${p.slice(3)}3`;
  else if (m[4] === '0' && p.startsWith('0000')) data = `${m.slice(0, 4)}${p[4]}4`;
  else if (p.startsWith('0000') && p[4]! >= '5') data = `${m}${p[4]}`;
  if (data === null) return null;
  const upcE = ns + data + check;
  return expandUpcE(upcE) === upcA ? upcE : null;
}

/**
 * Every way a GTIN may have been typed into a catalogue: its 13-digit key first, then UPC-A,
 * UPC-E, EAN-8 and GTIN-14 forms where they exist. Lookup asks for all of them, so a row stored in
 * any form is found whatever form the scanner sends.
 */
export function gtinForms(gtin13: string): string[] {
  const forms = [gtin13];
  if (gtin13.startsWith('0')) {
    const upcA = gtin13.slice(1);
    forms.push(upcA);
    const upcE = compressUpcA(upcA);
    if (upcE) forms.push(upcE);
  }
  if (gtin13.startsWith('00000')) forms.push(gtin13.slice(5));
  forms.push(`0${gtin13}`);
  return forms;
}

/**
 * The catalogue key of a variable-measure item: its barcode with the value field zeroed (the label
 * a scale prints for price 0), e.g. prefix 25, item 00123 → 2500123000005. A weighed product is
 * registered under this barcode; any label for it finds it.
 */
export function embeddedItemKey(prefix: string, itemCode: string, layout: EmbeddedLayout = DEFAULT_EMBEDDED_LAYOUT): string {
  const gap = 10 - layout.itemDigits - layout.valueDigits;
  return withCheckDigit(prefix + itemCode + '0'.repeat(gap + layout.valueDigits));
}

/** Builds the label a scale would print: prefix, item code, value (cents or grams), check digit. */
export function embeddedBarcode(prefix: string, itemCode: string, value: number, layout: EmbeddedLayout = DEFAULT_EMBEDDED_LAYOUT): string {
  const kind = layout.prefixes[prefix];
  if (!kind) throw new RangeError(`prefix ${prefix} is not in the layout`);
  const scale = 10 ** (kind === 'price' ? 2 - layout.priceDecimals : 3 - layout.weightDecimals);
  if (value % scale !== 0) throw new RangeError(`value ${value} is finer than the layout prints`);
  const field = String(value / scale);
  if (field.length > layout.valueDigits || itemCode.length !== layout.itemDigits)
    throw new RangeError('value or item code does not fit the layout');
  const gap = 10 - layout.itemDigits - layout.valueDigits;
  return withCheckDigit(prefix + itemCode + '0'.repeat(gap) + field.padStart(layout.valueDigits, '0'));
}

function embedded(gtin13: string, layout: EmbeddedLayout): NormalisedCode | null {
  const prefix = gtin13.slice(0, 2);
  const valueKind = Object.hasOwn(layout.prefixes, prefix) ? layout.prefixes[prefix] : undefined;
  if (!valueKind) return null;
  const itemCode = gtin13.slice(2, 2 + layout.itemDigits);
  const field = gtin13.slice(12 - layout.valueDigits, 12);
  const scale = 10 ** (valueKind === 'price' ? 2 - layout.priceDecimals : 3 - layout.weightDecimals);
  return { kind: 'embedded', gtin13, prefix, itemCode, value: Number(field) * scale, valueKind };
}

function gtin(format: GtinFormat, gtin13: string, layout: EmbeddedLayout): NormalisedCode {
  return embedded(gtin13, layout) ?? { kind: 'gtin', format, gtin13 };
}

/**
 * Classifies a raw code from a scanner or a keyboard. Surrounding whitespace (a wedge's CR/LF/Tab
 * suffix) is ignored; anything else outside printable ASCII makes the code invalid.
 */
export function normaliseCode(raw: string, layout: EmbeddedLayout = DEFAULT_EMBEDDED_LAYOUT): NormalisedCode {
  // Length first, on the raw string: a 10,000-digit "barcode" costs nothing more than this check.
  if (typeof raw !== 'string' || raw.length > MAX_CODE_LENGTH + 8) return { kind: 'invalid', reason: 'length' };
  const code = raw.trim();
  if (code.length === 0 || code.length > MAX_CODE_LENGTH) return { kind: 'invalid', reason: 'length' };
  if (!PRINTABLE.test(code)) return { kind: 'invalid', reason: 'characters' };
  if (!DIGITS.test(code)) return { kind: 'internal', code };

  switch (code.length) {
    case 8: {
      const asUpcE = code[0] === '0' || code[0] === '1' ? expandUpcE(code) : null;
      const upcEValid = asUpcE !== null && hasValidCheckDigit(asUpcE);
      const ean8Valid = hasValidCheckDigit(code);
      if (upcEValid) {
        const result = { kind: 'gtin', format: 'upc-e', gtin13: `0${asUpcE}` } as const;
        return ean8Valid ? { ...result, alternative: `00000${code}` } : result;
      }
      if (ean8Valid) return { kind: 'gtin', format: 'ean-8', gtin13: `00000${code}` };
      return { kind: 'invalid', reason: 'check-digit' };
    }
    case 12:
      return hasValidCheckDigit(code) ? gtin('upc-a', `0${code}`, layout) : { kind: 'invalid', reason: 'check-digit' };
    case 13:
      return hasValidCheckDigit(code) ? gtin('ean-13', code, layout) : { kind: 'invalid', reason: 'check-digit' };
    case 14:
      if (!hasValidCheckDigit(code)) return { kind: 'invalid', reason: 'check-digit' };
      return code[0] === '0' ? gtin('gtin-14', code.slice(1), layout) : { kind: 'trade-unit', gtin14: code };
    default:
      return { kind: 'internal', code };
  }
}

/** The form a barcode is stored under in the catalogue (null: it can never be scanned). */
export function catalogueKey(raw: string, layout: EmbeddedLayout = DEFAULT_EMBEDDED_LAYOUT): string | null {
  const n = normaliseCode(raw, layout);
  switch (n.kind) {
    case 'gtin':
      return n.gtin13;
    case 'embedded':
      return embeddedItemKey(n.prefix, n.itemCode, layout);
    case 'trade-unit':
      return n.gtin14;
    case 'internal':
      return n.code;
    case 'invalid':
      return null;
  }
}
