import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog, FieldMessage } from '../components/dialog';
import { keepFocus } from '../components/keep-focus';
import { Money } from '../components/money';
import { useErrorText } from '../hooks/use-error-text';
import { useLocale } from '../hooks/use-locale';
import { localName } from '../names';
import { useStoreTime } from '../hooks/use-store-time';
import { usePosStores, useSuspended } from '../stores/stores-context';

/** F5 取單: the parked carts; a tap brings one back. Main refuses (CONFLICT) while the current cart has lines. */
export function RecallDialog() {
  const { t } = useTranslation();
  const storeTime = useStoreTime();
  const { locale } = useLocale();
  const errorText = useErrorText();
  const { cart, ui, suspended } = usePosStores();
  const carts = useSuspended((s) => s.carts);
  const loadState = useSuspended((s) => s.loadState);
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const close = () => ui.getState().close();
  const list = useRef<HTMLUListElement>(null);
  const hasCarts = carts.length > 0;

  // The list opens with its first row focused: Tab and Enter pick a sale without the mouse.
  useEffect(() => {
    if (hasCarts && !list.current?.contains(document.activeElement)) list.current?.querySelector('button')?.focus();
  }, [hasCarts]);

  const recall = async (cartId: number) => {
    setBusy(true);
    const outcome = await cart.getState().recall(cartId);
    setBusy(false);
    if (outcome.ok) close();
    else setMessage(outcome.error.code === 'CONFLICT' ? t('recall.conflict') : errorText(outcome.error));
  };

  return (
    <Dialog title={t('recall.title')} testId="dialog-recall" onClose={close}>
      <FieldMessage>{message}</FieldMessage>
      {carts.length === 0 ? (
        <div className="panel-message">
          <p>{loadState === 'failed' ? t('recall.failed') : loadState === 'ready' ? t('recall.empty') : t('recall.loading')}</p>
          {loadState === 'failed' && (
            <button type="button" className="plain-button" onMouseDown={keepFocus} onClick={() => void suspended.getState().load()}>
              {t('cart.retry')}
            </button>
          )}
        </div>
      ) : (
        <ul className="suspended-list" ref={list}>
          {carts.map((c) => (
            <li key={c.id}>
              <button
                type="button"
                className="suspended-row"
                data-testid={`suspended-${c.id}`}
                disabled={busy}
                onMouseDown={keepFocus}
                onClick={() => void recall(c.id)}
              >
                <span className="suspended-label">{c.label}</span>
                <span className="suspended-meta">
                  {t('recall.lines', { count: c.lineCount })} ·{' '}
                  {t('recall.by', {
                    name: localName({ nameZh: c.staffNameZh, nameEn: c.staffNameEn }, locale),
                    time: storeTime.time(c.suspendedAt),
                  })}
                </span>
                <Money cents={c.total} className="suspended-total" />
              </button>
            </li>
          ))}
        </ul>
      )}
    </Dialog>
  );
}
