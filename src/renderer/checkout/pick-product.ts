/**
 * A product picked at the till (a search result, a favourite, a typed SKU): added to the cart, or,
 * when it is a parent with variants (sizes, colours), the chooser opens instead: the cashier sells
 * a variant, never the parent itself. A scanned variant's barcode adds that variant directly.
 */
import type { Product } from '../../shared/schemas';
import type { PosStores } from '../stores/pos-stores';

export async function pickProduct(stores: Pick<PosStores, 'cart' | 'ui'>, product: Product): Promise<'added' | 'choose'> {
  if ((product.variants ?? 0) > 0) {
    stores.ui.getState().open({ kind: 'variants', productId: product.id, nameZh: product.nameZh, nameEn: product.nameEn });
    return 'choose';
  }
  await stores.cart.getState().addProduct(product.id);
  return 'added';
}
