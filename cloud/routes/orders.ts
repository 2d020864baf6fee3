/**
 * Customer orders (issue 15).
 *
 * For the merchant's online shop, with a shop key (scope `orders`):
 * - POST /v1/orders                      create (idempotent by orderNo); 201 new, 200 replay
 * - GET  /v1/orders/:orderNo             the order, with the customer's full phone
 * - POST /v1/orders/:orderNo/status      preparing, ready or cancelled
 *
 * For registers, with their own bearer token, on their own id:
 * - GET  /v1/registers/:id/orders?since=&limit=            the store's orders changed after `since`
 * - POST /v1/registers/:id/orders                          a chat or phone order taken at the till
 * - POST /v1/registers/:id/orders/:orderNo/status          any move, collecting included (before a sale: with the cart's
 *                                                          claimId, and the earlier claims it supersedes, order-claims.ts)
 * - POST /v1/registers/:id/orders/:orderNo/pickups         part of it handed over or swapped (order-pickups.ts; claimId likewise)
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { CreateOrder, OrderNo, OrderTransition, RegisterOrderTransition } from '../../src/shared/order-schemas';
import type { Pool } from '../db/pool';
import { CloudError } from '../errors';
import type { Clock } from '../domain/clock';
import { createOrder, getOrder, moveOrder, pullOrders, registerCaller, transitionOrder, type OrderCaller } from '../domain/orders';
import { claimSuperseding } from '../domain/order-claims';
import { pickupOrder } from '../domain/order-pickups';
import { RegisterPickupRequest } from '../../src/shared/order-pickup';
import { withTransaction } from '../db/tx';
import type { ShopKeyContext } from '../domain/shop-keys';
import type { Auth } from './auth';
import { parseRequest } from './parse';
import type { ShopAuth } from './shop-auth';

const OrderParams = z.object({ orderNo: OrderNo });
const RegisterOrderParams = z.object({ id: z.string(), orderNo: OrderNo });
const PullQuery = z.strictObject({
  since: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});

const shopCaller = (shop: ShopKeyContext): OrderCaller => ({
  kind: 'shop-key',
  ref: `shop-key:${shop.keyId}`,
  name: shop.label,
  registerId: null,
  storeId: null,
});

export function orderRoutes(app: FastifyInstance, deps: { pool: Pool; clock: Clock; auth: Auth; shopAuth: ShopAuth }): void {
  const { pool, clock, auth, shopAuth } = deps;

  app.post('/v1/orders', { onRequest: shopAuth.key('orders') }, async (request, reply) => {
    const body = parseRequest(CreateOrder, request.body, 'order');
    const shop = shopAuth.shopOf(request);
    const result = await createOrder(pool, shop.merchantId, body, shopCaller(shop), clock.now());
    void reply.status(result.created ? 201 : 200);
    return result;
  });

  app.get('/v1/orders/:orderNo', { onRequest: shopAuth.key('orders') }, async (request) => {
    const { orderNo } = parseRequest(OrderParams, request.params, 'order number');
    return { order: await getOrder(pool, shopAuth.shopOf(request).merchantId, orderNo, 'shop') };
  });

  app.post('/v1/orders/:orderNo/status', { onRequest: shopAuth.key('orders') }, async (request) => {
    const { orderNo } = parseRequest(OrderParams, request.params, 'order number');
    const body = parseRequest(OrderTransition, request.body, 'status change');
    const shop = shopAuth.shopOf(request);
    return { order: await transitionOrder(pool, shop.merchantId, orderNo, body, shopCaller(shop), clock.now()) };
  });

  app.get('/v1/registers/:id/orders', { onRequest: auth.register() }, async (request) => {
    const query = parseRequest(PullQuery, request.query, 'order pull');
    const register = auth.registerOf(request);
    return pullOrders(pool, register.merchantId, register.storeId, query.since, query.limit);
  });

  app.post('/v1/registers/:id/orders', { onRequest: auth.register() }, async (request, reply) => {
    const body = parseRequest(CreateOrder, request.body, 'order');
    const register = auth.registerOf(request);
    const result = await createOrder(pool, register.merchantId, body, registerCaller(register), clock.now());
    void reply.status(result.created ? 201 : 200);
    return result;
  });

  app.post('/v1/registers/:id/orders/:orderNo/status', { onRequest: auth.register() }, async (request) => {
    const { orderNo } = parseRequest(RegisterOrderParams, request.params, 'order number');
    const { supersedes, ...move } = parseRequest(RegisterOrderTransition, request.body, 'status change');
    const register = auth.registerOf(request);
    const now = clock.now();
    const order = await withTransaction(pool, (client) =>
      claimSuperseding(client, register, orderNo, supersedes, now, () =>
        moveOrder(client, register.merchantId, orderNo, move, registerCaller(register), now),
      ),
    );
    return { order };
  });

  app.post('/v1/registers/:id/orders/:orderNo/pickups', { onRequest: auth.register() }, async (request) => {
    const { orderNo } = parseRequest(RegisterOrderParams, request.params, 'order number');
    const body = parseRequest(RegisterPickupRequest, request.body, 'pickup');
    if (body.orderNo !== orderNo)
      throw new CloudError('BAD_REQUEST', `The pickup names order ${body.orderNo}, the address ${orderNo}`, {
        issues: [{ path: 'orderNo', message: 'not the order in the address' }],
      });
    const { supersedes, ...pickup } = body;
    const register = auth.registerOf(request);
    const now = clock.now();
    const order = await withTransaction(pool, (client) =>
      claimSuperseding(client, register, orderNo, supersedes, now, () => pickupOrder(client, register, pickup, now)),
    );
    return { order };
  });
}
