/**
 * The pricing engine's input and output. The cart service builds a CartPricingInput from the cart
 * it keeps in SQLite every time the cart changes, and shows the PricedCart line by line.
 * All money is integer HKD cents; percentages are basis points (1000 = 10 %).
 */
import type { BasisPoints, Cents } from '../../shared/money';
import type { Promotion, PromotionKind } from './promotion-schema';

export type { Promotion, PromotionKind } from './promotion-schema';

/** A manual discount, as the cashier enters it. */
export type Discount = { kind: 'percent'; basisPoints: BasisPoints } | { kind: 'amount'; cents: Cents };

export interface CartLineInput {
  /** Unique in the cart; also the canonical order for every tie (allocation, unit grouping). */
  lineId: number;
  productId: number;
  sku: string;
  categoryCode: string | null;
  /** Units, or kg for weighed items: more than 0, at most 3 decimals, at most 10,000. */
  quantity: number;
  /** The catalogue price snapshot per unit (per kg for weighed items). */
  unitPrice: Cents;
  /** A price typed by staff: the line is charged at it and gets no promotion. */
  priceOverride?: { unitPrice: Cents } | null;
  /** Applies after the line's promotions, to what they leave. */
  lineDiscount?: Discount | null;
  taxClass: string;
  /** The price came from the barcode (a deli label): promotions counted in units skip the line. */
  embeddedPrice?: boolean;
  /** Sold by weight: never counts as units, even at exactly 1.000 kg. A decimal quantity implies it. */
  weighed?: boolean;
}

export interface TaxClass {
  rateBasisPoints: BasisPoints;
  /** Inclusive: the price already contains the tax (extracted for reporting). Exclusive: added on top. */
  inclusive: boolean;
}

export interface Member {
  id: number;
  tier?: string | null;
}

export interface CartPricingInput {
  lines: readonly CartLineInput[];
  cartDiscount?: Discount | null;
  /** Definitions as loaded; the engine itself keeps only the active ones in their window at `now`. */
  promotions: readonly Promotion[];
  member?: Member | null;
  /** By tax class code. 'none' is 0 % unless the table says otherwise (Hong Kong has no sales tax). */
  taxClasses: Readonly<Record<string, TaxClass>>;
  /** ms since the epoch: the engine never reads a clock. */
  now: number;
}

export interface AppliedPromotion {
  id: number;
  code: string;
  nameZh: string;
  nameEn: string;
  kind: PromotionKind;
  /** The units (or kg) of the line this promotion priced. */
  quantity: number;
  /** The saving on this line, > 0. */
  amount: Cents;
}

export interface PricedLine {
  lineId: number;
  quantity: number;
  /** The catalogue unit price. */
  listPrice: Cents;
  /** What the line is charged per unit before promotions and discounts: the override when there is one. */
  unitPrice: Cents;
  priceOverridden: boolean;
  /** unitPrice × quantity, rounded once. */
  gross: Cents;
  /** Usually zero or one; several when different units of the line fell into different promotions. */
  promotions: AppliedPromotion[];
  promotionAmount: Cents;
  /** The manual line discount as applied (capped at what the promotions left). */
  lineDiscountAmount: Cents;
  /** True when an amount discount was more than the line had left after its promotions. */
  lineDiscountCapped: boolean;
  /** This line's share of the cart discount. */
  cartDiscountAmount: Cents;
  /** lineDiscountAmount + cartDiscountAmount. */
  discountAmount: Cents;
  /** gross − promotionAmount − discountAmount: what the customer pays for the line before exclusive tax. */
  net: Cents;
  taxClass: string;
  taxInclusive: boolean;
  /** Inclusive classes: the tax inside `net`. Exclusive classes: the tax added on top of `net`. */
  tax: Cents;
  /** net, plus tax for an exclusive class. */
  total: Cents;
}

export interface AppliedCartDiscount {
  discount: Discount;
  /** What the cart discount applied to: the sum of lines after promotions and line discounts. */
  base: Cents;
  amount: Cents;
  /** True when an amount discount was more than `base`. */
  capped: boolean;
}

export interface PricedCart {
  /** In the order the input gave them; each line's figures do not depend on that order. */
  lines: PricedLine[];
  subtotal: Cents;
  promotionTotal: Cents;
  lineDiscountTotal: Cents;
  cartDiscountTotal: Cents;
  /** lineDiscountTotal + cartDiscountTotal. */
  discountTotal: Cents;
  cartDiscount: AppliedCartDiscount | null;
  /** inclusiveTaxTotal + exclusiveTaxTotal. */
  taxTotal: Cents;
  inclusiveTaxTotal: Cents;
  exclusiveTaxTotal: Cents;
  /** subtotal − promotionTotal − discountTotal + exclusiveTaxTotal = Σ line totals. Never negative. */
  total: Cents;
}
