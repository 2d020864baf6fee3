import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useFocusTrap } from '../hooks/use-focus-trap';
import { keepFocus } from './keep-focus';

interface DialogProps {
  title: ReactNode;
  testId: string;
  onClose: () => void;
  size?: 'small' | 'medium' | 'large';
  children: ReactNode;
}

/**
 * A dialog over the checkout: the cart stays visible around it, Esc or the close button backs out.
 * The keyboard stays inside it (Tab cycles, nothing behind it is pressed: use-focus-trap.ts). Not a native <dialog>: its top layer would sit above the manager
 * PIN pad, which must be able to open over any dialog.
 */
export function Dialog({ title, testId, onClose, size = 'medium', children }: DialogProps) {
  const { t } = useTranslation();
  const titleId = useId();
  const frame = useRef<HTMLElement>(null);
  useFocusTrap(frame, onClose);
  // Focus moves into the dialog (its autoFocus field, or the dialog itself), so nothing typed lands
  // in the scan field behind it.
  useEffect(() => {
    if (frame.current && !frame.current.contains(document.activeElement)) frame.current.focus();
  }, []);
  return (
    <div className="dialog-backdrop">
      <section
        ref={frame}
        tabIndex={-1}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        className={`dialog dialog-${size}`}
        data-testid={testId}
      >
        <header className="dialog-header">
          <h2 id={titleId} className="dialog-title">
            {title}
          </h2>
          <button type="button" className="dialog-close" data-testid="dialog-close" onClick={onClose} onMouseDown={keepFocus}>
            {t('dialog.close')}
            <kbd className="action-key">Esc</kbd>
          </button>
        </header>
        <div className="dialog-body">{children}</div>
      </section>
    </div>
  );
}

/** OK and Cancel at the foot of a dialog form; OK submits, so Enter in any field does too. */
export function DialogButtons({
  okLabel,
  onCancel,
  busy = false,
  extra,
}: {
  okLabel?: ReactNode;
  onCancel: () => void;
  busy?: boolean;
  extra?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <div className="dialog-buttons">
      {extra}
      <span className="action-spacer" />
      <button type="button" className="dialog-button" data-testid="dialog-cancel" onClick={onCancel} onMouseDown={keepFocus}>
        {t('dialog.cancel')}
      </button>
      <button type="submit" className="dialog-button is-primary" data-testid="dialog-ok" disabled={busy} onMouseDown={keepFocus}>
        {okLabel ?? t('dialog.ok')}
        <kbd className="action-key">Enter</kbd>
      </button>
    </div>
  );
}

/** The line under a field where its problem shows; reserved so the layout does not jump. */
export function FieldMessage({ children, testId = 'dialog-error' }: { children: ReactNode; testId?: string }) {
  return (
    <div className="field-message" role="alert">
      {children ? (
        <p className="field-error" data-testid={testId}>
          {children}
        </p>
      ) : null}
    </div>
  );
}
