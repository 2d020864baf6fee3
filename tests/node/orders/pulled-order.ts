/** An online order as a pull brings it to the till (the shape of `Order`), for the order-repo tests. */
import type { Order, OrderLine } from '../../../src/shared/order-schemas';

/** 港式奶茶 ×2 at HK$18.00 as an order line, `collectedMilli` of it collected. */
export const milkTeaLine = (collectedMilli: number): OrderLine => ({
  line: 1,
  sku: 'DRI-0001',
  nameZh: '港式奶茶',
  nameEn: 'HK Milk Tea',
  quantityMilli: 2000,
  unitPrice: 1800,
  amount: 3600,
  collectedMilli,
  releasedMilli: 0,
});

/** 菠蘿包 ×1 at HK$10.00 as line 2, `releasedMilli` of it released by a pickup. */
export const bunLine = (releasedMilli: number): OrderLine => ({
  line: 2,
  sku: 'BAK-0001',
  nameZh: '菠蘿包',
  nameEn: 'Pineapple Bun',
  quantityMilli: 1000,
  unitPrice: 1000,
  amount: 1000,
  collectedMilli: 0,
  releasedMilli,
});

/** A new, prepaid online order of 陳大文 at MK01 with nothing final; `fields` say the rest. */
export const pulledOrder = (
  fields: Pick<Order, 'orderNo' | 'lines' | 'total' | 'version' | 'appliedPaid' | 'pickups'> & Partial<Order>,
): Order => ({
  storeCode: 'MK01',
  channel: 'online',
  customerName: '陳大文',
  customerPhone: '****4567',
  status: 'new',
  paid: fields.total,
  due: 0,
  pickupOn: null,
  note: '',
  finalBy: null,
  finalAt: null,
  receiptNo: null,
  cancelReason: null,
  createdAt: 1_000,
  updatedAt: 2_000,
  ...fields,
});
