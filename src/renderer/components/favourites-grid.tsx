import { useTranslation } from 'react-i18next';
import type { Product } from '../../shared/schemas';
import { formatHKD } from '../../shared/money';
import { useLocale } from '../hooks/use-locale';
import { localName } from '../names';
import { usePosStores, usePriceCheck } from '../stores/stores-context';
import { keepFocus } from './keep-focus';

/** The shop's favourite items as tiles: a tap shows the same card a scan would. */
export function FavouritesGrid() {
  const { t } = useTranslation();
  const { priceCheck } = usePosStores();
  const favourites = usePriceCheck((s) => s.favourites);
  const state = usePriceCheck((s) => s.favouritesState);
  const shownId = usePriceCheck((s) => s.product?.id ?? null);

  return (
    <section className="favourites" aria-labelledby="favourites-title">
      <h2 id="favourites-title" className="section-title">
        {t('priceCheck.favourites')}
      </h2>
      {state === 'failed' ? (
        <div className="panel-message">
          <p>{t('priceCheck.favouritesFailed')}</p>
          <button type="button" className="plain-button" onMouseDown={keepFocus} onClick={() => void priceCheck.getState().loadFavourites()}>
            {t('priceCheck.favouritesRetry')}
          </button>
        </div>
      ) : favourites.length === 0 ? (
        <p className="panel-message">{state === 'ready' ? t('priceCheck.favouritesEmpty') : t('priceCheck.favouritesLoading')}</p>
      ) : (
        <ul className="favourites-grid">
          {favourites.map((product) => (
            <li key={product.id}>
              <FavouriteTile product={product} shown={product.id === shownId} onPress={() => priceCheck.getState().showProduct(product)} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function FavouriteTile({ product, shown, onPress }: { product: Product; shown: boolean; onPress: () => void }) {
  const { locale } = useLocale();
  return (
    <button
      type="button"
      className={shown ? 'favourite-tile is-shown' : 'favourite-tile'}
      data-testid={`favourite-${product.sku}`}
      onClick={onPress}
      onMouseDown={keepFocus}
    >
      <span className="favourite-name">{localName(product, locale)}</span>
      <span className="favourite-price money">{formatHKD(product.price, locale)}</span>
    </button>
  );
}
