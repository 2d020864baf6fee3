import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_EMBEDDED_LAYOUT,
  catalogueKey,
  compressUpcA,
  embeddedBarcode,
  embeddedItemKey,
  expandUpcE,
  gtinCheckDigit,
  gtinForms,
  hasValidCheckDigit,
  layoutProblems,
  normaliseCode,
  withCheckDigit,
  type EmbeddedLayout,
} from '../../../src/shared/barcode';

const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(''));
/** Layout with no embedded prefixes: every valid EAN-13 is a plain GTIN. */
const PLAIN: EmbeddedLayout = { ...DEFAULT_EMBEDDED_LAYOUT, prefixes: {} };

describe('GS1 check digits', () => {
  it('match published examples', () => {
    // GS1 "How to calculate a check digit manually": 629104150021 → 3.
    expect(gtinCheckDigit('629104150021')).toBe(3);
    // EAN-13 4006381333931 and 5901234123457 (the usual EAN-13 examples), ISBN 978-0-306-40615-7.
    expect(hasValidCheckDigit('4006381333931')).toBe(true);
    expect(hasValidCheckDigit('5901234123457')).toBe(true);
    expect(hasValidCheckDigit('9780306406157')).toBe(true);
    // UPC-A 0 36000 29145 2 and EAN-8 9638 5074.
    expect(hasValidCheckDigit('036000291452')).toBe(true);
    expect(hasValidCheckDigit('96385074')).toBe(true);
  });

  it('any 12-digit body with its computed check digit is a valid EAN-13', () => {
    fc.assert(
      fc.property(digits(12), (body) => {
        const code = withCheckDigit(body);
        expect(normaliseCode(code, PLAIN)).toEqual({ kind: 'gtin', format: 'ean-13', gtin13: code });
      }),
    );
  });

  it('changing any single digit of a valid code makes it invalid, so a misread never finds a product', () => {
    fc.assert(
      fc.property(fc.constantFrom(7, 11, 12, 13).chain(digits), fc.nat(), fc.integer({ min: 1, max: 9 }), (body, seed, delta) => {
        const code = withCheckDigit(body);
        const at = seed % code.length;
        const misread = code.slice(0, at) + String((Number(code[at]) + delta) % 10) + code.slice(at + 1);
        expect(hasValidCheckDigit(misread)).toBe(false);
        if (code.length !== 8) expect(normaliseCode(misread)).toEqual({ kind: 'invalid', reason: 'check-digit' });
      }),
    );
  });
});

describe('normaliseCode: GTINs', () => {
  it('keys UPC-A and its EAN-13 form the same (UPC-A 012345678905 = EAN-13 0012345678905)', () => {
    expect(normaliseCode('012345678905')).toEqual({ kind: 'gtin', format: 'upc-a', gtin13: '0012345678905' });
    expect(normaliseCode('0012345678905')).toEqual({ kind: 'gtin', format: 'ean-13', gtin13: '0012345678905' });
    fc.assert(
      fc.property(digits(11), (body) => {
        const upcA = withCheckDigit(body);
        const a = normaliseCode(upcA);
        const b = normaliseCode(`0${upcA}`);
        expect(a.kind === 'gtin' || a.kind === 'embedded').toBe(true);
        expect(b).toMatchObject({ gtin13: `0${upcA}` });
        expect(a).toMatchObject({ gtin13: `0${upcA}` });
      }),
    );
  });

  it('keys GTIN-14 with indicator 0 as its GTIN-13 and keeps other indicators as trade units', () => {
    expect(normaliseCode('04006381333931')).toEqual({ kind: 'gtin', format: 'gtin-14', gtin13: '4006381333931' });
    const caseCode = withCheckDigit('1400638133393');
    expect(normaliseCode(caseCode)).toEqual({ kind: 'trade-unit', gtin14: caseCode });
  });

  it('zero-pads EAN-8 to 13 digits, as GS1 places a GTIN-8 in a GTIN-14 field', () => {
    expect(normaliseCode('96385074')).toEqual({ kind: 'gtin', format: 'ean-8', gtin13: '0000096385074' });
    expect(normaliseCode('0000096385074')).toMatchObject({ gtin13: '0000096385074' });
  });

  it('ignores the whitespace a wedge scanner adds around a code', () => {
    expect(normaliseCode(' 4006381333931\r\n')).toMatchObject({ kind: 'gtin', gtin13: '4006381333931' });
  });
});

