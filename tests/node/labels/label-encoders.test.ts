/**
 * The label layout and its encoders (issue 14): every output decoded back to text fields, barcode
 * type and content and positions; check digits verified; Chinese carried natively where the
 * printer's font has it and drawn as dots where it does not.
 */
import { describe, expect, it } from 'vitest';
import {
  A4_3X8,
  decodeTspl,
  decodeZpl,
  encodeTspl,
  encodeZpl,
  labelAsReceipt,
  rasteriseLabel,
  rasteriseText,
  readLabelSheetPdf,
  writeLabelSheetPdf,
  type LabelDocument,
  type LabelText,
} from '../../../drivers/labels';
import { createFontRasteriser, decodeEscPos, encodeReceipt, getProfile, inkCount } from '../../../drivers/escpos';
import { chooseBarcode, isWeighed, layoutLabel, type LabelProduct } from '../../../src/main/labels/label-layout';
import { embeddedItemKey } from '../../../src/shared/barcode';

const rasteriser = createFontRasteriser();

const MILK_TEA: LabelProduct = {
  sku: 'DRI-0001',
  nameZh: '港式奶茶',
  nameEn: 'HK Milk Tea',
  priceCents: 1800,
  barcodes: ['4891234000012'],
};

function texts(doc: LabelDocument): Record<string, string> {
  return Object.fromEntries(doc.elements.filter((e): e is LabelText => e.kind === 'text').map((e) => [e.role, e.text]));
}

describe('label layout', () => {
  it('chooses EAN-13, UPC-A or CODE128 from the product and refuses a wrong check digit', () => {
    expect(chooseBarcode(MILK_TEA)).toEqual({ symbology: 'ean13', data: '4891234000012' });
    // a UPC-A is keyed as 0 + 12 digits in the catalogue and printed as UPC-A
    expect(chooseBarcode({ ...MILK_TEA, barcodes: ['0012345678905'] })).toEqual({ symbology: 'upca', data: '012345678905' });
    expect(chooseBarcode({ ...MILK_TEA, barcodes: ['SHOP-77'] })).toEqual({ symbology: 'code128', data: 'SHOP-77' });
    expect(chooseBarcode({ ...MILK_TEA, barcodes: [] })).toEqual({ symbology: 'code128', data: 'DRI-0001' });
    expect(() => chooseBarcode({ ...MILK_TEA, barcodes: ['4891234000013'] })).toThrow(/wrong check digit/);
  });

  it('prints the unit price of weighed goods, and the SKU as their barcode (the scale prints the weighed one)', () => {
    const beef: LabelProduct = {
      sku: 'MEA-0003',
      nameZh: '牛肉',
      nameEn: 'Beef',
      priceCents: 16800,
      barcodes: [embeddedItemKey('25', '00123')],
    };
    expect(isWeighed(beef)).toBe(true);
    const doc = layoutLabel(beef, { template: 'shelf-70x38', dotsPerMm: 8 });
    expect(texts(doc)).toMatchObject({ price: 'HK$168.00/kg', 'unit-price': '每100克 HK$16.80 /100g' });
    expect(doc.elements.find((e) => e.kind === 'barcode')).toMatchObject({ symbology: 'code128', data: 'MEA-0003' });
  });

  it('keeps every element inside the label on each template, at 203 and 300 dpi; long names are cut, never overflow', () => {
    const long = {
      ...MILK_TEA,
      nameZh: '特濃港式絲襪奶茶（凍）大杯裝加珍珠椰果',
      nameEn: 'Extra strong Hong Kong style silk stocking milk tea, large',
    };
    for (const template of ['product-40x30', 'product-50x25', 'shelf-70x38'] as const) {
      for (const dotsPerMm of [8, 12]) {
        const doc = layoutLabel(long, { template, dotsPerMm, qr: 'https://shop.example.hk/p/DRI-0001' });
        expect(doc.widthDots).toBe(doc.widthMm * dotsPerMm);
        const bitmap = rasteriseLabel(doc, rasteriser);
        for (const e of doc.elements) {
          expect(e.x, `${template} ${e.kind}`).toBeGreaterThanOrEqual(0);
          if (e.kind === 'text') {
            const drawn = rasteriseText(e, rasteriser);
            expect(e.x + drawn.width, `${template} ${e.role} "${e.text}"`).toBeLessThanOrEqual(doc.widthDots);
            expect(e.y + e.height).toBeLessThanOrEqual(doc.heightDots);
          }
        }
        expect(inkCount(bitmap)).toBeGreaterThan(1000);
        expect(texts(doc)['name-zh']!.length).toBeLessThan(long.nameZh.length);
      }
    }
  });
});

