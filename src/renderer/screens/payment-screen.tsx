import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PaymentMethod } from '../../shared/checkout-schemas';
import { formatHKD } from '../../shared/money';
import { paymentSummary } from '../../shared/tender-plan';
import { ActionBar, ActionButton, LanguageButton } from '../components/action-bar';
import { keepFocus } from '../components/keep-focus';
import { Money } from '../components/money';
import { NumericPad } from '../components/numeric-pad';
import { useErrorText } from '../hooks/use-error-text';
import { useLocale } from '../hooks/use-locale';
import { localName } from '../names';
import { PAYMENT_METHOD_KEYS } from '../shortcuts';
import { useCart, useCheckoutSettings, usePayment, usePosStores } from '../stores/stores-context';
import { tenderButtonMethods } from '../stores/payment-store';
import { STORED_VALUE_KINDS, STORED_VALUE_METHOD, storedValueKindOf, type StoredValueKind } from '../../shared/stored-value';
import { GIFT_CARD_METHOD, maskGiftCard } from '../../shared/gift-card';

/**
 * 收款 (F12), one screen (UX.md): what is due, the tender buttons, the amount, quick cash, the
 * tenders added, and what is left and the change in big type. Enter adds the amount typed, and
 * once the tenders cover the sale, completes it. A negative total makes it 退款: the same screen
 * pays money back, with no change.
 */
export function PaymentScreen() {
  const total = usePayment((s) => s.total);
  // For the few milliseconds until keys pressed before F12 are answered: no figure is better than a stale one.
  const opening = usePayment((s) => s.opening);
  if (opening) return <div className="payment-screen" data-testid="payment-opening" aria-busy="true" />;
  return (
    <div className="payment-screen" data-testid="payment-screen" data-refund={total < 0}>
      <TenderEntryColumn />
      <PaymentSummaryColumn />
    </div>
  );
}

/** Esc goes back to the cart (tenders not yet sent are dropped); nothing else leaves this screen. */
export function PaymentActions({ onBack }: { onBack: () => void }) {
  const { t } = useTranslation();
  return (
    <ActionBar>
      <ActionButton shortcut="payment-back" testId="pay-back" onPress={onBack}>
        {t('action.back')}
      </ActionButton>
      <span className="action-spacer" />
      <LanguageButton />
    </ActionBar>
  );
}

