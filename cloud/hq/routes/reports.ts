/**
 * Sales across stores by day and channel (the admin CLI's sales-summary, same domain function),
 * as JSON for the screen and as CSV for Excel; and the catalogue as CSV. A store manager's rows
 * are their stores' only.
 */
import type { FastifyReply } from 'fastify';
import { toCsv, type CsvCell } from '../../../src/shared/csv';
import { CloudError } from '../../errors';
import { breakdownCut, salesBreakdown, type BreakdownRange } from '../../domain/report-breakdown';
import { salesSummary } from '../../domain/reports';
import {
  BreakdownCsvQuery,
  BreakdownQuery,
  ReportQuery,
  type ReportDimension,
  type SalesBreakdown,
  type SalesReportRow,
} from '../contract';
import type { HqContext, HqRouter } from '../router';

function sendCsv(reply: FastifyReply, fileName: string, rows: CsvCell[][]): FastifyReply {
  return reply.type('text/csv; charset=utf-8').header('Content-Disposition', `attachment; filename="${fileName}"`).send(toCsv(rows));
}

export function reportRoutes(router: HqRouter): void {
  const { pool } = router;

  async function sales(ctx: HqContext, query: { from: string; to: string }): Promise<SalesReportRow[]> {
    // [midnight of `from`, midnight after `to`) in the merchant's time zone
    const bounds = (
      await pool.query<{ start: Date; end: Date }>(
        `SELECT ($1::date)::timestamp AT TIME ZONE $3 AS start, ($2::date + 1)::timestamp AT TIME ZONE $3 AS end`,
        [query.from, query.to, ctx.timeZone],
      )
    ).rows[0]!;
    const rows = await salesSummary(pool, ctx.merchantId, { from: bounds.start.getTime(), to: bounds.end.getTime() });
    if (ctx.storeScope === null) return rows;
    const codes = new Set(
      (await pool.query<{ code: string }>('SELECT code FROM store WHERE id = ANY($1::bigint[])', [ctx.storeScope])).rows.map((r) => r.code),
    );
    return rows.filter((r) => codes.has(r.storeCode));
  }

  router.get('/reports/sales', { permission: 'reports.view', query: ReportQuery }, async (ctx, { query }) => ({
    rows: await sales(ctx, query),
  }));

  router.get('/reports/sales.csv', { permission: 'reports.view', query: ReportQuery }, async (ctx, { query }, reply) => {
    const rows = await sales(ctx, query);
    return sendCsv(reply, `sales-${query.from}-${query.to}.csv`, [
      ['day', 'store', 'channel', 'sales', 'returns', 'exchanges', 'total_hkd'],
      ...rows.map((r): CsvCell[] => [r.day, r.storeCode, r.channel, r.sales, r.returns, r.exchanges, { cents: r.total }]),
    ]);
  });

  function breakdownRange(ctx: HqContext, query: { from: string; to: string; store?: number | undefined }): BreakdownRange {
    if (query.store !== undefined && !ctx.mayStore(query.store)) throw new CloudError('NOT_FOUND', `No store ${query.store}`);
    return {
      merchantId: ctx.merchantId,
      timeZone: ctx.timeZone,
      from: query.from,
      to: query.to,
      storeIds: query.store === undefined ? ctx.storeScope : [query.store],
    };
  }

  router.get(
    '/reports/breakdown',
    { permission: 'reports.view', query: BreakdownQuery },
    async (ctx, { query }): Promise<SalesBreakdown> => {
      const report = await salesBreakdown(pool, breakdownRange(ctx, query));
      return { ...report, storeId: query.store ?? null };
    },
  );

  const quantityHeader: Partial<Record<ReportDimension, string>> = { category: 'quantity', product: 'quantity' };
  const countHeader: Record<ReportDimension, string> = {
    day: 'documents',
    hour: 'documents',
    store: 'documents',
    register: 'documents',
    channel: 'documents',
    category: 'documents',
    product: 'documents',
    staff: 'documents',
    method: 'payments',
  };

  router.get('/reports/breakdown.csv', { permission: 'reports.view', query: BreakdownCsvQuery }, async (ctx, { query }, reply) => {
    const rows = await breakdownCut(pool, breakdownRange(ctx, query), query.by);
    const withQuantity = quantityHeader[query.by] !== undefined;
    return sendCsv(reply, `sales-by-${query.by}-${query.from}-${query.to}.csv`, [
      [query.by, 'name_zh', 'name_en', countHeader[query.by], ...(withQuantity ? ['quantity'] : []), 'amount_hkd'],
      ...rows.map((r): CsvCell[] => [
        r.key,
        r.nameZh,
        r.nameEn,
        r.count,
        ...(withQuantity ? [(r.quantityMilli ?? 0) / 1000] : []),
        { cents: r.amount },
      ]),
    ]);
  });

  router.get('/products.csv', { permission: 'catalogue.view' }, async (ctx, _input, reply) => {
    const rows = (
      await pool.query<{
        sku: string;
        name_zh: string;
        name_en: string;
        category_code: string | null;
        active: boolean;
        barcodes: string;
        price: number | null;
        parent_sku: string | null;
        option_zh: string;
        option_en: string;
      }>(
        `SELECT p.sku, p.name_zh, p.name_en, p.category_code, p.active, p.parent_sku, p.option_zh, p.option_en,
                coalesce((SELECT string_agg(b.code, ' ' ORDER BY b.code) FROM barcode b WHERE b.merchant_id = p.merchant_id AND b.sku = p.sku), '') AS barcodes,
                (SELECT pr.price FROM price pr WHERE pr.merchant_id = p.merchant_id AND pr.sku = p.sku AND pr.valid_from <= $2
                 ORDER BY pr.valid_from DESC LIMIT 1) AS price
         FROM product p WHERE p.merchant_id = $1 ORDER BY coalesce(p.parent_sku, p.sku), p.parent_sku IS NOT NULL, p.sku`,
        [ctx.merchantId, new Date(ctx.now)],
      )
    ).rows;
    return sendCsv(reply, 'products.csv', [
      // the import's columns (cloud/domain/catalogue-import.ts); each variant right under its parent
      ['sku', 'name_zh', 'name_en', 'category', 'active', 'barcodes', 'price_hkd', 'parent_sku', 'option_zh', 'option_en'],
      ...rows.map((r): CsvCell[] => [
        r.sku,
        r.name_zh,
        r.name_en,
        r.category_code ?? '',
        r.active ? 1 : 0,
        r.barcodes,
        r.price === null ? '' : { cents: r.price },
        r.parent_sku ?? '',
        r.option_zh,
        r.option_en,
      ]),
    ]);
  });
}
