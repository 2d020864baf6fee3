/**
 * Sales across stores cut every way the register's Z report cuts one register's day (issue 16):
 * by day and hour of the merchant's calendar, store, register, channel, category, product, staff
 * and payment method, for a range of days and the stores a user may see.
 *
 * The figures are defined as the Z report defines them (src/main/shifts/day-totals.ts), so a day's
 * breakdown for one register equals that register's Z for the day
 * (tests/node/hq/hq-reports-z.test.ts): net is the sum of the lines' net; staff is documents and
 * their totals; tenders are payments and their amounts; categories are the lines' net and quantity.
 * A category is the product's category in the cloud's catalogue (the register pulls its categories
 * from there, so the two agree unless head office moves a product between days).
 */
import type { Queryable } from '../db/pool';
import type { BreakdownTotals, ReportDimension, ReportRow, SalesBreakdown } from '../hq/contract';

export interface BreakdownRange {
  merchantId: number;
  timeZone: string;
  /** YYYY-MM-DD, both included, in `timeZone` */
  from: string;
  to: string;
  /** null: every store of the merchant */
  storeIds: number[] | null;
}

/** The names the register seeds for its payment methods (migrations/0004-checkout.sql), and the online shop's. */
const METHOD_NAMES: Record<string, [string, string]> = {
  cash: ['現金', 'Cash'],
  card: ['信用卡', 'Card'],
  octopus: ['八達通', 'Octopus'],
  fps: ['轉數快 FPS', 'FPS'],
  payme: ['PayMe', 'PayMe'],
  alipayhk: ['AlipayHK', 'AlipayHK'],
  wechatpay: ['WeChat Pay', 'WeChat Pay'],
  online: ['網上付款', 'Online payment'],
};

const CHANNEL_NAMES: Record<string, [string, string]> = {
  register: ['門市收銀', 'Registers'],
  online: ['網店', 'Online shop'],
};

/** The documents of the range: $1 merchant, $2 start, $3 end, $4 store ids (or null), $5 time zone. */
const DOCS = `SELECT s.* FROM sale s
  WHERE s.merchant_id = $1 AND s.completed_at >= $2 AND s.completed_at < $3 AND ($4::bigint[] IS NULL OR s.store_id = ANY($4::bigint[]))
    AND $5::text IS NOT NULL`; // $5 is typed here for the cuts that do not use it

interface Row {
  key: string;
  name_zh: string;
  name_en: string;
  count: number;
  quantity_milli: number | null;
  amount: number;
}

/** A cut over documents: each document once, amount the sum of its lines' net. */
function documentCut(key: string, zh: string, en: string, joins = ''): string {
  return `WITH d AS (${DOCS})
    SELECT ${key} AS key, ${zh} AS name_zh, ${en} AS name_en, count(*)::bigint AS count, NULL::bigint AS quantity_milli,
           coalesce(sum(n.net), 0)::bigint AS amount
    FROM d CROSS JOIN LATERAL (SELECT sum(l.net) AS net FROM sale_line l WHERE l.sale_id = d.id) n ${joins}
    GROUP BY 1, 2, 3 ORDER BY 1`;
}

const CUTS: Record<Exclude<ReportDimension, 'product'>, string> = {
  day: documentCut(
    `to_char(d.completed_at AT TIME ZONE $5, 'YYYY-MM-DD')`,
    `to_char(d.completed_at AT TIME ZONE $5, 'YYYY-MM-DD')`,
    `to_char(d.completed_at AT TIME ZONE $5, 'YYYY-MM-DD')`,
  ),
  hour: documentCut(
    `to_char(d.completed_at AT TIME ZONE $5, 'HH24')`,
    `to_char(d.completed_at AT TIME ZONE $5, 'HH24')`,
    `to_char(d.completed_at AT TIME ZONE $5, 'HH24')`,
  ),
  store: documentCut('st.code', 'st.name_zh', 'st.name_en', 'JOIN store st ON st.id = d.store_id'),
  register: documentCut(
    `st.code || '-' || coalesce(r.code, 'WEB')`,
    `coalesce(r.name, '網店')`,
    `coalesce(r.name, 'Online shop')`,
    'JOIN store st ON st.id = d.store_id LEFT JOIN register r ON r.id = d.register_id',
  ),
  channel: documentCut('d.channel', 'd.channel', 'd.channel'),
  staff: `WITH d AS (${DOCS})
    SELECT d.staff_name AS key, d.staff_name AS name_zh, d.staff_name AS name_en, count(*)::bigint AS count,
           NULL::bigint AS quantity_milli, sum(d.total)::bigint AS amount
    FROM d GROUP BY 1, 2, 3 ORDER BY amount DESC, key`,
  category: `WITH d AS (${DOCS})
    SELECT coalesce(p.category_code, '') AS key, coalesce(p.category_code, '其他') AS name_zh, coalesce(p.category_code, 'Other') AS name_en,
           count(DISTINCT l.sale_id)::bigint AS count, sum(l.quantity_milli)::bigint AS quantity_milli, sum(l.net)::bigint AS amount
    FROM d JOIN sale_line l ON l.sale_id = d.id LEFT JOIN product p ON p.merchant_id = d.merchant_id AND p.sku = l.sku
    GROUP BY 1, 2, 3 ORDER BY amount DESC, key`,
  method: `WITH d AS (${DOCS})
    SELECT pm.method AS key, pm.method AS name_zh, pm.method AS name_en, count(*)::bigint AS count,
           NULL::bigint AS quantity_milli, sum(pm.amount)::bigint AS amount
    FROM d JOIN sale_payment pm ON pm.sale_id = d.id GROUP BY 1, 2, 3 ORDER BY amount DESC, key`,
};