function TenderEntryColumn() {
  const { t } = useTranslation();
  const { payment } = usePosStores();
  const methods = useCheckoutSettings((s) => s.methods);
  const quickCash = useCheckoutSettings((s) => s.settings.quickCash);
  const total = usePayment((s) => s.total);
  const methodCode = usePayment((s) => s.methodCode);
  const amountText = usePayment((s) => s.amountText);
  const amountSuggested = usePayment((s) => s.amountSuggested);
  const reference = usePayment((s) => s.reference);
  const approvalCode = usePayment((s) => s.approvalCode);
  const cardLast4 = usePayment((s) => s.cardLast4);
  const problem = usePayment((s) => s.problem);
  const failure = usePayment((s) => s.failure);
  const scanProblem = useCart((s) => (s.scanProblem?.kind === 'SCAN_WHILE_PAYING' ? s.scanProblem : null));
  const errorText = useErrorText();
  const { locale } = useLocale();
  const method = methods.find((m) => m.code === methodCode) ?? null;
  const storedKind = method ? storedValueKindOf(method.code) : null;
  const storedAvailable = usePayment((s) => (storedKind ? s.storedValueAvailable(storedKind) : 0));
  const refund = total < 0;
  const amountInput = useRef<HTMLInputElement>(null);
  const detailInput = useRef<HTMLInputElement>(null);
  const actions = payment.getState();

  // The field the cashier types next: the card's approval code, a wallet's reference, else the amount.
  useEffect(() => {
    const target = method?.kind === 'cash' || !detailInput.current ? amountInput.current : detailInput.current;
    target?.focus();
    target?.select();
  }, [method?.kind, methodCode]);

  const message = problem
    ? t(`payment.problem.${problem}`, { available: formatHKD(storedAvailable, locale) })
    : failure
      ? t('payment.failed', { message: errorText(failure) })
      : scanProblem
        ? t('checkout.error.SCAN_WHILE_PAYING', { code: scanProblem.code })
        : '';

  return (
    <section className="tender-entry" aria-label={t('payment.method')}>
      <DueHeader />
      <div className="tender-methods" role="radiogroup" aria-label={t('payment.method')}>
        {tenderButtonMethods(methods).map((m, index) => (
          <MethodButton
            key={m.code}
            method={m}
            index={index}
            selected={m.code === methodCode}
            onChoose={() => actions.chooseMethod(m.code)}
          />
        ))}
      </div>
      <StoredValueChoices />
      <GiftCardEntry />
      <div className="tender-body">
        <div className="tender-form">
          <div className="tender-fields">
            <label className="field">
              <span className="field-label">
                {refund ? t('payment.refundAmount') : method?.kind === 'cash' ? t('payment.tendered') : t('payment.amount')}
              </span>
              <input
                ref={amountInput}
                className="field-input is-number is-large"
                data-testid="tender-amount"
                type="text"
                inputMode="decimal"
                autoComplete="off"
                autoFocus
                value={amountText}
                onFocus={(e) => e.currentTarget.select()}
                onChange={(e) => actions.setAmountText(e.target.value)}
              />
            </label>
            {method?.kind === 'card' && (
              <>
                <label className="field">
                  <span className="field-label">{t('payment.approvalCode')}</span>
                  <input
                    ref={detailInput}
                    className="field-input"
                    data-testid="tender-approval-code"
                    type="text"
                    autoComplete="off"
                    autoCapitalize="characters"
                    spellCheck={false}
                    maxLength={12}
                    value={approvalCode}
                    onChange={(e) => actions.setApprovalCode(e.target.value)}
                  />
                </label>
                <label className="field is-narrow">
                  <span className="field-label">{t('payment.last4')}</span>
                  <input
                    className="field-input is-number"
                    data-testid="tender-last4"
                    type="text"
                    inputMode="numeric"
                    autoComplete="off"
                    maxLength={4}
                    value={cardLast4}
                    onChange={(e) => actions.setCardLast4(e.target.value)}
                  />
                </label>
              </>
            )}
            {method?.kind === 'reference' && (
              <label className="field is-wide">
                <span className="field-label">{t('payment.reference')}</span>
                <input
                  ref={detailInput}
                  className="field-input"
                  data-testid="tender-reference"
                  type="text"
                  autoComplete="off"
                  spellCheck={false}
                  maxLength={64}
                  value={reference}
                  onChange={(e) => actions.setReference(e.target.value)}
                />
              </label>
            )}
          </div>
          {method?.kind === 'card' && <p className="field-hint">{t('payment.cardNote')}</p>}
          <div className="quick-cash" role="group" aria-label={t('payment.exact')}>
            {!refund &&
              quickCash.map((note) => (
                <button
                  key={note}
                  type="button"
                  className="quick-cash-note"
                  data-testid={`quick-cash-${note}`}
                  onMouseDown={keepFocus}
                  onClick={() => actions.quickCash(note)}
                >
                  <Money cents={note} />
                </button>
              ))}
            <button
              type="button"
              className="quick-cash-note"
              data-testid="quick-cash-exact"
              onMouseDown={keepFocus}
              onClick={() => actions.quickCash('exact')}
            >
              {t('payment.exact')}
            </button>
            <span className="action-spacer" />
            <button
              type="button"
              className="dialog-button"
              data-testid="tender-add"
              onMouseDown={keepFocus}
              onClick={() => actions.addTender()}
            >
              {t('payment.add')}
            </button>
          </div>
          <div className="field-message" role="alert">
            {message && (
              <p className="field-error" data-testid="pay-error">
                {message}
              </p>
            )}
          </div>
        </div>
        <div className="tender-pad">
          <NumericPad value={amountText} replace={amountSuggested} onChange={actions.setAmountText} decimals={2} />
        </div>
      </div>
    </section>
  );
}

function DueHeader() {
  const { t } = useTranslation();
  const total = usePayment((s) => s.total);
  const refund = total < 0;
  return (
    <div className={refund ? 'pay-due is-refund' : 'pay-due'}>
      <h2 className="pay-title">{refund ? t('payment.refundTitle') : t('payment.title')}</h2>
      <span className="pay-due-label">{refund ? t('payment.refundDue') : t('payment.due')}</span>
      <Money cents={Math.abs(total)} className="pay-due-amount" testId="pay-due" />
    </div>
  );
}

