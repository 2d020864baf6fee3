import { useTranslation } from 'react-i18next';
import type { Product } from '../../shared/schemas';
import { formatHKD } from '../../shared/money';
import { useLocale } from '../hooks/use-locale';

/**
 * One product as the cashier reads it to a customer: both names (the customer may ask in either
 * language), SKU and barcode for checking the shelf label, and the price biggest of all.
 */
export function ProductCard({ product }: { product: Product }) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  return (
    <article className="product-card" data-testid="product-card" aria-live="polite">
      <h3 className="product-name-zh" lang="zh-HK" data-testid="product-name-zh">
        {product.nameZh}
      </h3>
      <p className="product-name-en" lang="en" data-testid="product-name-en">
        {product.nameEn}
      </p>
      <dl className="product-facts">
        <div>
          <dt>{t('product.sku')}</dt>
          <dd data-testid="product-sku">{product.sku}</dd>
        </div>
        {product.barcodes.length > 0 && (
          <div>
            <dt>{t('product.barcodes')}</dt>
            <dd>{product.barcodes.join(', ')}</dd>
          </div>
        )}
      </dl>
      <div className="product-price-row">
        <span className="product-price-label">{t('product.price')}</span>
        <span className="product-price money" data-testid="product-price">
          {formatHKD(product.price, locale)}
        </span>
      </div>
    </article>
  );
}
