import { useEffect, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Receipt } from '../../shared/checkout-schemas';
import { formatHKD } from '../../shared/money';
import { formatQuantity } from '../checkout/number-input';
import { Dialog, FieldMessage } from '../components/dialog';
import { keepFocus } from '../components/keep-focus';
import { Money } from '../components/money';
import { useErrorText } from '../hooks/use-error-text';
import { useLocale } from '../hooks/use-locale';
import { localName } from '../names';
import { useStoreTime } from '../hooks/use-store-time';
import { usePosStores, useReturns, useSession } from '../stores/stores-context';
import { staffCan } from '../back-office/staff-can';
import type { ReturnsMode } from '../stores/returns-store';

/**
 * F6 退貨: with the receipt (typed or scanned: a scan while this is open fills it), choose lines and
 * quantities; without one, the item and quantity, and a manager's PIN. Either way the lines go into
 * the current cart as negative lines, so new scans after it make an exchange.
 */
export function ReturnsDialog() {
  const { t } = useTranslation();
  const { returns, ui } = usePosStores();
  const chosenMode = useReturns((s) => s.mode);
  // A role without refunds by receipt goes straight to the manager-approved path.
  const byReceipt = useSession((s) => staffCan(s.staff, 'refund.with-receipt'));
  const mode: ReturnsMode = byReceipt ? chosenMode : 'no-receipt';
  useEffect(() => {
    if (mode !== chosenMode) returns.getState().setMode(mode);
  }, [mode, chosenMode, returns]);
  const close = () => {
    returns.getState().reset();
    ui.getState().close();
  };

  const tab = (m: ReturnsMode, testId: string, label: string, enabled = true) => (
    <button
      type="button"
      disabled={!enabled}
      role="tab"
      aria-selected={mode === m}
      className={mode === m ? 'segment is-selected' : 'segment'}
      data-testid={testId}
      onMouseDown={keepFocus}
      onClick={() => returns.getState().setMode(m)}
    >
      {label}
    </button>
  );

  return (
    <Dialog title={t('returns.title')} testId="dialog-returns" onClose={close} size="large">
      <div className="segmented" role="tablist">
        {tab('receipt', 'return-with-receipt', t('returns.withReceipt'), byReceipt)}
        {tab('no-receipt', 'return-without-receipt', t('returns.withoutReceipt'))}
      </div>
      <p className="field-hint">{t('returns.hint')}</p>
      {mode === 'receipt' ? <WithReceipt onDone={close} /> : <WithoutReceipt onDone={close} />}
    </Dialog>
  );
}

function useProblemText(): string {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const problem = useReturns((s) => s.problem);
  const failure = useReturns((s) => s.failure);
  return problem ? t(`returns.problem.${problem}`) : errorText(failure);
}