describe('UPC-E', () => {
  // Zero-suppression table (GS1 General Specifications §5.2.2.4.2; the same examples are printed in
  // printer vendors' manuals, e.g. Printronix "Six-Digit Zero Expansion": 124560 → 12000 00456).
  const table: [string, string][] = [
    ['123456', '1234500006'], // the brief's example: UPC-E 01234565 ↔ UPC-A 012345000065
    ['425261', '4210000526'], // DevExpress UPC-E0 sample: UPC-A 04210000526(4)
    ['123643', '1230000064'], // Brother BT-1000 manual: UPC-A 12300-00064 ↔ 123643
    ['124560', '1200000456'],
    ['275831', '2710000583'],
    ['412022', '4120000202'],
    ['876543', '8760000054'],
    ['753774', '7537000007'],
    ['213756', '2137500006'],
    ['517019', '5170100009'],
  ];

  it.each(table)('UPC-E 0 %s expands to UPC-A 0 %s and back', (six, manufacturerAndProduct) => {
    const body = `0${manufacturerAndProduct}`;
    const check = String(gtinCheckDigit(body));
    const upcE = `0${six}${check}`;
    expect(expandUpcE(upcE)).toBe(body + check);
    expect(compressUpcA(body + check)).toBe(upcE);
    expect(normaliseCode(upcE)).toMatchObject({ kind: 'gtin', format: 'upc-e', gtin13: `0${body}${check}` });
  });

  it('01234565 finds what 012345000065 and 0012345000065 find', () => {
    const key = '0012345000065';
    expect(normaliseCode('01234565')).toMatchObject({ gtin13: key });
    expect(normaliseCode('012345000065')).toMatchObject({ gtin13: key });
    expect(gtinForms(key)).toEqual(expect.arrayContaining(['012345000065', '01234565', '00012345000065']));
  });

  it('compression and expansion are inverse wherever a UPC-A can be zero-suppressed', () => {
    fc.assert(
      fc.property(fc.constantFrom('0', '1'), digits(6), (ns, six) => {
        const upcA = withCheckDigit(expandUpcE(`${ns}${six}0`).slice(0, 11));
        const upcE = compressUpcA(upcA);
        expect(upcE).not.toBeNull();
        expect(expandUpcE(upcE as string)).toBe(upcA);
        expect(normaliseCode(upcE as string)).toMatchObject({ gtin13: `0${upcA}` });
      }),
    );
  });

  it('leaves 6-digit UPC-E bodies alone: without a check digit they are internal codes', () => {
    expect(normaliseCode('123456')).toEqual({ kind: 'internal', code: '123456' });
  });

  it('reads an 8-digit code valid both as UPC-E and as EAN-8 as UPC-E, with the EAN-8 as the alternative', () => {
    let both: string | undefined;
    for (let i = 0; i < 2_000_000 && !both; i++) {
      const code = String(i).padStart(8, '0');
      if (hasValidCheckDigit(code) && hasValidCheckDigit(expandUpcE(code))) both = code;
    }
    expect(both).toBeDefined();
    const code = both as string;
    expect(normaliseCode(code)).toEqual({ kind: 'gtin', format: 'upc-e', gtin13: `0${expandUpcE(code)}`, alternative: `00000${code}` });
  });
});

