/**
 * Shop-key authentication for routes the merchant's own systems call (the online shop's orders;
 * members later), run in onRequest like the register hook: before the body is read.
 *
 *   app.post('/v1/orders', { onRequest: shopAuth.key('orders') }, async (request) => {
 *     const shop = shopAuth.shopOf(request); // { keyId, merchantId, label, scopes }
 *   });
 */
import type { FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { CloudError } from '../errors';
import type { Pool } from '../db/pool';
import type { Clock } from '../domain/clock';
import { authenticateShopKey, type ShopKeyContext, type ShopKeyScope } from '../domain/shop-keys';

export interface ShopAuth {
  /** The hook for a route that needs a shop key with `scope`. */
  key(scope: ShopKeyScope): onRequestAsyncHookHandler;
  /** The shop key of a request that passed the hook. */
  shopOf(request: FastifyRequest): ShopKeyContext;
}

export function createShopAuth(pool: Pool, clock: Clock): ShopAuth {
  const contexts = new WeakMap<FastifyRequest, ShopKeyContext>();
  return {
    key(scope) {
      return async (request: FastifyRequest) => {
        const header = request.headers.authorization;
        if (header === undefined) throw new CloudError('UNAUTHORIZED', 'Send Authorization: Bearer spk_… (a shop key from head office)');
        const match = /^Bearer +(\S+)$/i.exec(header);
        if (!match) throw new CloudError('SHOP_KEY_INVALID', 'Send Authorization: Bearer spk_…');
        contexts.set(request, await authenticateShopKey(pool, match[1] as string, scope, clock.now()));
      };
    },
    shopOf(request) {
      const found = contexts.get(request);
      if (!found) throw new Error('shopOf() on a route without the shop key hook');
      return found;
    },
  };
}
