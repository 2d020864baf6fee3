import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Product } from '../../shared/schemas';
import { pickProduct } from '../checkout/pick-product';
import { useLocale } from '../hooks/use-locale';
import { localName } from '../names';
import { useCatalog, usePosStores } from '../stores/stores-context';
import { keepFocus } from './keep-focus';
import { Money } from './money';

/**
 * The shop's favourite items as tiles: a tap adds one to the cart, like a scan (a parent offers its
 * variants). `extra` sits at the heading's right.
 */
export function FavouritesGrid({ extra }: { extra?: ReactNode } = {}) {
  const { t } = useTranslation();
  const stores = usePosStores();
  const { catalog } = stores;
  const favourites = useCatalog((s) => s.favourites);
  const state = useCatalog((s) => s.favouritesState);

  return (
    <section className="favourites" aria-labelledby="favourites-title">
      <div className="favourites-head">
        <h2 id="favourites-title" className="section-title">
          {t('checkout.favourites')}
        </h2>
        {extra}
      </div>
      {state === 'failed' ? (
        <div className="panel-message">
          <p>{t('checkout.favouritesFailed')}</p>
          <button type="button" className="plain-button" onMouseDown={keepFocus} onClick={() => void catalog.getState().loadFavourites()}>
            {t('checkout.favouritesRetry')}
          </button>
        </div>
      ) : favourites.length === 0 ? (
        <p className="panel-message">{state === 'ready' ? t('checkout.favouritesEmpty') : t('checkout.favouritesLoading')}</p>
      ) : (
        <ul className="product-grid">
          {favourites.map((product) => (
            <li key={product.id}>
              <ProductTile product={product} testId={`favourite-${product.sku}`} onPress={() => void pickProduct(stores, product)} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function ProductTile({
  product,
  testId,
  onPress,
  highlighted = false,
}: {
  product: Product;
  testId: string;
  onPress: () => void;
  highlighted?: boolean;
}) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const other = localName(product, locale === 'en' ? 'zh-HK' : 'en');
  return (
    <button
      type="button"
      className={highlighted ? 'product-tile is-highlighted' : 'product-tile'}
      data-testid={testId}
      onClick={onPress}
      onMouseDown={keepFocus}
    >
      <span className="product-tile-name">{localName(product, locale)}</span>
      <span className="product-tile-other" lang={locale === 'en' ? 'zh-HK' : 'en'}>
        {other}
      </span>
      <span className="product-tile-foot">
        <span className="product-tile-sku">
          {product.sku}
          {(product.variants ?? 0) > 0 ? (
            <span className="product-tile-variants"> · {t('variants.count', { count: product.variants })}</span>
          ) : null}
        </span>
        <Money cents={product.price} className="product-tile-price" />
      </span>
    </button>
  );
}
