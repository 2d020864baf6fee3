/** Channel handlers for the catalogue as the till uses it: lookup, favourites, search, quick add. */
import type { Handlers } from '../api/router';
import type { Db } from '../db/open';
import { listCategories, listFavourites, listVariants, lookupProduct } from './catalog-repo';
import type { CatalogService } from './catalog-service';

type CatalogChannel =
  | 'catalog:lookup'
  | 'catalog:favourites'
  | 'catalog:categories'
  | 'catalog:search'
  | 'catalog:variants'
  | 'catalog:quick-add';

export function createCatalogHandlers({ db, catalog }: { db: Db; catalog: CatalogService }): Pick<Handlers, CatalogChannel> {
  return {
    'catalog:lookup': (req) => lookupProduct(db, req.code),
    'catalog:favourites': () => listFavourites(db),
    'catalog:categories': () => listCategories(db),
    'catalog:search': (req) => catalog.search(req.text),
    'catalog:variants': (req) => listVariants(db, req.productId),
    'catalog:quick-add': (req, { staff }) => catalog.quickAdd(staff, req),
  };
}
