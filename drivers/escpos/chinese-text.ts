import { iconv } from '../iconv';
import { charWidth } from './text-width';

export type CodeSystem = 'big5hkscs' | 'gb18030' | 'none';

/**
 * Whether a printer with this code system can print `ch` from its own font, natively.
 *
 * ASCII always can. Anything else must go through the printer's Chinese (Kanji) mode, where every
 * character is two bytes and prints two columns wide, so a character qualifies only when it:
 * - round-trips through the code system (encode → decode gives it back; iconv-lite substitutes '?'
 *   for what it cannot encode, so a failed round trip means "not in this character set"),
 * - encodes to exactly two bytes (GB18030's four-byte sequences are outside the GBK repertoire
 *   that receipt printer fonts carry),
 * - and is two columns wide in our layout (otherwise the printed line would not match the
 *   measured one).
 */
export function createNativeCharTest(codeSystem: CodeSystem): (ch: string) => boolean {
  const cache = new Map<string, boolean>();
  return (ch) => {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0x20 && cp < 0x7f && ch.length === 1) return true;
    if (codeSystem === 'none') return false;
    const hit = cache.get(ch);
    if (hit !== undefined) return hit;
    const bytes = iconv().encode(ch, codeSystem);
    const ok = bytes.length === 2 && iconv().decode(bytes, codeSystem) === ch && charWidth(cp) === 2;
    cache.set(ch, ok);
    return ok;
  };
}

export function encodeChinese(text: string, codeSystem: Exclude<CodeSystem, 'none'>): Buffer {
  return iconv().encode(text, codeSystem);
}

export function decodeChinese(bytes: Uint8Array, codeSystem: Exclude<CodeSystem, 'none'>): string {
  return iconv().decode(Buffer.from(bytes), codeSystem);
}
