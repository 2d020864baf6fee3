#!/usr/bin/env node
/**
 * The demo catalogue: a Hong Kong convenience store / mini-supermarket of a few thousand items, and
 * the same generator at 200,000 items for the benchmarks. Deterministic: same (n, seed), same bytes.
 *
 *   node scripts/generate-catalogue.mjs            writes assets/demo/store.json (DEMO_SIZE items)
 *   node scripts/generate-catalogue.mjs --check    exits 1 if store.json is not what it would write
 *
 * The first 61 items are the original demo shop, unchanged (SKUs, barcodes, favourites). Brands are
 * made up. Barcodes are EAN-13 under GS1 Hong Kong's prefix 489 with valid check digits; a few
 * imported items carry UPC-A (stored as 13 digits, one of them UPC-E compressible) or EAN-8 (stored
 * zero-padded) codes; weighed and deli items carry the zero-value variable-measure barcode of their
 * PLU (prefix 25 weight, 20 price; see src/shared/barcode.ts) and are priced per kg.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DEMO_SIZE = 3000;
export const DEMO_SEED = 489;

// ---------------------------------------------------------------------------------------------
// Helpers

/** mulberry32: small, fast, good enough for test data, and the same on every platform. */
export function createRandom(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (list) => list[Math.floor(next() * list.length)],
    chance: (p) => next() < p,
  };
}

/** GS1 check digit (mirrors gtinCheckDigit in src/shared/barcode.ts; tests compare the two). */
export function checkDigit(body) {
  let sum = 0;
  for (let i = body.length - 1, weight = 3; i >= 0; i--, weight = 4 - weight) sum += (body.charCodeAt(i) - 48) * weight;
  return String((10 - (sum % 10)) % 10);
}
const withCheck = (body) => body + checkDigit(body);

/** Shelf prices: mostly $x.x0, often $x.90, whole dollars for dearer things. */
function shelfPrice(random, cents) {
  const c = Math.max(100, Math.round(cents));
  if (c >= 10_000) return Math.round(c / 100) * 100 - (random.chance(0.5) ? 100 : 0) || 100;
  if (random.chance(0.55)) return Math.floor(c / 100) * 100 + 90;
  if (random.chance(0.1)) return Math.round(c / 10) * 10 + 5; // the odd $x.x5
  return Math.round(c / 10) * 10;
}

// ---------------------------------------------------------------------------------------------
// The original 61 items: [sku, category, zh, en, price, barcode, favourite]