function MethodButton({
  method,
  index,
  selected,
  onChoose,
}: {
  method: PaymentMethod;
  index: number;
  selected: boolean;
  onChoose: () => void;
}) {
  const { locale } = useLocale();
  const key = PAYMENT_METHOD_KEYS[index];
  return (
    <button
      type="button"
      role="radio"
      aria-checked={selected}
      className={selected ? 'tender-method is-selected' : 'tender-method'}
      data-testid={`tender-${method.code}`}
      data-kind={method.kind}
      onMouseDown={keepFocus}
      onClick={onChoose}
    >
      {key && <kbd className="action-key">{key}</kbd>}
      <span>{localName(method, locale)}</span>
    </button>
  );
}

/**
 * The member's points and store credit, when a member is on the sale: what each may pay (points
 * with their HK$ value at the rate) and a button that chooses it, its amount no more than that.
 */
function StoredValueChoices() {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const { payment } = usePosStores();
  const member = usePayment((s) => s.member);
  const methods = useCheckoutSettings((s) => s.methods);
  const methodCode = usePayment((s) => s.methodCode);
  const refund = usePayment((s) => s.total < 0);
  const points = usePayment((s) => s.storedValueAvailable('points'));
  const credit = usePayment((s) => s.storedValueAvailable('credit'));
  const pointsLeft = usePayment((s) => s.storedValueUnitsLeft('points'));
  if (!member) return null;
  const offered = STORED_VALUE_KINDS.map((kind) => ({ kind, method: methods.find((m) => m.code === STORED_VALUE_METHOD[kind]) })).filter(
    (o): o is { kind: StoredValueKind; method: PaymentMethod } => o.method !== undefined,
  );
  if (offered.length === 0) return null;
  const detail = (kind: StoredValueKind): string => {
    if (refund) return t('storedValue.refundTo');
    if (kind === 'credit') return formatHKD(credit, locale);
    return t('storedValue.pointsAvailable', {
      points: pointsLeft.toLocaleString('en-HK'),
      value: formatHKD(points, locale),
    });
  };
  return (
    <div className="stored-value" role="group" aria-label={t('storedValue.title')} data-testid="stored-value">
      <span className="stored-value-title">{t('storedValue.title')}</span>
      {offered.map(({ kind, method }) => (
        <button
          key={kind}
          type="button"
          role="radio"
          aria-checked={method.code === methodCode}
          className={method.code === methodCode ? 'tender-method stored-value-choice is-selected' : 'tender-method stored-value-choice'}
          data-testid={`tender-${method.code}`}
          data-kind={method.kind}
          disabled={!refund && (kind === 'points' ? points : credit) <= 0}
          onMouseDown={keepFocus}
          onClick={() => payment.getState().chooseMethod(method.code)}
        >
          <span>{localName(method, locale)}</span>
          <span className="stored-value-available" data-testid={`stored-value-${kind}`}>
            {detail(kind)}
          </span>
        </button>
      ))}
    </div>
  );
}

/**
 * 禮品卡: scan the card anywhere on this screen (or type its number here and Enter): it pays what is
 * left, or the amount typed first, at most what the card holds. A refund goes back to the card the
 * returned sale was paid with.
 */
function GiftCardEntry() {
  const { t } = useTranslation();
  const { payment } = usePosStores();
  const methods = useCheckoutSettings((s) => s.methods);
  const refund = usePayment((s) => s.total < 0);
  const problem = usePayment((s) => s.giftCardProblem);
  const errorText = useErrorText();
  const [code, setCode] = useState('');
  if (!methods.some((m) => m.code === GIFT_CARD_METHOD)) return null;
  const submit = () => {
    const typed = code.trim();
    if (typed === '') return;
    void payment
      .getState()
      .giftCard(typed)
      .then((ok) => ok && setCode(''));
  };
  return (
    <div className="gift-card-entry" role="group" aria-label={t('giftCard.title')} data-testid="gift-card-entry">
      <span className="stored-value-title">{t('giftCard.title')}</span>
      {refund ? (
        <button
          type="button"
          className="tender-method stored-value-choice"
          data-testid="tender-gift-card-refund"
          onMouseDown={keepFocus}
          onClick={() => payment.getState().refundToGiftCard()}
        >
          {t('giftCard.refundTo')}
        </button>
      ) : (
        <>
          <input
            className="field-input gift-card-code"
            data-testid="gift-card-code"
            type="text"
            inputMode="numeric"
            autoComplete="off"
            spellCheck={false}
            maxLength={40}
            placeholder={t('giftCard.scanOrType')}
            aria-label={t('giftCard.code')}
            value={code}
            onChange={(e) => setCode(e.target.value)}
            onKeyDown={(e) => {
              if (e.key !== 'Enter') return;
              e.preventDefault();
              e.stopPropagation();
              submit();
            }}
          />
          <button type="button" className="dialog-button" data-testid="gift-card-add" onMouseDown={keepFocus} onClick={submit}>
            {t('giftCard.pay')}
          </button>
        </>
      )}
      {problem && (
        <p className="field-error gift-card-error" role="alert" data-testid="gift-card-error">
          {errorText(problem)}
        </p>
      )}
    </div>
  );
}

