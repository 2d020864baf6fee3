/** Products, their variants and prices, edited through the same domain functions as the admin CLI (so registers pull them). */
import * as z from '../../../src/shared/zod';
import { CloudError } from '../../errors';
import { currentPrice, loadProducts, setPrice, upsertProduct } from '../../domain/catalogue';
import { PriceBody, ProductEditBody, ProductSearchQuery, VariantBody, type ProductRow } from '../contract';
import type { HqRouter } from '../router';

const SkuParams = z.object({ sku: z.string().min(1).max(64) });

export function catalogueRoutes(router: HqRouter): void {
  const { pool } = router;

  /**
   * Up to `limit` products that match, each with its whole family: a variant that matches brings
   * its parent and a parent brings its variants, the variants right under their parent.
   */
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
          parent_sku: string | null;
          option_zh: string;
          option_en: string;
          barcodes: string[];
          price: number | null;
        }>(
          `WITH hit AS (
             SELECT p.sku, coalesce(p.parent_sku, p.sku) AS family, p.sku = $2 AS exact
             FROM product p
             WHERE p.merchant_id = $1 AND ($2 = '' OR p.sku = $2 OR p.name_zh ILIKE $3 OR p.name_en ILIKE $3 OR p.sku ILIKE $3
                   OR p.option_zh ILIKE $3 OR p.option_en ILIKE $3
                   OR EXISTS (SELECT 1 FROM barcode b WHERE b.merchant_id = p.merchant_id AND b.code = $2 AND b.sku = p.sku))
             ORDER BY (p.sku = $2) DESC, p.sku LIMIT $5
           ), family AS (SELECT family, bool_or(exact) AS exact FROM hit GROUP BY family),
           member AS (
             SELECT f.family, f.exact, p.* FROM family f JOIN product p ON p.merchant_id = $1 AND p.sku = f.family
             UNION ALL
             SELECT f.family, f.exact, p.* FROM family f JOIN product p ON p.merchant_id = $1 AND p.parent_sku = f.family
           )
           SELECT m.sku, m.name_zh, m.name_en, m.category_code, m.active, m.parent_sku, m.option_zh, m.option_en,
                  coalesce((SELECT array_agg(b.code ORDER BY b.code) FROM barcode b WHERE b.merchant_id = m.merchant_id AND b.sku = m.sku), '{}') AS barcodes,
                  (SELECT pr.price FROM price pr WHERE pr.merchant_id = m.merchant_id AND pr.sku = m.sku AND pr.valid_from <= $4
                   ORDER BY pr.valid_from DESC LIMIT 1) AS price
           FROM member m
           ORDER BY m.exact DESC, m.family, m.parent_sku IS NOT NULL, m.sku`,
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
          parentSku: r.parent_sku,
          optionZh: r.option_zh,
          optionEn: r.option_en,
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
      // standing alone again: the option labels go with the parent (a product without one has none)
      const detached = body.parentSku === null && before.parentSku !== null ? { optionZh: '', optionEn: '' } : {};
      const result = await upsertProduct(
        pool,
        ctx.merchantId,
        { sku: params.sku, taxClass: before.taxClass, ...body, ...detached },
        ctx.now,
      );
      if (result.changed) {
        // a new parent (made a variant, moved, detached) is audited as such, with the whole product before and after
        const reparented = before.parentSku !== result.product.parentSku;
        await ctx.audit(pool, reparented ? 'product.variant.parent' : 'product.edit', params.sku, before, result.product);
      }
      return { product: result.product, changed: result.changed };
    },
  );

  /** A new variant of `sku` (a size or a colour): named after its parent and the option, in the parent's category. */
  router.post(
    '/products/:sku/variants',
    { permission: 'catalogue.edit', params: SkuParams, body: VariantBody },
    async (ctx, { params, body }) => {
      const parent = (await loadProducts(pool, ctx.merchantId, [params.sku]))[0];
      if (!parent) throw new CloudError('NOT_FOUND', `No product ${params.sku}`);
      if ((await loadProducts(pool, ctx.merchantId, [body.sku])).length > 0)
        throw new CloudError('CONFLICT', `SKU ${body.sku} is already in the catalogue`, {
          issues: [{ path: 'sku', message: 'SKU_TAKEN' }],
        });
      const result = await upsertProduct(
        pool,
        ctx.merchantId,
        {
          sku: body.sku,
          nameZh: `${parent.nameZh} ${body.optionZh}`.slice(0, 200),
          nameEn: `${parent.nameEn} ${body.optionEn}`.slice(0, 200),
          categoryCode: parent.categoryCode,
          taxClass: parent.taxClass,
          active: true,
          barcodes: body.barcodes,
          parentSku: parent.sku,
          optionZh: body.optionZh,
          optionEn: body.optionEn,
          ...(body.price === undefined ? {} : { price: body.price }),
        },
        ctx.now,
      );
      await ctx.audit(pool, 'product.variant.create', body.sku, null, { ...result.product, price: result.price?.price ?? null });
      return { product: result.product };
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
