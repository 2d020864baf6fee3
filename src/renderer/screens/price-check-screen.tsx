import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { ActionBar, ActionButton, LanguageButton } from '../components/action-bar';
import { AppShell } from '../components/app-shell';
import { FavouritesGrid } from '../components/favourites-grid';
import { ProductCard } from '../components/product-card';
import { ScanField } from '../components/scan-field';
import { useKeyHandler } from '../hooks/use-key-handler';
import { useLocale } from '../hooks/use-locale';
import { isTypingKey, type KeyPress } from '../keys';
import { resolveShortcut } from '../shortcuts';
import { usePosStores, usePriceCheck } from '../stores/stores-context';

/** 查價: scan or tap, and the right-hand column shows the product, where the cart will be. */
export function PriceCheckScreen() {
  const { t } = useTranslation();
  const { priceCheck, session } = usePosStores();
  const { toggleLocale } = useLocale();
  const scanInput = useRef<HTMLInputElement>(null);

  const clearScan = () => {
    priceCheck.getState().clear();
    scanInput.current?.focus();
  };
  const logout = () => void session.getState().logout();

  useKeyHandler((press: KeyPress, event: KeyboardEvent) => {
    const shortcut = resolveShortcut('price-check', press);
    if (shortcut === 'clear-scan') clearScan();
    else if (shortcut === 'logout') logout();
    else if (shortcut === 'toggle-language') toggleLocale();
    if (shortcut) return true;
    // A scan while focus is elsewhere still lands in the field: move focus before the character
    // is typed, and the browser types it there.
    const input = scanInput.current;
    if (input && event.target !== input && isTypingKey(press)) input.focus();
    return false;
  });

  return (
    <AppShell
      actions={
        <ActionBar>
          <ActionButton shortcut="clear-scan" testId="clear-scan" onPress={clearScan}>
            {t('action.clear')}
          </ActionButton>
          <LanguageButton />
          <span className="action-spacer" />
          <ActionButton shortcut="logout" testId="logout" onPress={logout}>
            {t('action.logout')}
          </ActionButton>
        </ActionBar>
      }
    >
      <div className="price-check-screen">
        <div className="work-column">
          <ScanField inputRef={scanInput} />
          <FavouritesGrid />
        </div>
        <ProductPanel />
      </div>
    </AppShell>
  );
}

function ProductPanel() {
  const { t } = useTranslation();
  const product = usePriceCheck((s) => s.product);
  return (
    <aside className="side-panel" aria-labelledby="product-panel-title">
      <h2 id="product-panel-title" className="panel-title">
        {t('priceCheck.title')}
      </h2>
      {product ? <ProductCard key={product.id} product={product} /> : <p className="panel-empty">{t('priceCheck.emptyPanel')}</p>}
    </aside>
  );
}
