/**
 * Online and social orders (issue 15) for head office: list and read the merchant's orders (a
 * store manager: their stores'), move them as the registers' state machine allows (never to
 * collected: that is the till's sale), and enter a chat or phone order. Every write goes through
 * cloud/domain/orders.ts, the same functions the online shop and the registers call.
 */
import * as z from '../../../src/shared/zod';
import { OrderNo } from '../../../src/shared/order-schemas';
import { addDays, startOfStoreDay } from '../../../src/shared/store-time';
import { CloudError } from '../../errors';
import type { Queryable } from '../../db/pool';
import { consoleCaller, createOrder, listOrders, orderDetail, priceOrder, transitionOrder } from '../../domain/orders';
import {
  ORDER_PAGE_SIZE,
  OrderEntryBody,
  OrderListQuery,
  OrderMoveBody,
  OrderQuoteBody,
  type OrderDetail,
  type OrderListPage,
  type OrderQuote,
} from '../contract';
import type { HqContext, HqRouter } from '../router';

const OrderParams = z.object({ orderNo: OrderNo });

/** The store, if this user may see it; NOT_FOUND otherwise (another merchant's, or outside a manager's stores). */
async function storeInScope(db: Queryable, ctx: HqContext, storeId: number): Promise<{ id: number; code: string }> {
  const store = (await db.query<{ code: string }>('SELECT code FROM store WHERE id = $1 AND merchant_id = $2', [storeId, ctx.merchantId]))
    .rows[0];
  if (!store || !ctx.mayStore(storeId)) throw new CloudError('NOT_FOUND', `No store ${storeId}`);
  return { id: storeId, code: store.code };
}

async function detailInScope(db: Queryable, ctx: HqContext, orderNo: string): Promise<OrderDetail> {
  const detail = await orderDetail(db, ctx.merchantId, orderNo);
  if (!ctx.mayStore(detail.storeId)) throw new CloudError('NOT_FOUND', `No order ${orderNo}`);
  return detail;
}

export function orderRoutes(router: HqRouter): void {
  const { pool } = router;

  router.get('/orders', { permission: 'orders.view', query: OrderListQuery }, async (ctx, { query }): Promise<OrderListPage> => {
    if (query.storeId !== undefined) await storeInScope(pool, ctx, query.storeId);
    const { orders, count } = await listOrders(pool, ctx.merchantId, {
      storeScope: ctx.storeScope,
      storeId: query.storeId ?? null,
      status: query.status ?? null,
      channel: query.channel ?? null,
      from: query.from === undefined ? null : startOfStoreDay(query.from, ctx.timeZone),
      until: query.to === undefined ? null : startOfStoreDay(addDays(query.to, 1), ctx.timeZone),
      offset: (query.page - 1) * ORDER_PAGE_SIZE,
      limit: ORDER_PAGE_SIZE,
    });
    return { orders, count, page: query.page, pageSize: ORDER_PAGE_SIZE };
  });

  router.get('/orders/:orderNo', { permission: 'orders.view', params: OrderParams }, async (ctx, { params }) =>
    detailInScope(pool, ctx, params.orderNo),
  );

  router.post(
    '/orders/:orderNo/status',
    { permission: 'orders.manage', params: OrderParams, body: OrderMoveBody },
    async (ctx, { params, body }): Promise<OrderDetail> => {
      const before = await detailInScope(pool, ctx, params.orderNo);
      const moved = await transitionOrder(
        pool,
        ctx.merchantId,
        params.orderNo,
        { to: body.to, receiptNo: null, reason: body.to === 'cancelled' ? body.reason : null },
        consoleCaller(ctx.user),
        ctx.now,
      );
      if (moved.version !== before.order.version)
        await ctx.audit(
          pool,
          'order.status',
          params.orderNo,
          { status: before.order.status },
          { status: moved.status, reason: moved.cancelReason },
        );
      return detailInScope(pool, ctx, params.orderNo);
    },
  );

  /** What the lines cost at the store now (the cloud's prices): read out to the customer before entering. */
  router.post('/orders/quote', { permission: 'orders.manage', body: OrderQuoteBody }, async (ctx, { body }): Promise<OrderQuote> => {
    const store = await storeInScope(pool, ctx, body.storeId);
    return priceOrder(pool, ctx.merchantId, store.id, body.lines, ctx.now);
  });

  router.post('/orders', { permission: 'orders.manage', body: OrderEntryBody }, async (ctx, { body }, reply): Promise<OrderDetail> => {
    const store = await storeInScope(pool, ctx, body.storeId);
    const result = await createOrder(
      pool,
      ctx.merchantId,
      {
        orderNo: body.orderNo,
        store: store.code,
        channel: body.channel,
        customer: { name: body.customerName, phone: body.customerPhone },
        lines: body.lines,
        // Paid now means paid in full: the amount the cloud's total comes to (checked against it there).
        paid: body.payment === null ? null : { amount: body.expectedTotal, ...body.payment },
        expectedTotal: body.expectedTotal,
        pickupOn: body.pickupOn,
        note: body.note,
      },
      consoleCaller(ctx.user),
      ctx.now,
    );
    if (result.created) {
      const { order } = result;
      await ctx.audit(pool, 'order.create', order.orderNo, undefined, {
        store: order.storeCode,
        channel: order.channel,
        customer: order.customerName,
        lines: order.lines.map((l) => ({ sku: l.sku, quantityMilli: l.quantityMilli, unitPrice: l.unitPrice })),
        total: order.total,
        paid: order.paid,
        payment: body.payment,
      });
    }
    void reply.status(result.created ? 201 : 200);
    return detailInScope(pool, ctx, result.order.orderNo);
  });
}
