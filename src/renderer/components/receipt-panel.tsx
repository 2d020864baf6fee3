import { useTranslation } from 'react-i18next';
import { usePosStores, useReceipts, useRegister } from '../stores/stores-context';
import { keepFocus } from './keep-focus';
import { Money } from './money';
import { ReceiptView } from './receipt-view';
import { ReceiptPreview, useReceiptPreview } from './receipt-preview';

/**
 * After a sale: the change to hand over, big, the receipt beside it, and the till already waiting
 * for the next customer: their first scan starts a new cart and closes this.
 */
export function ReceiptPanel() {
  const { t } = useTranslation();
  const { receipts } = usePosStores();
  const receipt = useReceipts((s) => s.last);
  const reprinting = useReceipts((s) => s.reprinting);
  const reprintError = useReceipts((s) => s.reprintError);
  // With a printer (or the demo's emulated one) the paper itself is shown, decoded from its bytes.
  const printing = useRegister((s) => s.status !== null && s.status.printer.state !== 'not-configured');
  const preview = useReceiptPreview(receipt?.receiptNo ?? '', printing && receipt !== null);
  if (!receipt) return null;
  return (
    <aside className="cart-panel receipt-panel" aria-label={t('receipt.title')}>
      <header className="receipt-panel-head">
        <p className="receipt-done">{t('receipt.done')}</p>
        {receipt.change > 0 && (
          <p className="receipt-change-due" data-testid="receipt-change-due">
            {t('receipt.change')} <Money cents={receipt.change} className="receipt-change-amount" />
          </p>
        )}
      </header>
      <div className="receipt-scroll">
        {preview ? <ReceiptPreview receiptNo={receipt.receiptNo} preview={preview} /> : <ReceiptView receipt={receipt} />}
      </div>
      {reprintError && <p className="field-error">{t(`errors.${reprintError.code}`)}</p>}
      <footer className="receipt-actions">
        <button
          type="button"
          className="dialog-button"
          data-testid="receipt-reprint"
          disabled={reprinting}
          onMouseDown={keepFocus}
          onClick={() => void receipts.getState().reprint('last')}
        >
          {reprinting ? t('receipt.reprinting') : t('receipt.reprint')}
        </button>
        <button
          type="button"
          className="dialog-button is-primary"
          data-testid="next-customer"
          title={t('receipt.nextCustomerHint')}
          onMouseDown={keepFocus}
          onClick={() => receipts.getState().dismissLast()}
        >
          {t('receipt.nextCustomer')}
        </button>
      </footer>
      <p className="receipt-next-hint">
        {receipt.reprintCount > 0 && (
          <span data-testid="receipt-reprinted">{t('receipt.reprinted', { count: receipt.reprintCount })} · </span>
        )}
        {t('receipt.nextCustomerHint')}
      </p>
    </aside>
  );
}
