/**
 * Enter in the scan field. The field takes both codes and names, so Enter decides which it was:
 * a result chosen with the arrows is added; digits are a barcode (`cart:scan`); other text is
 * searched, and one result, or a result whose SKU is exactly the text, is added; several are
 * offered for the arrows; none is tried as a code (internal codes and SKUs main knows). A parent
 * with variants opens the variant chooser instead of being added (pick-product.ts).
 */
import { ScanCode } from '../../shared/schemas';
import { routeScan } from '../scanner/scan-router';
import { pickProduct } from './pick-product';
import { searchText } from '../stores/catalog-store';
import type { PosStores } from '../stores/pos-stores';

export type ScanFieldResult = 'added' | 'scanned' | 'choose' | 'missed' | 'nothing';

export async function submitScanField(stores: PosStores): Promise<ScanFieldResult> {
  const catalog = stores.catalog.getState();
  const text = searchText(catalog.query);
  if (text === '') return 'nothing';

  // A returns or sale-lookup dialog is asking for a code: the field answers it, as a scan would.
  const dialog = stores.ui.getState().dialog?.kind;
  if (dialog === 'returns' || dialog === 'lookup') {
    catalog.clearQuery();
    routeScan(stores, text);
    return 'scanned';
  }

  const chosen = catalog.highlighted === null ? undefined : catalog.results[catalog.highlighted];
  if (chosen && catalog.resultsFor === text) {
    catalog.clearQuery();
    return pickProduct(stores, chosen);
  }

  if (/^\d+$/.test(text)) return scanCode(stores, text);
  // A cart intent from Enter on: the line is added only after the search, and F12 pressed
  // meanwhile must open the payment on the cart with it (cart store's `settled()`).
  return stores.cart.getState().intent(() => searchThenAdd(stores, text));
}

/** Text that is not only digits: one result or the exact SKU is added, several are offered, none is tried as a code. */
async function searchThenAdd(stores: PosStores, text: string): Promise<ScanFieldResult> {
  const catalog = stores.catalog.getState();
  if (catalog.resultsFor !== text || catalog.searchState !== 'ready') await catalog.searchNow();
  const { results, resultsFor } = stores.catalog.getState();
  if (resultsFor === text) {
    const exact = results.find((p) => p.sku.toUpperCase() === text.toUpperCase());
    const only = results.length === 1 ? results[0] : undefined;
    const pick = exact ?? only;
    if (pick) {
      stores.catalog.getState().clearQuery();
      return pickProduct(stores, pick);
    }
    if (results.length > 1) {
      stores.catalog.getState().moveHighlight(1);
      return 'choose';
    }
  }
  if (!ScanCode.safeParse(text).success) return 'choose';
  return scanCode(stores, text);
}

async function scanCode(stores: PosStores, text: string): Promise<ScanFieldResult> {
  const outcome = await stores.cart.getState().scan(text);
  if (outcome.ok) {
    stores.catalog.getState().clearQuery();
    return 'scanned';
  }
  return 'missed';
}
