import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { variantLabel } from '../../shared/product-variants';
import { Dialog, FieldMessage } from '../components/dialog';
import { keepFocus } from '../components/keep-focus';
import { Money } from '../components/money';
import { useLocale } from '../hooks/use-locale';
import { localName } from '../names';
import { useCatalog, usePosStores } from '../stores/stores-context';

/**
 * A parent product picked at the till (a T-shirt, an umbrella): its variants, one of which the
 * customer is buying. Keyboard first: ↑↓ move, 1–9 pick at once, Enter adds the one in focus, Esc
 * goes back to the till with nothing added.
 */
export function VariantDialog({ productId, nameZh, nameEn }: { productId: number; nameZh: string; nameEn: string }) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const { cart, catalog, ui } = usePosStores();
  const variants = useCatalog((s) => (s.variantsOf === productId ? s.variants : []));
  const state = useCatalog((s) => (s.variantsOf === productId ? s.variantsState : 'loading'));
  const [busy, setBusy] = useState(false);
  const list = useRef<HTMLUListElement>(null);
  const close = () => ui.getState().close();

  useEffect(() => {
    void catalog.getState().loadVariants(productId);
  }, [catalog, productId]);
  // The first variant has focus as soon as the list is there: Enter sells it, arrows move.
  useEffect(() => {
    if (variants.length > 0 && !list.current?.contains(document.activeElement)) list.current?.querySelector('button')?.focus();
  }, [variants.length]);

  const choose = async (id: number) => {
    if (busy) return;
    setBusy(true);
    await cart.getState().addProduct(id);
    setBusy(false);
    close();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    const buttons = [...(list.current?.querySelectorAll<HTMLButtonElement>('button') ?? [])];
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const next = event.key === 'ArrowDown' ? Math.min(buttons.length - 1, at + 1) : Math.max(0, at - 1);
      buttons[next]?.focus();
      return;
    }
    if (/^[1-9]$/.test(event.key) && !event.ctrlKey && !event.altKey && !event.metaKey) {
      const variant = variants[Number(event.key) - 1];
      if (variant) {
        event.preventDefault();
        void choose(variant.id);
      }
    }
  };

  return (
    <Dialog title={t('variants.title', { name: localName({ nameZh, nameEn }, locale) })} testId="dialog-variants" onClose={close}>
      <FieldMessage>{state === 'failed' ? t('variants.failed') : ''}</FieldMessage>
      {variants.length === 0 ? (
        <p className="panel-message">{state === 'ready' ? t('variants.empty') : t('variants.loading')}</p>
      ) : (
        <>
          <p className="variant-hint">{t('variants.hint')}</p>
          <ul className="variant-list" ref={list} onKeyDown={onKeyDown}>
            {variants.map((v, index) => (
              <li key={v.id}>
                <button
                  type="button"
                  className="variant-row"
                  data-testid={`variant-${v.sku}`}
                  disabled={busy}
                  onMouseDown={keepFocus}
                  onClick={() => void choose(v.id)}
                >
                  {index < 9 ? <kbd className="action-key">{index + 1}</kbd> : <span />}
                  <span className="variant-option">{variantLabel(v, locale)}</span>
                  <span className="variant-meta">
                    {v.sku} · {localName(v, locale)}
                  </span>
                  <Money cents={v.price} className="variant-price" />
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </Dialog>
  );
}