describe('variable-measure (embedded) EAN-13', () => {
  it('reads the default HK layout: prefix, 5-digit PLU, 5-digit price in cents or weight in grams', () => {
    const price = embeddedBarcode('20', '20001', 12_345);
    expect(price).toBe(withCheckDigit('202000112345'));
    expect(normaliseCode(price)).toEqual({
      kind: 'embedded',
      gtin13: price,
      prefix: '20',
      itemCode: '20001',
      value: 12_345,
      valueKind: 'price',
    });
    const weight = withCheckDigit('251000101250'); // 1.250 kg
    expect(normaliseCode(weight)).toMatchObject({ kind: 'embedded', prefix: '25', itemCode: '10001', value: 1250, valueKind: 'weight' });
    // UPC-A number system 2 is EAN-13 prefix 02.
    const upc = withCheckDigit('21234500990');
    expect(normaliseCode(upc)).toMatchObject({ kind: 'embedded', prefix: '02', itemCode: '12345', value: 990, valueKind: 'price' });
  });

  const layouts: [string, EmbeddedLayout][] = [
    ['default', DEFAULT_EMBEDDED_LAYOUT],
    [
      '6-digit item, 4-digit value',
      { prefixes: { '21': 'price', '28': 'weight' }, itemDigits: 6, valueDigits: 4, priceDecimals: 2, weightDecimals: 3 },
    ],
    [
      'price in tenths of a dollar, weight in tens of grams',
      { prefixes: { '22': 'price', '29': 'weight' }, itemDigits: 5, valueDigits: 5, priceDecimals: 1, weightDecimals: 2 },
    ],
    ['whole dollars', { prefixes: { '23': 'price' }, itemDigits: 4, valueDigits: 6, priceDecimals: 0, weightDecimals: 3 }],
    [
      'price check digit between item and value (unused)',
      { prefixes: { '02': 'price', '20': 'weight' }, itemDigits: 5, valueDigits: 4, priceDecimals: 2, weightDecimals: 3 },
    ],
  ];

  it.each(layouts)('round-trips labels in the %s layout', (_name, layout) => {
    expect(layoutProblems(layout)).toEqual([]);
    const prefixes = Object.keys(layout.prefixes);
    fc.assert(
      fc.property(fc.constantFrom(...prefixes), fc.nat(), fc.nat(), (prefix, itemSeed, valueSeed) => {
        const kind = layout.prefixes[prefix];
        const itemCode = String(itemSeed % 10 ** layout.itemDigits).padStart(layout.itemDigits, '0');
        const scale = 10 ** (kind === 'price' ? 2 - layout.priceDecimals : 3 - layout.weightDecimals);
        const value = (valueSeed % 10 ** layout.valueDigits) * scale;
        const label = embeddedBarcode(prefix, itemCode, value, layout);
        expect(label).toHaveLength(13);
        expect(normaliseCode(label, layout)).toEqual({ kind: 'embedded', gtin13: label, prefix, itemCode, value, valueKind: kind });
        // Every label of one item is stored under one key: its zero-value label.
        expect(catalogueKey(label, layout)).toBe(embeddedItemKey(prefix, itemCode, layout));
      }),
    );
  });

  it('treats prefixes the layout does not list as plain GTINs', () => {
    const code = withCheckDigit('270000100250');
    expect(normaliseCode(code, { ...DEFAULT_EMBEDDED_LAYOUT, prefixes: { '20': 'price' } })).toMatchObject({ kind: 'gtin', gtin13: code });
  });

  it('reports unusable layouts', () => {
    expect(layoutProblems({ ...DEFAULT_EMBEDDED_LAYOUT, itemDigits: 6, valueDigits: 5 })).toHaveLength(1);
    expect(layoutProblems({ ...DEFAULT_EMBEDDED_LAYOUT, prefixes: { '19': 'price' } })).toHaveLength(1);
    expect(layoutProblems({ ...DEFAULT_EMBEDDED_LAYOUT, priceDecimals: 3, weightDecimals: 4 })).toHaveLength(2);
  });

  it('a wrong check digit on a label is a misread, not a price', () => {
    const label = embeddedBarcode('20', '20001', 12_345);
    const misread = label.slice(0, 12) + String((Number(label[12]) + 1) % 10);
    expect(normaliseCode(misread)).toEqual({ kind: 'invalid', reason: 'check-digit' });
  });
});

describe('normaliseCode: internal codes and garbage', () => {
  it('passes SKUs and other printable codes through', () => {
    expect(normaliseCode('DRI-0001')).toEqual({ kind: 'internal', code: 'DRI-0001' });
    expect(normaliseCode('4011')).toEqual({ kind: 'internal', code: '4011' });
    expect(normaliseCode('x'.repeat(64))).toEqual({ kind: 'internal', code: 'x'.repeat(64) });
  });

  it.each([
    ['a 10,000-digit "barcode"', '4'.repeat(10_000), 'length'],
    ['65 characters', 'x'.repeat(65), 'length'],
    ['nothing', '', 'length'],
    ['only whitespace', ' \r\n\t', 'length'],
    ['a control character', 'DRI\u00000001', 'characters'],
    ['an escape sequence', '\u001b[2J', 'characters'],
    ['non-ASCII', '港式奶茶', 'characters'],
    ['a space inside', 'DRI 0001', 'characters'],
    ['EAN-13 with a wrong check digit', '4891234000013', 'check-digit'],
    ['UPC-A with a wrong check digit', '012345678906', 'check-digit'],
    ['GTIN-14 with a wrong check digit', '04006381333932', 'check-digit'],
    ['8 digits valid neither as EAN-8 nor as UPC-E', '96385075', 'check-digit'],
  ])('rejects %s', (_name, raw, reason) => {
    expect(normaliseCode(raw)).toEqual({ kind: 'invalid', reason });
    expect(catalogueKey(raw)).toBeNull();
  });
});
