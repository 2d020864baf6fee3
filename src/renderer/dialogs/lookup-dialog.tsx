import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog, FieldMessage } from '../components/dialog';
import { keepFocus } from '../components/keep-focus';
import { ReceiptView } from '../components/receipt-view';
import { useErrorText } from '../hooks/use-error-text';
import { usePosStores, useReceipts } from '../stores/stores-context';

/** F1 查單: a past sale by its receipt number, or by scanning the receipt's barcode, with reprint. */
export function LookupDialog() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { receipts, ui } = usePosStores();
  const found = useReceipts((s) => s.found);
  const finding = useReceipts((s) => s.finding);
  const findError = useReceipts((s) => s.findError);
  const reprinting = useReceipts((s) => s.reprinting);
  const reprintError = useReceipts((s) => s.reprintError);
  const [text, setText] = useState('');
  const close = () => {
    receipts.getState().clearFound();
    ui.getState().close();
  };

  const find = (event: FormEvent) => {
    event.preventDefault();
    void receipts.getState().find(text);
  };

  return (
    <Dialog title={t('lookup.title')} testId="dialog-lookup" onClose={close} size="large">
      <form className="returns-find" onSubmit={find}>
        <label className="field is-wide">
          <span className="field-label">{t('returns.receiptNo')}</span>
          <input
            className="field-input"
            data-testid="lookup-receipt-input"
            type="text"
            autoComplete="off"
            spellCheck={false}
            maxLength={40}
            autoFocus
            placeholder={t('lookup.hint')}
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
        </label>
        <button type="submit" className="dialog-button" data-testid="lookup-find" disabled={finding} onMouseDown={keepFocus}>
          {finding ? t('returns.finding') : t('returns.find')}
          <kbd className="action-key">Enter</kbd>
        </button>
      </form>
      <FieldMessage>
        {findError?.code === 'BAD_REQUEST' ? t('returns.problem.RECEIPT_NO_INVALID') : errorText(findError ?? reprintError)}
      </FieldMessage>
      {found && (
        <div className="lookup-result">
          <div className="receipt-scroll">
            <ReceiptView receipt={found} />
          </div>
          <div className="lookup-actions">
            <button
              type="button"
              className="dialog-button"
              data-testid="lookup-reprint"
              disabled={reprinting}
              onMouseDown={keepFocus}
              onClick={() => void receipts.getState().reprint('found')}
            >
              {reprinting ? t('receipt.reprinting') : t('receipt.reprint')}
            </button>
          </div>
        </div>
      )}
    </Dialog>
  );
}
