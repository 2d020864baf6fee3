/**
 * What a promotion is: kind + params, from the one schema the register's pricing engine parses
 * with (src/shared/promotion-schema.ts), so what head office stores here is exactly what the
 * register accepts.
 */
export { Promotion, PromotionDefinition } from '../../src/shared/promotion-schema';
