import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { formatQuantity, parseQuantity } from '../checkout/number-input';
import { Dialog, DialogButtons, FieldMessage } from '../components/dialog';
import { NumericPad } from '../components/numeric-pad';
import { useErrorText } from '../hooks/use-error-text';
import { useLocale } from '../hooks/use-locale';
import { localName } from '../names';
import { useCart, usePosStores } from '../stores/stores-context';

/** F2 數量: the selected line's quantity; decimals (kg, to the gram) only for weighed items. */
export function QuantityDialog({ lineId }: { lineId: number }) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const errorText = useErrorText();
  const { cart, ui } = usePosStores();
  const line = useCart((s) => s.cart?.lines.find((l) => l.id === lineId) ?? null);
  const [text, setText] = useState(() => (line ? formatQuantity(line.quantity) : ''));
  const [fresh, setFresh] = useState(true);
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const close = () => ui.getState().close();
  if (!line) return null;
  const decimals = line.weighed ? 3 : 0;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const quantity = parseQuantity(text, { decimals: decimals > 0 });
    if (quantity === null) {
      setMessage(decimals === 0 && text.includes('.') ? t('quantity.invalidWhole') : t('quantity.invalid'));
      return;
    }
    setBusy(true);
    const outcome = await cart.getState().setQuantity(lineId, quantity);
    setBusy(false);
    if (outcome.ok) close();
    else if (!outcome.cancelled) setMessage(errorText(outcome.error));
  };

  return (
    <Dialog title={t('quantity.title')} testId="dialog-quantity" onClose={close} size="small">
      <form className="dialog-form" onSubmit={(e) => void submit(e)}>
        <p className="dialog-subject">{localName(line, locale)}</p>
        <label className="field">
          <span className="field-label">{line.weighed ? t('quantity.weighedLabel') : t('quantity.label')}</span>
          <input
            className="field-input is-number"
            data-testid="qty-input"
            type="text"
            inputMode={decimals > 0 ? 'decimal' : 'numeric'}
            autoComplete="off"
            autoFocus
            onFocus={(e) => e.currentTarget.select()}
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              setFresh(false);
              setMessage('');
            }}
          />
        </label>
        <FieldMessage>{message}</FieldMessage>
        <NumericPad
          value={text}
          replace={fresh}
          onChange={(next) => {
            setText(next);
            setFresh(false);
            setMessage('');
          }}
          decimals={decimals}
        />
        <DialogButtons onCancel={close} busy={busy} />
      </form>
    </Dialog>
  );
}
