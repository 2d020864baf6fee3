/**
 * Display width of text on a receipt, in printer columns (one column = one font A cell, 12 dots).
 *
 * Based on Unicode East Asian Width (UAX #11, https://www.unicode.org/reports/tr11/):
 * Wide (W) and Fullwidth (F) take two columns, zero-width marks take none. Ambiguous (A)
 * characters (×, ·, Greek, Cyrillic, box drawing…) take two columns: a Chinese printer prints any
 * non-ASCII character from its double-byte font, which is two columns wide, and the raster
 * fallback follows the same grid so native and raster lines line up.
 */

type Range = readonly [number, number];

/** Wide and Fullwidth blocks, from EastAsianWidth.txt (grouped by block, sorted). */
const WIDE: readonly Range[] = [
  [0x1100, 0x115f], // Hangul Jamo initial consonants
  [0x231a, 0x231b],
  [0x2329, 0x232a],
  [0x23e9, 0x23ec],
  [0x23f0, 0x23f0],
  [0x23f3, 0x23f3],
  [0x25fd, 0x25fe],
  [0x2614, 0x2615],
  [0x2648, 0x2653],
  [0x267f, 0x267f],
  [0x2693, 0x2693],
  [0x26a1, 0x26a1],
  [0x26aa, 0x26ab],
  [0x26bd, 0x26be],
  [0x26c4, 0x26c5],
  [0x26ce, 0x26ce],
  [0x26d4, 0x26d4],
  [0x26ea, 0x26ea],
  [0x26f2, 0x26f3],
  [0x26f5, 0x26f5],
  [0x26fa, 0x26fa],
  [0x26fd, 0x26fd],
  [0x2705, 0x2705],
  [0x270a, 0x270b],
  [0x2728, 0x2728],
  [0x274c, 0x274c],
  [0x274e, 0x274e],
  [0x2753, 0x2755],
  [0x2757, 0x2757],
  [0x2795, 0x2797],
  [0x27b0, 0x27b0],
  [0x27bf, 0x27bf],
  [0x2b1b, 0x2b1c],
  [0x2b50, 0x2b50],
  [0x2b55, 0x2b55],
  [0x2e80, 0x303e], // CJK radicals, Kangxi radicals, ideographic description, CJK symbols and punctuation
  [0x3041, 0x33ff], // Hiragana, Katakana, Bopomofo, Hangul compatibility Jamo, Kanbun, CJK strokes, enclosed CJK, CJK compatibility
  [0x3400, 0x4dbf], // CJK Unified Ideographs Extension A
  [0x4e00, 0x9fff], // CJK Unified Ideographs (嘢 U+5622 and 峯 U+5CEF live here; HKSCS maps most of its characters into this block)
  [0xa000, 0xa4cf], // Yi
  [0xa960, 0xa97f], // Hangul Jamo Extended-A
  [0xac00, 0xd7a3], // Hangul syllables
  [0xf900, 0xfaff], // CJK Compatibility Ideographs
  [0xfe10, 0xfe19], // vertical forms
  [0xfe30, 0xfe6f], // CJK compatibility forms, small form variants
  [0xff00, 0xff60], // fullwidth ASCII variants
  [0xffe0, 0xffe6], // fullwidth signs (￠ ￡ ￥ …)
  [0x16fe0, 0x18aff], // Tangut and friends
  [0x1b000, 0x1b2ff], // Kana supplement / extended
  [0x1f004, 0x1f004],
  [0x1f0cf, 0x1f0cf],
  [0x1f18e, 0x1f18e],
  [0x1f191, 0x1f19a],
  [0x1f200, 0x1f251], // enclosed ideographic supplement
  [0x1f300, 0x1f64f], // pictographs and emoticons
  [0x1f680, 0x1f6ff],
  [0x1f7e0, 0x1f7eb],
  [0x1f90c, 0x1f9ff],
  [0x1fa70, 0x1faff],
  [0x20000, 0x2fffd], // CJK Extension B–F and compatibility supplement (HKSCS-2008 characters outside the BMP)
  [0x30000, 0x3fffd], // CJK Extension G and later
];

