import { useEffect, useRef, type FormEvent, type ReactNode, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { submitScanField } from '../checkout/scan-field-submit';
import { useCart, useCatalog, usePosStores } from '../stores/stores-context';
import { keepFocus } from './keep-focus';

/**
 * The scan field at the top of the work area: codes and names both. Scanner bursts never land
 * here (they go straight to the cart); typing does, and shows search results below. A miss shows
 * under the field with the code, and a sound, never a blocking alert; the code stays selected so
 * the next scan or keystroke replaces it.
 */
export function ScanField({ inputRef, extra }: { inputRef: RefObject<HTMLInputElement | null>; extra?: ReactNode }) {
  const { t } = useTranslation();
  const stores = usePosStores();
  const query = useCatalog((s) => s.query);
  const problem = useCart((s) => s.scanProblem);
  const problemCount = useCart((s) => s.problemCount);
  const imeComposing = useCart((s) => s.imeComposing);
  const seenProblems = useRef(problemCount);

  useEffect(() => {
    if (problemCount !== seenProblems.current && document.activeElement === inputRef.current) inputRef.current?.select();
    seenProblems.current = problemCount;
  }, [problemCount, inputRef]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void submitScanField(stores);
  };

  const openQuickAdd = () => {
    if (problem) stores.ui.getState().open({ kind: 'quick-add', code: problem.code });
  };

  return (
    <form className="scan-field" onSubmit={submit} role="search">
      <label className="visually-hidden" htmlFor="scan-input">
        {t('checkout.scanLabel')}
      </label>
      <div className="scan-row">
        <input
          ref={inputRef}
          id="scan-input"
          className={problem ? 'scan-input has-error' : 'scan-input'}
          data-testid="scan-input"
          type="text"
          inputMode="text"
          enterKeyHint="enter"
          autoComplete="off"
          autoCorrect="off"
          autoCapitalize="off"
          spellCheck={false}
          maxLength={64}
          // The field is ready the moment the screen shows; see UX.md.
          autoFocus
          placeholder={t('checkout.scanPlaceholder')}
          value={query}
          onChange={(event) => {
            stores.catalog.getState().setQuery(event.target.value);
            stores.cart.getState().clearScanProblem();
          }}
          aria-invalid={problem !== null}
          aria-describedby="scan-message"
        />
        <button type="submit" className="scan-submit" onMouseDown={keepFocus}>
          {t('checkout.add')}
          <kbd className="scan-submit-key">Enter</kbd>
        </button>
        {extra}
      </div>
      {/* Reserved line: a message must not shift the grid under the cashier's finger. */}
      <div id="scan-message" className="scan-message" role="alert">
        {problem ? (
          <p className="scan-error" data-testid="scan-error" data-kind={problem.kind}>
            <span>{t(`checkout.error.${problem.kind}`, { code: problem.code })}</span>
            {problem.kind === 'ITEM_NOT_FOUND' && (
              <button
                type="button"
                className="inline-button"
                data-testid="item-not-found-add"
                onMouseDown={keepFocus}
                onClick={openQuickAdd}
              >
                {t('checkout.addUnknown')}
              </button>
            )}
          </p>
        ) : imeComposing ? (
          <p className="scan-warning" data-testid="ime-warning">
            {t('checkout.imeWarning')}
          </p>
        ) : null}
      </div>
    </form>
  );
}