const ORIGINAL = [
  ['DRI-0001', 'DRINK', '港式奶茶', 'HK Milk Tea', 1800, '4891234000012', 1],
  ['DRI-0002', 'DRINK', '凍檸茶', 'Iced Lemon Tea', 1600, '4891234000029', 2],
  ['DRI-0003', 'DRINK', '鴛鴦', 'Yuenyeung Coffee Tea', 1800, '4891234000036', 3],
  ['DRI-0004', 'DRINK', '檸檬茶 紙包 250毫升', 'Lemon Tea Carton 250ml', 650, '4891234000043'],
  ['DRI-0005', 'DRINK', '蒸餾水 500毫升', 'Distilled Water 500ml', 800, '4891234000050', 4],
  ['DRI-0006', 'DRINK', '豆漿 紙包 250毫升', 'Soy Milk Carton 250ml', 600, '4891234000067'],
  ['DRI-0007', 'DRINK', '菊花茶 紙包 250毫升', 'Chrysanthemum Tea Carton 250ml', 600, '4891234000074'],
  ['DRI-0008', 'DRINK', '罐裝可樂 330毫升', 'Cola Can 330ml', 850, '4891234000081'],
  ['DRI-0009', 'DRINK', '烏龍茶 500毫升', 'Oolong Tea 500ml', 1100, '4891234000098'],
  ['DRI-0010', 'DRINK', '運動飲品 500毫升', 'Sports Drink 500ml', 1200, '4891234000104'],
  ['DRI-0011', 'DRINK', '朱古力奶 236毫升', 'Chocolate Milk 236ml', 990, '4891234000111'],
  ['BAK-0012', 'BAKERY', '菠蘿包', 'Pineapple Bun', 850, '4891234000128', 5],
  ['BAK-0013', 'BAKERY', '蛋撻', 'Egg Tart', 700, '4891234000135', 6],
  ['BAK-0014', 'BAKERY', '雞尾包', 'Cocktail Bun', 800, '4891234000142', 7],
  ['BAK-0015', 'BAKERY', '腸仔包', 'Sausage Bun', 1000, '4891234000159', 8],
  ['BAK-0016', 'BAKERY', '叉燒餐包', 'BBQ Pork Bun', 1200, '4891234000166', 9],
  ['BAK-0017', 'BAKERY', '椰撻', 'Coconut Tart', 750, '4891234000173'],
  ['BAK-0018', 'BAKERY', '牛角包', 'Croissant', 1200, '4891234000180'],
  ['BAK-0019', 'BAKERY', '方包 (半磅)', 'White Loaf (half pound)', 1450, '4891234000197'],
  ['BAK-0020', 'BAKERY', '老婆餅', 'Wife Cake', 900, '4891234000203'],
  ['BAK-0021', 'BAKERY', '雞蛋仔', 'Egg Waffle', 2200, '4891234000210'],
  ['SNA-0022', 'SNACK', '薯片 原味 70克', 'Potato Chips Original 70g', 1290, '4891234000227'],
  ['SNA-0023', 'SNACK', '蝦條 50克', 'Prawn Crackers 50g', 890, '4891234000234'],
  ['SNA-0024', 'SNACK', '朱古力威化', 'Chocolate Wafer', 650, '4891234000241'],
  ['SNA-0025', 'SNACK', '話梅', 'Preserved Plum', 1500, '4891234000258'],
  ['SNA-0026', 'SNACK', '魷魚絲', 'Shredded Squid', 2800, '4891234000265'],
  ['SNA-0027', 'SNACK', '香脆紫菜', 'Crispy Seaweed', 1090, '4891234000272'],
  ['SNA-0028', 'SNACK', '杏仁餅', 'Almond Cookies', 3800, '4891234000289'],
  ['SNA-0029', 'SNACK', '鳳梨酥 (6件)', 'Pineapple Cakes (6 pcs)', 5800, '4891234000296'],
  ['SNA-0030', 'SNACK', '雞蛋卷', 'Egg Rolls', 4200, '4891234000302'],
  ['NOO-0031', 'NOODLE', '即食麵 麻油味', 'Instant Noodles Sesame Oil', 650, '4891234000319'],
  ['NOO-0032', 'NOODLE', '即食麵 五包裝', 'Instant Noodles 5-pack', 2990, '4891234000326'],
  ['NOO-0033', 'NOODLE', '杯麵 海鮮味', 'Cup Noodles Seafood', 990, '4891234000333'],
  ['NOO-0034', 'NOODLE', '午餐肉 340克', 'Luncheon Meat 340g', 2590, '4891234000340'],
  ['NOO-0035', 'NOODLE', '豆豉鯪魚罐頭', 'Fried Dace with Black Beans (tin)', 1890, '4891234000357'],
  ['NOO-0036', 'NOODLE', '粟米湯罐頭', 'Cream Corn Soup (tin)', 1350, '4891234000364'],
  ['NOO-0037', 'NOODLE', '通心粉 500克', 'Macaroni 500g', 1190, '4891234000371'],
  ['DAI-0038', 'DAIRY', '鮮奶 946毫升', 'Fresh Milk 946ml', 2590, '4891234000388'],
  ['DAI-0039', 'DAIRY', '低脂奶 946毫升', 'Low-fat Milk 946ml', 2590, '4891234000395'],
  ['DAI-0040', 'DAIRY', '原味乳酪 150克', 'Plain Yogurt 150g', 1090, '4891234000401'],
  ['DAI-0041', 'DAIRY', '雪糕杯 雲呢拿', 'Ice Cream Cup Vanilla', 1500, '4891234000418'],
  ['DAI-0042', 'DAIRY', '紅豆冰條', 'Red Bean Ice Bar', 800, '4891234000425'],
  ['DAI-0043', 'DAIRY', '芝士片 (12片)', 'Cheese Slices (12)', 3290, '4891234000432'],
  ['HOU-0044', 'HOUSE', '紙巾 (10包)', 'Pocket Tissues (10 packs)', 1390, '4891234000449'],
  ['HOU-0045', 'HOUSE', '廚房紙 (2卷)', 'Kitchen Towel (2 rolls)', 1890, '4891234000456'],
  ['HOU-0046', 'HOUSE', '洗潔精 500毫升', 'Dishwashing Liquid 500ml', 1690, '4891234000463'],
  ['HOU-0047', 'HOUSE', '垃圾袋 (中)', 'Garbage Bags (M)', 1290, '4891234000470'],
  ['HOU-0048', 'HOUSE', 'AA 電池 (4粒)', 'AA Batteries (4)', 3490, '4891234000487'],
  ['HOU-0049', 'HOUSE', '雨傘 (摺疊)', 'Folding Umbrella', 8900, '4891234000494'],
  ['HOU-0050', 'HOUSE', '口罩 (30個)', 'Face Masks (30)', 2990, '4891234000500'],
  ['CAR-0051', 'CARE', '牙膏 120克', 'Toothpaste 120g', 2290, '4891234000517'],
  ['CAR-0052', 'CARE', '牙刷 (軟毛)', 'Toothbrush (soft)', 1590, '4891234000524'],
  ['CAR-0053', 'CARE', '洗手液 250毫升', 'Hand Soap 250ml', 2490, '4891234000531'],
  ['CAR-0054', 'CARE', '潤唇膏', 'Lip Balm', 2990, '4891234000548'],
  ['CAR-0055', 'CARE', '濕紙巾 (80片)', 'Wet Wipes (80)', 1990, '4891234000555'],
  ['CAR-0056', 'CARE', '驅蚊貼', 'Mosquito Repellent Patches', 3990, '4891234000562'],
  ['CAR-0057', 'CARE', '藥油 (小)', 'Medicated Oil (small)', 3200, '4891234000579'],
  ['STA-0058', 'STATION', '原子筆 (藍)', 'Ballpoint Pen (blue)', 500, '4891234000586'],
  ['STA-0059', 'STATION', '利是封 (20個)', 'Red Packets (20)', 1800, '4891234000593'],
  ['STA-0060', 'STATION', '膠紙', 'Sticky Tape', 900, '4891234000609'],
  ['STA-0061', 'STATION', '筆記簿 A5', 'Notebook A5', 1500, '4891234000616'],
];