/** Products by net, best first: $6 how many (null: all). */
const PRODUCTS = `WITH d AS (${DOCS})
  SELECT l.sku AS key, coalesce(p.name_zh, min(l.name_zh)) AS name_zh, coalesce(p.name_en, min(l.name_en)) AS name_en,
         count(DISTINCT l.sale_id)::bigint AS count, sum(l.quantity_milli)::bigint AS quantity_milli, sum(l.net)::bigint AS amount,
         count(*) OVER ()::bigint AS total_rows
  FROM d JOIN sale_line l ON l.sale_id = d.id LEFT JOIN product p ON p.merchant_id = d.merchant_id AND p.sku = l.sku
  GROUP BY l.sku, p.name_zh, p.name_en ORDER BY amount DESC, key LIMIT $6`;

const TOTALS = `WITH d AS (${DOCS})
  SELECT (SELECT count(*) FROM d)::bigint AS documents,
         (SELECT count(*) FROM d WHERE d.kind = 'sale')::bigint AS sales,
         (SELECT count(*) FROM d WHERE d.kind = 'return')::bigint AS returns,
         (SELECT count(*) FROM d WHERE d.kind = 'exchange')::bigint AS exchanges,
         coalesce(sum(l.gross) FILTER (WHERE l.quantity_milli > 0), 0)::bigint AS gross,
         coalesce(sum(l.promotion_amount) FILTER (WHERE l.quantity_milli > 0), 0)::bigint AS promotions,
         coalesce(sum(l.discount_amount) FILTER (WHERE l.quantity_milli > 0), 0)::bigint AS discounts,
         coalesce(-sum(l.net) FILTER (WHERE l.quantity_milli < 0), 0)::bigint AS returns_value,
         coalesce(sum(l.net), 0)::bigint AS net,
         (SELECT coalesce(sum(d.tax_total), 0) FROM d)::bigint AS tax,
         (SELECT coalesce(sum(d.rounding), 0) FROM d)::bigint AS rounding
  FROM d JOIN sale_line l ON l.sale_id = d.id`;

async function bounds(db: Queryable, range: BreakdownRange): Promise<{ start: Date; end: Date }> {
  return (
    await db.query<{ start: Date; end: Date }>(
      `SELECT ($1::date)::timestamp AT TIME ZONE $3 AS start, ($2::date + 1)::timestamp AT TIME ZONE $3 AS end`,
      [range.from, range.to, range.timeZone],
    )
  ).rows[0]!;
}

function toRow(r: Row): ReportRow {
  return { key: r.key, nameZh: r.name_zh, nameEn: r.name_en, count: r.count, quantityMilli: r.quantity_milli, amount: r.amount };
}

function named(rows: ReportRow[], names: Record<string, [string, string]>): ReportRow[] {
  return rows.map((r) => {
    const n = names[r.key];
    return n ? { ...r, nameZh: n[0], nameEn: n[1] } : r;
  });
}

/** Every day of the range and every hour of the day, quiet ones as zero, so a chart has no holes. */
function filled(rows: ReportRow[], keys: string[]): ReportRow[] {
  const byKey = new Map(rows.map((r) => [r.key, r]));
  return keys.map((key) => byKey.get(key) ?? { key, nameZh: key, nameEn: key, count: 0, quantityMilli: null, amount: 0 });
}

function daysOf(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000)
    days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

const HOURS = Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0'));

/** One cut, all of it (the CSV's rows; products not cut to the best sellers). */
export async function breakdownCut(db: Queryable, range: BreakdownRange, by: ReportDimension): Promise<ReportRow[]> {
  const b = await bounds(db, range);
  const params = [range.merchantId, b.start, b.end, range.storeIds, range.timeZone];
  const rows =
    by === 'product'
      ? (await db.query<Row>(PRODUCTS, [...params, null])).rows.map(toRow)
      : (await db.query<Row>(CUTS[by], params)).rows.map(toRow);
  if (by === 'day') return filled(rows, daysOf(range.from, range.to));
  if (by === 'hour') return filled(rows, HOURS);
  if (by === 'method') return named(rows, METHOD_NAMES);
  if (by === 'channel') return named(rows, CHANNEL_NAMES);
  return rows;
}

/** Everything the reports screen shows for the range: totals and every cut (products: the best `productLimit`). */
export async function salesBreakdown(db: Queryable, range: BreakdownRange, productLimit = 100): Promise<SalesBreakdown> {
  const b = await bounds(db, range);
  const params = [range.merchantId, b.start, b.end, range.storeIds, range.timeZone];
  const totals = (
    await db.query<{
      documents: number;
      sales: number;
      returns: number;
      exchanges: number;
      gross: number;
      promotions: number;
      discounts: number;
      returns_value: number;
      net: number;
      tax: number;
      rounding: number;
    }>(TOTALS, params)
  ).rows[0]!;
  const by = {} as Record<ReportDimension, ReportRow[]>;
  for (const dimension of Object.keys(CUTS) as (keyof typeof CUTS)[]) by[dimension] = await breakdownCut(db, range, dimension);
  const products = (await db.query<Row & { total_rows: number }>(PRODUCTS, [...params, productLimit])).rows;
  by.product = products.map(toRow);
  const result: BreakdownTotals = {
    documents: totals.documents,
    sales: totals.sales,
    returns: totals.returns,
    exchanges: totals.exchanges,
    gross: totals.gross,
    promotions: totals.promotions,
    discounts: totals.discounts,
    returnsValue: totals.returns_value,
    net: totals.net,
    tax: totals.tax,
    rounding: totals.rounding,
  };
  return {
    from: range.from,
    to: range.to,
    storeId: null,
    totals: result,
    by,
    productsShown: products.length,
    productsTotal: products[0]?.total_rows ?? 0,
  };
}
