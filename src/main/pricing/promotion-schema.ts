/**
 * What a promotion is, as head office defines it and the `promotion` table stores it (kind + JSON
 * params): the one shared schema (src/shared/promotion-schema.ts), which the cloud and the head
 * office console validate with too. Parsed wherever a definition enters the register (database
 * rows, cloud pulls), so the pricing engine only ever sees well-formed promotions.
 */
export {
  BundleParams,
  BuyXGetYParams,
  MemberPriceParams,
  PercentParams,
  ProductSet,
  Promotion,
  PromotionDefinition,
  type PromotionKind,
} from '../../shared/promotion-schema';