export const CATEGORIES = [
  ['DRINK', '飲品', 'Drinks'],
  ['BAKERY', '麵包糕點', 'Bakery'],
  ['SNACK', '零食', 'Snacks'],
  ['NOODLE', '即食麵及罐頭', 'Noodles & Tins'],
  ['DAIRY', '奶類及凍品', 'Dairy & Chilled'],
  ['HOUSE', '家居用品', 'Household'],
  ['CARE', '個人護理', 'Personal Care'],
  ['STATION', '文具', 'Stationery'],
  ['FROZEN', '急凍食品', 'Frozen'],
  ['PANTRY', '米糧油鹽', 'Rice, Oil & Sauces'],
  ['FRUIT', '新鮮水果', 'Fresh Fruit'],
  ['DELI', '燒味熟食', 'Roast Meat & Deli'],
  ['APPAREL', '服飾', 'Apparel'],
  ['MOBILE', '手機配件', 'Phone Accessories'],
].map(([code, nameZh, nameEn], sort) => ({ code, nameZh, nameEn, sort }));

const SKU_PREFIX = {
  DRINK: 'DRI',
  BAKERY: 'BAK',
  SNACK: 'SNA',
  NOODLE: 'NOO',
  DAIRY: 'DAI',
  HOUSE: 'HOU',
  CARE: 'CAR',
  STATION: 'STA',
  FROZEN: 'FRO',
  PANTRY: 'PAN',
  FRUIT: 'FRU',
  DELI: 'DEL',
  APPAREL: 'APP',
  MOBILE: 'MOB',
};

// ---------------------------------------------------------------------------------------------
// Product lines: brands × flavours × sizes. Brands are fictional; each has its own GS1 company
// number under 489 (4 digits, never 1234, which the original items use).

const b = (zh, en, company) => ({ zh, en, company });
const BRANDS = {
  DRINK: [
    b('港島', 'Island', '2001'),
    b('獅子山', 'Lion Rock', '2002'),
    b('金鐘', 'Golden Bell', '2003'),
    b('清泉', 'Clear Spring', '2004'),
    b('維港', 'Harbour', '2005'),
    b('太平山', 'Peak', '2006'),
  ],
  BAKERY: [b('旺角餅家', 'Mong Kok Bakery', '2101'), b('金冠', 'Gold Crown', '2102'), b('好時光', 'Good Times', '2103')],
  SNACK: [
    b('脆脆', 'Crunchy', '2201'),
    b('大嶼', 'Lantau', '2202'),
    b('開心', 'Happy', '2203'),
    b('老街', 'Old Street', '2204'),
    b('嘉利', 'Carrie', '2205'),
  ],
  NOODLE: [b('福滿', 'Fook Moon', '2301'), b('出前', 'Demae', '2302'), b('龍記', 'Lung Kee', '2303'), b('海港', 'Seaport', '2304')],
  DAIRY: [b('牧場', 'Pasture', '2401'), b('雪山', 'Snow Hill', '2402'), b('綠野', 'Green Field', '2403')],
  HOUSE: [b('潔寶', 'Cleanpro', '2501'), b('家樂', 'Homejoy', '2502'), b('安心', 'Assured', '2503')],
  CARE: [b('清新', 'Fresh', '2601'), b('柔滑', 'Silky', '2602'), b('白雪', 'Snow White', '2603'), b('本草', 'Herbal', '2604')],
  STATION: [b('文豪', 'Scholar', '2701'), b('天星', 'Star', '2702')],
  FROZEN: [b('灣仔碼頭', 'Wanchai Pier', '2801'), b('北極', 'Arctic', '2802'), b('點心皇', 'Dim Sum King', '2803')],
  PANTRY: [
    b('金象', 'Golden Elephant', '2901'),
    b('李錦', 'Lee Kam', '2902'),
    b('獅球', 'Lion Ball', '2903'),
    b('珠江', 'Pearl River', '2904'),
  ],
  APPAREL: [b('街坊', 'Neighbour', '3001')],
  MOBILE: [b('快充', 'FastCharge', '3101')],
};

const f = (zh, en) => ({ zh, en });
const s = (zh, en, factor) => ({ zh, en, factor });
const NONE = f('', '');
const line = (category, zh, en, cents, flavours, sizes, flavourFirst = false) => ({
  category,
  zh,
  en,
  cents,
  flavours,
  sizes,
  flavourFirst,
});

