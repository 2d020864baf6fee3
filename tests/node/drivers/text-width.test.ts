import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { charWidth, clusters, displayWidth, fitWidth, sanitizeText, wrapText } from '../../../drivers/escpos/text-width';

describe('display width', () => {
  it('counts Chinese, HKSCS, fullwidth, Hangul and ambiguous characters as two columns', () => {
    expect(displayWidth('嘢')).toBe(2); // U+5622, HKSCS
    expect(displayWidth('峯')).toBe(2); // U+5CEF
    expect(displayWidth('港式奶茶')).toBe(8);
    expect(displayWidth('ＨＫ＄')).toBe(6); // fullwidth forms
    expect(displayWidth('한국')).toBe(4);
    expect(displayWidth('、。')).toBe(4); // CJK punctuation
    expect(displayWidth('×2')).toBe(3); // × is East Asian Ambiguous: the Big5 font prints it two columns wide
    expect(displayWidth('𠀋')).toBe(2); // Extension B (HKSCS-2008 supplementary)
    expect(displayWidth('HK$36.00')).toBe(8);
  });

  it('gives combining marks and variation selectors no width and keeps them with their base', () => {
    expect(charWidth(0x0301)).toBe(0);
    expect(clusters('e\u0301x')).toEqual([
      { text: 'e\u0301', width: 1 },
      { text: 'x', width: 1 },
    ]);
    expect(clusters('葛\uFE00')).toEqual([{ text: '葛\uFE00', width: 2 }]);
  });

  it('removes control characters so item names cannot smuggle printer commands', () => {
    expect(sanitizeText('Milk\x1b@Tea\x10\x14\x01\x00\x01 −HK$9')).toBe('Milk@Tea -HK$9');
  });

  it('pads and cuts to a width without splitting a wide character', () => {
    expect(fitWidth('港式奶茶', 5)).toBe('港式 ');
    expect(fitWidth('ab', 5, 'right')).toBe('   ab');
  });
});

describe('wrapping', () => {
  it('breaks Chinese between characters and Latin at spaces', () => {
    expect(wrapText('菠蘿油 Pineapple bun with butter', 16)).toEqual(['菠蘿油 Pineapple', 'bun with butter']);
    expect(wrapText('九龍旺角峯景街八號', 8)).toEqual(['九龍旺角', '峯景街八', '號']);
  });

  it('keeps Chinese punctuation off the start of a line and "×2" together', () => {
    expect(wrapText('多謝惠顧，歡迎再來', 8)).toEqual(['多謝惠', '顧，歡迎', '再來']);
    expect(wrapText('HK Milk Tea ×2', 12)).toEqual(['HK Milk Tea', '×2']);
  });

  it('cuts a word longer than the line', () => {
    expect(wrapText('ABCDEFGHIJ', 4)).toEqual(['ABCD', 'EFGH', 'IJ']);
  });

  const textArb = fc
    .array(
      fc.constantFrom(
        '港',
        '式',
        '奶',
        '茶',
        '嘢',
        '峯',
        '，',
        '。',
        'a',
        'B',
        '1',
        '$',
        ' ',
        ' ',
        '×',
        'é',
        'e\u0301',
        '𠀋',
        '（',
        '）',
        '-',
      ),
      { maxLength: 80 },
    )
    .map((parts) => parts.join(''));

  it('never exceeds the paper width in display columns (property)', () => {
    fc.assert(
      fc.property(textArb, fc.integer({ min: 2, max: 48 }), (text, width) => {
        for (const line of wrapText(text, width)) expect(displayWidth(line)).toBeLessThanOrEqual(width);
      }),
    );
  });

  it('never splits or drops a character, only spaces at breaks (property)', () => {
    fc.assert(
      fc.property(textArb, fc.integer({ min: 2, max: 48 }), (text, width) => {
        const lines = wrapText(text, width);
        expect(lines.join('').replace(/ /g, '')).toBe(text.replace(/ /g, ''));
        const whole = clusters(text).map((c) => c.text);
        const rejoined = lines.flatMap((l) => clusters(l).map((c) => c.text));
        expect(rejoined.filter((c) => c !== ' ')).toEqual(whole.filter((c) => c !== ' '));
      }),
    );
  });
});
