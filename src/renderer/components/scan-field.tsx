import { useEffect, useRef, type FormEvent, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { usePosStores, usePriceCheck } from '../stores/stores-context';
import { keepFocus } from './keep-focus';

/**
 * The scan field at the top of the work area. A scanner types the code and presses Enter, so the
 * field is a form and Enter submits it. After a miss the code stays, selected, with the message
 * under it: the cashier sees what was scanned and the next scan replaces it.
 */
export function ScanField({ inputRef }: { inputRef: RefObject<HTMLInputElement | null> }) {
  const { t } = useTranslation();
  const { priceCheck } = usePosStores();
  const code = usePriceCheck((s) => s.code);
  const looking = usePriceCheck((s) => s.looking);
  const error = usePriceCheck((s) => s.error);
  const errorCode = usePriceCheck((s) => s.errorCode);
  const errorCount = usePriceCheck((s) => s.errorCount);
  const seenErrors = useRef(errorCount);

  useEffect(() => {
    if (errorCount !== seenErrors.current) inputRef.current?.select();
    seenErrors.current = errorCount;
  }, [errorCount, inputRef]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void priceCheck.getState().lookup();
  };

  return (
    <form className="scan-field" onSubmit={submit} role="search">
      <label className="visually-hidden" htmlFor="scan-input">
        {t('priceCheck.scanLabel')}
      </label>
      <div className="scan-row">
        <input
          ref={inputRef}
          id="scan-input"
          className={error ? 'scan-input has-error' : 'scan-input'}
          data-testid="scan-input"
          type="text"
          inputMode="text"
          enterKeyHint="search"
          autoComplete="off"
          autoCorrect="off"
          autoCapitalize="off"
          spellCheck={false}
          // The field exists to be typed into the moment the screen shows; see UX.md.
          autoFocus
          placeholder={t('priceCheck.scanPlaceholder')}
          value={code}
          onChange={(event) => priceCheck.getState().setCode(event.target.value)}
          aria-invalid={error !== null}
          aria-describedby="scan-error"
        />
        <button type="submit" className="scan-submit" onMouseDown={keepFocus} disabled={looking}>
          {t('priceCheck.lookup')}
          <kbd className="scan-submit-key">Enter</kbd>
        </button>
      </div>
      {/* Reserved line: a message must not shift the favourites grid under the cashier's finger. */}
      <div id="scan-error" className="scan-message" role="alert">
        {error ? (
          <p className="scan-error" data-testid="scan-error">
            {t(`priceCheck.error.${error}`, { code: errorCode })}
          </p>
        ) : (
          looking && <p className="scan-looking">{t('priceCheck.looking')}</p>
        )}
      </div>
    </form>
  );
}