const LINES = [
  line(
    'DRINK',
    '檸檬茶',
    'Lemon Tea',
    650,
    [NONE, f('少甜', 'Less Sugar'), f('無糖', 'No Sugar'), f('蜜糖', 'Honey')],
    [s('250毫升 紙包', '250ml Carton', 1), s('500毫升', '500ml', 1.5), s('6包裝', '6-pack', 5)],
  ),
  line(
    'DRINK',
    '奶茶',
    'Milk Tea',
    800,
    [f('港式', 'HK Style'), f('絲襪', 'Silk Stocking'), f('少甜', 'Less Sugar'), f('鴛鴦', 'Yuenyeung')],
    [s('250毫升 紙包', '250ml Carton', 1), s('500毫升', '500ml', 1.6), s('罐裝 310毫升', 'Can 310ml', 1.2)],
    true,
  ),
  line(
    'DRINK',
    '綠茶',
    'Green Tea',
    700,
    [NONE, f('茉莉', 'Jasmine'), f('蜂蜜', 'Honey'), f('玄米', 'Genmai')],
    [s('500毫升', '500ml', 1), s('1.5公升', '1.5L', 2)],
    true,
  ),
  line(
    'DRINK',
    '烏龍茶',
    'Oolong Tea',
    800,
    [NONE, f('無糖', 'Unsweetened'), f('凍頂', 'Dong Ding')],
    [s('500毫升', '500ml', 1), s('1.5公升', '1.5L', 2)],
  ),
  line(
    'DRINK',
    '豆漿',
    'Soy Milk',
    600,
    [NONE, f('低糖', 'Low Sugar'), f('黑豆', 'Black Bean'), f('高鈣', 'High Calcium')],
    [s('250毫升 紙包', '250ml Carton', 1), s('1公升', '1L', 3)],
    true,
  ),
  line(
    'DRINK',
    '汽水',
    'Soda',
    700,
    [f('橙味', 'Orange'), f('忌廉', 'Cream Soda'), f('檸檬味', 'Lemon'), f('提子味', 'Grape'), f('沙示', 'Sarsi')],
    [s('罐裝 330毫升', 'Can 330ml', 1), s('1.25公升', '1.25L', 2.2), s('8罐裝', '8-can Pack', 6.5)],
    true,
  ),
  line(
    'DRINK',
    '果汁',
    'Juice',
    900,
    [f('橙汁', 'Orange'), f('蘋果汁', 'Apple'), f('菠蘿汁', 'Pineapple'), f('芒果汁', 'Mango'), f('番石榴汁', 'Guava')],
    [s('250毫升', '250ml', 1), s('1公升', '1L', 2.8)],
    true,
  ),
  line(
    'DRINK',
    '咖啡',
    'Coffee',
    1000,
    [f('香滑', 'Smooth'), f('黑咖啡', 'Black'), f('拿鐵', 'Latte'), f('即溶 三合一', 'Instant 3-in-1')],
    [s('罐裝 240毫升', 'Can 240ml', 1), s('20包裝', '20 sachets', 3.5)],
  ),
  line('DRINK', '蒸餾水', 'Distilled Water', 600, [NONE], [s('500毫升', '500ml', 1), s('1.5公升', '1.5L', 1.6), s('12支裝', '12-pack', 8)]),
  line(
    'DRINK',
    '啤酒',
    'Beer',
    1200,
    [f('拉格', 'Lager'), f('黑啤', 'Stout'), f('小麥', 'Wheat')],
    [s('罐裝 330毫升', 'Can 330ml', 1), s('6罐裝', '6-can Pack', 5)],
    true,
  ),
  line(
    'BAKERY',
    '方包',
    'Sandwich Loaf',
    1500,
    [f('白', 'White'), f('全麥', 'Wholemeal'), f('提子', 'Raisin'), f('牛油', 'Butter')],
    [s('半磅', 'Half Pound', 1), s('一磅', 'One Pound', 1.7)],
    true,
  ),
  line(
    'BAKERY',
    '蛋糕',
    'Cake',
    1800,
    [f('海綿', 'Sponge'), f('朱古力', 'Chocolate'), f('芝士', 'Cheese'), f('班蘭', 'Pandan')],
    [s('件裝', 'Slice', 1), s('6件裝', '6 pcs', 4.8)],
    true,
  ),
  line(
    'BAKERY',
    '曲奇',
    'Cookies',
    2500,
    [f('牛油', 'Butter'), f('朱古力粒', 'Choc Chip'), f('杏仁', 'Almond')],
    [s('150克', '150g', 1), s('禮盒 400克', 'Gift Tin 400g', 2.6)],
    true,
  ),
  line(
    'BAKERY',
    '蛋卷',
    'Egg Rolls',
    3500,
    [f('原味', 'Original'), f('椰汁', 'Coconut'), f('芝麻', 'Sesame')],
    [s('罐裝', 'Tin', 1)],
    true,
  ),
  line(
    'SNACK',
    '薯片',
    'Potato Chips',
    1000,
    [
      f('原味', 'Original'),
      f('燒烤味', 'BBQ'),
      f('紫菜味', 'Seaweed'),
      f('酸忌廉洋蔥味', 'Sour Cream & Onion'),
      f('黑松露味', 'Black Truffle'),
      f('麻辣味', 'Mala'),
    ],
    [s('45克', '45g', 0.8), s('70克', '70g', 1.2), s('150克', '150g', 2.2)],
    true,
  ),
  line(
    'SNACK',
    '朱古力',
    'Chocolate',
    1200,
    [f('牛奶', 'Milk'), f('黑', 'Dark'), f('果仁', 'Nut'), f('白', 'White')],
    [s('40克', '40g', 1), s('100克', '100g', 2), s('家庭裝', 'Family Pack', 4)],
    true,
  ),
  line(
    'SNACK',
    '餅乾',
    'Biscuits',
    900,
    [f('梳打', 'Soda'), f('消化', 'Digestive'), f('夾心', 'Sandwich'), f('威化', 'Wafer')],
    [s('100克', '100g', 1), s('300克', '300g', 2.4)],
    true,
  ),
  line(
    'SNACK',
    '糖果',
    'Candy',
    800,
    [f('水果味', 'Fruit'), f('薄荷', 'Mint'), f('咖啡', 'Coffee'), f('軟糖', 'Gummy')],
    [s('50克', '50g', 1), s('150克', '150g', 2.5)],
    true,
  ),
  line(
    'SNACK',
    '果仁',
    'Nuts',
    1800,
    [f('開心果', 'Pistachio'), f('杏仁', 'Almonds'), f('腰果', 'Cashews'), f('花生', 'Peanuts')],
    [s('80克', '80g', 1), s('200克', '200g', 2.2)],
    true,
  ),
  line(
    'SNACK',
    '紫菜',
    'Seaweed Snack',
    900,
    [f('原味', 'Original'), f('辣味', 'Spicy'), f('芥末', 'Wasabi')],
    [s('5克 x 3', '5g x 3', 1), s('大包裝', 'Big Pack', 2.5)],
    true,
  ),
  line(
    'NOODLE',
    '即食麵',
    'Instant Noodles',
    500,
    [
      f('麻油味', 'Sesame Oil'),
      f('雞湯味', 'Chicken'),
      f('牛肉味', 'Beef'),
      f('海鮮味', 'Seafood'),
      f('沙嗲味', 'Satay'),
      f('豬骨湯味', 'Tonkotsu'),
      f('香辣味', 'Hot & Spicy'),
    ],
    [s('單包', 'Single', 1), s('五包裝', '5-pack', 4.5)],
    true,
  ),
  line(
    'NOODLE',
    '杯麵',
    'Cup Noodles',
    900,
    [f('原味', 'Original'), f('海鮮味', 'Seafood'), f('咖喱味', 'Curry'), f('辣牛肉味', 'Spicy Beef')],
    [s('', '', 1), s('大杯', 'Big Cup', 1.4)],
    true,
  ),
  line(
    'NOODLE',
    '碗麵',
    'Bowl Noodles',
    1100,
    [f('豚骨', 'Tonkotsu'), f('冬蔭功', 'Tom Yum'), f('韓式辣', 'Korean Spicy')],
    [s('', '', 1)],
    true,
  ),
  line(
    'NOODLE',
    '罐頭',
    'Tinned',
    1500,
    [
      f('午餐肉', 'Luncheon Meat'),
      f('豆豉鯪魚', 'Fried Dace'),
      f('吞拿魚', 'Tuna'),
      f('茄汁豆', 'Baked Beans'),
      f('粟米湯', 'Corn Soup'),
      f('五香肉丁', 'Spiced Pork'),
    ],
    [s('', '', 1), s('3罐裝', '3-pack', 2.7)],
    true,
  ),
  line(
    'DAIRY',
    '鮮奶',
    'Fresh Milk',
    1400,
    [NONE, f('低脂', 'Low-fat'), f('脫脂', 'Skimmed'), f('高鈣', 'High Calcium')],
    [s('236毫升', '236ml', 0.6), s('946毫升', '946ml', 1.8), s('2公升', '2L', 3.2)],
    true,
  ),
  line(
    'DAIRY',
    '乳酪',
    'Yogurt',
    1000,
    [f('原味', 'Plain'), f('士多啤梨', 'Strawberry'), f('藍莓', 'Blueberry'), f('芒果', 'Mango')],
    [s('150克', '150g', 1), s('4杯裝', '4-cup Pack', 3.4)],
    true,
  ),
  line(
    'DAIRY',
    '雪糕',
    'Ice Cream',
    1500,
    [f('雲呢拿', 'Vanilla'), f('朱古力', 'Chocolate'), f('綠茶', 'Matcha'), f('芒果', 'Mango'), f('紅豆', 'Red Bean')],
    [s('杯', 'Cup', 1), s('批', 'Bar', 0.8), s('桶裝 1公升', 'Tub 1L', 4)],
    true,
  ),
  line(
    'DAIRY',
    '芝士',
    'Cheese',
    2500,
    [f('車打', 'Cheddar'), f('莫薩里拉', 'Mozzarella'), f('忌廉', 'Cream')],
    [s('200克', '200g', 1)],
    true,
  ),
  line(
    'HOUSE',
    '紙巾',
    'Tissues',
    1200,
    [NONE, f('無香', 'Unscented'), f('茶樹', 'Tea Tree')],
    [s('10包', '10 packs', 1), s('盒裝', 'Box', 1.3), s('30包', '30 packs', 2.6)],
  ),
  line(
    'HOUSE',
    '廁紙',
    'Toilet Rolls',
    2500,
    [f('三層', '3-ply'), f('四層', '4-ply')],
    [s('10卷', '10 rolls', 1), s('24卷', '24 rolls', 2.2)],
    true,
  ),
  line(
    'HOUSE',
    '洗潔精',
    'Dishwashing Liquid',
    1500,
    [f('檸檬', 'Lemon'), f('青蘋果', 'Green Apple'), f('柚子', 'Yuzu')],
    [s('500毫升', '500ml', 1), s('1公升補充裝', '1L Refill', 1.6)],
  ),
  line(
    'HOUSE',
    '洗衣液',
    'Laundry Liquid',
    4500,
    [f('薰衣草', 'Lavender'), f('陽光', 'Sunshine'), f('嬰兒', 'Baby')],
    [s('2公升', '2L', 1), s('補充裝 1.6公升', 'Refill 1.6L', 0.8)],
  ),
  line(
    'HOUSE',
    '垃圾袋',
    'Garbage Bags',
    1000,
    [NONE, f('加厚', 'Heavy-duty')],
    [s('(細)', '(S)', 1), s('(中)', '(M)', 1.3), s('(大)', '(L)', 1.6)],
  ),
  line(
    'HOUSE',
    '電池',
    'Batteries',
    2500,
    [f('AA', 'AA'), f('AAA', 'AAA'), f('9V', '9V')],
    [s('(4粒)', '(4)', 1), s('(8粒)', '(8)', 1.8)],
    true,
  ),
  line(
    'CARE',
    '洗髮露',
    'Shampoo',
    3500,
    [f('去屑', 'Anti-dandruff'), f('柔順', 'Smooth'), f('防脫', 'Anti-hairfall'), f('薄荷', 'Mint')],
    [s('400毫升', '400ml', 1), s('750毫升', '750ml', 1.6)],
    true,
  ),
  line(
    'CARE',
    '沐浴露',
    'Body Wash',
    3200,
    [f('牛奶', 'Milk'), f('玫瑰', 'Rose'), f('檸檬', 'Lemon'), f('綠茶', 'Green Tea')],
    [s('500毫升', '500ml', 1), s('1公升', '1L', 1.7)],
    true,
  ),
  line(
    'CARE',
    '牙膏',
    'Toothpaste',
    2000,
    [f('美白', 'Whitening'), f('防蛀', 'Cavity'), f('抗敏', 'Sensitive'), f('草本', 'Herbal')],
    [s('120克', '120g', 1), s('孖裝', 'Twin Pack', 1.8)],
    true,
  ),
  line(
    'CARE',
    '牙刷',
    'Toothbrush',
    1500,
    [f('軟毛', 'Soft'), f('中毛', 'Medium'), f('兒童', 'Kids')],
    [s('', '', 1), s('3支裝', '3-pack', 2.5)],
    true,
  ),
  line('CARE', '面膜', 'Face Mask Sheets', 5000, [f('保濕', 'Hydrating'), f('美白', 'Brightening')], [s('5片', '5 sheets', 1)], true),
  line(
    'STATION',
    '原子筆',
    'Ballpoint Pen',
    500,
    [f('藍', 'Blue'), f('黑', 'Black'), f('紅', 'Red')],
    [s('', '', 1), s('10支裝', '10-pack', 7)],
  ),
  line(
    'STATION',
    '筆記簿',
    'Notebook',
    1200,
    [f('橫間', 'Ruled'), f('方格', 'Grid'), f('空白', 'Plain')],
    [s('A5', 'A5', 1), s('A4', 'A4', 1.5)],
  ),
  line(
    'STATION',
    '利是封',
    'Red Packets',
    1500,
    [f('金龍', 'Golden Dragon'), f('福字', 'Fortune'), f('卡通', 'Cartoon')],
    [s('(20個)', '(20)', 1), s('(50個)', '(50)', 2)],
  ),
  line(
    'FROZEN',
    '餃子',
    'Dumplings',
    3000,
    [f('韭菜豬肉', 'Pork & Chive'), f('白菜豬肉', 'Pork & Cabbage'), f('蝦仁', 'Shrimp'), f('粟米', 'Corn')],
    [s('20隻', '20 pcs', 1), s('40隻', '40 pcs', 1.8)],
    true,
  ),
  line(
    'FROZEN',
    '點心',
    'Dim Sum',
    2800,
    [f('燒賣', 'Siu Mai'), f('蝦餃', 'Har Gow'), f('叉燒包', 'Char Siu Bao'), f('流沙包', 'Custard Bun')],
    [s('6件', '6 pcs', 1), s('12件', '12 pcs', 1.8)],
    true,
  ),
  line(
    'FROZEN',
    '魚蛋',
    'Fish Balls',
    2200,
    [f('咖喱', 'Curry'), f('潮州', 'Chiu Chow'), f('墨魚', 'Cuttlefish')],
    [s('250克', '250g', 1), s('500克', '500g', 1.8)],
    true,
  ),
  line('FROZEN', '雞翼', 'Chicken Wings', 3800, [f('中', 'Mid-joint'), f('全', 'Whole')], [s('1公斤', '1kg', 1)], true),
  line(
    'PANTRY',
    '米',
    'Rice',
    6000,
    [f('絲苗', 'Jasmine'), f('泰國香', 'Thai Fragrant'), f('糙', 'Brown'), f('壽司', 'Sushi')],
    [s('1公斤', '1kg', 0.3), s('5公斤', '5kg', 1), s('8公斤', '8kg', 1.5)],
    true,
  ),
  line(
    'PANTRY',
    '豉油',
    'Soy Sauce',
    1600,
    [f('生抽', 'Light'), f('老抽', 'Dark'), f('頭抽', 'Premium'), f('減鹽', 'Less Salt')],
    [s('500毫升', '500ml', 1), s('1.8公升', '1.8L', 2.5)],
  ),
  line('PANTRY', '蠔油', 'Oyster Sauce', 1800, [NONE, f('素', 'Vegetarian')], [s('255克', '255g', 1), s('770克', '770g', 2.2)]),
  line(
    'PANTRY',
    '食油',
    'Cooking Oil',
    4000,
    [f('粟米', 'Corn'), f('花生', 'Peanut'), f('芥花籽', 'Canola'), f('橄欖', 'Olive')],
    [s('900毫升', '900ml', 1), s('2公升', '2L', 1.9)],
    true,
  ),
  line(
    'PANTRY',
    '麵',
    'Noodles',
    1500,
    [f('全蛋', 'Egg'), f('上海', 'Shanghai'), f('米', 'Rice'), f('蕎麥', 'Soba')],
    [s('400克', '400g', 1)],
    true,
  ),
];

