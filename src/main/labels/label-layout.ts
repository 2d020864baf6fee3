/**
 * The label layout (issue 14): one pure function from a product and a template to a LabelDocument
 * (elements at printer-dot positions). Every output is drawn from it: ZPL, TSPL, the label on the
 * receipt roll, the PDF sheet and the preview on screen (the same document rasterised).
 *
 * Templates are drawn on an 8-dots-per-mm grid (203 dpi) and scaled whole to the printer's
 * resolution. Text is fitted by display width: a Chinese character is `height` dots wide, a
 * half-width one `height / 2`, which the rasteriser, ZPL's font 0 and TSPL's BF2 fonts keep.
 */
import { displayWidth, fitWidth, sanitizeText } from '../../../drivers/escpos';
import { barcodeModules, qrModules, type LabelDocument, type LabelElement, type LabelSymbology } from '../../../drivers/labels';
import { DEFAULT_EMBEDDED_LAYOUT, hasValidCheckDigit, normaliseCode } from '../../shared/barcode';
import { PosError } from '../../shared/errors';
import { formatHKD } from '../../shared/money';
import type { LabelTemplateId } from '../../shared/label-schemas';

export interface LabelProduct {
  readonly sku: string;
  readonly nameZh: string;
  readonly nameEn: string;
  /** HKD cents; per kilogram when `weighed`. */
  readonly priceCents: number;
  /** The product's barcodes as the catalogue keys them (13-digit GTIN keys, internal codes). */
  readonly barcodes: readonly string[];
}

export interface LabelOptions {
  readonly template: LabelTemplateId;
  readonly dotsPerMm: number;
  /** A QR code's text (e.g. the product's page in the online shop); only templates with room show it. */
  readonly qr?: string | null;
}

interface Template {
  readonly widthMm: number;
  readonly heightMm: number;
}

export const LABEL_TEMPLATES: Record<LabelTemplateId, Template> = {
  'product-40x30': { widthMm: 40, heightMm: 30 },
  'product-50x25': { widthMm: 50, heightMm: 25 },
  'shelf-70x38': { widthMm: 70, heightMm: 38 },
};

export interface ChosenBarcode {
  readonly symbology: LabelSymbology;
  readonly data: string;
}

/**
 * Which barcode a label carries: the product's EAN-13 (a UPC-A, keyed `0` + 12 digits, as UPC-A),
 * else its first other code as CODE128, else its SKU. A weighed product's barcode is printed by
 * the scale with the weight in it, so its labels carry the SKU. A GTIN whose check digit is wrong
 * is refused, never printed.
 */
export function chooseBarcode(product: LabelProduct): ChosenBarcode {
  for (const code of product.barcodes) {
    if (/^\d{13}$/.test(code) && !hasValidCheckDigit(code))
      throw new PosError('LABEL_BARCODE_INVALID', `${product.sku}: barcode ${code} has a wrong check digit`);
    const n = normaliseCode(code);
    if (n.kind === 'gtin' && n.gtin13.startsWith('00000')) continue; // an EAN-8: not in our label symbologies
    if (n.kind === 'gtin')
      return n.gtin13.startsWith('0') ? { symbology: 'upca', data: n.gtin13.slice(1) } : { symbology: 'ean13', data: n.gtin13 };
  }
  const other = product.barcodes.find((c) => !/^\d+$/.test(c) && /^[\x20-\x7e]{1,24}$/.test(c));
  return { symbology: 'code128', data: other ?? product.sku };
}

/** A product is sold by weight when one of its codes is a scale's weight-embedded item key. */
export function isWeighed(product: LabelProduct): boolean {
  return product.barcodes.some((code) => {
    const n = normaliseCode(code);
    return n.kind === 'embedded' && DEFAULT_EMBEDDED_LAYOUT.prefixes[n.prefix] === 'weight';
  });
}

/** The price as the label prints it, and for weighed goods the unit price per 100 g. */
export function priceTexts(product: LabelProduct): { price: string; unitPrice: string | null } {
  if (!isWeighed(product)) return { price: formatHKD(product.priceCents, 'en-HK'), unitPrice: null };
  const per100g = Math.round(product.priceCents / 10);
  return { price: `${formatHKD(product.priceCents, 'en-HK')}/kg`, unitPrice: `每100克 ${formatHKD(per100g, 'en-HK')} /100g` };
}

