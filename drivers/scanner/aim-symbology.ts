/**
 * AIM symbology identifiers (ISO/IEC 15424): "]" + code character + modifier, sent by HID POS
 * scanners before the data. The code character names the symbology.
 */
const NAMES: Record<string, string> = {
  A: 'Code 39',
  C: 'Code 128',
  d: 'Data Matrix',
  E: 'EAN/UPC',
  e: 'GS1 DataBar',
  F: 'Codabar',
  G: 'Code 93',
  I: 'Interleaved 2 of 5',
  L: 'PDF417',
  Q: 'QR Code',
  z: 'Aztec',
  X: 'Other',
};

/** "]E0" → "EAN-13", "]C1" → "GS1-128", "]Q1" → "QR Code"; null for anything that is not an AIM id. */
export function aimSymbologyName(aim: string): string | null {
  const m = /^\]([A-Za-z])([0-9A-Za-z])$/.exec(aim);
  if (m === null) return null;
  const [, code, modifier] = m as unknown as [string, string, string];
  if (code === 'E') return modifier === '4' ? 'EAN-8' : modifier === '0' ? 'EAN-13' : 'EAN/UPC add-on';
  if (code === 'C' && modifier === '1') return 'GS1-128';
  return NAMES[code] ?? null;
}