/** Sold by weight, price per kg; the label is weight-embedded (prefix 25). PLU = 5-digit item code. */
const WEIGHED = [
  ['FRUIT', '富士蘋果', 'Fuji Apples', 3800],
  ['FRUIT', '新奇士橙', 'Sunkist Oranges', 3200],
  ['FRUIT', '香蕉', 'Bananas', 2600],
  ['FRUIT', '無核提子', 'Seedless Grapes', 7800],
  ['FRUIT', '奇異果', 'Kiwi Fruit', 5200],
  ['FRUIT', '芒果', 'Mangoes', 6800],
  ['FRUIT', '西瓜', 'Watermelon', 1800],
  ['FRUIT', '士多啤梨', 'Strawberries', 12800],
  ['FRUIT', '沙田柚', 'Pomelo', 2800],
  ['FRUIT', '火龍果', 'Dragon Fruit', 4800],
  ['FRUIT', '車厘子', 'Cherries', 18800],
  ['FRUIT', '雪梨', 'Snow Pears', 3600],
  ['SNACK', '散裝什錦糖果', 'Pick & Mix Candy', 8800],
  ['SNACK', '散裝朱古力', 'Loose Chocolates', 16800],
  ['SNACK', '散裝話梅', 'Loose Preserved Plums', 9800],
  ['SNACK', '散裝果仁', 'Loose Mixed Nuts', 12800],
];
/** Deli counter: the scale prints the price (prefix 20); the product price is per kg. */
const DELI = [
  ['DELI', '叉燒', 'Char Siu', 22000],
  ['DELI', '燒肉', 'Roast Pork', 24000],
  ['DELI', '白切雞', 'Poached Chicken', 16000],
  ['DELI', '燒鵝', 'Roast Goose', 36000],
  ['DELI', '豉油雞', 'Soy Sauce Chicken', 17000],
  ['DELI', '滷水鴨', 'Braised Duck', 20000],
];