/** Ambiguous (A) characters, from EastAsianWidth.txt, without the private use area. */
const AMBIGUOUS: readonly Range[] = [
  [0x00a1, 0x00a1],
  [0x00a4, 0x00a4],
  [0x00a7, 0x00a8],
  [0x00aa, 0x00aa],
  [0x00ad, 0x00ae],
  [0x00b0, 0x00b4],
  [0x00b6, 0x00ba],
  [0x00bc, 0x00bf],
  [0x00c6, 0x00c6],
  [0x00d0, 0x00d0],
  [0x00d7, 0x00d8],
  [0x00de, 0x00e1],
  [0x00e6, 0x00e6],
  [0x00e8, 0x00ea],
  [0x00ec, 0x00ed],
  [0x00f0, 0x00f0],
  [0x00f2, 0x00f3],
  [0x00f7, 0x00fa],
  [0x00fc, 0x00fc],
  [0x00fe, 0x00fe],
  [0x0101, 0x0101],
  [0x0111, 0x0111],
  [0x0113, 0x0113],
  [0x011b, 0x011b],
  [0x0126, 0x0127],
  [0x012b, 0x012b],
  [0x0131, 0x0133],
  [0x0138, 0x0138],
  [0x013f, 0x0142],
  [0x0144, 0x0144],
  [0x0148, 0x014b],
  [0x014d, 0x014d],
  [0x0152, 0x0153],
  [0x0166, 0x0167],
  [0x016b, 0x016b],
  [0x01ce, 0x01ce],
  [0x01d0, 0x01d0],
  [0x01d2, 0x01d2],
  [0x01d4, 0x01d4],
  [0x01d6, 0x01d6],
  [0x01d8, 0x01d8],
  [0x01da, 0x01da],
  [0x01dc, 0x01dc],
  [0x0251, 0x0251],
  [0x0261, 0x0261],
  [0x02c4, 0x02c4],
  [0x02c7, 0x02c7],
  [0x02c9, 0x02cb],
  [0x02cd, 0x02cd],
  [0x02d0, 0x02d0],
  [0x02d8, 0x02db],
  [0x02dd, 0x02dd],
  [0x02df, 0x02df],
  [0x0391, 0x03a1],
  [0x03a3, 0x03a9],
  [0x03b1, 0x03c1],
  [0x03c3, 0x03c9],
  [0x0401, 0x0401],
  [0x0410, 0x044f],
  [0x0451, 0x0451],
  [0x2010, 0x2010],
  [0x2013, 0x2016],
  [0x2018, 0x2019],
  [0x201c, 0x201d],
  [0x2020, 0x2022],
  [0x2024, 0x2027],
  [0x2030, 0x2030],
  [0x2032, 0x2033],
  [0x2035, 0x2035],
  [0x203b, 0x203b],
  [0x203e, 0x203e],
  [0x2074, 0x2074],
  [0x207f, 0x207f],
  [0x2081, 0x2084],
  [0x20ac, 0x20ac],
  [0x2103, 0x2103],
  [0x2105, 0x2105],
  [0x2109, 0x2109],
  [0x2113, 0x2113],
  [0x2116, 0x2116],
  [0x2121, 0x2122],
  [0x2126, 0x2126],
  [0x212b, 0x212b],
  [0x2153, 0x2154],
  [0x215b, 0x215e],
  [0x2160, 0x216b],
  [0x2170, 0x2179],
  [0x2189, 0x2189],
  [0x2190, 0x2199],
  [0x21b8, 0x21b9],
  [0x21d2, 0x21d2],
  [0x21d4, 0x21d4],
  [0x21e7, 0x21e7],
  [0x2200, 0x2200],
  [0x2202, 0x2203],
  [0x2207, 0x2208],
  [0x220b, 0x220b],
  [0x220f, 0x220f],
  [0x2211, 0x2211],
  [0x2215, 0x2215],
  [0x221a, 0x221a],
  [0x221d, 0x2220],
  [0x2223, 0x2223],
  [0x2225, 0x2225],
  [0x2227, 0x222c],
  [0x222e, 0x222e],
  [0x2234, 0x2237],
  [0x223c, 0x223d],
  [0x2248, 0x2248],
  [0x224c, 0x224c],
  [0x2252, 0x2252],
  [0x2260, 0x2261],
  [0x2264, 0x2267],
  [0x226a, 0x226b],
  [0x226e, 0x226f],
  [0x2282, 0x2283],
  [0x2286, 0x2287],
  [0x2295, 0x2295],
  [0x2299, 0x2299],
  [0x22a5, 0x22a5],
  [0x22bf, 0x22bf],
  [0x2312, 0x2312],
  [0x2460, 0x24e9],
  [0x24eb, 0x254b],
  [0x2550, 0x2573],
  [0x2580, 0x258f],
  [0x2592, 0x2595],
  [0x25a0, 0x25a1],
  [0x25a3, 0x25a9],
  [0x25b2, 0x25b3],
  [0x25b6, 0x25b7],
  [0x25bc, 0x25bd],
  [0x25c0, 0x25c1],
  [0x25c6, 0x25c8],
  [0x25cb, 0x25cb],
  [0x25ce, 0x25d1],
  [0x25e2, 0x25e5],
  [0x25ef, 0x25ef],
  [0x2605, 0x2606],
  [0x2609, 0x2609],
  [0x260e, 0x260f],
  [0x261c, 0x261c],
  [0x261e, 0x261e],
  [0x2640, 0x2640],
  [0x2642, 0x2642],
  [0x2660, 0x2661],
  [0x2663, 0x2665],
  [0x2667, 0x266a],
  [0x266c, 0x266d],
  [0x266f, 0x266f],
  [0x273d, 0x273d],
  [0x2776, 0x277f],
  [0xfffd, 0xfffd],
];

