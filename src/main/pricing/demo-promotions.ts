/** The demo shop's promotions (SKUs and categories from assets/demo/store.json), always valid. */
import type { Promotion } from './promotion-schema';

export const demoPromotions: readonly Promotion[] = [
  {
    id: 1,
    code: 'MILKTEA-2ND-HALF',
    nameZh: '港式奶茶 第二杯半價',
    nameEn: 'HK Milk Tea: 2nd at half price',
    kind: 'buy_x_get_y',
    params: { target: { skus: ['DRI-0001'] }, buyQuantity: 1, getQuantity: 1, rewardBasisPoints: 5000 },
    priority: 0,
    startsAt: null,
    endsAt: null,
    active: true,
  },
  {
    id: 2,
    code: 'EGG-TART-3-FOR-18',
    nameZh: '蛋撻 3 件 HK$18',
    nameEn: 'Egg tarts: 3 for HK$18',
    kind: 'bundle',
    params: { target: { skus: ['BAK-0013'] }, quantity: 3, price: 1800 },
    priority: 0,
    startsAt: null,
    endsAt: null,
    active: true,
  },
  {
    id: 3,
    code: 'BAKERY-10-OFF',
    nameZh: '麵包糕點 9 折',
    nameEn: 'Bakery 10% off',
    kind: 'percent',
    params: { target: { categoryCodes: ['BAKERY'] }, basisPoints: 1000 },
    priority: 0,
    startsAt: null,
    endsAt: null,
    active: true,
  },
];