function WithReceipt({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const { returns } = usePosStores();
  const receiptText = useReturns((s) => s.receiptText);
  const receipt = useReturns((s) => s.receipt);
  const finding = useReturns((s) => s.finding);
  const adding = useReturns((s) => s.adding);
  const message = useProblemText();

  const find = (event: FormEvent) => {
    event.preventDefault();
    void returns.getState().find();
  };
  const add = async (event: FormEvent) => {
    event.preventDefault();
    const outcome = await returns.getState().addToCart();
    if (outcome.ok) onDone();
  };

  return (
    <>
      <form className="returns-find" onSubmit={find}>
        <label className="field is-wide">
          <span className="field-label">{t('returns.receiptNo')}</span>
          <input
            className="field-input"
            data-testid="return-receipt-input"
            type="text"
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            maxLength={40}
            autoFocus
            placeholder={t('returns.receiptPlaceholder')}
            value={receiptText}
            onChange={(e) => returns.getState().setReceiptText(e.target.value)}
          />
        </label>
        <button type="submit" className="dialog-button" data-testid="return-find" disabled={finding} onMouseDown={keepFocus}>
          {finding ? t('returns.finding') : t('returns.find')}
          <kbd className="action-key">Enter</kbd>
        </button>
      </form>
      <FieldMessage>{message}</FieldMessage>
      {receipt && (
        <form className="dialog-form" onSubmit={(e) => void add(e)}>
          <ReturnableLines receipt={receipt} />
          <div className="dialog-buttons">
            <span className="action-spacer" />
            <button type="submit" className="dialog-button is-primary" data-testid="return-add" disabled={adding} onMouseDown={keepFocus}>
              {t('returns.add')}
              <kbd className="action-key">Enter</kbd>
            </button>
          </div>
        </form>
      )}
    </>
  );
}

function ReturnableLines({ receipt }: { receipt: Receipt }) {
  const { t } = useTranslation();
  const storeTime = useStoreTime();
  const { locale } = useLocale();
  const { returns } = usePosStores();
  const quantities = useReturns((s) => s.quantities);
  return (
    <div className="returns-sale">
      <p className="returns-sale-head">
        <strong data-testid="return-receipt-number">{receipt.receiptNo}</strong> · {storeTime.dateTime(receipt.completedAt)} ·{' '}
        {formatHKD(receipt.total, locale)}
      </p>
      <ul className="returns-lines">
        {receipt.lines.map((line) => {
          const text = quantities[line.id] ?? '';
          const chosen = text !== '' && text !== '0';
          const none = line.returnableQuantity <= 0;
          return (
            <li
              key={line.id}
              className={['returns-line', chosen ? 'is-chosen' : '', none ? 'is-done' : ''].filter(Boolean).join(' ')}
              data-testid={`return-line-${line.id}`}
            >
              <button
                type="button"
                className="returns-line-pick"
                disabled={none}
                onMouseDown={keepFocus}
                onClick={() => returns.getState().toggleLine(line.id)}
              >
                <span className="cart-line-names">
                  <span className="cart-line-name">{localName(line, locale)}</span>
                  <span className="cart-line-other">{localName(line, locale === 'en' ? 'zh-HK' : 'en')}</span>
                </span>
                <span className="returns-line-facts">
                  {t('returns.sold', { quantity: formatQuantity(line.quantity) })} ·{' '}
                  {none ? t('returns.allReturned') : t('returns.returnable', { quantity: formatQuantity(line.returnableQuantity) })}
                </span>
                <Money cents={line.net} className="returns-line-net" />
              </button>
              <span className="stepper">
                <button
                  type="button"
                  className="stepper-button"
                  aria-label="−"
                  disabled={none}
                  onMouseDown={keepFocus}
                  onClick={() => returns.getState().step(line.id, -1)}
                >
                  −
                </button>
                <input
                  className="field-input is-number stepper-input"
                  data-testid={`return-qty-${line.id}`}
                  aria-label={t('returns.returnQuantity')}
                  type="text"
                  inputMode="decimal"
                  autoComplete="off"
                  disabled={none}
                  placeholder="0"
                  value={text}
                  onChange={(e) => returns.getState().setQuantity(line.id, e.target.value)}
                />
                <button
                  type="button"
                  className="stepper-button"
                  aria-label="+"
                  disabled={none}
                  onMouseDown={keepFocus}
                  onClick={() => returns.getState().step(line.id, 1)}
                >
                  +
                </button>
              </span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

function WithoutReceipt({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const { returns } = usePosStores();
  const itemCode = useReturns((s) => s.itemCode);
  const itemQuantity = useReturns((s) => s.itemQuantity);
  const itemAmount = useReturns((s) => s.itemAmount);
  const adding = useReturns((s) => s.adding);
  const message = useProblemText();
  const approvesOwn = useSession((s) => staffCan(s.staff, 'refund.without-receipt'));

  const add = async (event: FormEvent) => {
    event.preventDefault();
    const outcome = await returns.getState().addToCart();
    if (outcome.ok) onDone();
  };

  return (
    <form className="dialog-form" onSubmit={(e) => void add(e)}>
      {!approvesOwn && <p className="dialog-warning">{t('returns.managerNeeded')}</p>}
      <label className="field">
        <span className="field-label">{t('returns.item')}</span>
        <input
          className="field-input"
          data-testid="return-item-code"
          type="text"
          autoComplete="off"
          spellCheck={false}
          maxLength={64}
          autoFocus
          value={itemCode}
          onChange={(e) => returns.getState().setItemCode(e.target.value)}
        />
      </label>
      <div className="field-row">
        <label className="field">
          <span className="field-label">{t('returns.quantity')}</span>
          <input
            className="field-input is-number"
            data-testid="return-item-qty"
            type="text"
            inputMode="decimal"
            autoComplete="off"
            value={itemQuantity}
            onChange={(e) => returns.getState().setItemQuantity(e.target.value)}
          />
        </label>
        <label className="field is-wide">
          <span className="field-label">{t('returns.amount')}</span>
          <input
            className="field-input is-number"
            data-testid="return-item-amount"
            type="text"
            inputMode="decimal"
            autoComplete="off"
            value={itemAmount}
            onChange={(e) => returns.getState().setItemAmount(e.target.value)}
          />
        </label>
      </div>
      <FieldMessage>{message}</FieldMessage>
      <div className="dialog-buttons">
        <span className="action-spacer" />
        <button type="submit" className="dialog-button is-primary" data-testid="return-add" disabled={adding} onMouseDown={keepFocus}>
          {t('returns.add')}
          <kbd className="action-key">Enter</kbd>
        </button>
      </div>
    </form>
  );
}
