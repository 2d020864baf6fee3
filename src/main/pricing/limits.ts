/** Bounds of what one cart line may hold. Beyond them a request is a mistake (or a misread), not a sale. */

/** HK$1,000,000 a unit (defined with the promotion schema, which bounds prices too). */
export { MAX_UNIT_PRICE_CENTS } from '../../shared/promotion-schema';

/** Units (or kg) on one line. With MAX_UNIT_PRICE_CENTS a line stays below 10^12 cents, exact in a double. */
export const MAX_QUANTITY = 10_000;

/** kg to the gram. */
export const MAX_QUANTITY_DECIMALS = 3;
