import { maskGiftCard } from '../../shared/gift-card';
import { useTranslation } from 'react-i18next';
import type { Receipt } from '../../shared/checkout-schemas';
import { formatHKD } from '../../shared/money';
import { formatQuantity } from '../checkout/number-input';
import { useLocale } from '../hooks/use-locale';
import { localName } from '../names';
import { useStoreTime } from '../hooks/use-store-time';
import { Deduction, Money } from './money';

/**
 * The receipt as paper: what the printer prints, in the same order, so the cashier can read it
 * to a customer or check a reprint. Both names on each line, like the printed receipt.
 */
export function ReceiptView({ receipt }: { receipt: Receipt }) {
  const { t } = useTranslation();
  const storeTime = useStoreTime();
  const { locale } = useLocale();
  const refund = receipt.total < 0;
  return (
    <article className="receipt-paper" data-testid="receipt" data-receipt-no={receipt.receiptNo} data-copy={receipt.copy}>
      {receipt.copy && (
        <p className="receipt-copy" data-testid="receipt-copy">
          {t('receipt.copy')}
        </p>
      )}
      <header className="receipt-store">
        <h3 className="receipt-store-name">{receipt.store.nameZh}</h3>
        <p>{receipt.store.nameEn}</p>
        <p>{locale === 'en' ? receipt.store.addressEn : receipt.store.addressZh}</p>
        {receipt.store.phone && <p>{t('receipt.phone', { phone: receipt.store.phone })}</p>}
      </header>
      <dl className="receipt-facts">
        <div>
          <dt>{t('receipt.number')}</dt>
          <dd data-testid="receipt-number">{receipt.receiptNo}</dd>
        </div>
        <div>
          <dt>{t(`receipt.kind.${receipt.kind}`)}</dt>
          <dd data-testid="receipt-date">{storeTime.dateTime(receipt.completedAt)}</dd>
        </div>
        <div>
          <dt>{t('receipt.register')}</dt>
          <dd>{receipt.registerName}</dd>
        </div>
        <div>
          <dt>{t('receipt.cashier')}</dt>
          <dd>{localName(receipt.staff, locale)}</dd>
        </div>
        {receipt.originalReceiptNo && (
          <div>
            <dd className="receipt-original">{t('receipt.original', { receiptNo: receipt.originalReceiptNo })}</dd>
          </div>
        )}
      </dl>
      <ul className="receipt-lines">
        {receipt.lines.map((line) => (
          <li key={line.id} className="receipt-line">
            <span className="receipt-line-row">
              <span className="receipt-line-name">{line.nameZh}</span>
              <Money cents={line.gross} />
            </span>
            <span className="receipt-line-sub">
              {line.nameEn} · {formatQuantity(line.quantity)} × {formatHKD(line.unitPrice, locale)}
            </span>
            {line.promotions.map((p) => (
              <span key={p.id} className="receipt-line-row receipt-adjust">
                <span>{localName(p, locale)}</span>
                <Deduction cents={p.amount} />
              </span>
            ))}
            {line.discountAmount !== 0 && (
              <span className="receipt-line-row receipt-adjust">
                <span>{t('receipt.discounts')}</span>
                <Deduction cents={line.discountAmount} />
              </span>
            )}
            {line.giftCard && (
              <span className="receipt-line-sub" data-testid="receipt-gift-card-line">
                {t(line.quantity > 0 ? 'receipt.giftCardSold' : 'receipt.giftCardVoid', {
                  card: maskGiftCard(line.giftCard.last4),
                  balance: formatHKD(line.giftCard.balanceAfter, locale),
                })}
              </span>
            )}
          </li>
        ))}
      </ul>
      <dl className="receipt-totals">
        <ReceiptRow label={t('receipt.subtotal')} cents={receipt.subtotal} />
        {receipt.promotionTotal !== 0 && <ReceiptRow label={t('receipt.promotions')} cents={-Math.abs(receipt.promotionTotal)} />}
        {receipt.discountTotal !== 0 && <ReceiptRow label={t('receipt.discounts')} cents={-Math.abs(receipt.discountTotal)} />}
        {receipt.taxTotal !== 0 && <ReceiptRow label={t('receipt.tax')} cents={receipt.taxTotal} />}
        <ReceiptRow label={refund ? t('receipt.refundTotal') : t('receipt.total')} cents={receipt.total} strong testId="receipt-total" />
        {receipt.rounding !== 0 && <ReceiptRow label={t('receipt.rounding')} cents={receipt.rounding} testId="receipt-rounding" />}
      </dl>
      <ul className="receipt-payments">
        {receipt.payments.map((payment, index) => (
          <li key={index} className="receipt-payment">
            <span className="receipt-line-row">
              <span>{localName(payment, locale)}</span>
              <Money cents={payment.amount} />
            </span>
            {payment.tendered !== payment.amount && (
              <span className="receipt-line-sub">{t('receipt.tendered', { amount: formatHKD(payment.tendered, locale) })}</span>
            )}
            {payment.approvalCode && <span className="receipt-line-sub">{t('receipt.approvalCode', { code: payment.approvalCode })}</span>}
            {payment.cardLast4 && <span className="receipt-line-sub">{t('receipt.cardLast4', { last4: payment.cardLast4 })}</span>}
            {payment.storedValue?.card ? (
              <span className="receipt-line-sub" data-testid="receipt-gift-card-payment">
                {t('receipt.giftCardBalance', {
                  card: maskGiftCard(payment.storedValue.card.last4),
                  balance: formatHKD(payment.storedValue.balanceAfter, locale),
                })}
              </span>
            ) : (
              payment.reference && <span className="receipt-line-sub">{t('receipt.reference', { reference: payment.reference })}</span>
            )}
            {payment.storedValue?.kind === 'points' && (
              <span className="receipt-line-sub">
                {t('receipt.storedValueUnits', { points: Math.abs(payment.storedValue.units).toLocaleString('en-HK') })}
              </span>
            )}
          </li>
        ))}
      </ul>
      {receipt.change !== 0 && (
        <dl className="receipt-totals">
          <ReceiptRow label={t('receipt.change')} cents={receipt.change} strong testId="receipt-change" />
        </dl>
      )}
      {receipt.member && (
        <dl className="receipt-totals receipt-member" data-testid="receipt-member">
          <div className="receipt-row">
            <dt>{t('receipt.member', { name: receipt.member.name, phone: receipt.member.maskedPhone })}</dt>
          </div>
          <div className="receipt-row">
            <dt>{receipt.member.pointsEarned < 0 ? t('receipt.pointsReversed') : t('receipt.pointsEarned')}</dt>
            <dd data-testid="receipt-points-earned">
              {receipt.member.pointsEarned > 0 ? `+${receipt.member.pointsEarned}` : receipt.member.pointsEarned}
            </dd>
          </div>
          {receipt.member.pointsRedeemed !== undefined && (
            <div className="receipt-row">
              <dt>{receipt.member.pointsRedeemed < 0 ? t('receipt.pointsRefunded') : t('receipt.pointsRedeemed')}</dt>
              <dd data-testid="receipt-points-redeemed">{Math.abs(receipt.member.pointsRedeemed).toLocaleString('en-HK')}</dd>
            </div>
          )}
          <div className="receipt-row">
            <dt>{t('receipt.pointsBalance')}</dt>
            <dd data-testid="receipt-points-balance">{receipt.member.pointsBalance.toLocaleString('en-HK')}</dd>
          </div>
          {receipt.member.storeCreditUsed !== undefined && (
            <ReceiptRow
              label={receipt.member.storeCreditUsed < 0 ? t('receipt.creditRefunded') : t('receipt.creditUsed')}
              cents={Math.abs(receipt.member.storeCreditUsed)}
              testId="receipt-credit-used"
            />
          )}
          {receipt.member.storeCreditBalance !== undefined && (
            <ReceiptRow label={t('receipt.creditBalance')} cents={receipt.member.storeCreditBalance} testId="receipt-credit-balance" />
          )}
        </dl>
      )}
      <p className="receipt-thanks">{t('receipt.thanks')}</p>
    </article>
  );
}

function ReceiptRow({ label, cents, strong = false, testId }: { label: string; cents: number; strong?: boolean; testId?: string }) {
  return (
    <div className={strong ? 'receipt-row is-strong' : 'receipt-row'}>
      <dt>{label}</dt>
      <dd>
        <Money cents={cents} {...(testId ? { testId } : {})} />
      </dd>
    </div>
  );
}
