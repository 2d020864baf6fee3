import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { Product } from '../../shared/schemas';
import { pickProduct } from '../checkout/pick-product';
import { searchText } from '../stores/catalog-store';
import { useCatalog, usePosStores } from '../stores/stores-context';
import { ProductTile } from './favourites-grid';

/** What the scan field's text finds, as tiles with prices; a tap, or ↑↓ and Enter, adds one (a parent offers its variants). */
export function SearchResults() {
  const { t } = useTranslation();
  const stores = usePosStores();
  const { catalog } = stores;
  const query = useCatalog((s) => s.query);
  const results = useCatalog((s) => s.results);
  const resultsFor = useCatalog((s) => s.resultsFor);
  const state = useCatalog((s) => s.searchState);
  const highlighted = useCatalog((s) => s.highlighted);
  const list = useRef<HTMLUListElement>(null);
  const text = searchText(query);

  useEffect(() => {
    if (highlighted === null) return;
    list.current?.querySelector('.is-highlighted')?.scrollIntoView({ block: 'nearest' });
  }, [highlighted]);

  const add = (product: Product) => {
    catalog.getState().clearQuery();
    void pickProduct(stores, product);
  };

  return (
    <section className="search-results" aria-labelledby="search-results-title" aria-busy={state === 'loading'}>
      <h2 id="search-results-title" className="section-title">
        {t('checkout.results', { text })}
        {results.length > 1 && <span className="section-hint">{t('checkout.resultsHint')}</span>}
      </h2>
      {state === 'failed' ? (
        <p className="panel-message">{t('checkout.searchFailed')}</p>
      ) : results.length === 0 ? (
        <p className="panel-message" data-testid="search-empty">
          {state === 'ready' && resultsFor === text ? t('checkout.noResults', { text }) : t('checkout.searching')}
        </p>
      ) : (
        <ul className="product-grid" ref={list}>
          {results.map((product, index) => (
            <li key={product.id}>
              <ProductTile
                product={product}
                testId={`search-result-${product.sku}`}
                highlighted={index === highlighted}
                onPress={() => add(product)}
              />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
