/** Money is integer minor units (HKD cents) everywhere. Formatting happens only at the edges. */
export type Cents = number;

const formatters = new Map<string, Intl.NumberFormat>();

function numberFormat(locale: string): Intl.NumberFormat {
  let f = formatters.get(locale);
  if (!f) {
    f = new Intl.NumberFormat(locale === 'en' ? 'en-HK' : 'zh-HK', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    formatters.set(locale, f);
  }
  return f;
}

/** `HK$1,234.50`, `-HK$9.00`. The sign goes before the currency, as HK receipts print it. */
export function formatHKD(cents: Cents, locale = 'zh-HK'): string {
  const abs = numberFormat(locale).format(Math.abs(cents) / 100);
  return `${cents < 0 ? '-' : ''}HK$${abs}`;
}

/**
 * The one rounding rule of the register: half away from zero, to the cent.
 *
 * Why this rule: it is what a cashier, a customer checking a receipt and a spreadsheet's ROUND()
 * all do (HK$0.005 becomes HK$0.01), and it is symmetric under negation, so a refund of a line
 * rounds to exactly minus what the sale charged and a sale plus its full return nets to zero.
 * Banker's rounding (half to even) would surprise staff on receipts for no gain at this scale.
 * Everything that produces cents from a product or a ratio (line amounts, percentages, tax,
 * allocation, cash rounding) goes through the helpers below; none of them rounds differently.
 */
export function roundCents(x: number): Cents {
  if (!Number.isFinite(x)) throw new RangeError(`Cannot round ${x} to cents`);
  return Math.sign(x) * Math.round(Math.abs(x)) + 0; // `+ 0` turns -0 into 0
}

/** 10,000 basis points = 100 %. Percentages are integer basis points so 12.5 % stays exact. */
export type BasisPoints = number;
export const FULL_BASIS_POINTS = 10_000;

/** Quantities carry at most 3 decimals (kg to the gram) and are computed in integer thousandths. */
export const QUANTITY_SCALE = 1000;

/**
 * `quantity` as integer thousandths (1.005 kg → 1005), or null when it is not finite or has more
 * than 3 decimals. Never rounds: 0.4555 kg is a misread or a wrong field, not 0.456 kg, and the
 * customer pays for exactly what the scale or the cashier said.
 */
export function thousandthsOf(quantity: number): number | null {
  const scaled = quantity * QUANTITY_SCALE;
  const thousandths = Math.round(scaled);
  // The tolerance absorbs binary representation only (1.005 * 1000 = 1004.9999999999999).
  if (!Number.isFinite(scaled) || Math.abs(scaled - thousandths) > 1e-6) return null;
  return thousandths + 0;
}

/** `quantity` as integer thousandths (1.005 kg → 1005). Throws on more than 3 decimals. */
export function quantityInThousandths(quantity: number): number {
  const thousandths = thousandthsOf(quantity);
  if (thousandths === null) throw new RangeError(`Quantity ${quantity} is not a finite number with at most 3 decimals`);
  return thousandths;
}

/**
 * `digits[.digits]` with at most `decimals` decimals, read exactly as an integer scaled by
 * 10^decimals ("0.1" never passes through a float). Thousands separators are allowed; a sign,
 * an exponent or full-width digits are not. Null when it is not such a number.
 */
export function parseDecimal(text: string, decimals: number): number | null {
  const trimmed = text.trim().replace(/,/g, '');
  const match = /^(\d*)(?:\.(\d*))?$/.exec(trimmed);
  if (!match || trimmed === '' || trimmed === '.') return null;
  const whole = match[1] ?? '';
  const fraction = match[2] ?? '';
  if (fraction.length > decimals) return null;
  const value = Number(whole === '' ? '0' : whole) * 10 ** decimals + Number(fraction.padEnd(decimals, '0') || '0');
  return Number.isSafeInteger(value) ? value : null;
}

/**
 * The most an amount typed at the register may be: HK$9,999,999.99. Beyond it a typed amount is a
 * barcode scanned into the wrong field, never a real tender, price or float.
 */
export const MAX_TYPED_CENTS: Cents = 999_999_999;

/**
 * An amount as a cashier or manager types it: `56.5` → 5650. Accepts `HK$` / `$` and thousands
 * separators as printed on a label; at most 2 decimals; never negative; at most MAX_TYPED_CENTS.
 * Null for anything else.
 */
export function parseCents(text: string): Cents | null {
  const cents = parseDecimal(text.replace(/^\s*(HK)?\$/i, ''), 2);
  return cents !== null && cents <= MAX_TYPED_CENTS ? cents : null;
}

function assertSafeInteger(value: number, what: string): void {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${what} must be a safe integer, got ${value}`);
}

/**
 * `a × b ÷ divisor` rounded half away from zero, exact for any safe integers: the product goes
 * through BigInt when it would lose precision as a double (HK$1,000,000 × 10,000 units × 10,000
 * basis points does).
 */
function mulDivRounded(a: number, b: number, divisor: number): number {
  assertSafeInteger(a, 'Amount');
  assertSafeInteger(b, 'Multiplier');
  if (!Number.isSafeInteger(divisor) || divisor <= 0) throw new RangeError(`Divisor must be a positive integer, got ${divisor}`);
  const small = a * b;
  if (Number.isSafeInteger(small)) {
    const { quotient, remainder } = floorDivide(Math.abs(small), divisor);
    const rounded = remainder * 2 >= divisor ? quotient + 1 : quotient;
    return (small < 0 ? -rounded : rounded) + 0;
  }
  const product = BigInt(a) * BigInt(b);
  const negative = product < 0n;
  const magnitude = negative ? -product : product;
  const d = BigInt(divisor);
  let quotient = magnitude / d;
  if ((magnitude % d) * 2n >= d) quotient += 1n;
  return Number(negative ? -quotient : quotient) + 0;
}

/** unit price × quantity, rounded once: 3 × HK$8.50 = HK$25.50; 0.455 kg × HK$85.50/kg = HK$38.90. */
export function lineAmount(unitPriceCents: Cents, quantity: number): Cents {
  return mulDivRounded(unitPriceCents, quantityInThousandths(quantity), QUANTITY_SCALE);
}

/** `basisPoints` of `cents`: percentOf(850, 1000) = 85 (10 % of HK$8.50). */
export function percentOf(cents: Cents, basisPoints: BasisPoints): Cents {
  return mulDivRounded(cents, basisPoints, FULL_BASIS_POINTS);
}

/** The tax contained in a tax-inclusive amount: amount × rate ÷ (1 + rate). */
export function inclusiveTaxOf(amountCents: Cents, rateBasisPoints: BasisPoints): Cents {
  return mulDivRounded(amountCents, rateBasisPoints, FULL_BASIS_POINTS + rateBasisPoints);
}

/**
 * Splits `totalCents` over `weights` in proportion, largest remainder first, so the shares always
 * sum to exactly `totalCents` and each is within one cent of its exact proportional share.
 * Remainder ties go to the earlier index: a caller that needs the result independent of input
 * order passes the weights in a canonical order (the cart passes lines by lineId).
 * A non-negative total gives non-negative shares; a negative total (a refund) mirrors it.
 * Weights are non-negative integers (usually cents); all-zero weights split the total evenly.
 */
export function allocate(totalCents: Cents, weights: readonly number[]): Cents[] {
  assertSafeInteger(totalCents, 'Total');
  for (const w of weights) {
    if (!Number.isSafeInteger(w) || w < 0) throw new RangeError(`Weights must be non-negative integers, got ${w}`);
  }
  if (weights.length === 0) {
    if (totalCents !== 0) throw new RangeError('Cannot allocate a non-zero total over no weights');
    return [];
  }
  const effective = weights.some((w) => w > 0) ? weights : weights.map(() => 1);
  const magnitude = Math.abs(totalCents);
  const weightSum = effective.reduce((sum, w) => sum + w, 0);
  // Every product total × weight fits in a double when total × Σweights does: plain numbers then
  // (what a cart needs on every change), BigInt otherwise. Both give exactly the same shares.
  const exactInNumbers = Number.isSafeInteger(magnitude * weightSum);
  const bigWeightSum = exactInNumbers ? 0n : effective.reduce((sum, w) => sum + BigInt(w), 0n);
  const parts = effective.map((w) => (exactInNumbers ? floorDivide(magnitude * w, weightSum) : floorDivideBig(magnitude, w, bigWeightSum)));
  let leftover = magnitude - parts.reduce((sum, p) => sum + p.quotient, 0);
  const byRemainder = parts
    .map((_, i) => i)
    .sort((a, b) => compareDescending((parts[a] as Part).remainder, (parts[b] as Part).remainder) || a - b);
  const shares = parts.map((p) => p.quotient);
  for (const index of byRemainder) {
    if (leftover === 0) break;
    shares[index] = (shares[index] as number) + 1;
    leftover -= 1;
  }
  const sign = totalCents < 0 ? -1 : 1;
  return shares.map((s) => sign * s + 0);
}

/** A share before the leftover cents, and its remainder over the common divisor. */
interface Part {
  quotient: number;
  /** number or bigint, never mixed within one allocation. */
  remainder: number | bigint;
}

function compareDescending(a: number | bigint, b: number | bigint): number {
  return a > b ? -1 : a < b ? 1 : 0;
}

function floorDivide(dividend: number, divisor: number): { quotient: number; remainder: number } {
  let quotient = Math.floor(dividend / divisor);
  let remainder = dividend - quotient * divisor;
  // The double division can land one off near an integer; the remainder says which way.
  if (remainder < 0) {
    quotient -= 1;
    remainder += divisor;
  } else if (remainder >= divisor) {
    quotient += 1;
    remainder -= divisor;
  }
  return { quotient, remainder };
}

function floorDivideBig(total: number, weight: number, divisor: bigint): Part {
  const product = BigInt(total) * BigInt(weight);
  return { quotient: Number(product / divisor), remainder: product % divisor };
}

/** Cash rounding steps in cents: none, HK$0.10 (the HK default: the 10-cent coin), HK$0.50, HK$1. */
export type CashRoundingStep = 0 | 10 | 50 | 100;

/**
 * How an amount snaps to the step, on its magnitude (so a refund rounds like the sale it
 * reverses): `nearest` with an exact half going away from zero (HK$56.55 → HK$56.60, the same
 * rule as roundCents), `down` towards zero (the shop gives up the odd cents), `up` away from zero.
 */
export type CashRoundingMode = 'nearest' | 'down' | 'up';

export interface CashRounded {
  /** What the cash tender is for. */
  amount: Cents;
  /** amount − the unrounded amount; recorded as its own line (negative when rounded down). */
  adjustment: Cents;
}

/** Applies to the cash tender only (DESIGN.md §4); card and wallet tenders pay the exact amount. */
export function cashRounding(amountCents: Cents, step: CashRoundingStep, mode: CashRoundingMode = 'nearest'): CashRounded {
  assertSafeInteger(amountCents, 'Amount');
  if (![0, 10, 50, 100].includes(step)) throw new RangeError(`Cash rounding step must be 0, 10, 50 or 100 cents, got ${step}`);
  if (step === 0) return { amount: amountCents, adjustment: 0 };
  const magnitude = Math.abs(amountCents);
  const below = magnitude - (magnitude % step);
  const remainder = magnitude - below;
  const roundsUp = mode === 'up' ? remainder > 0 : mode === 'nearest' ? remainder * 2 >= step : false;
  const rounded = (amountCents < 0 ? -1 : 1) * (roundsUp ? below + step : below) + 0;
  return { amount: rounded, adjustment: rounded - amountCents };
}