function PaymentSummaryColumn() {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const { payment } = usePosStores();
  const total = usePayment((s) => s.total);
  const tenders = usePayment((s) => s.tenders);
  const methodCode = usePayment((s) => s.methodCode);
  const completing = usePayment((s) => s.completing);
  const step = useCheckoutSettings((s) => s.settings.cashRoundingStep);
  const methods = useCheckoutSettings((s) => s.methods);
  const summary = paymentSummary(total, tenders, step, methods.find((m) => m.code === methodCode)?.kind ?? null);
  const refund = summary.refund;

  return (
    <section className="pay-summary" aria-live="polite">
      <div className="pay-figures">
        {/* A tap on what is owed pays exactly that with the chosen method. */}
        <button
          type="button"
          className={summary.covered ? 'pay-figure is-done' : 'pay-figure is-owing'}
          data-testid="pay-remaining"
          disabled={summary.covered}
          onMouseDown={keepFocus}
          onClick={() => payment.getState().payRemaining()}
        >
          <span className="pay-figure-label">{refund ? t('payment.refundRemaining') : t('payment.remaining')}</span>
          <Money cents={summary.remaining} className="pay-figure-amount" />
        </button>
        <div className={summary.change > 0 ? 'pay-figure is-change' : 'pay-figure'}>
          <span className="pay-figure-label">{t('payment.change')}</span>
          <Money cents={summary.change} className="pay-figure-amount" testId="pay-change" />
        </div>
      </div>
      {summary.rounding !== 0 && (
        <p className="pay-rounding" data-testid="pay-rounding">
          {t('payment.cashDue', { amount: formatHKD(summary.cashPortion + summary.rounding, locale) })} · {t('payment.rounding')}{' '}
          <Money cents={summary.rounding} className="pay-rounding-amount" />
        </p>
      )}
      {refund && <p className="field-hint">{t('payment.noChange')}</p>}
      <h3 className="section-title">{refund ? t('payment.refundTenders') : t('payment.tenders')}</h3>
      {tenders.length === 0 ? (
        <p className="panel-empty">{t('payment.noTenders')}</p>
      ) : (
        <ol className="tender-list">
          {tenders.map((tender, index) => (
            <li key={tender.id} className="tender-line" data-testid={`tender-line-${index}`}>
              <span className="tender-line-name">
                {localName(tender.method, locale)}
                <span className="tender-line-detail">
                  {[
                    tender.approvalCode && t('receipt.approvalCode', { code: tender.approvalCode }),
                    tender.cardLast4 && t('receipt.cardLast4', { last4: tender.cardLast4 }),
                    tender.giftCardLast4
                      ? maskGiftCard(tender.giftCardLast4)
                      : tender.method.code === GIFT_CARD_METHOD
                        ? t('giftCard.original')
                        : tender.reference && t('receipt.reference', { reference: tender.reference }),
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                </span>
              </span>
              <Money cents={tender.amount} />
              <button
                type="button"
                className="tender-remove"
                data-testid={`tender-remove-${index}`}
                onMouseDown={keepFocus}
                onClick={() => payment.getState().removeTender(tender.id)}
              >
                {t('payment.remove')}
              </button>
            </li>
          ))}
        </ol>
      )}
      <p className="pay-covered">{summary.covered ? (refund ? t('payment.refundCovered') : t('payment.covered')) : ''}</p>
      <button
        type="button"
        className="pay-complete"
        data-testid="pay-complete"
        disabled={!summary.covered || completing}
        onMouseDown={keepFocus}
        onClick={() => void payment.getState().complete()}
      >
        {completing ? t('payment.completing') : t('payment.complete')}
        <kbd className="action-key">Enter</kbd>
      </button>
    </section>
  );
}
