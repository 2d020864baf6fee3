/**
 * The register's money rule, as the cloud needs it: unit price × quantity rounded once, half away
 * from zero, to the cent (src/shared/money.ts lineAmount; the cloud deploys on its own and never
 * imports src/, so tests/node/cloud/document-checks.test.ts holds the two equal).
 */

/** unit price (cents) × quantity (thousandths), rounded once: 3 × HK$8.50 = HK$25.50. */
export function lineAmount(unitPriceCents: number, quantityMilli: number): number {
  const product = unitPriceCents * quantityMilli;
  if (Number.isSafeInteger(product)) {
    const magnitude = Math.abs(product);
    const whole = Math.floor(magnitude / 1000);
    const rounded = magnitude - whole * 1000 >= 500 ? whole + 1 : whole;
    return (product < 0 ? -rounded : rounded) + 0;
  }
  const big = BigInt(unitPriceCents) * BigInt(quantityMilli);
  const magnitude = big < 0n ? -big : big;
  const rounded = magnitude / 1000n + ((magnitude % 1000n) * 2n >= 1000n ? 1n : 0n);
  return Number(big < 0n ? -rounded : rounded) + 0;
}

/** Cents as people read them in messages: `HK$12.50`, `-HK$3.00`. */
export const hkd = (cents: number): string => `${cents < 0 ? '-' : ''}HK$${(Math.abs(cents) / 100).toFixed(2)}`;
