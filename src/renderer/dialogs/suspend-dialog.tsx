import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog, DialogButtons, FieldMessage } from '../components/dialog';
import { useErrorText } from '../hooks/use-error-text';
import { useStoreTime } from '../hooks/use-store-time';
import { usePosStores, useSuspended } from '../stores/stores-context';

/** F4 掛單: park the cart under a label the cashier can call out (客人 2 · 14:32), recall it with F5. */
export function SuspendDialog() {
  const { t } = useTranslation();
  const storeTime = useStoreTime();
  const errorText = useErrorText();
  const { cart, ui, suspended, register } = usePosStores();
  const parked = useSuspended((s) => s.carts.length);
  const [text, setText] = useState<string | null>(null);
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const close = () => ui.getState().close();

  useEffect(() => {
    void suspended.getState().load();
  }, [suspended]);

  const now = register.getState().currentTime();
  const suggested = t('suspend.defaultLabel', { number: parked + 1, time: now === null ? '' : storeTime.time(now) });
  const label = text ?? suggested;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (label.trim() === '') {
      setMessage(t('suspend.needLabel'));
      return;
    }
    setBusy(true);
    const outcome = await cart.getState().suspend(label.trim().slice(0, 40));
    setBusy(false);
    if (outcome.ok) close();
    else setMessage(errorText(outcome.error));
  };

  return (
    <Dialog title={t('suspend.title')} testId="dialog-suspend" onClose={close} size="small">
      <form className="dialog-form" onSubmit={(e) => void submit(e)}>
        <p className="field-hint">{t('suspend.hint')}</p>
        <label className="field">
          <span className="field-label">{t('suspend.label')}</span>
          <input
            className="field-input"
            data-testid="suspend-label"
            type="text"
            maxLength={40}
            autoComplete="off"
            autoFocus
            onFocus={(e) => e.currentTarget.select()}
            value={label}
            onChange={(e) => {
              setText(e.target.value);
              setMessage('');
            }}
          />
        </label>
        <FieldMessage>{message}</FieldMessage>
        <DialogButtons onCancel={close} busy={busy} okLabel={t('action.suspend')} />
      </form>
    </Dialog>
  );
}
