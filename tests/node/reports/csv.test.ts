import { describe, expect, it } from 'vitest';
import { BOM, toCsv } from '../../../src/renderer/back-office/reports/csv';

describe('CSV export', () => {
  it('starts with a UTF-8 byte-order mark and keeps Chinese as it is, with CRLF lines', () => {
    const csv = toCsv([
      ['名稱', 'name'],
      ['港式奶茶', 'Milk tea'],
    ]);
    expect(csv.startsWith(BOM)).toBe(true);
    expect(Buffer.from(csv, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csv.slice(1)).toBe('名稱,name\r\n港式奶茶,Milk tea\r\n');
  });

  it.each([
    ['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
    ['+1+1', "'+1+1"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', "'\tcmd"],
    ['\rcmd', `"'\rcmd"`],
  ])('defuses a text cell that a spreadsheet would run as a formula: %j', (text, written) => {
    expect(toCsv([[text]]).slice(1)).toBe(`${written}\r\n`);
  });

  it('quotes commas, quotes and line breaks, and leaves safe text and amounts alone', () => {
    expect(toCsv([['a,b', 'say "hi"', 'two\nlines', 'plain 1-2']]).slice(1)).toBe('"a,b","say ""hi""","two\nlines",plain 1-2\r\n');
    // amounts are numbers, not text: a refund stays a negative number Excel can add up
    expect(toCsv([[{ cents: -1050 }, { cents: 1800 }, 3, 0.355]]).slice(1)).toBe('-10.50,18.00,3,0.355\r\n');
  });
});
