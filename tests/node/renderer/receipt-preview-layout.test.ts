import { describe, expect, it } from 'vitest';
import { charWidth } from '../../../drivers/escpos/text-width';
import { charColumns, lineColumns, paperWidthMm, previewSegments } from '../../../src/renderer/components/receipt-preview-layout';

// Lines as the printer helper's `print:preview` sends them: laid out on the printer's column grid.
const PAIR_42 = '港式奶茶 HK Milk Tea x2           HK$36.00';
const RULE_42 = '-'.repeat(42);

describe('receipt preview columns', () => {
  it('counts a Chinese character as two columns, ASCII as one, combining marks as none', () => {
    expect(charColumns('港'.codePointAt(0)!)).toBe(2);
    expect(charColumns('嘢'.codePointAt(0)!)).toBe(2);
    expect(charColumns('，'.codePointAt(0)!)).toBe(2);
    expect(charColumns('×'.codePointAt(0)!)).toBe(2); // ambiguous: the printer draws it from its Chinese font
    expect(charColumns('A'.codePointAt(0)!)).toBe(1);
    expect(charColumns(0x0301)).toBe(0);
    expect(lineColumns('港式奶茶')).toBe(8);
    expect(lineColumns(PAIR_42)).toBe(42);
    expect(lineColumns(RULE_42)).toBe(42);
    expect(lineColumns('𠮷野家')).toBe(6); // outside the BMP: one character, two columns
  });

  it('puts each two-column character in its own cell and keeps ASCII runs together, so columns line up', () => {
    expect(previewSegments('合計 TOTAL  HK$36.00')).toEqual([
      { text: '合', wide: true },
      { text: '計', wide: true },
      { text: ' TOTAL  HK$36.00', wide: false },
    ]);
    // Every line of a receipt covers the same grid: cells × 2 + ASCII = the printer's columns.
    for (const line of [PAIR_42, RULE_42, '          算盤士多 旺角店']) {
      const cells = previewSegments(line);
      const width = cells.reduce((sum, s) => sum + (s.wide ? 2 : s.text.length), 0);
      expect(width).toBe(lineColumns(line));
    }
    expect(previewSegments('é')).toEqual([{ text: 'é', wide: true }]);
    expect(previewSegments('e\u0301x')).toEqual([{ text: 'e\u0301x', wide: false }]);
    expect(previewSegments('')).toEqual([]);
  });

  it('agrees with the printer driver on the characters receipts carry', () => {
    const sample = '港式奶茶菠蘿包蒸餾水嘢峯，。：「」（）ＡＢ１２ HK$12,345.50 x×·é–—…%@#()[]-=+*/\\'.concat('\u0301');
    for (const ch of sample) expect(charColumns(ch.codePointAt(0)!), ch).toBe(charWidth(ch.codePointAt(0)!));
  });

  it('chooses the paper from the printer columns', () => {
    expect(paperWidthMm(32)).toBe(58);
    expect(paperWidthMm(42)).toBe(80);
    expect(paperWidthMm(48)).toBe(80);
  });
});
