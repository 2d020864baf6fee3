import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { formatHKD, parseCents } from '../../shared/money';
import { centsToInput } from '../checkout/number-input';
import { Dialog, DialogButtons, FieldMessage } from '../components/dialog';
import { keepFocus } from '../components/keep-focus';
import { NumericPad } from '../components/numeric-pad';
import { useErrorText } from '../hooks/use-error-text';
import { useLocale } from '../hooks/use-locale';
import { localName } from '../names';
import { useCart, usePosStores } from '../stores/stores-context';

/** 改價: a new unit price for the line (a manager's PIN when main asks); the list price stays on the line. */
export function PriceDialog({ lineId }: { lineId: number }) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const errorText = useErrorText();
  const { cart, ui } = usePosStores();
  const line = useCart((s) => s.cart?.lines.find((l) => l.id === lineId) ?? null);
  const [text, setText] = useState(() => (line ? centsToInput(line.unitPrice) : ''));
  const [fresh, setFresh] = useState(true);
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const close = () => ui.getState().close();
  if (!line) return null;

  const apply = async (unitPrice: number | null) => {
    setBusy(true);
    const outcome = await cart.getState().setPrice(lineId, unitPrice);
    setBusy(false);
    if (outcome.ok) close();
    else if (!outcome.cancelled) setMessage(errorText(outcome.error));
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const cents = parseCents(text);
    if (cents === null) {
      setMessage(t('price.invalid'));
      return;
    }
    void apply(cents);
  };

  return (
    <Dialog title={t('price.title')} testId="dialog-price" onClose={close} size="small">
      <form className="dialog-form" onSubmit={submit}>
        <p className="dialog-subject">{localName(line, locale)}</p>
        <p className="field-hint">{t('price.original', { price: formatHKD(line.listPrice, locale) })}</p>
        <label className="field">
          <span className="field-label">{t('price.label')}</span>
          <input
            className="field-input is-number"
            data-testid="price-input"
            type="text"
            inputMode="decimal"
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
          decimals={2}
        />
        <DialogButtons
          onCancel={close}
          busy={busy}
          extra={
            line.priceOverridden && (
              <button
                type="button"
                className="dialog-button"
                data-testid="price-restore"
                onMouseDown={keepFocus}
                onClick={() => void apply(null)}
              >
                {t('price.restore')}
              </button>
            )
          }
        />
      </form>
    </Dialog>
  );
}