/** Variants: a parent product with its sizes/colours as their own SKUs. */
const VARIANT_FAMILIES = [
  {
    category: 'HOUSE',
    zh: '長柄雨傘',
    en: 'Long Umbrella',
    cents: 12800,
    options: [[f('黑色', 'Black'), f('深藍', 'Navy'), f('透明', 'Clear'), f('格仔', 'Check')]],
  },
  {
    category: 'HOUSE',
    zh: '摺疊雨傘 (自動)',
    en: 'Auto Folding Umbrella',
    cents: 15800,
    options: [[f('黑色', 'Black'), f('紅色', 'Red'), f('粉紅', 'Pink')]],
  },
  {
    category: 'APPAREL',
    zh: '純棉T恤',
    en: 'Cotton T-shirt',
    cents: 9900,
    options: [
      [f('白色', 'White'), f('黑色', 'Black'), f('灰色', 'Grey')],
      [f('S', 'S'), f('M', 'M'), f('L', 'L'), f('XL', 'XL')],
    ],
  },
  {
    category: 'APPAREL',
    zh: '襪 (三對裝)',
    en: 'Socks (3 pairs)',
    cents: 4900,
    options: [
      [f('白色', 'White'), f('黑色', 'Black')],
      [f('細碼', 'Small'), f('大碼', 'Large')],
    ],
  },
  {
    category: 'MOBILE',
    zh: '手機殼',
    en: 'Phone Case',
    cents: 8800,
    options: [
      [f('iPhone 15', 'iPhone 15'), f('iPhone 16', 'iPhone 16'), f('Galaxy S24', 'Galaxy S24')],
      [f('透明', 'Clear'), f('黑色', 'Black'), f('藍色', 'Blue')],
    ],
  },
  {
    category: 'MOBILE',
    zh: '充電線',
    en: 'Charging Cable',
    cents: 6800,
    options: [
      [f('USB-C', 'USB-C'), f('Lightning', 'Lightning')],
      [f('1米', '1m'), f('2米', '2m')],
    ],
  },
];

