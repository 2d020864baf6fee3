import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Discount } from '../../shared/checkout-schemas';
import { centsToInput, formatBasisPoints, parseDiscount, type DiscountKind } from '../checkout/number-input';
import { Dialog, DialogButtons, FieldMessage } from '../components/dialog';
import { keepFocus } from '../components/keep-focus';
import { NumericPad } from '../components/numeric-pad';
import { useErrorText } from '../hooks/use-error-text';
import { useLocale } from '../hooks/use-locale';
import { localName } from '../names';
import { useCart, useCheckoutSettings, usePosStores } from '../stores/stores-context';

/**
 * F3 折扣: a line's discount, % or amount; Shift+F3 (or the toggle) the whole cart's. Over the
 * cashier's limit main answers APPROVAL_REQUIRED and the manager PIN pad opens over this dialog.
 */
export function DiscountDialog({ lineId }: { lineId: number | null }) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const errorText = useErrorText();
  const { cart, ui } = usePosStores();
  const line = useCart((s) => (lineId === null ? null : (s.cart?.lines.find((l) => l.id === lineId) ?? null)));
  const cartDiscount = useCart((s) => s.cart?.discount ?? null);
  const limit = useCheckoutSettings((s) => s.settings.discountLimitBasisPoints);
  const current = lineId === null ? cartDiscount : (line?.discount ?? null);
  const [kind, setKind] = useState<DiscountKind>(current?.kind ?? 'percent');
  const [text, setText] = useState(() =>
    current ? (current.kind === 'percent' ? String(current.basisPoints / 100) : centsToInput(current.cents)) : '',
  );
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const close = () => ui.getState().close();
  if (lineId !== null && !line) return null;

  const apply = async (discount: Discount | null) => {
    setBusy(true);
    const state = cart.getState();
    const outcome = lineId === null ? await state.setCartDiscount(discount) : await state.setLineDiscount(lineId, discount);
    setBusy(false);
    if (outcome.ok) close();
    else if (!outcome.cancelled) setMessage(errorText(outcome.error));
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const discount = parseDiscount(kind, text);
    if (!discount) {
      setMessage(kind === 'percent' ? t('discount.invalidPercent') : t('discount.invalidAmount'));
      return;
    }
    void apply(discount);
  };

  const chooseKind = (next: DiscountKind) => {
    setKind(next);
    setText('');
    setMessage('');
  };

  return (
    <Dialog
      title={lineId === null ? t('discount.cartTitle') : t('discount.lineTitle')}
      testId="dialog-discount"
      onClose={close}
      size="small"
    >
      <form className="dialog-form" onSubmit={submit}>
        <p className="dialog-subject">{line ? localName(line, locale) : t('discount.cartTitle')}</p>
        <div className="segmented" role="radiogroup" aria-label={t('discount.label')}>
          {(['percent', 'amount'] as const).map((k) => (
            <button
              key={k}
              type="button"
              role="radio"
              aria-checked={kind === k}
              className={kind === k ? 'segment is-selected' : 'segment'}
              data-testid={`discount-kind-${k}`}
              onMouseDown={keepFocus}
              onClick={() => chooseKind(k)}
            >
              {t(`discount.${k}`)}
            </button>
          ))}
        </div>
        <label className="field">
          <span className="field-label">{t('discount.label')}</span>
          <span className="field-affix">
            {kind === 'amount' && <span className="field-prefix">HK$</span>}
            <input
              className="field-input is-number"
              data-testid="discount-input"
              type="text"
              inputMode="decimal"
              autoComplete="off"
              autoFocus
              value={text}
              onChange={(e) => {
                setText(e.target.value);
                setMessage('');
              }}
            />
            {kind === 'percent' && <span className="field-suffix">%</span>}
          </span>
        </label>
        <p className="field-hint">{t('discount.limit', { limit: formatBasisPoints(limit) })}</p>
        <FieldMessage>{message}</FieldMessage>
        <NumericPad value={text} onChange={setText} decimals={2} />
        <DialogButtons
          onCancel={close}
          busy={busy}
          extra={
            <>
              {current && (
                <button
                  type="button"
                  className="dialog-button"
                  data-testid="discount-remove"
                  onMouseDown={keepFocus}
                  onClick={() => void apply(null)}
                >
                  {t('discount.remove')}
                </button>
              )}
              <button
                type="button"
                className="dialog-button"
                data-testid="discount-scope"
                disabled={lineId === null && cart.getState().selectedLineId === null}
                onMouseDown={keepFocus}
                onClick={() => {
                  const selected = cart.getState().selectedLineId;
                  ui.getState().open(
                    lineId === null
                      ? selected === null
                        ? { kind: 'discount', lineId: null }
                        : { kind: 'discount', lineId: selected }
                      : { kind: 'discount', lineId: null },
                  );
                }}
              >
                {lineId === null ? t('discount.lineToggle') : t('discount.cartToggle')}
              </button>
            </>
          }
        />
      </form>
    </Dialog>
  );
}
