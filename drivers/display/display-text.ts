import { DISPLAY_COLUMNS } from './command-sets';

/**
 * Pole displays have a Latin font only. Text is folded to printable ASCII: compatibility forms
 * decomposed (fullwidth Ａ → A, ① → 1), accents dropped (é → e), common typographic marks
 * mapped, and anything left (Chinese) removed. Callers pass the English name for items.
 */
const MAP: Record<string, string> = {
  '‘': "'",
  '’': "'",
  '‚': "'",
  '“': '"',
  '”': '"',
  '„': '"',
  '–': '-',
  '—': '-',
  '−': '-',
  '…': '...',
  '×': 'x',
  '·': '.',
  '•': '*',
  '€': 'EUR',
  '£': 'GBP',
  '¥': 'JPY',
  '￥': 'JPY',
};

export function toDisplayAscii(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFKD')) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0x20 && cp < 0x7f) out += ch;
    else if (MAP[ch] !== undefined) out += MAP[ch];
    else if (ch === '\t' || ch === '\u00a0' || ch === '\u3000') out += ' ';
  }
  return out;
}

/** One display line: `left` cut to fit, `right` flush right (item and price, "TOTAL" and amount). */
export function formatDisplayLine(left: string, right = '', width = DISPLAY_COLUMNS): string {
  const r = toDisplayAscii(right).trim().slice(0, width);
  const room = r === '' ? width : Math.max(0, width - r.length - 1);
  const l = toDisplayAscii(left).replace(/ {2,}/g, ' ').trim().slice(0, room);
  return l + ' '.repeat(width - l.length - r.length) + r;
}

/** 1234550 → "HK$12,345.50"; negative amounts get a leading minus. Integer cents in, no floats. */
export function formatHkd(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`amount must be integer cents, got ${cents}`);
  const abs = Math.abs(cents);
  const dollars = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${cents < 0 ? '-' : ''}HK$${dollars}.${(abs % 100).toString().padStart(2, '0')}`;
}

/** Pads or cuts a line to exactly the display width, after folding to ASCII. */
export function fitDisplayLine(text: string, width = DISPLAY_COLUMNS): string {
  return toDisplayAscii(text).slice(0, width).padEnd(width, ' ');
}
