/** Effective-dated prices per store, and a product's price schedule (the merchant-wide and each store's in the user's scope). */
import * as z from '../../../src/shared/zod';
import { CloudError } from '../../errors';
import { priceSchedule, setStorePrice } from '../../domain/store-prices';
import { StorePriceBody } from '../contract';
import type { HqRouter } from '../router';

const SkuParams = z.object({ sku: z.string().min(1).max(64) });

export function storePriceRoutes(router: HqRouter): void {
  const { pool } = router;

  router.get('/products/:sku/prices', { permission: 'catalogue.view', params: SkuParams }, async (ctx, { params }) => ({
    prices: await priceSchedule(pool, ctx.merchantId, params.sku, ctx.now, ctx.storeScope),
  }));

  router.post(
    '/products/:sku/store-price',
    { permission: 'catalogue.edit', params: SkuParams, body: StorePriceBody },
    async (ctx, { params, body }) => {
      if (!ctx.mayStore(body.storeId)) throw new CloudError('NOT_FOUND', `No store ${body.storeId}`);
      const price = await setStorePrice(
        pool,
        ctx.merchantId,
        { storeId: body.storeId, sku: params.sku, price: body.price, validFrom: body.validFrom ?? ctx.now },
        ctx.now,
      );
      await ctx.audit(pool, 'price.set-store', `${params.sku} ${price.storeCode}`, null, price);
      return { price };
    },
  );
}
