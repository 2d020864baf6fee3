/**
 * The receipt preview's column grid, as the printer counts it: ASCII takes one column, a Chinese
 * character (any other character the printer draws from its double-byte font) two, combining
 * marks none. The preview draws each two-column character in a cell exactly two columns wide, so
 * its columns line up whatever the screen font's own CJK advance is.
 */

export interface PreviewSegment {
  text: string;
  /** A two-column character, drawn in a fixed two-column cell. */
  wide: boolean;
}

function isZeroWidth(cp: number): boolean {
  return (
    (cp >= 0x0300 && cp <= 0x036f) || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0xfe00 && cp <= 0xfe0f) || cp === 0x2060 || cp === 0xfeff
  );
}

/** Halfwidth forms and Latin letters beyond Latin-1 that printers draw one column wide. */
function isNarrowNonAscii(cp: number): boolean {
  return (cp >= 0x0100 && cp <= 0x024f) || (cp >= 0xff61 && cp <= 0xffdc) || (cp >= 0xffe8 && cp <= 0xffee);
}

export function charColumns(cp: number): 0 | 1 | 2 {
  if (cp < 0x7f) return cp < 0x20 ? 0 : 1;
  if (isZeroWidth(cp)) return 0;
  return isNarrowNonAscii(cp) ? 1 : 2;
}

/** A line's width in printer columns. */
export function lineColumns(line: string): number {
  let columns = 0;
  for (const ch of line) columns += charColumns(ch.codePointAt(0)!);
  return columns;
}

/** Runs of one-column text, and each two-column character (with its marks) on its own. */
export function previewSegments(line: string): PreviewSegment[] {
  const segments: PreviewSegment[] = [];
  for (const ch of line) {
    const width = charColumns(ch.codePointAt(0)!);
    const last = segments[segments.length - 1];
    if (width === 0 && last) last.text += ch;
    else if (width === 2) segments.push({ text: ch, wide: true });
    else if (last && !last.wide) last.text += ch;
    else segments.push({ text: ch, wide: false });
  }
  return segments;
}

/** 32 columns is 58 mm paper; the 42- and 48-column printers take 80 mm. */
export function paperWidthMm(columns: number): 58 | 80 {
  return columns <= 32 ? 58 : 80;
}