export function layoutLabel(product: LabelProduct, options: LabelOptions): LabelDocument {
  const template = LABEL_TEMPLATES[options.template];
  const k = options.dotsPerMm / 8;
  const s = (n: number) => Math.round(n * k);
  const width = template.widthMm * 8;
  const elements: LabelElement[] = [];
  const barcode = chooseBarcode(product);
  const { price, unitPrice } = priceTexts(product);
  const text = (role: Parameters<typeof textAt>[0], value: string, x: number, y: number, h: number, maxWidth: number, bold = false) =>
    elements.push(textAt(role, value, s(x), s(y), s(h), s(maxWidth), bold));
  const modules = barcodeModules(barcode.symbology, barcode.data);
  const barcodeAt = (x: number, y: number, h: number, room: number): number => {
    // The widest whole module that fits the room (quiet zones are the layout's margins).
    const module = Math.max(1, Math.min(3, Math.floor(s(room) / modules)));
    elements.push({ kind: 'barcode', x: s(x), y: s(y), symbology: barcode.symbology, data: barcode.data, height: s(h), module });
    return module * modules;
  };
  const hri = (x: number, y: number, barsWidth: number) => {
    const h = 16;
    const w = displayWidth(barcode.data) * (s(h) / 2);
    elements.push(textAt('hri', barcode.data, s(x) + Math.max(0, Math.round((barsWidth - w) / 2)), s(y), s(h), barsWidth, false));
  };

  switch (options.template) {
    case 'product-40x30': {
      // 320 × 240 dots: names, price, barcode with its digits.
      const m = 12;
      text('name-zh', product.nameZh, m, 8, 32, width - 2 * m, true);
      text('name-en', product.nameEn, m, 42, 20, width - 2 * m);
      text('price', price, m, 64, unitPrice ? 36 : 44, width - 2 * m, true);
      if (unitPrice) text('unit-price', unitPrice, m, 102, 16, width - 2 * m);
      const top = unitPrice ? 122 : 114;
      const bars = barcodeAt(m + 12, top, 214 - top - 2, width - 2 * m - 24);
      hri(m + 12, 216, bars);
      break;
    }
    case 'product-50x25': {
      // 400 × 200 dots: names and price on the left, barcode across the bottom.
      const m = 12;
      text('name-zh', product.nameZh, m, 6, 32, width - 2 * m, true);
      text('name-en', product.nameEn, m, 40, 20, width - 2 * m);
      text('price', price, m, 62, 36, width - 2 * m, true);
      if (unitPrice) text('unit-price', unitPrice, m + 200, 70, 16, width - 2 * m - 200);
      const bars = barcodeAt(m + 40, 102, 72, width - 2 * m - 80);
      hri(m + 40, 178, bars);
      break;
    }
    case 'shelf-70x38': {
      // 560 × 304 dots, a shelf-edge strip: big names and price, barcode bottom left, QR right.
      const m = 14;
      const qrRoom = options.qr ? 120 : 0;
      text('name-zh', product.nameZh, m, 10, 48, width - 2 * m, true);
      text('name-en', product.nameEn, m, 62, 24, width - 2 * m);
      elements.push({ kind: 'box', x: s(m), y: s(92), width: s(width - 2 * m), height: Math.max(1, s(2)) });
      text('price', price, m, 102, 72, width - 2 * m, true);
      if (unitPrice) text('unit-price', unitPrice, m, 178, 20, width - 2 * m);
      const bars = barcodeAt(m, 204, 64, width - 2 * m - qrRoom - 200);
      hri(m, 272, bars);
      text('sku', product.sku, m + 300 < width - qrRoom ? width - qrRoom - m - 180 : m, 272, 20, 180);
      if (options.qr) {
        // As large as its 116-dot box allows (the symbol carries a 4-module quiet zone each side).
        const module = Math.max(1, Math.floor(s(116) / (qrModules(options.qr) + 8)));
        elements.push({ kind: 'qr', x: s(width - m - 116), y: s(184), data: options.qr, module });
      }
      break;
    }
  }
  return {
    widthMm: template.widthMm,
    heightMm: template.heightMm,
    dotsPerMm: options.dotsPerMm,
    widthDots: s(width),
    heightDots: s(template.heightMm * 8),
    elements,
  };
}

/** A text element cut to its room by display width (a name that is too long loses its end, never overflows). */
function textAt(
  role: 'name-zh' | 'name-en' | 'price' | 'unit-price' | 'hri' | 'sku',
  value: string,
  x: number,
  y: number,
  height: number,
  maxWidth: number,
  bold: boolean,
): LabelElement {
  const clean = sanitizeText(value).replace(/\n/g, ' ').trim();
  const columns = Math.max(1, Math.floor(maxWidth / (height / 2)));
  const fitted = displayWidth(clean) <= columns ? clean : fitWidth(clean, columns).trimEnd();
  return { kind: 'text', role, x, y, height, maxWidth, text: fitted, bold };
}