/** Imported goods with non-489 codes: UPC-A (one UPC-E compressible) and an EAN-8. Stored in 13-digit form. */
const IMPORTED = [
  ['SNACK', '美國花生醬餅乾', 'Peanut Butter Crackers (US)', 2290, `0${withCheck('04400012345')}`],
  ['DRINK', '美國能量飲品 473毫升', 'Energy Drink 473ml (US)', 1890, `0${withCheck('07084700114')}`],
  ['SNACK', '美國牛肉乾', 'Beef Jerky (US)', 4590, `0${withCheck('01234500006')}`], // UPC-E 01234565
  ['CARE', '日本潤唇膏', 'Lip Cream (JP)', 3290, `00000${withCheck('4901234')}`], // EAN-8 49012347
];

// ---------------------------------------------------------------------------------------------

function product(sku, category, nameZh, nameEn, price, barcodes, extra = {}) {
  return { sku, category, nameZh, nameEn, price, barcodes, ...extra };
}

const join2 = (...parts) => parts.filter(Boolean).join(' ');

/**
 * `n` products (n ≥ 61): the original 61, the special families (weighed, deli, variants, imports),
 * then brand × line × flavour × size combinations in a seeded order, with series and pack names
 * added as the catalogue grows, so 200,000 stay distinct.
 */
