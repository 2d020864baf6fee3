/** What a scanned or typed code means for the cart: which product, and any price or weight it carries. */
export interface ResolvedScan {
  productId: number;
  /** kg for a weight-embedded label; otherwise one unit. */
  quantity?: number;
  /** The price printed into a price-embedded label, in cents, for the whole line. */
  unitPrice?: number;
  weighed: boolean;
  embedded: boolean;
}