/** Combining marks, joiners and variation selectors: they sit on the previous character. */
const ZERO_WIDTH: readonly Range[] = [
  [0x0300, 0x036f],
  [0x0483, 0x0489],
  [0x0591, 0x05bd],
  [0x0610, 0x061a],
  [0x064b, 0x065f],
  [0x1ab0, 0x1aff],
  [0x1dc0, 0x1dff],
  [0x200b, 0x200f],
  [0x202a, 0x202e],
  [0x2060, 0x2064],
  [0x20d0, 0x20ff],
  [0x302a, 0x302d],
  [0x3099, 0x309a],
  [0xfe00, 0xfe0f],
  [0xfe20, 0xfe2f],
  [0xfeff, 0xfeff],
  [0xe0100, 0xe01ef],
];

function inRanges(cp: number, ranges: readonly Range[]): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [start, end] = ranges[mid]!;
    if (cp < start) hi = mid - 1;
    else if (cp > end) lo = mid + 1;
    else return true;
  }
  return false;
}

export function isZeroWidth(cp: number): boolean {
  return inRanges(cp, ZERO_WIDTH);
}

export function isWide(cp: number): boolean {
  return inRanges(cp, WIDE);
}

export function isAmbiguous(cp: number): boolean {
  return inRanges(cp, AMBIGUOUS);
}

/** Columns one code point takes on the receipt: 0, 1 or 2. */
export function charWidth(cp: number): 0 | 1 | 2 {
  if (cp < 0x7f) return cp < 0x20 ? 0 : 1;
  if (isZeroWidth(cp)) return 0;
  if (isWide(cp) || isAmbiguous(cp)) return 2;
  return 1;
}

/**
 * A user-perceived character for layout purposes: a base code point followed by its zero-width
 * marks. Wrapping never splits one, so a double-width character or an accent stays whole.
 */
export interface Cluster {
  readonly text: string;
  readonly width: 0 | 1 | 2;
}

export function clusters(text: string): Cluster[] {
  const out: Cluster[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const w = charWidth(cp);
    const last = out[out.length - 1];
    if (w === 0 && last !== undefined) {
      out[out.length - 1] = { text: last.text + ch, width: last.width };
    } else {
      out.push({ text: ch, width: w });
    }
  }
  return out;
}

export function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += charWidth(ch.codePointAt(0)!);
  return w;
}

/**
 * Removes what must never reach the printer from user text: C0/C1 control characters (a product
 * name holding ESC or DLE bytes could otherwise switch modes, cut paper or pulse the drawer), and
 * composes to NFC so the same character always measures and encodes the same way. U+2212 MINUS
 * becomes an ASCII hyphen: no Big5 or GBK printer font has it, and money lines use it.
 */
export function sanitizeText(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFC')) {
    const cp = ch.codePointAt(0)!;
    if (ch === '\u2212') out += '-';
    else if (ch === '\u00a0' || ch === '\t') out += ' ';
    else if (ch === '\n' || !(cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))) out += ch;
  }
  return out;
}