export function generateCatalogue(n = DEMO_SIZE, seed = DEMO_SEED) {
  const random = createRandom(seed);
  const products = ORIGINAL.map(([sku, category, zh, en, price, barcode, favouriteRank]) =>
    product(sku, category, zh, en, price, [barcode], favouriteRank ? { favouriteRank } : {}),
  );
  let counter = 100;
  const nextSku = (category) => `${SKU_PREFIX[category]}-${String(counter++).padStart(6, '0')}`;
  const itemRef = new Map();
  const nextBarcode = (company) => {
    const ref = (itemRef.get(company) ?? 0) + 1;
    itemRef.set(company, ref);
    if (ref > 99_999) throw new Error(`brand ${company} ran out of item numbers`);
    return withCheck(`489${company}${String(ref).padStart(5, '0')}`);
  };
  const add = (p) => {
    if (products.length < n) products.push(p);
  };

  // Weighed (PLU 10001…) and deli (PLU 20001…): barcode = the zero-value label of the PLU.
  WEIGHED.forEach(([category, zh, en, cents], i) =>
    add(product(nextSku(category), category, `${zh} (每公斤)`, `${en} (per kg)`, cents, [withCheck(`25${String(10001 + i)}00000`)])),
  );
  DELI.forEach(([category, zh, en, cents], i) =>
    add(product(nextSku(category), category, `${zh} (每公斤)`, `${en} (per kg)`, cents, [withCheck(`20${String(20001 + i)}00000`)])),
  );
  for (const [category, zh, en, price, code] of IMPORTED) add(product(nextSku(category), category, zh, en, price, [code]));
  for (const family of VARIANT_FAMILIES) {
    const parentSku = nextSku(family.category);
    add(product(parentSku, family.category, family.zh, family.en, family.cents, []));
    const combos = family.options.reduce((acc, opts) => acc.flatMap((c) => opts.map((o) => [...c, o])), [[]]);
    combos.forEach((combo, i) =>
      add(
        product(
          `${parentSku}-${String(i + 1).padStart(2, '0')}`,
          family.category,
          join2(family.zh, ...combo.map((o) => o.zh)),
          join2(family.en, ...combo.map((o) => o.en)),
          family.cents,
          [nextBarcode(BRANDS[family.category][0].company)],
          { parentSku },
        ),
      ),
    );
  }

  // Plain grocery lines.
  const SERIES = [
    NONE,
    f('經典', 'Classic'),
    f('輕怡', 'Lite'),
    f('有機', 'Organic'),
    f('特級', 'Premium'),
    f('日式', 'Japanese Style'),
    f('台式', 'Taiwan Style'),
    f('懷舊', 'Retro'),
  ];
  const PACKS = [
    s('', '', 1),
    s('(新包裝)', '(New Pack)', 1),
    s('(優惠裝)', '(Bonus Pack)', 1.2),
    s('(限量版)', '(Limited Edition)', 1.3),
    s('(禮盒裝)', '(Gift Box)', 3.5),
  ];
  const combos = [];
  for (const l of LINES)
    for (const brand of BRANDS[l.category])
      for (const flavour of l.flavours) for (const size of l.sizes) combos.push({ l, brand, flavour, size });
  // Seeded shuffle, so the demo's first few thousand span every line and brand.
  for (let i = combos.length - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1));
    [combos[i], combos[j]] = [combos[j], combos[i]];
  }
  for (let round = 0; products.length < n; round++) {
    const series = SERIES[round % SERIES.length];
    const pack = PACKS[Math.floor(round / SERIES.length) % PACKS.length];
    const lot = Math.floor(round / (SERIES.length * PACKS.length));
    for (const { l, brand, flavour, size } of combos) {
      if (products.length >= n) break;
      const core = l.flavourFirst ? `${flavour.zh}${l.zh}` : join2(l.zh, flavour.zh);
      const nameZh = join2(`${brand.zh}${series.zh}${core}`, size.zh, pack.zh, lot ? `第${lot + 1}批` : '');
      const nameEn = join2(brand.en, series.en, l.en, flavour.en, size.en, pack.en, lot ? `Lot ${lot + 1}` : '');
      const price = shelfPrice(random, l.cents * size.factor * pack.factor * (0.85 + random.next() * 0.3) * (series === NONE ? 1 : 1.15));
      add(product(nextSku(l.category), l.category, nameZh, nameEn, price, [nextBarcode(brand.company)]));
    }
  }
  return { categories: CATEGORIES, products };
}

/** The whole demo store file: identity and staff as before, the generated catalogue. */
export function demoStore({ n = DEMO_SIZE, seed = DEMO_SEED } = {}) {
  const { categories, products } = generateCatalogue(n, seed);
  return {
    store: {
      code: 'MK01',
      nameZh: '算盤士多 旺角店',
      nameEn: 'Suanpan Store Mong Kok',
      addressZh: '九龍旺角彌敦道 700 號地舖',
      addressEn: 'G/F, 700 Nathan Road, Mong Kok, Kowloon',
      phone: '2345 6789',
    },
    register: { code: '01', name: '收銀機 01' },
    staff: [
      { code: 'C001', nameZh: '陳小明', nameEn: 'Chan Siu Ming', role: 'cashier', pin: '1234' },
      { code: 'C002', nameZh: '黃美玲', nameEn: 'Wong Mei Ling', role: 'cashier', pin: '2345' },
      { code: 'M001', nameZh: '李志強', nameEn: 'Lee Chi Keung', role: 'manager', pin: '9999' },
    ],
    categories,
    products,
  };
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const file = join(dirname(fileURLToPath(import.meta.url)), '..', 'assets', 'demo', 'store.json');
  const text = `${JSON.stringify(demoStore(), null, 1)}\n`;
  if (process.argv.includes('--check')) {
    if (readFileSync(file, 'utf8') !== text) {
      console.error('assets/demo/store.json is not what scripts/generate-catalogue.mjs writes: run it and commit the result.');
      process.exit(1);
    }
  } else {
    writeFileSync(file, text);
  }
}
