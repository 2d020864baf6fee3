/** Head office's view of all channels: sales by store, channel and the merchant's calendar day. */
import type { Pool } from '../db/pool';

export interface SalesSummaryRow {
  storeCode: string;
  channel: 'register' | 'online';
  /** YYYY-MM-DD in the merchant's time zone (Asia/Hong_Kong by default) */
  day: string;
  /** documents of each kind */
  sales: number;
  returns: number;
  exchanges: number;
  /** cents: sales minus refunds, as the documents' totals say */
  total: number;
}

/** Documents completed in [from, to) (ms since the epoch; open-ended when omitted). */
export async function salesSummary(pool: Pool, merchantId: number, range: { from?: number; to?: number } = {}): Promise<SalesSummaryRow[]> {
  const rows = (
    await pool.query<{
      store_code: string;
      channel: 'register' | 'online';
      day: string;
      sales: number;
      returns: number;
      exchanges: number;
      total: number;
    }>(
      `SELECT st.code AS store_code, s.channel, to_char(s.completed_at AT TIME ZONE m.time_zone, 'YYYY-MM-DD') AS day,
              count(*) FILTER (WHERE s.kind = 'sale') AS sales,
              count(*) FILTER (WHERE s.kind = 'return') AS returns,
              count(*) FILTER (WHERE s.kind = 'exchange') AS exchanges,
              sum(s.total)::bigint AS total
       FROM sale s JOIN store st ON st.id = s.store_id JOIN merchant m ON m.id = s.merchant_id
       WHERE s.merchant_id = $1 AND ($2::timestamptz IS NULL OR s.completed_at >= $2) AND ($3::timestamptz IS NULL OR s.completed_at < $3)
       GROUP BY 1, 2, 3
       ORDER BY day, store_code, channel`,
      [merchantId, range.from === undefined ? null : new Date(range.from), range.to === undefined ? null : new Date(range.to)],
    )
  ).rows;
  return rows.map((r) => ({
    storeCode: r.store_code,
    channel: r.channel,
    day: r.day,
    sales: r.sales,
    returns: r.returns,
    exchanges: r.exchanges,
    total: r.total,
  }));
}
