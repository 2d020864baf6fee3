/**
 * Stock at the counter (issue 14), head office side: on-hand per store and product, purchase orders
 * (list, create, cancel, through the same domain functions as the admin CLI's create-po / list-pos
 * / cancel-po, so registers pull them) and transfers in transit. A store manager reads and acts
 * only for their stores. Shared stocktakes (多機盤點) are listed per store, view only.
 */
import * as z from '../../../src/shared/zod';
import { CloudError } from '../../errors';
import { STORE_COLUMNS, storeOf, type Store } from '../../domain/merchants';
import { cancelPurchaseOrder, createPurchaseOrder, listPurchaseOrders } from '../../domain/purchase-orders';
import { setReorderLevel } from '../../domain/reorder-levels';
import { onHandPage, transfersInTransit } from '../../domain/stock-report';
import { countSessionsOverview } from '../../domain/count-sessions';
import {
  COUNT_SESSION_RECENT_MS,
  CountSessionQuery,
  OnHandQuery,
  PurchaseOrderCreateBody,
  PurchaseOrderQuery,
  ReorderLevelBody,
  type CountSessionRow,
  type OnHandRow,
  type PurchaseOrderRow,
  type TransferInTransit,
} from '../contract';
import type { HqContext, HqRouter } from '../router';

const PoParams = z.object({ poNo: z.string().regex(/^[A-Za-z0-9-]{1,32}$/, '1 to 32 letters, digits and dashes') });

export function stockRoutes(router: HqRouter): void {
  const { pool } = router;

  /** The stores a read covers: the one asked for (if the user may see it), else every store in scope. */
  function storesOf(ctx: HqContext, store: number | undefined): number[] | null {
    if (store === undefined) return ctx.storeScope;
    if (!ctx.mayStore(store)) throw new CloudError('NOT_FOUND', `No store ${store}`);
    return [store];
  }

  router.get(
    '/stock/on-hand',
    { permission: 'stock.view', query: OnHandQuery },
    async (ctx, { query }): Promise<{ rows: OnHandRow[]; more: boolean }> =>
      onHandPage(pool, ctx.merchantId, {
        storeIds: storesOf(ctx, query.store),
        q: query.q,
        low: query.low === '1',
        offset: query.offset,
        limit: query.limit,
      }),
  );

  /** A store's reorder level for a product (the registers of the store pull it); null clears it. Audited. */
  router.put('/stock/reorder-levels', { permission: 'stock.manage', body: ReorderLevelBody }, async (ctx, { body }) => {
    if (!ctx.mayStore(body.storeId))
      throw new CloudError('NOT_FOUND', `No store ${body.storeId}`, { issues: [{ path: 'storeId', message: 'not one of your stores' }] });
    const { before, after } = await setReorderLevel(
      pool,
      ctx.merchantId,
      { storeId: body.storeId, sku: body.sku, reorderMilli: body.reorderLevel === null ? null : Math.round(body.reorderLevel * 1000) },
      ctx.now,
    );
    await ctx.audit(pool, 'stock.reorder-level', `${after.sku} ${after.storeCode}`, { reorderMilli: before }, after);
    return { level: after };
  });

  router.get(
    '/stock/transfers',
    { permission: 'stock.view' },
    async (ctx): Promise<{ transfers: TransferInTransit[] }> => ({
      transfers: await transfersInTransit(pool, ctx.merchantId, ctx.storeScope),
    }),
  );

  /** Shared stocktakes (多機盤點), open or closed in the last week, per store: view only (they are counted and posted at the registers). */
  router.get(
    '/stock/count-sessions',
    { permission: 'stock.view', query: CountSessionQuery },
    async (ctx, { query }): Promise<{ sessions: CountSessionRow[] }> => ({
      sessions: await countSessionsOverview(pool, ctx.merchantId, storesOf(ctx, query.store), {
        now: ctx.now,
        recentMs: COUNT_SESSION_RECENT_MS,
      }),
    }),
  );

  router.get(
    '/purchase-orders',
    { permission: 'stock.view', query: PurchaseOrderQuery },
    async (ctx, { query }): Promise<{ orders: PurchaseOrderRow[] }> => ({
      orders: await listPurchaseOrders(pool, ctx.merchantId, { storeIds: storesOf(ctx, query.store), status: query.status }),
    }),
  );

  router.post('/purchase-orders', { permission: 'stock.manage', body: PurchaseOrderCreateBody }, async (ctx, { body }) => {
    const { storeId, ...order } = body;
    const row = ctx.mayStore(storeId)
      ? (
          await pool.query<Parameters<typeof storeOf>[0]>(`SELECT ${STORE_COLUMNS} FROM store WHERE id = $1 AND merchant_id = $2`, [
            storeId,
            ctx.merchantId,
          ])
        ).rows[0]
      : undefined;
    if (!row)
      throw new CloudError('NOT_FOUND', `No store ${storeId}`, { issues: [{ path: 'storeId', message: 'not one of your stores' }] });
    const store: Store = storeOf(row);
    const created = await createPurchaseOrder(pool, ctx.merchantId, store, order, ctx.now);
    await ctx.audit(pool, 'purchase-order.create', created.poNo, undefined, created);
    return { order: created };
  });

  router.post('/purchase-orders/:poNo/cancel', { permission: 'stock.manage', params: PoParams }, async (ctx, { params }) => {
    const { before, after } = await cancelPurchaseOrder(pool, ctx.merchantId, params.poNo, ctx.now, ctx.storeScope);
    await ctx.audit(pool, 'purchase-order.cancel', params.poNo, { status: before.status }, { status: after.status });
    return { order: after };
  });
}