describe('ZPL', () => {
  it('carries names, price, EAN-13 and quantity; decodes back to the same fields and positions', () => {
    const doc = layoutLabel(MILK_TEA, { template: 'product-40x30', dotsPerMm: 8 });
    const bytes = encodeZpl(doc, { copies: 12, cjkFont: 'E:NOTOHK.TTF' });
    const [label, ...rest] = decodeZpl(bytes);
    expect(rest).toEqual([]);
    expect(label!.copies).toBe(12);
    expect(label!.widthDots).toBe(320);
    const fieldTexts = label!.fields.flatMap((f) => (f.kind === 'text' ? [f.text] : []));
    expect(fieldTexts).toEqual(['港式奶茶', 'HK Milk Tea', 'HK$18.00', '4891234000012']);
    const zh = label!.fields.find((f) => f.kind === 'text' && f.text === '港式奶茶');
    expect(zh).toMatchObject({ font: 'E:NOTOHK.TTF', x: 12, y: 8, height: 32 });
    const barcode = label!.fields.find((f) => f.kind === 'barcode');
    const laid = doc.elements.find((e) => e.kind === 'barcode')!;
    expect(barcode).toEqual({ kind: 'barcode', symbology: 'ean13', data: '4891234000012', x: laid.x, y: laid.y, height: 98, module: 2 });
    // only 12 digits travel: the printer adds the check digit the layout verified
    expect(Buffer.from(bytes).toString()).toContain('^FD489123400001^FS');
  });

  it('draws Chinese as a graphic of the same dots when the printer has no Chinese font', () => {
    const doc = layoutLabel(MILK_TEA, { template: 'product-40x30', dotsPerMm: 8 });
    const [label] = decodeZpl(encodeZpl(doc, { copies: 1, rasteriser }));
    const graphic = label!.fields.find((f) => f.kind === 'graphic');
    const zh = doc.elements.find((e): e is LabelText => e.kind === 'text' && e.role === 'name-zh')!;
    expect(graphic).toMatchObject({ x: zh.x, y: zh.y });
    const expected = rasteriseText(zh, rasteriser);
    if (graphic?.kind !== 'graphic') throw new Error('no graphic');
    expect(inkCount(graphic.bitmap)).toBe(inkCount(expected));
    expect(inkCount(expected)).toBeGreaterThan(200);
  });

  it('cannot be steered by a product name: ^ and ~ travel escaped', () => {
    const doc = layoutLabel({ ...MILK_TEA, nameEn: 'Tea ^XZ~JR_x' }, { template: 'product-40x30', dotsPerMm: 8 });
    const zpl = Buffer.from(encodeZpl(doc, { copies: 1, rasteriser })).toString();
    expect(zpl.match(/\^XZ/g)).toHaveLength(1);
    expect(zpl).not.toContain('~JR');
    const [label] = decodeZpl(Buffer.from(zpl));
    expect(label!.fields.some((f) => f.kind === 'text' && f.text === 'Tea ^XZ~JR_x')).toBe(true);
  });

  it('prints UPC-A, CODE128 and QR', () => {
    const doc = layoutLabel(
      { ...MILK_TEA, barcodes: ['0012345678905'] },
      { template: 'shelf-70x38', dotsPerMm: 8, qr: 'https://shop.example.hk/p/DRI-0001' },
    );
    const [label] = decodeZpl(encodeZpl(doc, { copies: 1, rasteriser }));
    expect(label!.fields.find((f) => f.kind === 'barcode')).toMatchObject({ symbology: 'upca', data: '012345678905' });
    expect(label!.fields.find((f) => f.kind === 'qr')).toMatchObject({ data: 'https://shop.example.hk/p/DRI-0001' });
    const sku = layoutLabel({ ...MILK_TEA, barcodes: [] }, { template: 'product-50x25', dotsPerMm: 12 });
    const [skuLabel] = decodeZpl(encodeZpl(sku, { copies: 1, rasteriser }));
    expect(skuLabel!.fields.find((f) => f.kind === 'barcode')).toMatchObject({ symbology: 'code128', data: 'DRI-0001' });
  });
});

