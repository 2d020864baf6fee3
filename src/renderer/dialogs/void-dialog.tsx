import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog, DialogButtons, FieldMessage } from '../components/dialog';
import { keepFocus } from '../components/keep-focus';
import { useErrorText } from '../hooks/use-error-text';
import { useCart, usePosStores } from '../stores/stores-context';

const REASONS = ['customerLeft', 'changedMind', 'wrongItems', 'priceDispute', 'other'] as const;

/** 取消交易: the whole cart goes, with a reason for the audit trail (a chip, and words if needed). */
export function VoidDialog() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { cart, ui } = usePosStores();
  const lineCount = useCart((s) => s.cart?.lines.length ?? 0);
  const [reason, setReason] = useState('');
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const close = () => ui.getState().close();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (reason.trim() === '') {
      setMessage(t('void.needReason'));
      return;
    }
    setBusy(true);
    const outcome = await cart.getState().voidCart(reason.trim().slice(0, 200));
    setBusy(false);
    if (outcome.ok) close();
    else setMessage(errorText(outcome.error));
  };

  return (
    <Dialog title={t('void.title')} testId="dialog-void" onClose={close}>
      <form className="dialog-form" onSubmit={(e) => void submit(e)}>
        <p className="dialog-warning">{t('void.warning', { count: lineCount })}</p>
        <div className="chip-row" role="group" aria-label={t('void.reason')}>
          {REASONS.map((key) => {
            const words = t(`void.reasons.${key}`);
            return (
              <button
                key={key}
                type="button"
                className={reason === words ? 'chip is-selected' : 'chip'}
                data-testid={`void-reason-${key}`}
                onMouseDown={keepFocus}
                onClick={() => {
                  setReason(key === 'other' ? '' : words);
                  setMessage('');
                  if (key === 'other') document.querySelector<HTMLInputElement>('[data-testid="void-reason"]')?.focus();
                }}
              >
                {words}
              </button>
            );
          })}
        </div>
        <label className="field">
          <span className="field-label">{t('void.reason')}</span>
          <input
            className="field-input"
            data-testid="void-reason"
            type="text"
            maxLength={200}
            autoComplete="off"
            autoFocus
            value={reason}
            onChange={(e) => {
              setReason(e.target.value);
              setMessage('');
            }}
          />
        </label>
        <FieldMessage>{message}</FieldMessage>
        <DialogButtons onCancel={close} busy={busy} okLabel={t('void.confirm')} />
      </form>
    </Dialog>
  );
}
