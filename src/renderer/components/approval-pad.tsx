import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocale } from '../hooks/use-locale';
import { localName } from '../names';
import { PIN_MAX_DIGITS } from '../stores/session-store';
import { useApproval, usePosStores } from '../stores/stores-context';
import { useFocusTrap } from '../hooks/use-focus-trap';
import { keepFocus } from './keep-focus';

const DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;

/**
 * Manager override: a small PIN pad over whatever is on screen, not a navigation. The manager taps
 * their name and types the PIN (keys or pad); the cashier's request then goes again, approved.
 */
export function ApprovalPad() {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const { approval } = usePosStores();
  const open = useApproval((s) => s.open);
  const reason = useApproval((s) => s.reason);
  const managers = useApproval((s) => s.managers);
  const managersState = useApproval((s) => s.managersState);
  const managerId = useApproval((s) => s.managerId);
  const pin = useApproval((s) => s.pin);
  const error = useApproval((s) => s.error);
  const submitting = useApproval((s) => s.submitting);
  const pad = useRef<HTMLElement>(null);
  // Esc is the checkout's key (it cancels the request that asked); Tab stays on the pad.
  useFocusTrap(pad, undefined, open);

  // The PIN is typed here, never into the field of the dialog underneath; focus goes back after.
  useEffect(() => {
    if (!open) return;
    const previous = document.activeElement;
    pad.current?.focus();
    return () => {
      if (previous instanceof HTMLElement && previous.isConnected) previous.focus();
    };
  }, [open]);

  if (!open) return null;
  const actions = approval.getState();
  const manager = managers.find((m) => m.id === managerId) ?? null;

  return (
    <div className="approval-backdrop">
      <section
        ref={pad}
        tabIndex={-1}
        className="approval-pad"
        role="dialog"
        aria-modal="true"
        aria-labelledby="approval-title"
        data-testid="approval-dialog"
      >
        <header className="approval-head">
          <h2 id="approval-title" className="approval-title">
            {t('approval.title')}
          </h2>
          {reason && <p className="approval-reason">{t(`approval.reason.${reason}`)}</p>}
        </header>
        <div className="approval-managers" role="radiogroup" aria-label={t('approval.manager')}>
          {managers.length === 0 ? (
            <p className="panel-message">{managersState === 'loading' ? t('approval.loadingManagers') : t('approval.noManagers')}</p>
          ) : (
            managers.map((m) => (
              <button
                key={m.id}
                type="button"
                role="radio"
                aria-checked={m.id === managerId}
                className={m.id === managerId ? 'approval-manager is-selected' : 'approval-manager'}
                data-testid={`approval-manager-${m.id}`}
                onMouseDown={keepFocus}
                onClick={() => actions.selectManager(m.id)}
              >
                {localName(m, locale)}
              </button>
            ))
          )}
        </div>
        <p className="approval-prompt">{manager ? t('approval.pinFor', { name: localName(manager, locale) }) : t('approval.choose')}</p>
        <div className="pin-display approval-pin" role="status" aria-label={t('login.pinEntered', { count: pin.length })}>
          {Array.from({ length: PIN_MAX_DIGITS }, (_, i) => (
            <span key={i} className={i < pin.length ? 'pin-dot is-filled' : 'pin-dot'} aria-hidden="true" />
          ))}
        </div>
        <div className="pin-message" role="alert">
          {error && (
            <p className="pin-error" data-testid="approval-error" data-error={error}>
              {t(`approval.error.${error}`)}
            </p>
          )}
        </div>
        <div className="approval-keys">
          {DIGITS.map((d) => (
            <button
              key={d}
              type="button"
              className="pin-key"
              data-testid={`approval-pin-key-${d}`}
              disabled={submitting}
              onMouseDown={keepFocus}
              onClick={() => actions.pressDigit(d)}
            >
              {d}
            </button>
          ))}
          <button
            type="button"
            className="pin-key pin-key-secondary"
            data-testid="approval-pin-clear"
            disabled={submitting}
            onMouseDown={keepFocus}
            onClick={actions.clearPin}
          >
            {t('login.keyClear')}
          </button>
          <button
            type="button"
            className="pin-key"
            data-testid="approval-pin-key-0"
            disabled={submitting}
            onMouseDown={keepFocus}
            onClick={() => actions.pressDigit('0')}
          >
            0
          </button>
          <button
            type="button"
            className="pin-key pin-key-secondary"
            data-testid="approval-pin-delete"
            aria-label={t('login.keyDelete')}
            disabled={submitting}
            onMouseDown={keepFocus}
            onClick={actions.deleteDigit}
          >
            ⌫
          </button>
        </div>
        <footer className="approval-buttons">
          <button type="button" className="dialog-button" data-testid="approval-cancel" onMouseDown={keepFocus} onClick={actions.cancel}>
            {t('dialog.cancel')}
            <kbd className="action-key">Esc</kbd>
          </button>
          <button
            type="button"
            className="dialog-button is-primary"
            data-testid="approval-ok"
            disabled={submitting || managerId === null}
            onMouseDown={keepFocus}
            onClick={() => void actions.submit()}
          >
            {t('approval.ok')}
            <kbd className="action-key">Enter</kbd>
          </button>
        </footer>
      </section>
    </div>
  );
}
