import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { GIFT_CARD_QUICK_VALUES, maskGiftCard } from '../../shared/gift-card';
import { Dialog, FieldMessage } from '../components/dialog';
import { keepFocus } from '../components/keep-focus';
import { Money } from '../components/money';
import { useErrorText } from '../hooks/use-error-text';
import { useGiftCard, usePosStores } from '../stores/stores-context';

/**
 * ⇧F9 禮品卡 (or a gift card scanned at the till): type or scan the card's number, Enter looks it up.
 * An issued card is sold as a line of the sale (a quick value, or the value typed and Enter); the
 * sale activates it. A sold card shows its balance (it pays on the payment screen: scan it there);
 * a void or unknown one says why. The number is shown only as typed here; the card by its last 4.
 */
export function GiftCardDialog() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { giftCard, ui } = usePosStores();
  const code = useGiftCard((s) => s.code);
  const card = useGiftCard((s) => s.card);
  const valueText = useGiftCard((s) => s.valueText);
  const busy = useGiftCard((s) => s.busy);
  const failure = useGiftCard((s) => s.failure);
  const problem = useGiftCard((s) => s.problem);
  const close = () => ui.getState().close();
  const sellable = card?.status === 'issued';

  const sell = async (value?: number) => {
    if (await giftCard.getState().sell(value)) close();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (sellable) await sell();
    else await giftCard.getState().lookup();
  };

  return (
    <Dialog title={t('giftCard.title')} testId="dialog-gift-card" onClose={close} size="large">
      <form className="gift-card-form" onSubmit={(e) => void submit(e)}>
        <div className="returns-find">
          <label className="field is-wide">
            <span className="field-label">{t('giftCard.code')}</span>
            <input
              className="field-input"
              data-testid="gift-card-query"
              type="text"
              inputMode="numeric"
              autoComplete="off"
              spellCheck={false}
              maxLength={40}
              autoFocus={!sellable}
              placeholder={t('giftCard.scanOrType')}
              value={code}
              onChange={(e) => giftCard.getState().setCode(e.target.value)}
            />
          </label>
          {!sellable && (
            <button type="submit" className="dialog-button is-primary" data-testid="gift-card-find" disabled={busy} onMouseDown={keepFocus}>
              {t('giftCard.find')}
              <kbd className="action-key">Enter</kbd>
            </button>
          )}
        </div>
        <FieldMessage testId="gift-card-problem">{problem ? t(`giftCard.problem.${problem}`) : errorText(failure)}</FieldMessage>
        {card && (
          <section className="member-card gift-card-card" data-testid="gift-card-found" data-status={card.status}>
            <p className="member-card-name" data-testid="gift-card-masked">
              {t('giftCard.title')} {maskGiftCard(card.last4)}
            </p>
            <dl className="member-card-facts">
              <div>
                <dt>{t('giftCard.statusLabel')}</dt>
                <dd data-testid="gift-card-status">{t(`giftCard.status.${card.status}`)}</dd>
              </div>
              <div>
                <dt>{t('giftCard.balance')}</dt>
                <dd data-testid="gift-card-balance">
                  <Money cents={card.balance} />
                </dd>
              </div>
            </dl>
            {card.status === 'active' && <p className="member-card-note">{t('giftCard.payHint')}</p>}
          </section>
        )}
        {sellable && (
          <div className="gift-card-sell" data-testid="gift-card-sell">
            <p className="field-label">{t('giftCard.sellValue')}</p>
            <div className="quick-cash" role="group" aria-label={t('giftCard.sellValue')}>
              {GIFT_CARD_QUICK_VALUES.map((value) => (
                <button
                  key={value}
                  type="button"
                  className="quick-cash-note"
                  data-testid={`gift-card-value-${value}`}
                  disabled={busy}
                  onMouseDown={keepFocus}
                  onClick={() => void sell(value)}
                >
                  <Money cents={value} />
                </button>
              ))}
              <label className="field is-narrow">
                <span className="field-label">{t('giftCard.otherValue')}</span>
                <input
                  className="field-input is-number"
                  data-testid="gift-card-value"
                  type="text"
                  inputMode="decimal"
                  autoComplete="off"
                  autoFocus
                  value={valueText}
                  onChange={(e) => giftCard.getState().setValueText(e.target.value)}
                />
              </label>
              <button
                type="submit"
                className="dialog-button is-primary"
                data-testid="gift-card-sell-add"
                disabled={busy}
                onMouseDown={keepFocus}
              >
                {t('giftCard.sell')}
                <kbd className="action-key">Enter</kbd>
              </button>
            </div>
          </div>
        )}
      </form>
    </Dialog>
  );
}
