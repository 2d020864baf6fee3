/** Today's sales across stores and channels, register health and the quarantine count. */
import { type Dashboard, type DashboardSales } from '../contract';
import { registersInScope } from '../register-health';
import type { HqRouter } from '../router';

export function dashboardRoutes(router: HqRouter): void {
  const { pool } = router;
  router.get('/dashboard', { permission: 'dashboard.view' }, async (ctx): Promise<Dashboard> => {
    const scope = ctx.storeScope;
    // 1. the merchant's calendar day around now, as [start, end)
    const day = (
      await pool.query<{ day: string; start: Date; end: Date }>(
        `SELECT to_char(($1::timestamptz AT TIME ZONE $2)::date, 'YYYY-MM-DD') AS day,
                (($1::timestamptz AT TIME ZONE $2)::date)::timestamp AT TIME ZONE $2 AS start,
                (($1::timestamptz AT TIME ZONE $2)::date + 1)::timestamp AT TIME ZONE $2 AS end`,
        [new Date(ctx.now), ctx.timeZone],
      )
    ).rows[0]!;
    // 2. every store in scope with each channel's documents and total (zero rows kept: a store that sold nothing shows 0);
    //    s.merchant_id lets the day's range read the (merchant_id, completed_at) index instead of a year of sales
    const sales = (
      await pool.query<{
        store_id: number;
        code: string;
        name_zh: string;
        name_en: string;
        channel: 'register' | 'online';
        documents: number;
        total: number;
      }>(
        `SELECT st.id AS store_id, st.code, st.name_zh, st.name_en, ch.channel,
                count(s.id)::int AS documents, coalesce(sum(s.total), 0)::bigint AS total
         FROM store st CROSS JOIN (VALUES ('register'), ('online')) AS ch(channel)
         LEFT JOIN sale s ON s.merchant_id = $1 AND s.store_id = st.id AND s.channel = ch.channel AND s.completed_at >= $2 AND s.completed_at < $3
         WHERE st.merchant_id = $1 AND ($4::bigint[] IS NULL OR st.id = ANY($4::bigint[]))
         GROUP BY st.id, ch.channel ORDER BY st.code, ch.channel DESC`,
        [ctx.merchantId, day.start, day.end, scope],
      )
    ).rows;
    // 3. registers, 4. open quarantine
    const registers = await registersInScope(pool, ctx);
    const openQuarantine =
      (
        await pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM quarantine q LEFT JOIN register r ON r.id = q.register_id
           WHERE q.merchant_id = $1 AND q.resolved_at IS NULL AND ($2::bigint[] IS NULL OR r.store_id = ANY($2::bigint[]))`,
          [ctx.merchantId, scope],
        )
      ).rows[0]?.n ?? 0;
    const salesRows: DashboardSales[] = sales.map((r) => ({
      storeId: r.store_id,
      storeCode: r.code,
      storeNameZh: r.name_zh,
      storeNameEn: r.name_en,
      channel: r.channel,
      documents: r.documents,
      total: r.total,
    }));
    return {
      day: day.day,
      sales: salesRows,
      total: salesRows.reduce((sum, r) => sum + r.total, 0),
      documents: salesRows.reduce((sum, r) => sum + r.documents, 0),
      registers,
      openQuarantine,
      asOf: ctx.now,
    };
  });
}
