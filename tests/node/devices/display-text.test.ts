import { describe, expect, it } from 'vitest';
import {
  poleLinesForCart,
  poleLinesForFps,
  poleLinesForIdle,
  poleLinesForReceipt,
  poleLinesForTotal,
  viewOfCart,
} from '../../../src/main/devices/customer-view';
import type { Cart, CartLine, Receipt } from '../../../src/shared/checkout-schemas';

function line(overrides: Partial<CartLine>): CartLine {
  return {
    id: 1,
    productId: 1,
    sku: 'DRI-0001',
    nameZh: '港式奶茶',
    nameEn: 'HK Milk Tea',
    quantity: 1,
    unitPrice: 1800,
    listPrice: 1800,
    priceOverridden: false,
    weighed: false,
    gross: 1800,
    promotions: [],
    discount: null,
    discountAmount: 0,
    net: 1800,
    returnOf: null,
    ...overrides,
  };
}

function cart(lines: CartLine[], lastLineId: number | null): Cart {
  const total = lines.reduce((sum, l) => sum + l.net, 0);
  return {
    id: 9,
    revision: 'test.1',
    status: 'open',
    label: null,
    lines,
    member: null,
    discount: null,
    subtotal: total,
    promotionTotal: 0,
    discountTotal: 0,
    taxTotal: 0,
    total,
    lastLineId,
  };
}

const base = { store: { nameZh: '算盤士多', nameEn: 'Suanpan' }, paymentQr: null };

describe('pole display wording (2×20, ASCII)', () => {
  it('the line just scanned: its English name cut to 20 columns, quantity and unit price flush right', () => {
    const long = line({ id: 2, nameEn: 'Pineapple Bun with Butter (Large)', quantity: 3, unitPrice: 850 });
    expect(poleLinesForCart(cart([line({}), long], 2))).toEqual(['Pineapple Bun with B', '3 x HK$8.50'.padStart(20)]);
    const weighed = line({ id: 3, nameEn: 'Char Siu', quantity: 0.255, unitPrice: 22800, weighed: true });
    expect(poleLinesForCart(cart([weighed], 3))).toEqual(['Char Siu'.padEnd(20), '0.255 x HK$228.00'.padStart(20)]);
  });

  it('a Chinese-only name shows nothing rather than garbage; no line just scanned shows the count and total', () => {
    expect(poleLinesForCart(cart([line({ nameEn: '叉燒' })], 1))[0]).toBe(' '.repeat(20));
    expect(poleLinesForCart(cart([line({}), line({ id: 2 })], null))).toEqual(['2 ITEMS'.padEnd(20), 'TOTAL       HK$36.00']);
  });

  it('total, change, thank-you and idle', () => {
    expect(poleLinesForTotal(5650)).toEqual(['TOTAL       HK$56.50', ' '.repeat(20)]);
    expect(poleLinesForTotal(1234550)).toEqual(['TOTAL   HK$12,345.50', ' '.repeat(20)]);
    const receipt = { total: 5650, change: 4350 } as Receipt;
    expect(poleLinesForReceipt(receipt)).toEqual(['TOTAL       HK$56.50', 'CHANGE      HK$43.50']);
    expect(poleLinesForReceipt({ ...receipt, change: 0 })).toEqual(['TOTAL       HK$56.50', 'THANK YOU'.padEnd(20)]);
    expect(poleLinesForReceipt({ ...receipt, total: -800, change: 0 })[0]).toBe('TOTAL       -HK$8.00');
    expect(poleLinesForIdle('WELCOME')).toEqual(['WELCOME'.padEnd(20), ' '.repeat(20)]);
    expect(poleLinesForFps(2650)).toEqual(['SCAN FPS QR'.padEnd(20), 'PAY         HK$26.50']);
  });

  it('the customer screen gets both names and each line’s amount after promotions, and nothing about staff or the cart id', () => {
    const view = viewOfCart(cart([line({ quantity: 2, gross: 3600, net: 2700 })], 1), base, true);
    expect(view).toEqual({
      phase: 'payment',
      ...base,
      lines: [{ id: 1, nameZh: '港式奶茶', nameEn: 'HK Milk Tea', quantity: 2, unitPrice: 1800, amount: 2700 }],
      total: 2700,
      change: 0,
      fpsQr: null,
    });
    expect(viewOfCart(cart([], null), base).phase).toBe('idle');
  });
});
