/**
 * Promotions, edited in the console for every kind the register prices, validated by the one
 * shared schema (src/shared/promotion-schema.ts) the register's pricing engine parses them with,
 * and stored through the same domain function as the admin CLI, so registers pull them.
 */
import * as z from '../../../src/shared/zod';
import { PromotionDefinition } from '../../../src/shared/promotion-schema';
import { loadPromotions, upsertPromotion } from '../../domain/catalogue';
import type { HqRouter } from '../router';

const CodeParams = z.object({ code: z.string().trim().min(1).max(32) });

export function promotionRoutes(router: HqRouter): void {
  const { pool } = router;

  router.get('/promotions', { permission: 'catalogue.view' }, async (ctx) => ({ promotions: await loadPromotions(pool, ctx.merchantId) }));

  router.put(
    '/promotions/:code',
    { permission: 'catalogue.edit', params: CodeParams, body: PromotionDefinition },
    async (ctx, { params, body }) => {
      const before = (await loadPromotions(pool, ctx.merchantId)).find((p) => p.code === params.code) ?? null;
      const promotion = await upsertPromotion(pool, ctx.merchantId, { ...body, code: params.code }, ctx.now);
      await ctx.audit(pool, 'promotion.save', params.code, before, promotion);
      return { promotion };
    },
  );
}