describe('TSPL', () => {
  it('Traditional Chinese in Big5 with the TST24.BF2 font (TSC); EAN-13 and copies decode back', () => {
    const doc = layoutLabel(MILK_TEA, { template: 'shelf-70x38', dotsPerMm: 8 });
    const bytes = encodeTspl(doc, { copies: 3, codeSystem: 'big5hkscs', font: 'TST24.BF2', rasteriser });
    expect(Buffer.from(bytes).includes(Buffer.from([0xb4, 0xe4]))).toBe(true); // 港 in Big5
    const [label] = decodeTspl(bytes, 'big5hkscs');
    expect(label).toMatchObject({ widthMm: 70, heightMm: 38, copies: 3 });
    const zh = label!.fields.find((f) => f.kind === 'text' && f.text === '港式奶茶');
    expect(zh).toMatchObject({ font: 'TST24.BF2', multiplier: 2, x: 14, y: 10 });
    expect(label!.fields.find((f) => f.kind === 'barcode')).toMatchObject({ symbology: 'ean13', data: '4891234000012', x: 14, y: 204 });
    expect(label!.fields.some((f) => f.kind === 'text' && f.text === 'HK$18.00')).toBe(true);
  });

  it('Simplified GB font on an Xprinter; a character outside the code system goes as a BITMAP; a quote in a name is escaped', () => {
    const doc = layoutLabel({ ...MILK_TEA, nameZh: '𠝹雞 "特價"', nameEn: 'Say "hi"' }, { template: 'product-50x25', dotsPerMm: 8 });
    const bytes = encodeTspl(doc, { copies: 1, codeSystem: 'gb18030', font: 'TSS24.BF2', rasteriser });
    const [label] = decodeTspl(bytes, 'gb18030');
    expect(label!.fields.find((f) => f.kind === 'bitmap')).toMatchObject({ x: 12, y: 6 });
    expect(label!.fields.some((f) => f.kind === 'text' && f.text === 'Say "hi"')).toBe(true);
  });
});

describe('ESC/POS label on the receipt roll', () => {
  it('prints the names in the printer font, the price large, the EAN-13 natively, a cut per copy', () => {
    const doc = layoutLabel(MILK_TEA, { template: 'product-40x30', dotsPerMm: 8 });
    const profile = getProfile('epson-tm-t88');
    const transcript = decodeEscPos(encodeReceipt(labelAsReceipt(doc, 2), { profile, rasteriser }), {
      codeSystem: 'big5hkscs',
      chineseMode: 'fs-ampersand',
    });
    expect(transcript).toContain('港式奶茶');
    expect(transcript).toContain('HK Milk Tea');
    expect(transcript).toContain('HK$18.00');
    expect(transcript.match(/barcode ean13 "489123400001"/g)).toHaveLength(2);
    expect(transcript.match(/\[cut partial\]/g)).toHaveLength(2);
  });
});

describe('PDF sheet', () => {
  it('lays 30 labels on two A4 pages of 3 × 8, each the label dots, Chinese included', () => {
    const doc = layoutLabel(MILK_TEA, { template: 'shelf-70x38', dotsPerMm: 12 });
    const bitmap = rasteriseLabel(doc, rasteriser);
    const pdf = writeLabelSheetPdf(
      Array.from({ length: 30 }, () => ({ bitmap, widthMm: 70, heightMm: 38 })),
      A4_3X8,
    );
    const reading = readLabelSheetPdf(pdf);
    expect(reading.pages.map((p) => p.placements.length)).toEqual([24, 6]);
    expect(reading.pages[0]!.widthMm).toBeCloseTo(210, 1);
    const first = reading.pages[0]!.placements[0]!;
    expect(first.image.width).toBe(bitmap.width);
    expect(Buffer.from(first.image.data).equals(Buffer.from(bitmap.data))).toBe(true);
    // the 70 × 38 label shrinks into the 70 × 37 cell, keeping its proportions
    expect(first.heightMm).toBeCloseTo(37, 1);
    const last = reading.pages[0]!.placements[23]!;
    expect(last.topMm + last.heightMm).toBeLessThanOrEqual(297);
    // the Chinese name is in the image: its dots match the name drawn alone
    const zh = doc.elements.find((e): e is LabelText => e.kind === 'text' && e.role === 'name-zh')!;
    const drawn = rasteriseText(zh, rasteriser);
    let ink = 0;
    for (let y = 0; y < drawn.height; y++)
      for (let x = 0; x < drawn.width; x++) if (first.image.data[(zh.y + y) * first.image.width + zh.x + x]) ink++;
    expect(ink).toBe(inkCount(drawn));
  });
});