/** Pads (or cuts) `text` to exactly `width` columns. A wide character that would straddle the edge is replaced by a space. */
export function fitWidth(text: string, width: number, align: 'left' | 'right' | 'center' = 'left'): string {
  let used = 0;
  let kept = '';
  for (const c of clusters(text)) {
    if (used + c.width > width) break;
    kept += c.text;
    used += c.width;
  }
  const pad = width - used;
  if (align === 'right') return ' '.repeat(pad) + kept;
  if (align === 'center') return ' '.repeat(pad >> 1) + kept + ' '.repeat(pad - (pad >> 1));
  return kept + ' '.repeat(pad);
}

function isSpace(c: Cluster): boolean {
  return c.text === ' ';
}

// Line-breaking rules for Chinese (the common subset of JIS X 4051 / GB/T 15834 kinsoku): no line
// starts with closing punctuation and none ends with opening punctuation.
const CLOSING = new Set(Array.from('、。，．：；！？）」』】〕〉》〗〙〛｝﹚﹜％…'));
const OPENING = new Set(Array.from('（「『【〔〈《〖〘〚｛﹙﹛'));

/** A wide ideograph or fullwidth form: a break is allowed on either side of it. */
function isBreakableWide(c: Cluster): boolean {
  return c.width === 2 && isWide(c.text.codePointAt(0)!) && !CLOSING.has(c.text) && !OPENING.has(c.text);
}

/**
 * End (exclusive) of the unbreakable unit starting at i: opening punctuation, then one ideograph
 * or a run of other non-space characters (a Latin word, a price, "×2"), then closing punctuation.
 */
function unitEnd(cs: readonly Cluster[], i: number): number {
  let j = i;
  while (j < cs.length && OPENING.has(cs[j]!.text)) j++;
  if (j < cs.length && isBreakableWide(cs[j]!)) {
    j++;
  } else {
    while (j < cs.length && !isSpace(cs[j]!) && !isBreakableWide(cs[j]!) && !OPENING.has(cs[j]!.text)) j++;
  }
  while (j < cs.length && CLOSING.has(cs[j]!.text)) j++;
  return Math.max(j, i + 1);
}

/**
 * Wraps text into lines of at most `width` columns.
 *
 * - Breaks at spaces, and on either side of an ideograph (Chinese has no spaces; receiptline
 *   breaks CJK text the same way), keeping Chinese punctuation with its neighbour.
 * - A Latin word longer than a line is cut at a character boundary.
 * - Never splits a cluster: a double-width character that does not fit moves to the next line.
 * - Spaces at a break are dropped; leading spaces of the first line are kept (indentation).
 * - '\n' forces a break.
 */
export function wrapText(text: string, width: number): string[] {
  if (!Number.isInteger(width) || width < 2) throw new RangeError(`wrap width must be an integer >= 2, got ${width}`);
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) wrapParagraph(clusters(paragraph), width, lines);
  return lines;
}

function wrapParagraph(cs: Cluster[], width: number, lines: string[]): void {
  let line: Cluster[] = [];
  let lineWidth = 0;
  let i = 0;
  let first = true;

  const flush = (): void => {
    while (line.length > 0 && isSpace(line[line.length - 1]!)) line.pop();
    lines.push(line.map((c) => c.text).join(''));
    line = [];
    lineWidth = 0;
    first = false;
  };

  if (cs.length === 0) {
    lines.push('');
    return;
  }

  while (i < cs.length) {
    const c = cs[i]!;
    if (isSpace(c)) {
      if (line.length === 0 && !first) {
        i++;
        continue;
      }
      if (lineWidth + 1 > width) {
        flush();
        i++;
        continue;
      }
      line.push(c);
      lineWidth += 1;
      i++;
      continue;
    }
    const j = unitEnd(cs, i);
    const unit = cs.slice(i, j);
    const unitWidth = unit.reduce((w, u) => w + u.width, 0);
    if (lineWidth + unitWidth <= width) {
      line.push(...unit);
      lineWidth += unitWidth;
      i = j;
      continue;
    }
    if (unitWidth <= width && lineWidth > 0) {
      flush();
      continue;
    }
    // Longer than a whole line (or the line is empty): cut it character by character.
    for (const u of unit) {
      if (lineWidth + u.width > width) flush();
      line.push(u);
      lineWidth += u.width;
    }
    i = j;
  }
  if (line.length > 0 || lines.length === 0) flush();
}
