/** Products and prices, edited through the same domain functions as the admin CLI (so registers pull them). */
import * as z from '../../../src/shared/zod';
import { CloudError } from '../../errors';
import { currentPrice, loadProducts, setPrice, upsertProduct } from '../../domain/catalogue';
import { PriceBody, ProductEditBody, ProductSearchQuery, type ProductRow } from '../contract';
import type { HqRouter } from '../router';

const SkuParams = z.object({ sku: z.string().min(1).max(64) });

export function catalogueRoutes(router: HqRouter): void {
  const { pool } = router;

  router.get(
    '/products',
    { permission: 'catalogue.view', query: ProductSearchQuery },
    async (ctx, { query }): Promise<{ products: ProductRow[] }> => {
      const q = query.q.trim();
      const like = `%${q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
      const rows = (
        await pool.query<{
          sku: string;
          name_zh: string;
          name_en: string;
          category_code: string | null;
          active: boolean;
          barcodes: string[];
          price: number | null;
        }>(
          `SELECT p.sku, p.name_zh, p.name_en, p.category_code, p.active,
                coalesce((SELECT array_agg(b.code ORDER BY b.code) FROM barcode b WHERE b.merchant_id = p.merchant_id AND b.sku = p.sku), '{}') AS barcodes,
                (SELECT pr.price FROM price pr WHERE pr.merchant_id = p.merchant_id AND pr.sku = p.sku AND pr.valid_from <= $4
                 ORDER BY pr.valid_from DESC LIMIT 1) AS price
         FROM product p
         WHERE p.merchant_id = $1 AND ($2 = '' OR p.sku = $2 OR p.name_zh ILIKE $3 OR p.name_en ILIKE $3 OR p.sku ILIKE $3
               OR EXISTS (SELECT 1 FROM barcode b WHERE b.merchant_id = p.merchant_id AND b.code = $2 AND b.sku = p.sku))
         ORDER BY (p.sku = $2) DESC, p.sku LIMIT $5`,
          [ctx.merchantId, q, like, new Date(ctx.now), query.limit],
        )
      ).rows;
      return {
        products: rows.map((r) => ({
          sku: r.sku,
          nameZh: r.name_zh,
          nameEn: r.name_en,
          categoryCode: r.category_code,
          active: r.active,
          barcodes: r.barcodes,
          price: r.price,
        })),
      };
    },
  );

  router.put(
    '/products/:sku',
    { permission: 'catalogue.edit', params: SkuParams, body: ProductEditBody },
    async (ctx, { params, body }) => {
      const before = (await loadProducts(pool, ctx.merchantId, [params.sku]))[0];
      if (!before) throw new CloudError('NOT_FOUND', `No product ${params.sku}`);
      const result = await upsertProduct(pool, ctx.merchantId, { sku: params.sku, taxClass: before.taxClass, ...body }, ctx.now);
      if (result.changed) await ctx.audit(pool, 'product.edit', params.sku, before, result.product);
      return { product: result.product, changed: result.changed };
    },
  );

  router.post(
    '/products/:sku/price',
    { permission: 'catalogue.edit', params: SkuParams, body: PriceBody },
    async (ctx, { params, body }) => {
      const before = await currentPrice(pool, ctx.merchantId, params.sku, ctx.now);
      const price = await setPrice(pool, ctx.merchantId, params.sku, body.price, body.validFrom, ctx.now);
      await ctx.audit(pool, 'price.set', params.sku, before, price);
      return { price };
    },
  );
}
